// Returning a promise from an async function costs two more ticks than returning a value.
async function giveValue() {
  return 'value';
}
async function givePromise() {
  return Promise.resolve('promise');
}
givePromise().then((v) => console.log('got', v));
giveValue().then((v) => console.log('got', v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));
