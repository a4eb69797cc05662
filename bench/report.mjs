// Turns the raw results of bench/run.sh into one table: per case, the median ns/op of each
// implementation and how many times faster Loopscope is than each peer (>1 means faster).
//   node bench/report.mjs RESULTS_DIR OUT.md
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';

const [dir, outFile] = process.argv.slice(2);
const samples = {};  // case -> impl -> [ns/op]
const add = (name, ns) => {
  const [bench, impl] = name.split('/');
  ((samples[bench] ??= {})[impl] ??= []).push(ns);
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
  } else if (f.endsWith('.jsonl')) {
    for (const line of text.split('\n').filter(Boolean)) {
      const r = JSON.parse(line);
      add(r.name, r.ns_per_op);
    }
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const peers = ['asio', 'libuv', 'go', 'lua'];
const fmt = (ns) => {
  if (ns === undefined) return '—';
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(1)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
};

const rows = [];
for (const [bench, impls] of Object.entries(samples)) {
  const ours = impls.loopscope && median(impls.loopscope);
  const cells = [bench, fmt(ours)];
  for (const p of peers) {
    const theirs = impls[p] && median(impls[p]);
    cells.push(theirs === undefined ? '—' : `${fmt(theirs)} (${(theirs / ours).toFixed(2)}×)`);
  }
  rows.push(cells);
}

const cpu = (() => {
  try { return execSync("grep -m1 'model name' /proc/cpuinfo").toString().split(':')[1].trim(); } catch { return os.cpus()[0]?.model ?? 'unknown'; }
})();
const header = ['case (time per op, median)', 'Loopscope', 'Boost.Asio 1.74', 'libuv 1.44', 'Go 1.19', 'Lua 5.4'];
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
const md = `# Benchmark results

Single-threaded (1 worker; Go with GOMAXPROCS=1), all in one run of \`make bench\` on ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpu}, ${os.cpus().length} vCPU, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}.
Peer cells show the peer's time and, in parentheses, how many times faster Loopscope is.

${table}

Cases: the runtime's in the header of bench/runtime_bench.cpp; \`script_*\` are whole .coro programs
against the same programs in Lua (bench/script/, one op = one run of the program, process start
included). Numbers on a shared 2-vCPU VM are noisy: compare ratios within one run, not absolute
numbers across runs.
`;
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, md);
console.log(md);
