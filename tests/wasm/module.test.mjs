// The module as a page uses it (under Node). The Session: stepped in slices it gives run()'s
// output and trace; events and counters are views over wasm memory that decode to the trace's
// events; snapshots are objects; bad settings throw; compile errors come back as diagnostics.
// Memory: a run that hits the heap limit stops with a clear message, and the next run is clean.
//   node module.test.mjs WEB_DIR
import { createRequire } from 'module';
import { readFileSync } from 'fs';
import { join, dirname, resolve } from 'path';
import { fileURLToPath } from 'url';

const webDir = resolve(process.argv[2]);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const loopscope = await require(join(webDir, 'loopscope.js'))({ wasmBinary: readFileSync(join(webDir, 'loopscope.wasm')) });

let failures = 0;
function check(cond, message) {
  console.log(`${cond ? 'ok' : 'FAIL'}: ${message}`);
  if (!cond) ++failures;
}
// Whether f throws a RangeError whose message contains `text`.
function throwsRange(f, text) {
  try {
    f();
  } catch (e) {
    return e instanceof RangeError && e.message.includes(text);
  }
  return false;
}

for (const example of ['pipeline', 'event_loop_order', 'work_stealing', 'preemption']) {
  const source = readFileSync(join(root, 'examples', 'coro', `${example}.coro`), 'utf8');
  const whole = await loopscope.run(source, { trace: true });
  const s = new loopscope.Session(source, {});
  let slices = 0;
  while (!s.ended()) {
    s.runFor(0.05);
    ++slices;
  }
  check(s.output() === whole.output, `${example}: the session's output is run()'s (${slices} slices)`);
  check(s.result().exitCode === whole.exitCode, `${example}: same exit code`);
  const lines = whole.trace.trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.kind);
  check(s.eventCount() === lines.length, `${example}: ${s.eventCount()} events, as in run()'s trace`);
  // The view holds the same events (in emission order; the JSONL is in time order).
  const view = s.events(0, s.eventCount());
  check(view instanceof Uint32Array && view.length === 10 * s.eventCount(), `${example}: events() is a Uint32Array view`);
  const kinds = {};
  for (let i = 0; i < s.eventCount(); ++i) {
    const e = loopscope.decodeEvent(view, i);
    kinds[e.kind] = (kinds[e.kind] || 0) + 1;
  }
  const expected = {};
  for (const e of lines) expected[e.kind] = (expected[e.kind] || 0) + 1;
  check(JSON.stringify(Object.entries(kinds).sort()) === JSON.stringify(Object.entries(expected).sort()),
        `${example}: the decoded events are the trace's, kind by kind`);
  const counters = s.counters();
  const polls = counters[loopscope.eventKinds.indexOf('poll_begin')];
  check(counters instanceof Float64Array && polls === (expected.poll_begin || 0), `${example}: counters count the polls (${polls})`);
  s.seek(0);
  check(s.output() === '' && s.counters()[loopscope.eventKinds.indexOf('poll_begin')] === 0, `${example}: seek(0) shows the start`);
  const snap = s.snapshot(Math.floor(s.eventCount() / 2));
  check(Array.isArray(snap.workers) && snap.workers.length >= 1 && Array.isArray(snap.tasks), `${example}: a snapshot is an object with workers and tasks`);
  const last = s.eventCount() - 1;
  check(s.snapshot(last).event === last, `${example}: the last event has a snapshot`);
  check(throwsRange(() => s.snapshot(last + 1), `event ${last + 1} is past the end of the run (its events are 0 to ${last})`),
        `${example}: a snapshot past the end is a RangeError that says so`);
  check(throwsRange(() => s.snapshot(-1), 'must be an index') && throwsRange(() => s.snapshot(NaN), 'must be an index') &&
        throwsRange(() => s.snapshot(1.5), 'must be an index'), `${example}: a snapshot of a negative, NaN or fractional index is a RangeError`);
  check(JSON.parse(s.exportChromeTrace()).traceEvents.length > 0, `${example}: the Chrome trace parses`);
  s.delete();
}

// A spinning task being sliced is reported while it spins.
const spin = new loopscope.Session('async fn spin() { while true {} }\nawait spin()', {});
let starving = [];
for (let i = 0; i < 1000 && !starving.length && !spin.ended(); ++i) {
  spin.runFor(1);
  starving = spin.starving();
}
check(starving.length === 1 && starving[0].task === 1 && /task 'main'/.test(starving[0].about) && starving[0].ms >= 10,
      'starving() names the spinning task while the session slices it: ' + JSON.stringify(starving));
spin.delete();

let threw = '';
try { new loopscope.Session('print(1)', { profile: 'tokyo' }); } catch (e) { threw = e.message; }
check(threw.includes("unknown profile 'tokyo'"), 'a bad profile throws with the reason');
threw = '';
try { new loopscope.Session('print(1)', { real: true }); } catch (e) { threw = e.message; }
check(threw.includes('simulation'), 'a Session refuses real mode and says why');
const bad = new loopscope.Session('print(1', {});
check(bad.ended() && bad.diagnostics().length === 1 && bad.diagnostics()[0].line === 1, 'a compile error: diagnostics, ended');
check(bad.step(5) === 0, 'stepping it does nothing');
check(throwsRange(() => bad.snapshot(0), 'the program did not compile'), 'a snapshot of it is an error that says why');
bad.delete();

// A program that grows without end, run three ways against a 32 MiB heap.
const hog = '// @profile basic max-heap=32 max-instructions=1000000000000\nlet l = []\nlet s = "0123456789abcdef"\nwhile true { l.push(s + s + s + s) }';
const heapMessage = /limit reached: the program uses more than 32 MiB of memory/;
const simulated = await loopscope.run(hog);
check(simulated.exitCode === 4 && heapMessage.test(simulated.error), 'a simulated run stops at the heap limit: ' + simulated.error);
const real = await loopscope.run(hog, { real: true });
check(real.exitCode === 4 && heapMessage.test(real.error), 'so does a real-mode run: ' + real.error);
const stepped = new loopscope.Session(hog, {});
while (!stepped.ended()) stepped.runFor(20);
check(stepped.result().exitCode === 4 && heapMessage.test(stepped.result().error), 'and a session');
stepped.delete();
const clean = await loopscope.run('let l = []\nfor i in 0..1000 { l.push(i) }\nprint(len(l))');
check(clean.exitCode === 0 && clean.output === '1000\n', 'the next run starts clean');

// Each real-mode run numbers its channels, mutexes and devices from 1, as the command does, so
// the same program's trace names the same objects however many runs the page made before it.
const channelIds = async (profile) => {
  const r = await loopscope.run(`// @profile ${profile}\nlet c = channel(1)\nawait c.send(1)\nprint(await c.recv())`, { real: true, trace: true });
  return r.trace.split('\n').filter((line) => line.includes('"channel_ready"')).map((line) => JSON.parse(line).a);
};
for (const profile of ['basic', 'node', 'tokio workers=1']) {
  const ids = [...(await channelIds(profile)), ...(await channelIds(profile))];
  check(ids.length === 4 && ids.every((id) => id === 1), `${profile}: two real-mode runs both call their channel 1: ${ids}`);
}

console.log(failures ? `${failures} failed` : 'module: all passed');
process.exit(failures ? 1 : 0);
