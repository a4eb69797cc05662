// Added to the module (--post-js): run() as a Promise, so that callers do not depend on whether
// a run finishes within the call (simulated runs do; real-time runs in the page will not).
Module['run'] = function (source, options) {
  return new Promise((resolve, reject) => {
    try {
      resolve(Module['runNow'](String(source), options || {}));
    } catch (e) {
      reject(e);
    }
  });
};
