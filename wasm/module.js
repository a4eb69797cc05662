// Added to the module (--post-js). run() is a Promise: a simulated run ends within the call, a
// real one (options.real) runs on the page's event loop and resolves when the program ended.
Module['run'] = function (source, options) {
  options = options || {};
  return new Promise((resolve, reject) => {
    try {
      const json = settingsJson(options);
      if (options['real'] === true || options['real'] === 'true') Module['runReal'](String(source), json, resolve);
      else resolve(Module['runNow'](String(source), json));
    } catch (e) {
      reject(e);
    }
  });
};

// Options go to C++ as JSON (runtime/script/settings.hpp reads them): one parser for pages,
// share links and the command line. Anything JSON cannot carry is refused here, with the reason.
function settingsJson(options) {
  if (options === undefined || options === null) return '{}';
  if (typeof options !== 'object' || Array.isArray(options)) throw new TypeError('options must be a plain object');
  let json;
  try {
    json = JSON.stringify(options);
  } catch (e) {
    throw new TypeError('options cannot be read: ' + e.message);
  }
  return json;
}

// Scripts' fetch(url): {status, body}; a network error rejects (the script sees an error).
Module['lsFetchText'] = function (url) {
  return fetch(url).then((r) => r.text().then((body) => ({ 'status': r.status, 'body': body })));
};

// The Session as JavaScript sees it: `new Session(source, options)` throws on a bad setting;
// events(from, to) is a Uint32Array view (10 words per event, decodeEvent reads one), counters()
// a Float64Array view indexed by eventKinds, snapshot(i) an object. Views are over wasm memory:
// read them before the session runs on. Call delete() when done. (After the runtime started:
// the bindings exist only then.)
addOnPostRun(function () {
  const Raw = Module['Session'];
  const kinds = Module['eventKindNames']();
  Module['eventKinds'] = kinds;
  Raw.prototype['events'] = function (from, to) { return this['eventWords'](from, to); };
  Raw.prototype['counters'] = function () { return this['counterValues'](); };
  Raw.prototype['snapshot'] = function (event) {
    if (!Number.isSafeInteger(event) || event < 0) throw new RangeError('snapshot(event): event must be an index from 0, got ' + String(event));
    const snap = JSON.parse(this['snapshotJson'](event));
    if (snap['error'] !== undefined) throw new RangeError(snap['error']);
    return snap;
  };
  Raw.prototype['starving'] = function () { return JSON.parse(this['starvingJson']()); };
  Module['Session'] = function (source, options) {
    const s = new Raw(String(source), settingsJson(options));
    const problem = s['settingsError']();
    if (problem) {
      s['delete']();
      throw new Error(problem);
    }
    return s;
  };
  // Event `i` of a view from events(): {timeNs, task, a, b, kind, worker, seq}.
  Module['decodeEvent'] = function (words, i) {
    const w = i * 10;
    const u64 = (lo, hi) => hi * 4294967296 + lo;
    return {
      timeNs: u64(words[w], words[w + 1]), task: u64(words[w + 2], words[w + 3]),
      a: u64(words[w + 4], words[w + 5]), b: u64(words[w + 6], words[w + 7]),
      kind: kinds[words[w + 8] & 0xff], worker: words[w + 8] >>> 16, seq: words[w + 9],
    };
  };
});
