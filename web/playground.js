// Added to the page's program (--post-js): what the canvas needs from the page — the keys by
// their physical position, the browser's clipboard events, share links — and the page hooks,
// window.loopscope.playground, the same actions as the buttons (docs/embedding.md).
(function () {
  'use strict';
  // W/A/S/D by position (KeyboardEvent.code): the same keys on AZERTY as on QWERTY.
  const held = new Set();
  window.addEventListener('keydown', (e) => held.add(e.code), true);
  window.addEventListener('keyup', (e) => held.delete(e.code), true);
  window.addEventListener('blur', () => held.clear());
  Module['lsKeyDown'] = (code) => held.has(code);

  // The clipboard: the browser's own events reach the editor (GLFW's clipboard is the page's own).
  const onCanvas = () => document.activeElement === Module['canvas'] || document.activeElement === document.body;
  document.addEventListener('paste', (e) => {
    if (!onCanvas()) return;
    const text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    if (text) Module['pgPaste'](text);
    e.preventDefault();
  });
  for (const kind of ['copy', 'cut']) {
    document.addEventListener(kind, (e) => {
      if (!onCanvas()) return;
      const text = Module['pgCopy'](kind === 'cut');
      if (!text) return;
      e.clipboardData.setData('text/plain', text);
      e.preventDefault();
    });
  }

  // Share: the link goes into the address bar and, where the browser allows, the clipboard.
  Module['lsShare'] = (json) => {
    window.loopscopeShare.encode(JSON.parse(json)).then((payload) => {
      history.replaceState(null, '', '#' + payload);
      const done = () => Module['pgStatus']('Link copied: it carries the program and its settings');
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(location.href).then(done, () => Module['pgStatus']('Link in the address bar'));
      else Module['pgStatus']('Link in the address bar');
    }, (e) => Module['pgBanner']('Could not make the link: ' + e.message));
  };

  // What the page opens with: a share link's program, ?example=NAME, or the default example.
  Module['lsStart'] = () => {
    const hash = location.hash;
    if (hash.startsWith('#v1/')) {
      window.loopscopeShare.decode(hash).then((state) => {
        const settings = {};
        for (const k of ['profile', 'workers', 'seed', 'budget']) if (state[k] !== undefined) settings[k] = state[k];
        const problem = Module['pgLoad'](state.src, JSON.stringify(settings));
        if (problem) Module['pgBanner']('This share link cannot be opened: ' + problem);
        else Module['pgRun']();
      }, (e) => Module['pgBanner']('This share link cannot be opened: ' + e.message + '. Nothing was loaded.'));
      return;
    }
    const example = new URLSearchParams(location.search).get('example');
    if (example && !Module['pgLoadExample'](example)) {
      Module['pgBanner']("There is no example '" + example + "' in the gallery.");
      Module['pgLoadExample']('');
    }
    if (!example) Module['pgLoadExample']('');
    Module['pgRun']();
  };

  // The page hooks: tests and embedding drive the playground with them.
  const integer = (name, v, min) => {
    if (!Number.isSafeInteger(v) || v < min) throw new RangeError(name + ' must be an integer from ' + min + ', got ' + String(v));
    return v;
  };
  const playground = {
    load(source, settings) {
      if (typeof source !== 'string') throw new TypeError('load(source, settings): source must be a string');
      if (settings !== undefined && (settings === null || typeof settings !== 'object' || Array.isArray(settings)))
        throw new TypeError('load(source, settings): settings must be an object');
      let json;
      try { json = JSON.stringify(settings || {}); } catch (e) { throw new TypeError('load: settings cannot be read: ' + e.message); }
      const problem = Module['pgLoad'](source, json);
      if (problem) throw new Error(problem);
    },
    run() { Module['pgRun'](); },
    pause() { Module['pgPause'](); },
    step(n) { Module['pgStep'](n === undefined ? 1 : integer('step(n): n', n, -Number.MAX_SAFE_INTEGER)); },
    seek(event) { Module['pgSeek'](integer('seek(event): event', event, 0)); },
    speed(eventsPerSecond) {
      if (typeof eventsPerSecond !== 'number' || !(eventsPerSecond >= 0) || !Number.isFinite(eventsPerSecond))
        throw new RangeError('speed(eventsPerSecond) takes a number from 0 (as fast as possible)');
      Module['pgSpeed'](eventsPerSecond);
    },
    state() { return JSON.parse(Module['pgState']()); },
    output() { return Module['pgOutput'](); },
    warnings() { return JSON.parse(Module['pgWarnings']()); },
    selectTask(id) { Module['pgSelectTask'](integer('selectTask(id): id', id, 0)); },
    theme(name) {
      if (name !== 'dark' && name !== 'light') throw new RangeError("theme(name): 'dark' or 'light'");
      Module['pgTheme'](name);
    },
    frames() { return Module['pgFrames'](); },
    frameTimes() { return JSON.parse(Module['pgFrameTimes']()); },
  };
  window.loopscope = Object.assign(window.loopscope || {}, { playground });
})();
