// Returning an inner chain from a then callback makes the outer chain wait for it, plus two ticks.
Promise.resolve()
  .then(() => {
    console.log('outer 1');
    return Promise.resolve()
      .then(() => console.log('inner 1'))
      .then(() => console.log('inner 2'));
  })
  .then(() => console.log('outer 2'));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'))
  .then(() => console.log('tick 5'));
