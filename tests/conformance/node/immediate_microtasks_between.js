// Ticks and microtasks queued by an immediate run before the next immediate.
setImmediate(() => {
  console.log('immediate 1');
  queueMicrotask(() => console.log('microtask from 1'));
  process.nextTick(() => console.log('tick from 1'));
});
setImmediate(() => console.log('immediate 2'));
