// then() on an already-fulfilled promise queues its reaction at once, behind what is already queued.
const p = Promise.resolve('p');
queueMicrotask(() => {
  console.log('micro 1');
  p.then(() => console.log('late then on p'));
});
queueMicrotask(() => console.log('micro 2'));
p.then(() => console.log('early then on p'));
console.log('sync');
