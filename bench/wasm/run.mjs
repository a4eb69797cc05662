// The WebAssembly cases of `make bench` (bench/README.md), each against a peer timed in the same
// run; prints one JSON line per case, implementation and repetition, like the other benchmarks:
//
//   wasm_promise_hop_node/loopscope      one hop through the Promise bridge, in Node:
//                                        co_await from_promise(Promise.resolve(i)), N in a row
//   wasm_promise_hop_node/js             the same loop as a JS async function: await Promise.resolve(i)
//   wasm_promise_hop_chromium/...        both again in a page of headless Chromium
//   wasm_promise_hop_lean_{node,chromium}/loopscope
//                                        the hop with a caller that makes its promise and reads its
//                                        number through two imports of its own, not Embind: the
//                                        bridge's own cost (peer: the same JS loop)
//   wasm_promise_hop_floor_{node,chromium}/loopscope
//                                        the floor under any bridge: the lean hop's JavaScript and
//                                        calls with no runtime (no task, executor or coroutine);
//                                        the lean hop less this is the runtime's share
//   wasm_embind_calls_{node,chromium}/loopscope
//                                        the C++ loop's own Embind calls without the hop (the
//                                        caller's share of a hop, not the bridge's)
//   wasm_coro_yield_loop/loopscope       `for i in 0..N { await yield_now() }` run by the module
//                                        (build/web/loopscope.js, runNow, simulation, profile basic)
//   wasm_coro_yield_loop/native          the same program run by the native `loopscope run`
//
// ns_per_op is per hop (per yield). The yield loop subtracts a run of the empty program, so that
// neither side pays for process start or module setup.
//
//   node bench/wasm/run.mjs [--reps N] [--quick] [--no-browser]
// Needs the wasm build (make wasm) and, for the yield loop, the native one (make native).
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const wasmBin = path.join(root, 'build/wasm/bin');
const webDir = path.join(root, 'build/web');
const nativeCli = path.join(root, 'build/native/bin/loopscope');

const args = process.argv.slice(2);
const reps = Number(args.includes('--reps') ? args[args.indexOf('--reps') + 1] : 5);
const quick = args.includes('--quick');
const hops = quick ? 1000 : 100000;
const yields = quick ? 10000 : 1000000;

const report = (name, ns) => console.log(JSON.stringify({ name, ns_per_op: Math.round(ns * 10) / 10 }));
const require = createRequire(import.meta.url);
const load = (js, wasm) => require(js)({ wasmBinary: fs.readFileSync(wasm) });

// Times both loops `reps` times, alternating, after one warm-up run of each; returns ns per hop.
// Self-contained: it is also sent to the page as source text.
async function hopCases(bridge, n, reps) {
  async function jsLoop(n) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += await Promise.resolve(i);
    return sum;
  }
  const expected = (n * (n - 1)) / 2;
  const time = async (loop) => {
    const t0 = performance.now();
    const sum = await loop(n);
    const ns = ((performance.now() - t0) * 1e6) / n;
    if (sum !== expected) throw new Error(`a loop summed ${sum}, not ${expected}`);
    return ns;
  };
  const out = { loopscope: [], lean: [], floor: [], js: [], embind: [] };
  await time(jsLoop);
  await time(bridge.bridgeLoop);
  await time(bridge.leanLoop);
  await time(bridge.floorLoop);
  await time(bridge.embindLoop);
  for (let r = 0; r < reps; r++) {
    out.js.push(await time(jsLoop));
    out.loopscope.push(await time(bridge.bridgeLoop));
    out.lean.push(await time(bridge.leanLoop));
    out.floor.push(await time(bridge.floorLoop));
    out.embind.push(await time(bridge.embindLoop));
  }
  return out;
}

function reportHops(where, results) {
  for (const impl of ['loopscope', 'js']) for (const ns of results[impl]) report(`wasm_promise_hop_${where}/${impl}`, ns);
  for (const ns of results.lean) report(`wasm_promise_hop_lean_${where}/loopscope`, ns);
  for (const ns of results.js) report(`wasm_promise_hop_lean_${where}/js`, ns);
  for (const ns of results.floor) report(`wasm_promise_hop_floor_${where}/loopscope`, ns);
  for (const ns of results.js) report(`wasm_promise_hop_floor_${where}/js`, ns);
  for (const ns of results.embind) report(`wasm_embind_calls_${where}/loopscope`, ns);
}

// 1. The bridge in Node.
const bridge = await load(path.join(wasmBin, 'bridge_bench.js'), path.join(wasmBin, 'bridge_bench.wasm'));
reportHops('node', await hopCases(bridge, hops, reps));

// 2. The bridge in headless Chromium: a page on a made-up origin whose files the test serves.
if (!args.includes('--no-browser')) {
  const { launch } = await import('../../tests/browser/browser.mjs');
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    const files = {
      '/': ['text/html', '<!doctype html><script src="bridge_bench.js"></script>'],
      '/bridge_bench.js': ['text/javascript', fs.readFileSync(path.join(wasmBin, 'bridge_bench.js'))],
      '/bridge_bench.wasm': ['application/wasm', fs.readFileSync(path.join(wasmBin, 'bridge_bench.wasm'))],
    };
    await page.route('http://bench.loopscope/**', (route) => {
      const file = files[new URL(route.request().url()).pathname];
      if (!file) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ status: 200, contentType: file[0], body: file[1] });
    });
    await page.goto('http://bench.loopscope/');
    const results = await page.evaluate(async ([source, n, reps]) => {
      const cases = (0, eval)('(' + source + ')');
      return cases(await createBridgeBench(), n, reps);  // eslint-disable-line no-undef
    }, [hopCases.toString(), hops, reps]);
    reportHops('chromium', results);
  } finally {
    await close();
  }
}

// 3. A .coro yield loop: the module against the native command, on the same program.
if (!fs.existsSync(path.join(webDir, 'loopscope.js'))) {
  console.error('bench/wasm: no build/web/loopscope.js (the module): skipping the .coro yield loop');
} else if (!fs.existsSync(nativeCli)) {
  console.error('bench/wasm: no build/native/bin/loopscope (make native): skipping the .coro yield loop');
} else {
  const module = await load(path.join(webDir, 'loopscope.js'), path.join(webDir, 'loopscope.wasm'));
  const program = (n) => `for i in 0..${n} {\n  await yield_now()\n}\nprint("done")\n`;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'loopscope-bench-'));
  const files = [0, yields].map((n) => {
    const file = path.join(scratch, `yield_${n}.coro`);
    fs.writeFileSync(file, program(n));
    return file;
  });
  const inWasm = (n) => {
    const t0 = performance.now();
    const r = module.runNow(program(n), '{}');  // options: a JSON string (the module's settings reader)
    const ms = performance.now() - t0;
    if (r.exitCode !== 0 || r.output !== 'done\n') throw new Error(`the module's run failed: ${r.error || r.errors}`);
    return ms;
  };
  const natively = (file) => {
    const t0 = performance.now();
    const r = spawnSync(nativeCli, ['run', file], { encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0 || r.stdout !== 'done\n') throw new Error(`loopscope run failed: ${r.stderr}`);
    return ms;
  };
  inWasm(yields);  // warm-up
  for (let r = 0; r < reps; r++) {
    report('wasm_coro_yield_loop/loopscope', ((inWasm(yields) - inWasm(0)) * 1e6) / yields);
    report('wasm_coro_yield_loop/native', ((natively(files[1]) - natively(files[0])) * 1e6) / yields);
  }
  fs.rmSync(scratch, { recursive: true, force: true });
}
