// An async immediate callback finishes its awaits of plain values before the next immediate runs.
setImmediate(async () => {
  console.log('immediate A start');
  await null;
  console.log('immediate A step 1');
  await Promise.resolve();
  console.log('immediate A step 2');
});
setImmediate(() => console.log('immediate B'));
