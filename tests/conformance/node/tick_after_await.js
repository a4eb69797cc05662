// A nextTick queued after an await waits for the rest of the microtask queue, chain included.
async function worker() {
  console.log('worker start');
  await null;
  console.log('worker after await 1');
  process.nextTick(() => console.log('tick from worker'));
  await null;
  console.log('worker after await 2');
}
worker();
Promise.resolve()
  .then(() => console.log('then 1'))
  .then(() => console.log('then 2'))
  .then(() => console.log('then 3'));
console.log('sync');
