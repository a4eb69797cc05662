// A nextTick queued inside a microtask waits until the whole microtask queue is empty.
Promise.resolve().then(() => {
  console.log('micro 1');
  process.nextTick(() => console.log('tick from micro 1'));
  Promise.resolve().then(() => console.log('micro 3 (queued by 1)'));
});
queueMicrotask(() => console.log('micro 2'));
console.log('sync');
