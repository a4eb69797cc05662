// Returning a thenable from an async function costs one job that calls its then.
const thenable = {
  then(resolve, reject) {
    console.log('then called');
    resolve('thenable value');
  },
};
async function give() {
  return thenable;
}
give().then((v) => console.log('got', v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'));
