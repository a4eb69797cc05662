// Promise.all gives results in input order even when the inputs settle in reverse.
function later(value, ms) {
  return new Promise((resolve) => {
    setTimeout(() => {
      console.log('settled', value);
      resolve(value);
    }, ms);
  });
}
Promise.all([later('slow', 30), later('mid', 20), later('fast', 10)])
  .then((vals) => console.log('all', vals[0], vals[1], vals[2]));
