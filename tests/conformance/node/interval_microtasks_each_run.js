// The ticks and microtasks queued by one interval run finish before the next run.
let n = 0;
const iv = setInterval(() => {
  n += 1;
  console.log('run', n);
  Promise.resolve().then(() => console.log('promise after run', n));
  process.nextTick(() => console.log('tick after run', n));
  if (n === 2) {
    clearInterval(iv);
  }
}, 5);
