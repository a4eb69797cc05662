// A throw in an async function before any await rejects its promise; the caller carries on.
async function fails() {
  console.log('fails runs');
  throw 'early error';
}
const p = fails();
console.log('after the call');
p.catch((e) => console.log('caught', e));
queueMicrotask(() => console.log('microtask queued after catch'));
