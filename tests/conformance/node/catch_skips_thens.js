// A rejection passes through each then without a rejection handler, one tick per step.
Promise.reject('bad')
  .then(() => console.log('skipped 1'))
  .then(() => console.log('skipped 2'))
  .catch((e) => console.log('caught', e));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));
