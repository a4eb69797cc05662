// An immediate queued by a microtask of a timer callback still runs before a new zero-delay timer.
setTimeout(() => {
  setTimeout(() => console.log('timer 2'), 0);
  Promise.resolve().then(() => {
    console.log('microtask queues an immediate');
    setImmediate(() => console.log('immediate'));
  });
  console.log('timer 1');
}, 0);
