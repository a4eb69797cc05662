// Awaiting an already-fulfilled promise also costs one tick, the same as a plain value.
const ready = Promise.resolve('ready');
async function f() {
  const a = await ready;
  console.log('f got', a);
  const b = await Promise.resolve('fresh');
  console.log('f got', b);
}
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'));
f();
