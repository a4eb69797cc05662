// The module's Session is the run run() makes (and so the command's: equivalence.test.mjs),
// however a page steps it: every gallery and profile program and a sample of the golden ones,
// under every profile, 1-4 workers, budget on and off (tokio), to the end, one event or seven at a time,
// poll by poll and in time slices that end at once. The same property natively, over every
// shipped program: tests/script/test_stepping.cpp.
//   node stepping.test.mjs WEB_DIR
import { createRequire } from 'module';
import { readFileSync, readdirSync } from 'fs';
import { join, dirname, resolve } from 'path';
import { fileURLToPath } from 'url';

const webDir = resolve(process.argv[2]);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const loopscope = await require(join(webDir, 'loopscope.js'))({ wasmBinary: readFileSync(join(webDir, 'loopscope.wasm')) });

const files = (dir) => readdirSync(join(root, dir)).filter((f) => f.endsWith('.coro')).sort().map((f) => join(root, dir, f));
const golden = files('tests/coro');
const programs = [...files('examples/coro'), ...files('tests/profiles'), ...golden.filter((_, i) => i % 4 === 0)];

const configs = [{ profile: 'basic' }, { profile: 'node' }];
for (let workers = 1; workers <= 4; ++workers) {
  configs.push({ profile: 'go', workers });  // (go has no budget)
  for (const budget of [128, 'off']) configs.push({ profile: 'tokio', workers, budget });
}

const modes = {
  runToEnd: (s) => s.runToEnd(),
  'step(1)': (s) => s.step(1),
  'step(7)': (s) => s.step(7),
  stepPoll: (s) => s.stepPoll(),
  'runFor(0)': (s) => s.runFor(0),
};

let failures = 0, runs = 0;
for (const file of programs) {
  const source = readFileSync(file, 'utf8');
  for (const config of configs) {
    // The same caps as the native property test, so that the long programs stay short.
    const options = { ...config, maxInstructions: 3000000, maxTraceEvents: 200000 };
    const whole = await loopscope.run(source, { ...options, trace: true });
    const events = (whole.traceStats.events || 0);
    for (const [mode, move] of Object.entries(modes)) {
      if (mode === 'step(1)' && events > 5000) continue;
      const s = new loopscope.Session(source, options);
      while (!s.ended()) move(s);
      ++runs;
      const label = `${file.slice(root.length + 1)} ${JSON.stringify(config)} ${mode}`;
      const same = s.output() === whole.output && s.result().exitCode === whole.exitCode &&
                   s.eventCount() === events && s.exportJsonlTrace() === (whole.trace || '');
      if (!same) {
        ++failures;
        console.log(`FAIL ${label}: ${s.eventCount()} events, run() had ${events}; exit ${s.result().exitCode} vs ${whole.exitCode}`);
      }
      s.delete();
    }
  }
}
console.log(`${runs} stepped sessions, ${failures} different from run()`);
process.exit(failures || runs < 800 ? 1 : 0);
