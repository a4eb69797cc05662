// Immediates run in creation order; one queued by an immediate waits for the next loop turn.
setImmediate(() => {
  console.log('immediate A');
  setImmediate(() => console.log('immediate C (queued by A)'));
});
setImmediate(() => console.log('immediate B'));
console.log('sync');
