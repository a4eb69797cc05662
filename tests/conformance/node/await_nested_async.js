// An async function awaiting another one resumes one tick after the inner one returns.
async function inner() {
  console.log('inner start');
  await null;
  console.log('inner end');
  return 'inner value';
}
async function outer() {
  console.log('outer start');
  const v = await inner();
  console.log('outer got', v);
}
outer();
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'));
console.log('sync');
