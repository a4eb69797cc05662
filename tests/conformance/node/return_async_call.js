// Returning another async function's promise without await adds two ticks over awaiting it.
async function inner(label) {
  console.log('inner runs for', label);
  return label;
}
async function viaReturn() {
  return inner('viaReturn');
}
async function viaAwait() {
  return await inner('viaAwait');
}
viaReturn().then((v) => console.log('settled', v));
viaAwait().then((v) => console.log('settled', v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'));
