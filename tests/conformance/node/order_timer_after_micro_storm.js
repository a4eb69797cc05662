// A zero-delay timer waits until a long self-requeuing run of microtasks has finished.
setTimeout(() => console.log('timer'), 0);
let n = 0;
function step() {
  n += 1;
  if (n <= 5) {
    console.log('micro', n);
    queueMicrotask(step);
  }
}
queueMicrotask(step);
console.log('sync');
