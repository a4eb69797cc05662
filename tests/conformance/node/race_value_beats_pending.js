// A plain value in Promise.race wins over a promise that is still pending.
const slow = new Promise((resolve) => {
  setTimeout(() => {
    console.log('slow resolves');
    resolve('slow');
  }, 10);
});
Promise.race([slow, 'plain']).then((v) => console.log('race', v));
console.log('sync');
