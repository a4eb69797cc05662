// Promise.race over settled inputs takes the first in list order; its then runs on the second tick.
Promise.race([Promise.resolve('first'), Promise.resolve('second')])
  .then((v) => console.log('race 1 fulfilled with', v));
Promise.race([Promise.reject('boom'), Promise.resolve('ok')])
  .then((v) => console.log('never', v), (e) => console.log('race 2 rejected with', e));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'));
