/* libuv 1.44: the multi-threaded cases of bench/README.md, in libuv's callback idiom.
 *
 * libuv runs one callback loop on one thread, so this program only has a --workers 1 mode: for any
 * other worker count it prints nothing and exits 0. Each case runs once on a fresh uv_loop_t and
 * prints one JSON line {"name":"<case>@1w/libuv","ns_per_op":X,...}. --quick divides every size
 * by 100 (minimum 1) and shortens fairness_hog to 20 ms.
 *
 * Cases left out (libuv has no tasks, so no direct idiom for them):
 *   spawn_local       - no tasks to spawn and join; callbacks on handles are not spawned work.
 *   chained_spawn     - no tasks to spawn; a chain of handles would be an emulation.
 *   yield_many        - no yield; re-queueing through uv_idle/uv_async would be an emulation.
 *   ping_pong         - no tasks and no one-shot channel type.
 *   channel_roundtrip - no channel type.
 *   mutex_contended   - no async mutex (uv_mutex_t is a blocking OS mutex for threads).
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#define CHECK(expr)                                                                          \
  do {                                                                                       \
    int check_rc_ = (expr);                                                                  \
    if (check_rc_ < 0) {                                                                     \
      fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #expr, uv_strerror(check_rc_)); \
      exit(1);                                                                               \
    }                                                                                        \
  } while (0)

static int quick = 0;

/* A size from bench/README.md, divided by 100 (minimum 1) under --quick. */
static long size_of(long full) {
  if (!quick) return full;
  long n = full / 100;
  return n < 1 ? 1 : n;
}

static int cmp_u64(const void* a, const void* b) {
  uint64_t x = *(const uint64_t*)a, y = *(const uint64_t*)b;
  return x < y ? -1 : x > y;
}

/* Nearest-rank percentile (pct in 1..100) of samples already sorted ascending. */
static uint64_t percentile(const uint64_t* sorted, size_t n, unsigned pct) {
  size_t rank = (n * pct + 99) / 100;
  return sorted[rank == 0 ? 0 : rank - 1];
}

static void close_loop(uv_loop_t* loop) {
  CHECK(uv_run(loop, UV_RUN_DEFAULT));
  CHECK(uv_loop_close(loop));
}

/* ---- timer_insert_cancel: start N timers 1..1 000 000 ms out (xorshift), then stop them all. */

static void never(uv_timer_t* t) { (void)t; }

static void bench_timer_insert_cancel(void) {
  const long n = size_of(1000000);
  uv_loop_t loop;
  CHECK(uv_loop_init(&loop));
  uv_timer_t* timers = malloc(sizeof(uv_timer_t) * (size_t)n);
  unsigned long long x = 88172645463325252ull;
  uint64_t start = uv_hrtime();
  for (long i = 0; i < n; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    uv_timer_init(&loop, &timers[i]);
    uv_timer_start(&timers[i], never, 1 + x % 1000000, 0);
  }
  for (long i = 0; i < n; ++i) uv_timer_stop(&timers[i]);
  uint64_t elapsed = uv_hrtime() - start;
  for (long i = 0; i < n; ++i) uv_close((uv_handle_t*)&timers[i], NULL);
  close_loop(&loop);
  free(timers);
  printf("{\"name\":\"timer_insert_cancel@1w/libuv\",\"ns_per_op\":%.2f}\n", (double)elapsed / n);
}

/* ---- fairness_hog: a uv_idle_t callback does one non-blocking send+receive on a small ring
 * buffer every loop iteration (the always-ready work) beside a uv_timer_t repeating every 1 ms.
 * libuv re-arms a repeating timer relative to when it fired, so each tick is expected 1 ms after
 * the previous one; the worst lateness of a tick against that expectation is the result. */

#define RING 16
static struct {
  unsigned slots[RING];
  unsigned head, tail, value;
} ring;
static volatile unsigned hog_sink;

static struct {
  uv_idle_t hog;
  uv_timer_t tick;
  uint64_t start, duration, expected, worst;
} fair;

static void hog_cb(uv_idle_t* h) {
  (void)h;
  ring.slots[ring.tail++ % RING] = ring.value;          /* send */
  ring.value = ring.slots[ring.head++ % RING] + 1;      /* receive */
  hog_sink = ring.value;
}

static void tick_cb(uv_timer_t* t) {
  (void)t;
  uint64_t now = uv_hrtime();
  if (now > fair.expected && now - fair.expected > fair.worst) fair.worst = now - fair.expected;
  fair.expected = now + 1000000;
  if (now - fair.start >= fair.duration) {
    uv_idle_stop(&fair.hog);
    uv_timer_stop(&fair.tick);
    uv_close((uv_handle_t*)&fair.hog, NULL);
    uv_close((uv_handle_t*)&fair.tick, NULL);
  }
}

static void bench_fairness_hog(void) {
  uv_loop_t loop;
  CHECK(uv_loop_init(&loop));
  CHECK(uv_idle_init(&loop, &fair.hog));
  CHECK(uv_timer_init(&loop, &fair.tick));
  fair.duration = (quick ? 20 : 200) * 1000000ull;
  fair.worst = 0;
  uv_update_time(&loop);
  fair.start = uv_hrtime();
  fair.expected = fair.start + 1000000;
  CHECK(uv_timer_start(&fair.tick, tick_cb, 1, 1));
  CHECK(uv_idle_start(&fair.hog, hog_cb));
  close_loop(&loop);
  printf("{\"name\":\"fairness_hog@1w/libuv\",\"ns_per_op\":%llu}\n",
         (unsigned long long)fair.worst);
}

/* ---- wake_latency: a uv_thread_t outside the loop calls uv_async_send N times, 100 us apart,
 * storing uv_hrtime() just before each send; the async callback on the loop takes the difference.
 * uv_async_send coalesces sends, so the thread waits for the callback to acknowledge each wake
 * (the `pending` flag going back to 0) before the next one. */

static struct {
  uv_async_t async;
  uv_timer_t kick;
  uv_thread_t thread;
  long n, count;
  uint64_t* lat;
  _Atomic uint64_t sent_at;
  _Atomic int pending;
} wake;

static void sleep_until(uint64_t ns) {
  struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0) {
  }
}

static void waker_thread(void* arg) {
  (void)arg;
  uint64_t next = uv_hrtime() + 100000;
  for (long i = 0; i < wake.n; ++i) {
    sleep_until(next);
    while (atomic_load_explicit(&wake.pending, memory_order_acquire)) sched_yield();
    uint64_t now = uv_hrtime();
    atomic_store_explicit(&wake.sent_at, now, memory_order_relaxed);
    atomic_store_explicit(&wake.pending, 1, memory_order_release);
    CHECK(uv_async_send(&wake.async));
    next = now + 100000;
  }
}

static void async_cb(uv_async_t* a) {
  if (!atomic_load_explicit(&wake.pending, memory_order_acquire)) return;
  uint64_t now = uv_hrtime();
  wake.lat[wake.count++] = now - atomic_load_explicit(&wake.sent_at, memory_order_relaxed);
  atomic_store_explicit(&wake.pending, 0, memory_order_release);
  if (wake.count == wake.n) uv_close((uv_handle_t*)a, NULL);
}

/* Starts the waking thread once the loop is running. */
static void kick_cb(uv_timer_t* t) {
  CHECK(uv_thread_create(&wake.thread, waker_thread, NULL));
  uv_close((uv_handle_t*)t, NULL);
}

static void bench_wake_latency(void) {
  uv_loop_t loop;
  CHECK(uv_loop_init(&loop));
  wake.n = size_of(10000);
  wake.count = 0;
  wake.lat = malloc(sizeof(uint64_t) * (size_t)wake.n);
  atomic_store(&wake.pending, 0);
  CHECK(uv_async_init(&loop, &wake.async, async_cb));
  CHECK(uv_timer_init(&loop, &wake.kick));
  CHECK(uv_timer_start(&wake.kick, kick_cb, 0, 0));
  close_loop(&loop);
  CHECK(uv_thread_join(&wake.thread));
  qsort(wake.lat, (size_t)wake.n, sizeof(uint64_t), cmp_u64);
  printf("{\"name\":\"wake_latency@1w/libuv\",\"ns_per_op\":%llu,\"p99_ns\":%llu}\n",
         (unsigned long long)percentile(wake.lat, (size_t)wake.n, 50),
         (unsigned long long)percentile(wake.lat, (size_t)wake.n, 99));
  free(wake.lat);
}

/* ---- TCP: an echo server and `conns` clients on one loop over 127.0.0.1 (TCP_NODELAY on both
 * ends). The server writes back every chunk it reads (buffer malloc'ed in the alloc callback,
 * freed after the write). Each client sends a `size`-byte message, reads until the whole echo is
 * back, records the round trip, and sends the next one, `msgs` times. The clock starts once every
 * client is connected and stops when the last client has its last echo. */

typedef struct {
  uv_tcp_t tcp;
  uv_connect_t connect;
  uv_write_t write;
  int writing;   /* the write request is still in flight */
  long sent;     /* messages sent so far */
  size_t got;    /* bytes of the current echo received */
  uint64_t sent_at;
  char rbuf[65536];
} client_t;

typedef struct {
  uv_write_t req;
  uv_buf_t buf;
} echo_write_t;

static struct {
  uv_tcp_t listener;
  client_t* clients;
  long conns, msgs, connected, finished, nrtt;
  size_t size;
  char* payload;
  uint64_t start, end;
  uint64_t* rtt;
} tcp;

static void free_handle(uv_handle_t* h) { free(h); }

static void server_alloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  (void)h;
  *buf = uv_buf_init(malloc(suggested), (unsigned)suggested);
}

static void server_wrote(uv_write_t* req, int status) {
  CHECK(status);
  echo_write_t* w = (echo_write_t*)req;
  free(w->buf.base);
  free(w);
}

static void server_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  if (nread > 0) {
    echo_write_t* w = malloc(sizeof *w);
    w->buf = uv_buf_init(buf->base, (unsigned)nread);
    CHECK(uv_write(&w->req, s, &w->buf, 1, server_wrote));
    return;
  }
  free(buf->base);
  if (nread < 0) uv_close((uv_handle_t*)s, free_handle); /* EOF: the client is done */
}

static void on_connection(uv_stream_t* server, int status) {
  CHECK(status);
  uv_tcp_t* conn = malloc(sizeof *conn);
  CHECK(uv_tcp_init(server->loop, conn));
  CHECK(uv_accept(server, (uv_stream_t*)conn));
  CHECK(uv_tcp_nodelay(conn, 1));
  CHECK(uv_read_start((uv_stream_t*)conn, server_alloc, server_read));
}

static void client_wrote(uv_write_t* req, int status);

static void client_send(client_t* c) {
  uv_buf_t buf = uv_buf_init(tcp.payload, (unsigned)tcp.size);
  c->got = 0;
  c->writing = 1;
  c->sent_at = uv_hrtime();
  CHECK(uv_write(&c->write, (uv_stream_t*)&c->tcp, &buf, 1, client_wrote));
}

/* Sends the next message once the echo is complete and the write request is free again. */
static void client_next(client_t* c) {
  if (c->writing || c->got != tcp.size) return;
  if (++c->sent == tcp.msgs) {
    uv_close((uv_handle_t*)&c->tcp, NULL);
    if (++tcp.finished == tcp.conns) {
      tcp.end = uv_hrtime();
      uv_close((uv_handle_t*)&tcp.listener, NULL);
    }
    return;
  }
  client_send(c);
}

static void client_wrote(uv_write_t* req, int status) {
  CHECK(status);
  client_t* c = req->data;
  c->writing = 0;
  client_next(c);
}

static void client_alloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf) {
  (void)suggested;
  client_t* c = h->data;
  *buf = uv_buf_init(c->rbuf, sizeof c->rbuf);
}

static void client_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  (void)buf;
  if (nread == 0) return;
  if (nread < 0) {
    fprintf(stderr, "client read: %s\n", uv_strerror((int)nread));
    exit(1);
  }
  client_t* c = s->data;
  c->got += (size_t)nread;
  if (c->got < tcp.size) return;
  tcp.rtt[tcp.nrtt++] = uv_hrtime() - c->sent_at;
  client_next(c);
}

static void client_connected(uv_connect_t* req, int status) {
  CHECK(status);
  client_t* c = req->data;
  CHECK(uv_tcp_nodelay(&c->tcp, 1));
  CHECK(uv_read_start((uv_stream_t*)&c->tcp, client_alloc, client_read));
  if (++tcp.connected < tcp.conns) return;
  tcp.start = uv_hrtime();
  for (long i = 0; i < tcp.conns; ++i) client_send(&tcp.clients[i]);
}

/* Runs the echo exchange; returns the wall time in ns and leaves the sorted round trips in
 * tcp.rtt (tcp.nrtt of them). */
static uint64_t run_echo(long conns, long msgs, size_t size) {
  uv_loop_t loop;
  CHECK(uv_loop_init(&loop));
  tcp.conns = conns;
  tcp.msgs = msgs;
  tcp.size = size;
  tcp.connected = tcp.finished = tcp.nrtt = 0;
  tcp.payload = malloc(size);
  for (size_t i = 0; i < size; ++i) tcp.payload[i] = (char)('a' + i % 26);
  tcp.rtt = malloc(sizeof(uint64_t) * (size_t)(conns * msgs));
  tcp.clients = calloc((size_t)conns, sizeof(client_t));

  struct sockaddr_in addr;
  struct sockaddr_storage bound;
  int len = sizeof bound;
  CHECK(uv_ip4_addr("127.0.0.1", 0, &addr));
  CHECK(uv_tcp_init(&loop, &tcp.listener));
  CHECK(uv_tcp_bind(&tcp.listener, (const struct sockaddr*)&addr, 0));
  CHECK(uv_listen((uv_stream_t*)&tcp.listener, 1024, on_connection));
  CHECK(uv_tcp_getsockname(&tcp.listener, (struct sockaddr*)&bound, &len));

  for (long i = 0; i < conns; ++i) {
    client_t* c = &tcp.clients[i];
    CHECK(uv_tcp_init(&loop, &c->tcp));
    c->tcp.data = c->connect.data = c->write.data = c;
    CHECK(uv_tcp_connect(&c->connect, &c->tcp, (const struct sockaddr*)&bound, client_connected));
  }
  close_loop(&loop);
  qsort(tcp.rtt, (size_t)tcp.nrtt, sizeof(uint64_t), cmp_u64);
  free(tcp.clients);
  free(tcp.payload);
  return tcp.end - tcp.start;
}

/* tcp_pingpong: one connection, 64-byte messages. */
static void bench_tcp_pingpong(void) {
  long n = size_of(50000);
  uint64_t wall = run_echo(1, n, 64);
  printf("{\"name\":\"tcp_pingpong@1w/libuv\",\"ns_per_op\":%.2f,\"round_trips_per_s\":%.0f}\n",
         (double)wall / n, n / (wall / 1e9));
  free(tcp.rtt);
}

/* tcp_echo_64 / tcp_echo_16k: 100 concurrent connections, 1 000 messages each. */
static void bench_tcp_echo(const char* name, size_t size) {
  long conns = size_of(100), msgs = size_of(1000), total = conns * msgs;
  uint64_t wall = run_echo(conns, msgs, size);
  printf("{\"name\":\"%s@1w/libuv\",\"ns_per_op\":%.2f,\"mb_per_s\":%.2f,\"p99_ns\":%llu}\n", name,
         (double)wall / total, 2.0 * (double)total * (double)size / (wall / 1e9) / 1e6,
         (unsigned long long)percentile(tcp.rtt, (size_t)tcp.nrtt, 99));
  free(tcp.rtt);
}

int main(int argc, char** argv) {
  long workers = 1;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--quick") == 0) {
      quick = 1;
    } else if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc) {
      workers = strtol(argv[++i], NULL, 10);
    } else if (strncmp(argv[i], "--workers=", 10) == 0) {
      workers = strtol(argv[i] + 10, NULL, 10);
    } else {
      fprintf(stderr, "usage: %s [--workers N] [--quick]\n", argv[0]);
      return 2;
    }
  }
  if (workers != 1) return 0; /* one loop on one thread: no multi-threaded mode */
  signal(SIGPIPE, SIG_IGN);
  setvbuf(stdout, NULL, _IOLBF, 0);

  bench_timer_insert_cancel();
  bench_fairness_hog();
  bench_wake_latency();
  bench_tcp_pingpong();
  bench_tcp_echo("tcp_echo_64", 64);
  bench_tcp_echo("tcp_echo_16k", 16384);
  return 0;
}
