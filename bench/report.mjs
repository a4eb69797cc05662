// Turns the raw results of bench/run.sh into one table: per case, the median ns/op of each
// implementation and how many times faster Loopscope is than each peer (>1 means faster).
//   node bench/report.mjs RESULTS_DIR OUT.md
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';

const [dir, outFile] = process.argv.slice(2);
const samples = {};  // case -> impl -> [ns/op]
const extras = {};   // case -> impl -> field -> [value]  (p99_ns, mb_per_s of the multi-threaded cases)
const add = (name, ns, more = {}) => {
  const [bench, impl] = name.split('/');
  ((samples[bench] ??= {})[impl] ??= []).push(ns);
  for (const [k, v] of Object.entries(more)) (((extras[bench] ??= {})[impl] ??= {})[k] ??= []).push(v);
};

const unitNs = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };
for (const f of fs.readdirSync(dir)) {
  const text = fs.readFileSync(path.join(dir, f), 'utf8');
  if (f.endsWith('.json')) {  // Google Benchmark
    for (const b of JSON.parse(text).benchmarks) {
      if (b.run_type !== 'iteration') continue;
      const name = b.run_name.replace(/\/iterations:\d+$/, '');
      add(name, (b.real_time * unitNs[b.time_unit]) / b.ops);
    }
  } else if (f === 'ui.jsonl') {  // bench/ui: the playground's own table (absolute targets, no peer)
    continue;
  } else if (f.endsWith('.jsonl')) {
    for (const line of text.split('\n').filter(Boolean)) {
      const { name, ns_per_op, round_trips_per_s, ...more } = JSON.parse(line);
      add(name, ns_per_op, more);
    }
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const peers = ['asio', 'libuv', 'go', 'lua'];
const mtPeers = ['asio', 'libuv', 'go', 'node'];
const fmt = (ns) => {
  if (ns === undefined) return '—';
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
};

// One cell: the median, the medians of the extra fields, and the ratio to ours.
const cell = (bench, impl, ours) => {
  const xs = samples[bench]?.[impl];
  if (!xs) return '—';
  const m = median(xs);
  const more = Object.entries(extras[bench]?.[impl] ?? {}).map(([k, v]) =>
    k === 'p99_ns' ? `p99 ${fmt(median(v))}` : k === 'mb_per_s' ? `${median(v).toFixed(0)} MB/s`
      : k === 'wheel_ns' ? `timers alone ${fmt(median(v))}` : `${k} ${median(v)}`);
  const ratio = ours === undefined || impl === 'loopscope' ? '' : ` (${(m / ours).toFixed(2)}×)`;
  return [fmt(m), ...more].join(', ') + ratio;
};
const table = (header, rows) => [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');

const single = [], multi = [], wasm = [];
for (const bench of Object.keys(samples)) {
  const ours = samples[bench].loopscope && median(samples[bench].loopscope);
  if (bench.startsWith('wasm_')) {  // bench/wasm/run.mjs: Loopscope in WebAssembly against one peer
    wasm.push([bench.slice('wasm_'.length), fmt(ours), cell(bench, 'js', ours), cell(bench, 'native', ours)]);
  } else if (bench.includes('@')) {
    multi.push([bench.replace('@', ' @ '), cell(bench, 'loopscope'), ...mtPeers.map((p) => cell(bench, p, ours))]);
  } else {
    single.push([bench, fmt(ours), ...peers.map((p) => cell(bench, p, ours))]);
  }
}
// Group the multi-threaded rows by case, 1 worker before 2.
multi.sort((a, b) => a[0].localeCompare(b[0]));

const cpu = (() => {
  try { return execSync("grep -m1 'model name' /proc/cpuinfo").toString().split(':')[1].trim(); } catch { return os.cpus()[0]?.model ?? 'unknown'; }
})();
const singleTable = table(['case (time per op, median)', 'Loopscope', 'Boost.Asio 1.74', 'libuv 1.44', 'Go 1.19', 'Lua 5.4'], single);
const wasmTable = table(['case (time per op, median)', 'Loopscope (WebAssembly)', 'JS `await`, same process', 'native `loopscope run`'], wasm);
// The playground: one row per case, its numbers against the target.
const ui = fs.existsSync(path.join(dir, 'ui.jsonl'))
  ? fs.readFileSync(path.join(dir, 'ui.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const uiTarget = { page_weight_gzip_kb: '≤ 700 KB', first_frame_ms: '≤ 1000 ms', seek_random: 'worst ≤ 50 ms',
                   seek_random_cold: 'worst ≤ 50 ms', checkpoints: 'idle time, in slices' };
const uiTable = table(['case', 'result', 'target'], ui.map((r) => {
  const { case: name, ...rest } = r;
  const result = Object.entries(rest).map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`).join(', ');
  return [name, result, uiTarget[name] ?? 'median ≤ 8 ms, p99 ≤ 16 ms'];
}));
const multiTable = table(['case @ workers (median)', 'Loopscope', 'Boost.Asio 1.74', 'libuv 1.44', 'Go 1.19', 'Node.js 20'], multi);
const md = `# Benchmark results

All in one run of \`make bench\` on ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpu}, ${os.cpus().length} vCPU, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}.
Peer cells show the peer's median and, in parentheses, its time divided by Loopscope's: above 1 means
Loopscope is faster (or, for latencies, lower).

## Multi-threaded runtime

\`Runtime::builder().workers(N)\` against Asio (\`io_context::run\` on N threads), libuv and Node (one
thread: 1 worker only) and Go (\`GOMAXPROCS=N\`). The cases are defined in bench/README.md; a dash is a
case the peer has no idiom for. \`fairness_hog\` is the worst lateness of a 1 ms timer beside an
always-ready task; \`wake_latency\` is p50 with p99 beside it; the TCP echo cells add throughput and p99.

${multiTable}

## Single-threaded executor and the language

\`LocalExecutor\` (1 worker; Go with GOMAXPROCS=1), cases in the header of bench/runtime_bench.cpp;
\`script_*\` are whole .coro programs against the same programs in Lua (bench/script/, one op = one run
of the program, process start included).

${singleTable}

## WebAssembly

bench/wasm/run.mjs (needs \`make wasm\`): \`promise_hop_*\` is one hop through the Promise bridge,
\`co_await from_promise(Promise.resolve(i))\` in a C++ task, against \`await Promise.resolve(i)\` in a JS
async function, 100 000 in a row, in the same Node process or Chromium page; the project's target for a
hop is at most 2× a JS \`await\` (a ratio of 0.5 or more); \`promise_hop_lean_*\` is the same hop with a caller that
makes its promise and reads its number without Embind (the bridge's own cost); \`promise_hop_floor_*\` is that
hop's JavaScript and calls with no runtime under them, the floor under any bridge. \`coro_yield_loop\` is
\`for i in 0..1000000 { await yield_now() }\` in simulation, per yield, run by the module
(build/web/loopscope.js) and by the native command, each less a run of the empty program.

${wasm.length ? wasmTable : '(not measured: no wasm build)'}

## The playground

bench/ui: \`ui_bench\` draws frames natively and headless (CPU time from \`app_frame\` through
\`ImGui::Render\`, no GPU) over bench/ui/million.coro recorded (about a million events): the whole run in
view, zoomed in, panning; then seeks to 100 random events, each with its snapshot and output: cold (right
after recording), then once idle frames built the checkpoints (\`checkpoints\`: their total time), with 15
idle frames between seeks (a viewer clicking four times a second; a quarter of a frame's 4 ms
budget goes to checkpoints). \`page.mjs\` does the
same frames in headless Chromium (CPU time of a frame, WebGL2 on SwiftShader included), and measures the
page's weight (gzipped) and its first frame after load. Targets: a frame's median 8 ms and p99 16 ms, a
seek 50 ms, 700 KB, 1 s.

${ui.length ? uiTable : '(not measured)'}

Numbers on a shared 2-vCPU VM are noisy: compare ratios within one run, not absolute numbers across runs.
`;
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, md);
console.log(md);
