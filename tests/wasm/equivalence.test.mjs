// The module (build/web/loopscope.js) against the native `loopscope` command: every golden
// program of tests/coro, every program of tests/profiles under each profile it has expectations
// for, and every gallery example must print the same stdout, end with the same exit status and
// record the same JSON Lines trace, byte for byte, in simulation. A difference fails with the
// first events that diverge.
//   node equivalence.test.mjs WEB_DIR NATIVE_LOOPSCOPE
import { createRequire } from 'module';
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join, dirname, resolve } from 'path';
import { fileURLToPath } from 'url';

const [webDir, nativeBin] = process.argv.slice(2).map((p) => resolve(p));
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const createLoopscope = require(join(webDir, 'loopscope.js'));
const loopscope = await createLoopscope({ wasmBinary: readFileSync(join(webDir, 'loopscope.wasm')) });
const scratch = mkdtempSync(join(tmpdir(), 'loopscope-eq-'));

function programs(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...programs(path));
    else if (name.endsWith('.coro')) out.push(path);
  }
  return out;
}

// [program, profile or undefined (its own)] pairs.
const cases = [];
for (const p of programs(join(root, 'tests', 'coro'))) cases.push([p, undefined]);
for (const p of programs(join(root, 'examples', 'coro'))) cases.push([p, undefined]);
for (const p of programs(join(root, 'tests', 'profiles'))) {
  for (const profile of ['basic', 'node', 'tokio', 'go'])
    if (existsSync(p.replace(/\.coro$/, `.${profile}.out`))) cases.push([p, profile]);
}

// Natively and here, the same limits: the browser's smaller default heap would end some runs
// earlier.
const heapMiB = 1024;
let failures = 0;
for (const [program, profile] of cases) {
  const label = `${program.slice(root.length + 1)}${profile ? ` (${profile})` : ''}`;
  const tracePath = join(scratch, 'trace.jsonl');
  const args = ['trace', '--trace-format', 'jsonl', '--trace', tracePath, '--max-heap', String(heapMiB)];
  if (profile) args.push('--profile', profile);
  const native = spawnSync(nativeBin, [...args, program], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const nativeTrace = existsSync(tracePath) ? readFileSync(tracePath, 'utf8') : '';
  const options = { trace: true, maxHeap: heapMiB };
  if (profile) options.profile = profile;
  const ours = await loopscope.run(readFileSync(program, 'utf8'), options);
  const problems = [];
  if (ours.output !== native.stdout) problems.push(`stdout differs:\n--- native\n${native.stdout}--- wasm\n${ours.output}`);
  if (ours.exitCode !== native.status) problems.push(`exit status: native ${native.status}, wasm ${ours.exitCode}`);
  if (native.status !== 3 && (ours.trace || '') !== nativeTrace) {
    const a = nativeTrace.split('\n'), b = (ours.trace || '').split('\n');
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) ++i;
    problems.push(`the traces diverge at line ${i + 1}:\n  native: ${a.slice(i, i + 3).join('\n          ')}\n  wasm:   ${b.slice(i, i + 3).join('\n          ')}`);
  }
  if (problems.length) {
    ++failures;
    console.log(`FAIL ${label}\n  ${problems.join('\n  ')}`);
  }
}
console.log(`equivalence: ${cases.length - failures} of ${cases.length} programs the same natively and in wasm`);
process.exit(failures ? 1 : 0);
