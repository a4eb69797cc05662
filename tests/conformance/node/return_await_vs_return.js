// "return await p" settles the async function one tick sooner than "return p".
async function plain() {
  return Promise.resolve('return p');
}
async function awaited() {
  return await Promise.resolve('return await p');
}
plain().then((v) => console.log(v));
awaited().then((v) => console.log(v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));
