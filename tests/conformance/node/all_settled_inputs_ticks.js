// Promise.all over fulfilled inputs and plain values: its then runs on the second tick.
Promise.all([Promise.resolve('a'), 'b', Promise.resolve('c')])
  .then((vals) => console.log('all', vals[0], vals[1], vals[2]));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'));
