// A chain started inside a then callback, and not returned, runs alongside the outer chain.
Promise.resolve()
  .then(() => {
    console.log('outer 1');
    Promise.resolve()
      .then(() => console.log('inner 1'))
      .then(() => console.log('inner 2'));
  })
  .then(() => console.log('outer 2'))
  .then(() => console.log('outer 3'));
