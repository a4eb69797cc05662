// Promise.race over two chains: the shorter chain wins, and the race settles a tick later.
const a = Promise.resolve()
  .then(() => console.log('A1'))
  .then(() => {
    console.log('A2');
    return 'A';
  });
const b = Promise.resolve()
  .then(() => {
    console.log('B1');
    return 'B';
  });
Promise.race([a, b]).then((v) => console.log('winner', v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'));
