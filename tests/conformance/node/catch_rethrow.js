// A catch handler that throws again hands the new error to the next catch.
Promise.reject('first')
  .catch((e) => {
    console.log('catch 1 got', e);
    throw 'second';
  })
  .then(() => console.log('never'))
  .catch((e) => console.log('catch 2 got', e))
  .then(() => console.log('chain fulfilled again'));
