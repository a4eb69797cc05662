// The queues alternate: all ticks, then all microtasks, again until both are empty, then the timer.
setTimeout(() => console.log('timer last'), 0);
process.nextTick(() => {
  console.log('tick 1');
  Promise.resolve().then(() => {
    console.log('micro 2');
    process.nextTick(() => {
      console.log('tick 3');
      queueMicrotask(() => console.log('micro 4'));
    });
  });
});
process.nextTick(() => console.log('tick 1b'));
queueMicrotask(() => console.log('micro 2a'));
