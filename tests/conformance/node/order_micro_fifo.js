// Promise reactions and queueMicrotask callbacks share one FIFO queue.
const p = Promise.resolve();
queueMicrotask(() => console.log('micro A'));
p.then(() => console.log('then B'));
queueMicrotask(() => console.log('micro C'));
p.then(() => console.log('then D'));
console.log('sync');
