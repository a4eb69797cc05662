// A chain of nextTicks, each queuing the next, runs entirely before the first promise reaction.
Promise.resolve().then(() => console.log('promise'));
let count = 0;
function again() {
  count += 1;
  console.log('tick', count);
  if (count < 4) {
    process.nextTick(again);
  }
}
process.nextTick(again);
