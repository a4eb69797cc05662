// Microtasks queued by a timer callback all run before the next due timer's callback.
setTimeout(() => {
  console.log('timer A');
  Promise.resolve()
    .then(() => console.log('A promise 1'))
    .then(() => console.log('A promise 2'));
  queueMicrotask(() => console.log('A microtask'));
}, 0);
setTimeout(() => {
  console.log('timer B');
  Promise.resolve().then(() => console.log('B promise'));
}, 0);
setTimeout(() => console.log('timer C'), 0);
