// A promise settles once: later resolve and reject calls are ignored.
const p = new Promise((resolve, reject) => {
  resolve('first');
  resolve('second');
  reject('third');
});
p.then((v) => console.log('p fulfilled with', v), (e) => console.log('p rejected with', e));
const q = new Promise((resolve, reject) => {
  reject('no');
  resolve('yes');
});
q.then((v) => console.log('q fulfilled with', v), (e) => console.log('q rejected with', e));
