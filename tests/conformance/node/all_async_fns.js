// Promise.all over async calls: the bodies start at the call, the result comes after the slowest.
async function task(name, steps) {
  console.log(name, 'start');
  for (let i = 0; i < steps; i++) {
    await null;
  }
  console.log(name, 'end');
  return name;
}
Promise.all([task('A', 2), task('B', 1)])
  .then((vals) => console.log('all', vals[0], vals[1]));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));
console.log('sync');
