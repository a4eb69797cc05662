// After the main script, every nextTick runs before any promise reaction or microtask.
Promise.resolve().then(() => console.log('promise 1'));
process.nextTick(() => console.log('tick 1'));
queueMicrotask(() => console.log('microtask 2'));
process.nextTick(() => console.log('tick 2'));
console.log('sync');
