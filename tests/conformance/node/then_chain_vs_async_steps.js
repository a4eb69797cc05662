// A then chain and an async function's awaits advance in lock step.
async function stepper() {
  console.log('S0');
  await null;
  console.log('S1');
  await null;
  console.log('S2');
  await null;
  console.log('S3');
}
Promise.resolve()
  .then(() => console.log('T1'))
  .then(() => console.log('T2'))
  .then(() => console.log('T3'));
stepper();
