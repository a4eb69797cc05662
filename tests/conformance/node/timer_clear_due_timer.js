// A timer cleared by the callback of an earlier timer with the same delay never runs.
let b = null;
setTimeout(() => {
  console.log('A clears B');
  clearTimeout(b);
}, 0);
b = setTimeout(() => console.log('never B'), 0);
setTimeout(() => console.log('C runs'), 0);
