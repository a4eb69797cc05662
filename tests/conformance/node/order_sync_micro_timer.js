// Synchronous code runs first, then microtasks, then a timer.
setTimeout(() => console.log('timer'), 0);
Promise.resolve().then(() => console.log('promise then'));
queueMicrotask(() => console.log('microtask'));
console.log('sync 1');
console.log('sync 2');
