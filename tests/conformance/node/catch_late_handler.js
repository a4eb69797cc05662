// A rejection handler attached in a later tick still receives the rejection.
const failed = Promise.reject('early failure');
failed.catch((e) => console.log('first handler got', e));
setTimeout(() => {
  console.log('timer attaches a second handler');
  failed.catch((e) => console.log('second handler got', e));
}, 0);
