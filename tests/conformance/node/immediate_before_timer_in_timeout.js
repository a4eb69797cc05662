// Inside a timer callback, an immediate queued there runs before a zero-delay timer queued there.
setTimeout(() => {
  setTimeout(() => console.log('timer (from timer)'), 0);
  setImmediate(() => console.log('immediate (from timer)'));
  console.log('outer timer');
}, 0);
