// An interval runs until its own callback calls clearInterval.
let runs = 0;
const id = setInterval(() => {
  runs += 1;
  console.log('interval run', runs);
  if (runs === 3) {
    clearInterval(id);
    setTimeout(() => console.log('after clear, runs', runs), 20);
  }
}, 5);
