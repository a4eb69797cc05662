// An immediate queued by an interval run fires before the interval's next run.
let n = 0;
const iv = setInterval(() => {
  n += 1;
  console.log('interval', n);
  setImmediate(() => console.log('immediate after interval', n));
  if (n === 3) {
    clearInterval(iv);
  }
}, 5);
