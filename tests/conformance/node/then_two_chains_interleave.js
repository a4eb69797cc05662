// Two independent then chains advance one step per tick, alternating.
Promise.resolve()
  .then(() => console.log('A1'))
  .then(() => console.log('A2'))
  .then(() => console.log('A3'))
  .then(() => console.log('A4'));
Promise.resolve()
  .then(() => console.log('B1'))
  .then(() => console.log('B2'))
  .then(() => console.log('B3'));
console.log('sync');
