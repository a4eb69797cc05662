// Reactions on one promise run in the order their then() calls were made.
const p = new Promise((resolve) => {
  setTimeout(() => resolve('v'), 0);
});
p.then((v) => console.log('first', v));
p.then((v) => console.log('second', v));
p.then((v) => console.log('third', v));
console.log('registered');
