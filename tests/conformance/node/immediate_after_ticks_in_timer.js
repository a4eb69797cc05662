// In a timer callback, its nextTick and promise reactions run before the immediate it queued.
setTimeout(() => {
  setImmediate(() => console.log('immediate'));
  Promise.resolve().then(() => console.log('promise'));
  process.nextTick(() => console.log('tick'));
  console.log('timer');
}, 0);
