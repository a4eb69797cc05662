// Awaiting a rejected promise throws after one tick; the loop goes on after the catch.
async function main() {
  for (const name of ['a', 'b', 'c']) {
    try {
      if (name === 'b') {
        await Promise.reject('b failed');
      } else {
        await Promise.resolve(name);
      }
      console.log('ok', name);
    } catch (e) {
      console.log('caught', e);
    }
  }
  console.log('loop done');
}
main();
Promise.resolve()
  .then(() => console.log('tick 1'))
  .then(() => console.log('tick 2'))
  .then(() => console.log('tick 3'));
