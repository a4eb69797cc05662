// A zero-delay timer created by an interval run fires before the interval's next run.
let n = 0;
const iv = setInterval(() => {
  n += 1;
  console.log('interval', n);
  if (n === 2) {
    setTimeout(() => console.log('timeout created in run 2'), 0);
  }
  if (n === 3) {
    clearInterval(iv);
  }
}, 30);
