// An error thrown after an await two calls down reaches the top caller's try/catch, a tick per level.
async function deep() {
  await null;
  console.log('deep after await');
  throw 'deep failure';
}
async function middle() {
  console.log('middle start');
  await deep();
  console.log('middle never');
}
async function top() {
  try {
    await middle();
  } catch (e) {
    console.log('top caught', e);
  }
  console.log('top continues');
}
top();
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));
console.log('sync');
