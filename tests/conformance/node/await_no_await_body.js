// An async function without await runs to its end at the call; its result still arrives later.
async function quick() {
  console.log('quick body');
  return 7;
}
quick().then((v) => console.log('quick result', v));
console.log('after call');
queueMicrotask(() => console.log('microtask queued after the call'));
