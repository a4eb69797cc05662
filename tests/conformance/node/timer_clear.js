// clearTimeout cancels a timer, either at once or later from another timer's callback.
const t1 = setTimeout(() => console.log('never 1'), 5);
clearTimeout(t1);
const t3 = setTimeout(() => console.log('never 3'), 30);
setTimeout(() => {
  console.log('timer 10 clears the 30 ms timer');
  clearTimeout(t3);
}, 10);
setTimeout(() => console.log('timer 40'), 40);
console.log('sync');
