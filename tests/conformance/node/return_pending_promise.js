// Returning a pending promise: the async function settles two ticks after that promise does.
const gate = new Promise((resolve) => {
  setTimeout(() => {
    console.log('timer resolves gate');
    resolve('gate value');
  }, 0);
});
async function give() {
  return gate;
}
give().then((v) => console.log('give result', v));
gate
  .then(() => console.log('gate tick 1'))
  .then(() => console.log('gate tick 2'))
  .then(() => console.log('gate tick 3'));
