// The rejection handler beside a fulfilment handler does not see what that handler throws.
Promise.resolve('ok')
  .then((v) => {
    console.log('fulfilment handler got', v);
    throw 'from fulfilment handler';
  }, (e) => console.log('sibling handler (never)', e))
  .catch((e) => console.log('next catch got', e));
