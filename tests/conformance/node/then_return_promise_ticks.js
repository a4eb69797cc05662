// A then callback that returns a promise delays the next step by two extra ticks.
Promise.resolve()
  .then(() => {
    console.log('A1 returns a promise');
    return Promise.resolve('x');
  })
  .then((v) => console.log('A2 got', v));
Promise.resolve()
  .then(() => console.log('B1'))
  .then(() => console.log('B2'))
  .then(() => console.log('B3'))
  .then(() => console.log('B4'));
