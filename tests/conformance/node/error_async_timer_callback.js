// An async timer callback catches a rejection; the next timer waits for its microtasks.
setTimeout(async () => {
  console.log('timer A start');
  try {
    await Promise.reject('A failed');
  } catch (e) {
    console.log('timer A caught', e);
  }
  console.log('timer A end');
}, 0);
setTimeout(() => console.log('timer B'), 0);
