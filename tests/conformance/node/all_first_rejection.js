// Promise.all rejects with the first rejection; the other inputs are not cancelled.
function settleLater(ok, value, ms) {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      console.log('input settles', value);
      if (ok) {
        resolve(value);
      } else {
        reject(value);
      }
    }, ms);
  });
}
Promise.all([settleLater(true, 'slow ok', 20), settleLater(false, 'quick failure', 10), settleLater(false, 'late failure', 30)])
  .then(() => console.log('never'), (e) => console.log('all rejected with', e));
