// The JavaScript side of bridge_tests.cpp (linked with --pre-js): the promises the C++ tests
// await and observe, and the guards that make a stuck run fail instead of passing or hanging.
// The C++ side ends the process with its status (run_to_exit → emscripten_force_exit).

// If the event loop empties before C++ reported (a task was never woken), fail at once.
process.on('beforeExit', () => {
  console.error('FAIL: the event loop emptied before the bridge tests finished (a task was never woken)');
  process.exit(1);
});
// If something keeps the loop busy forever, fail after 30 s. unref: the watchdog alone does not
// keep the process alive, so the guard above still sees an empty loop.
setTimeout(() => {
  console.error('FAIL: the bridge tests did not finish within 30 s');
  process.exit(1);
}, 30000).unref();

Module['bridgeTest'] = {
  // n pending promises; settleScrambled() then settles them from setTimeouts in an order
  // unrelated to their index (delay (37 i) mod 97 ms): promise i fulfils with the object
  // {index: i} right after settled[i] is set.
  makeScrambled(n) {
    this.settled = new Uint8Array(n);
    this.resolvers = [];
    this.promises = [];
    for (let i = 0; i < n; i++) this.promises.push(new Promise((resolve) => this.resolvers.push(resolve)));
  },
  settleScrambled() {
    this.resolvers.forEach((resolve, i) => {
      setTimeout(() => { this.settled[i] = 1; resolve({ index: i }); }, (i * 37) % 97);
    });
  },
  promise(i) { return this.promises[i]; },
  isSettled(i) { return this.settled[i] === 1; },

  resolveLater(value, ms) { return new Promise((resolve) => setTimeout(() => resolve(value), ms)); },
  rejectLater(reason, ms) { return new Promise((_, reject) => setTimeout(() => reject(reason), ms)); },
  // A promise that never rejects: {status, value | reason} of p once it settles, as JS sees it.
  outcome(p) { return Promise.allSettled([p]).then((results) => results[0]); },
};
