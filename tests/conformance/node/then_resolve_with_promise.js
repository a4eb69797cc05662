// Resolving a promise with another promise adopts its value two ticks later.
const inner = Promise.resolve('inner');
const outer = new Promise((resolve) => {
  resolve(inner);
});
outer.then((v) => console.log('outer got', v));
inner.then((v) => console.log('inner got', v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'));
