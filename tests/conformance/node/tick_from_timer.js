// In a timer callback: its nextTick, then its promise reaction, both before the next timer.
setTimeout(() => {
  console.log('timer A');
  Promise.resolve().then(() => console.log('promise from A'));
  process.nextTick(() => console.log('tick from A'));
}, 0);
setTimeout(() => console.log('timer B'), 0);
