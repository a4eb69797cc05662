// An interval and a longer timeout interleave by deadline: runs at 50 and 100, timeout at 125, run at 150.
console.log('start');
let n = 0;
const iv = setInterval(() => {
  n += 1;
  console.log('interval', n);
  if (n === 3) {
    clearInterval(iv);
  }
}, 50);
setTimeout(() => console.log('timeout 125'), 125);
