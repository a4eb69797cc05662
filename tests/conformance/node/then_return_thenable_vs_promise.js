// From a then callback: a value costs nothing extra, a thenable one tick, a native promise two.
const thenable = {
  then(resolve, reject) {
    resolve('thenable');
  },
};
Promise.resolve()
  .then(() => Promise.resolve('promise'))
  .then((v) => console.log('got', v));
Promise.resolve()
  .then(() => thenable)
  .then((v) => console.log('got', v));
Promise.resolve()
  .then(() => 'value')
  .then((v) => console.log('got', v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));
