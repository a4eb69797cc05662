// Two async loops that sleep on timers interleave by deadline: fast at 50, 100, 150, slow at 125.
function sleepMs(ms) {
  return new Promise((resolve) => {
    setTimeout(() => resolve(), ms);
  });
}
async function loop(name, ms, count) {
  for (let i = 1; i <= count; i++) {
    await sleepMs(ms);
    console.log(name, i);
  }
}
console.log('start');
loop('fast', 50, 3);
loop('slow', 125, 1);
