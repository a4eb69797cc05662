// A reaction is queued when its promise settles, not when then() is called.
const first = new Promise((resolve) => {
  queueMicrotask(() => {
    console.log('settle first');
    resolve('first');
  });
});
first.then((v) => console.log('then', v));
Promise.resolve('second').then((v) => console.log('then', v));
queueMicrotask(() => console.log('micro third'));
console.log('sync');
