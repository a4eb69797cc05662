// Promise.all of an empty list is fulfilled at once, so its then runs on the first tick.
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'));
Promise.all([]).then((vals) => console.log('empty all, length', vals.length));
