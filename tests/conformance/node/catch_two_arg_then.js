// then(onFulfilled, onRejected): only the matching handler runs; its result fulfils the next promise.
Promise.reject('oops')
  .then((v) => console.log('not called', v), (e) => {
    console.log('rejection handler got', e);
    return 'recovered';
  })
  .then((v) => console.log('next got', v));
Promise.resolve('fine')
  .then((v) => console.log('fulfilment handler got', v), (e) => console.log('not called', e));
