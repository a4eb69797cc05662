// Awaiting a pending promise resumes after the callback that resolves it has returned.
const gate = new Promise((resolve) => {
  setTimeout(() => {
    console.log('timer resolves gate');
    resolve('open');
    console.log('timer callback ends');
  }, 0);
});
async function waiter() {
  console.log('waiting');
  const v = await gate;
  console.log('gate is', v);
}
waiter();
gate.then(() => console.log('other reaction on gate'));
