// A timer created inside a timer callback runs after the timers that were already due.
setTimeout(() => {
  console.log('timer A');
  setTimeout(() => console.log('timer C (created by A)'), 0);
}, 0);
setTimeout(() => console.log('timer B'), 0);
