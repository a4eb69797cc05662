// A rejection that settles first decides Promise.race; the slower input still fulfils.
const okLater = new Promise((resolve) => {
  setTimeout(() => resolve('ok'), 20);
});
const failSoon = new Promise((resolve, reject) => {
  setTimeout(() => reject('failed first'), 10);
});
Promise.race([okLater, failSoon])
  .then((v) => console.log('never', v))
  .catch((e) => console.log('race caught', e));
okLater.then((v) => console.log('okLater still fulfils with', v));
