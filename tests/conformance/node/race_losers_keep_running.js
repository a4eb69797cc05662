// Promise.race with timers: the earliest decides it, and the losers still run to completion.
function after(ms, label) {
  return new Promise((resolve) => {
    setTimeout(() => {
      console.log('timer', label);
      resolve(label);
    }, ms);
  });
}
Promise.race([after(30, 'slow'), after(10, 'fast'), after(20, 'mid')])
  .then((v) => console.log('winner', v));
