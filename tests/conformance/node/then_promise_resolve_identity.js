// Promise.resolve of a native promise returns that same promise, so it adds no ticks.
const p = Promise.resolve('p');
const q = Promise.resolve(p);
console.log('same promise', p === q);
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'));
q.then((v) => console.log('q got', v));
