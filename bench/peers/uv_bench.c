/* libuv 1.44: the timer peer. Start 1 000 000 timers 1..1 000 000 ms out, then stop them all
 * (uv_timer_start / uv_timer_stop on one loop: a binary min-heap). Prints one JSON line. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <uv.h>

#define TIMERS 1000000

static void never(uv_timer_t* t) { (void)t; }

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(void) {
  uv_loop_t* loop = uv_default_loop();
  uv_timer_t* timers = malloc(sizeof(uv_timer_t) * TIMERS);
  double best = 1e30;
  for (int round = 0; round < 5; ++round) {
    unsigned long long x = 88172645463325252ull;
    double start = now_ns();
    for (int i = 0; i < TIMERS; ++i) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      uv_timer_init(loop, &timers[i]);
      uv_timer_start(&timers[i], never, 1 + x % 1000000, 0);
    }
    for (int i = 0; i < TIMERS; ++i) uv_timer_stop(&timers[i]);
    double elapsed = now_ns() - start;
    if (elapsed < best) best = elapsed;
    for (int i = 0; i < TIMERS; ++i) uv_close((uv_handle_t*)&timers[i], NULL);
    uv_run(loop, UV_RUN_NOWAIT);
  }
  printf("{\"name\":\"timer_insert_cancel/libuv\",\"ns_per_op\":%.2f}\n", best / TIMERS);
  free(timers);
  return 0;
}
