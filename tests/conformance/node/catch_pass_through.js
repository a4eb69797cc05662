// catch() on a fulfilled promise passes the value on, still costing one tick.
Promise.resolve('v')
  .catch(() => console.log('never'))
  .then((v) => console.log('passed through', v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'));
