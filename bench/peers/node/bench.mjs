// The multi-threaded cases (bench/README.md) in Node.js 20: promises and async functions on the
// single event loop, Node standard library only.
//
//   node bench/peers/node/bench.mjs [--workers N] [--quick]
//
// Prints one JSON line per case: {"name":"<case>@<N>w/node","ns_per_op":X, ...extras}.
// Node runs JavaScript on one thread, so with --workers other than 1 it prints nothing.
// --quick divides every size (counts and the hog's duration) by 100, minimum 1.

import net from 'node:net';
import { Worker } from 'node:worker_threads';

function parseArgs(argv) {
  let workers = 1;
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') quick = true;
    else if (a === '--workers') workers = Number(argv[++i]);
    else if (a.startsWith('--workers=')) workers = Number(a.slice('--workers='.length));
    else throw new Error(`unknown argument: ${a}`);
  }
  if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers takes a positive integer');
  return { workers, quick };
}

const { workers, quick } = parseArgs(process.argv.slice(2));
const size = (n) => (quick ? Math.max(1, Math.floor(n / 100)) : n);

const now = () => process.hrtime.bigint(); // monotonic, ns
const elapsedNs = (t0) => Number(now() - t0);
const round = (x) => Math.round(x * 1000) / 1000;

function report(name, nsPerOp, extra = {}) {
  const fields = { name: `${name}@${workers}w/node`, ns_per_op: round(nsPerOp) };
  for (const [k, v] of Object.entries(extra)) fields[k] = round(v);
  console.log(JSON.stringify(fields));
}

// Sorts a copy and returns the value at quantile q (0..1).
function percentile(values, q) {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

// A promise together with the function that resolves it.
function deferred() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

// --- spawn_local: start N no-op async functions, then await them all ---------------------------

async function noop() {}

async function spawnLocal() {
  const n = size(100_000);
  const t0 = now();
  const tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = noop();
  await Promise.all(tasks);
  report('spawn_local', elapsedNs(t0) / n);
}

// --- chained_spawn: each async function starts the next without awaiting it -------------------
// An async function's body runs synchronously up to its first await, so the chain runs as nested
// calls, each returning a promise of its own that nobody awaits; the last one signals completion.

async function chainedSpawn() {
  const depth = size(1_000);
  const done = deferred();
  async function link(remaining) {
    if (remaining === 0) { done.resolve(); return; }
    link(remaining - 1);
  }
  const t0 = now();
  link(depth);
  await done.promise;
  report('chained_spawn', elapsedNs(t0) / depth);
}

// --- yield_many: concurrent async functions each yield with `await null` (one microtask) -------

async function yieldMany() {
  const tasks = size(200);
  const yields = size(1_000);
  async function yielder() {
    for (let i = 0; i < yields; i++) await null;
  }
  const t0 = now();
  const all = [];
  for (let i = 0; i < tasks; i++) all.push(yielder());
  await Promise.all(all);
  report('yield_many', elapsedNs(t0) / (tasks * yields));
}

// --- ping_pong: each task starts a helper, sends it a one-shot ping, awaits a one-shot pong ----

async function pingPong() {
  const n = size(1_000);
  const allDone = deferred();
  let remaining = n;

  async function helper(ping, pong) {
    await ping.promise;
    pong.resolve();
  }
  async function task() {
    const ping = deferred();
    const pong = deferred();
    helper(ping, pong);
    ping.resolve();
    await pong.promise;
    if (--remaining === 0) allDone.resolve();
  }
  async function root() {
    for (let i = 0; i < n; i++) task();
    await allDone.promise;
  }

  const t0 = now();
  await root();
  report('ping_pong', elapsedNs(t0) / n);
}

// --- channel_roundtrip: two async functions ping-pong over two bounded channels ---------------

// A bounded channel: send() waits while the buffer is full, recv() waits while it is empty.
class Channel {
  constructor(capacity = 1) {
    this.capacity = capacity;
    this.buffer = [];
    this.senders = []; // resolvers of send() calls waiting for room
    this.receivers = []; // resolvers of recv() calls waiting for a value
  }

  async send(value) {
    while (this.buffer.length >= this.capacity) {
      await new Promise((resolve) => this.senders.push(resolve));
    }
    this.buffer.push(value);
    this.receivers.shift()?.();
  }

  async recv() {
    while (this.buffer.length === 0) {
      await new Promise((resolve) => this.receivers.push(resolve));
    }
    const value = this.buffer.shift();
    this.senders.shift()?.();
    return value;
  }
}

async function channelRoundtrip() {
  const roundTrips = size(500_000);
  const there = new Channel(1);
  const back = new Channel(1);

  async function pinger() {
    for (let i = 0; i < roundTrips; i++) {
      await there.send(i);
      await back.recv();
    }
  }
  async function ponger() {
    for (let i = 0; i < roundTrips; i++) {
      const v = await there.recv();
      await back.send(v);
    }
  }

  const t0 = now();
  await Promise.all([pinger(), ponger()]);
  report('channel_roundtrip', elapsedNs(t0) / roundTrips);
}

// --- mutex_contended: async functions take a FIFO async mutex to bump a shared counter ---------

// An async mutex: lock() resolves at once when free, otherwise queues the caller; unlock() hands
// the lock straight to the oldest waiter.
class Mutex {
  constructor() {
    this.locked = false;
    this.waiters = [];
  }

  lock() {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  unlock() {
    const next = this.waiters.shift();
    if (next) next(); // stays locked, now owned by the next waiter
    else this.locked = false;
  }
}

async function mutexContended() {
  const tasks = size(64);
  const iterations = size(10_000);
  const mutex = new Mutex();
  let counter = 0;

  // JavaScript runs one function at a time, so a critical section without an await in it would
  // always find the mutex free: the `await null` keeps the lock held across a suspension so the
  // other tasks actually queue up behind it.
  async function worker() {
    for (let i = 0; i < iterations; i++) {
      await mutex.lock();
      counter++;
      await null;
      mutex.unlock();
    }
  }

  const t0 = now();
  const all = [];
  for (let i = 0; i < tasks; i++) all.push(worker());
  await Promise.all(all);
  const ns = elapsedNs(t0);
  if (counter !== tasks * iterations) throw new Error(`mutex_contended: counter ${counter}`);
  report('mutex_contended', ns / (tasks * iterations));
}

// --- timer_insert_cancel: start timers 1..1 000 000 ms out, then cancel them all --------------

async function timerInsertCancel() {
  const n = size(1_000_000);
  const timers = new Array(n);
  const never = () => { throw new Error('timer_insert_cancel: a timer fired'); };
  let x = 2463534242; // xorshift32 state

  const t0 = now();
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    timers[i] = setTimeout(never, 1 + (x % 1_000_000));
  }
  for (let i = 0; i < n; i++) clearTimeout(timers[i]);
  report('timer_insert_cancel', elapsedNs(t0) / n);
}

// --- fairness_hog: an always-ready async loop beside a 1 ms setInterval -----------------------
// The hog awaits already-resolved promises, so it always has a microtask queued; Node drains the
// microtask queue before returning to the event loop, so the interval cannot fire until the hog
// stops. ns_per_op is the worst lateness of an interval callback: the time it ran minus the time
// it was due (1 ms after the previous callback ran, or after setInterval for the first one).

async function fairnessHog() {
  const hogMs = quick ? 20 : 200;
  const periodMs = 1;
  const resolved = Promise.resolve();

  let due = performance.now() + periodMs;
  let worstMs = 0;
  let ticked = null; // resolved by the next interval callback
  const interval = setInterval(() => {
    const t = performance.now();
    worstMs = Math.max(worstMs, t - due);
    due = t + periodMs;
    ticked?.resolve();
  }, periodMs);

  async function hog() {
    const end = performance.now() + hogMs;
    while (performance.now() < end) await resolved;
  }

  await hog();
  ticked = deferred(); // one more callback, so one delayed by the hog is counted
  await ticked.promise;
  clearInterval(interval);
  report('fairness_hog', worstMs * 1e6);
}

// --- wake_latency: a worker thread wakes the event loop with postMessage every 100 µs ---------
// Both threads read process.hrtime.bigint(), the process-wide monotonic clock; the worker sends
// the time just before postMessage and the main thread subtracts it from the time its 'message'
// listener runs. (performance.timeOrigin + performance.now() is not used: a worker's
// performance.now() counts from its own start, which timeOrigin does not reflect.)

const wakeWorkerCode = `
const { parentPort, workerData } = require('node:worker_threads');
const sleeper = new Int32Array(new SharedArrayBuffer(4));
for (let i = 0; i < workerData.count; i++) {
  Atomics.wait(sleeper, 0, 0, workerData.gapMs); // sleep for the gap
  parentPort.postMessage(process.hrtime.bigint());
}
`;

async function wakeLatency() {
  const count = size(10_000);
  const latencies = new Float64Array(count);
  let received = 0;

  const worker = new Worker(wakeWorkerCode, { eval: true, workerData: { count, gapMs: 0.1 } });
  const exited = new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', resolve);
  });
  worker.on('message', (sentAt) => {
    latencies[received++] = Number(process.hrtime.bigint() - sentAt);
  });
  await exited;
  if (received !== count) throw new Error(`wake_latency: ${received} of ${count} messages`);
  report('wake_latency', percentile(latencies, 0.5), { p99_ns: percentile(latencies, 0.99) });
}

// --- TCP helpers ------------------------------------------------------------------------------

// An echo server on 127.0.0.1 at an ephemeral port.
async function startEchoServer() {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => socket.write(chunk));
    socket.on('error', () => socket.destroy());
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return server;
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}

// Returns roundTrip(message): writes the message and resolves once as many bytes came back.
function echoClient(socket) {
  let outstanding = 0;
  let arrived = null;
  socket.on('data', (chunk) => {
    outstanding -= chunk.length;
    if (outstanding <= 0 && arrived) {
      const resolve = arrived;
      arrived = null;
      resolve();
    }
  });
  return (message) => new Promise((resolve) => {
    outstanding += message.length;
    arrived = resolve;
    socket.write(message);
  });
}

async function closeAll(server, sockets) {
  const closed = new Promise((resolve) => server.close(resolve)); // after every connection ends
  for (const s of sockets) s.end();
  await closed;
}

// --- tcp_pingpong: one connection, 64-byte message echoed back, one at a time ------------------

async function tcpPingpong() {
  const roundTrips = size(50_000);
  const server = await startEchoServer();
  const socket = await connect(server.address().port);
  const roundTrip = echoClient(socket);
  const message = Buffer.alloc(64, 0x61);

  const t0 = now();
  for (let i = 0; i < roundTrips; i++) await roundTrip(message);
  const ns = elapsedNs(t0);

  await closeAll(server, [socket]);
  report('tcp_pingpong', ns / roundTrips, { round_trips_per_s: roundTrips / (ns / 1e9) });
}

// --- tcp_echo_64 / tcp_echo_16k: 100 connections, each echoes messages one at a time ----------
// The connections are opened before the clock starts; the time covers the message exchange.

async function tcpEcho(name, messageBytes) {
  const connections = size(100);
  const perConnection = size(1_000);
  const total = connections * perConnection;
  const server = await startEchoServer();
  const port = server.address().port;
  const sockets = await Promise.all(Array.from({ length: connections }, () => connect(port)));
  const message = Buffer.alloc(messageBytes, 0x61);
  const latencies = new Float64Array(total);

  async function client(socket, index) {
    const roundTrip = echoClient(socket);
    for (let i = 0; i < perConnection; i++) {
      const start = now();
      await roundTrip(message);
      latencies[index * perConnection + i] = elapsedNs(start);
    }
  }

  const t0 = now();
  await Promise.all(sockets.map(client));
  const ns = elapsedNs(t0);

  await closeAll(server, sockets);
  const payloadBytes = 2 * total * messageBytes; // sent and echoed
  report(name, ns / total, {
    mb_per_s: payloadBytes / (ns / 1e9) / 1e6,
    p99_ns: percentile(latencies, 0.99),
  });
}

// --- main -------------------------------------------------------------------------------------

if (workers === 1) {
  await spawnLocal();
  await chainedSpawn();
  await yieldMany();
  await pingPong();
  await channelRoundtrip();
  await mutexContended();
  await timerInsertCancel();
  await fairnessHog();
  await wakeLatency();
  await tcpPingpong();
  await tcpEcho('tcp_echo_64', 64);
  await tcpEcho('tcp_echo_16k', 16 * 1024);
}
