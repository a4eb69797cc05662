// A nextTick queued by a nextTick still runs before any promise reaction.
Promise.resolve().then(() => console.log('promise'));
process.nextTick(() => {
  console.log('tick A');
  process.nextTick(() => console.log('tick C (queued by A)'));
});
process.nextTick(() => console.log('tick B'));
console.log('sync');
