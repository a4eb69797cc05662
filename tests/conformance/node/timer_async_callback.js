// An async timer callback resumes from "await null" before the next timer, but not from a timer wait.
setTimeout(async () => {
  console.log('A start');
  await null;
  console.log('A after await null');
  const wait = new Promise((resolve) => {
    setTimeout(() => resolve(), 0);
  });
  await wait;
  console.log('A after timer wait');
}, 0);
setTimeout(() => console.log('timer B'), 0);
