// Awaiting a thenable costs two ticks: one job calls its then, one tick resumes the function.
const thenable = {
  then(resolve, reject) {
    console.log('then called');
    resolve('from thenable');
  },
};
async function f() {
  const v = await thenable;
  console.log('f got', v);
}
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'));
f();
console.log('sync');
