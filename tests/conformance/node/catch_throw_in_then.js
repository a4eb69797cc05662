// An error thrown in a then callback rejects the promise that then returned; catch recovers.
Promise.resolve(1)
  .then((v) => {
    console.log('step', v);
    throw 'thrown at step 1';
  })
  .then(() => console.log('never'))
  .catch((e) => {
    console.log('caught', e);
    return 2;
  })
  .then((v) => console.log('continued with', v));
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'))
  .then(() => console.log('tick 4'));
