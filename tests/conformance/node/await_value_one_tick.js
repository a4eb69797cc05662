// Awaiting a plain value costs exactly one microtask tick.
async function f() {
  console.log('f before await');
  const v = await 42;
  console.log('f got', v);
}
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'));
f();
console.log('sync');
