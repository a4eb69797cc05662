// A chain hanging off the middle of another chain joins the tick rotation at that point.
const a2 = Promise.resolve()
  .then(() => console.log('A1'))
  .then(() => console.log('A2'));
a2.then(() => console.log('A3')).then(() => console.log('A4'));
a2.then(() => console.log('C1 (after A2)')).then(() => console.log('C2'));
Promise.resolve()
  .then(() => console.log('B1'))
  .then(() => console.log('B2'))
  .then(() => console.log('B3'))
  .then(() => console.log('B4'));
