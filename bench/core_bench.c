/* Speed of the core, measured side by side with what it is compared to:
 *   1. backoff_run whose first attempt succeeds, over calling fn directly,
 *      next to one monotonic clock read;
 *   2. one retry decision (begin + next, full jitter, no sleep);
 *   3. sleep precision: overshoot of the library's sleep (plain and
 *      cancellable) next to a bare nanosleep of the same length;
 *   4. cancel latency: from backoff_cancel_trigger on another thread to the
 *      sleeping run's return.
 * Run: meson compile -C build bench/core_bench && build/bench/core_bench */
#define _POSIX_C_SOURCE 200809L
#include <backoff/backoff.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static volatile int sink;
static int __attribute__((noinline)) succeed(void *data) {
  (void)data;
  sink++;
  return 0;
}
static int fail(void *data) {
  (void)data;
  return 1;
}

#define N 20000000L

static double per_call_ns(double start, long n) { return (now() - start) / (double)n * 1e9; }

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, compare);
  return v[n / 2];
}

static void first_try_success(void) {
  backoff_policy *p;
  double t, direct, run, clock_read;
  long i;
  backoff_policy_new(&p);

  t = now();
  for (i = 0; i < N; ++i) succeed(NULL);
  direct = per_call_ns(t, N);

  t = now();
  for (i = 0; i < N; ++i) backoff_run(p, succeed, NULL, NULL);
  run = per_call_ns(t, N);

  t = now();
  for (i = 0; i < N; ++i) sink += (int)now();
  clock_read = per_call_ns(t, N);

  printf("first-try success: direct %.1f ns, backoff_run %.1f ns, overhead %.1f ns"
         " (one clock read: %.1f ns; overhead beyond it: %.1f ns)\n",
         direct, run, run - direct, clock_read, run - direct - clock_read);
  backoff_policy_free(p);
}

static void retry_decision(void) {
  backoff_policy *p;
  backoff_state *s;
  double t, w;
  long i;
  backoff_policy_new(&p);
  backoff_policy_seed(p, 1);
  backoff_policy_wait_expo(p, 2, 1, 60);
  backoff_state_new(p, NULL, NULL, &s);
  t = now();
  for (i = 0; i < N; ++i) {
    backoff_state_begin(s);
    backoff_state_next(s, 1, &w);
  }
  printf("retry decision (begin + next, expo capped, full jitter): %.1f ns\n",
         per_call_ns(t, N));
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void sleep_precision(double wait) {
  enum { SAMPLES = 200 };
  double bare[SAMPLES], plain[SAMPLES], cancellable[SAMPLES];
  backoff_policy *p;
  backoff_cancel *c;
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  int i;
  struct timespec ts;
  ts.tv_sec = 0;
  ts.tv_nsec = (long)(wait * 1e9);
  backoff_policy_new(&p);
  backoff_policy_wait_constant(p, wait);
  backoff_policy_jitter(p, BACKOFF_JITTER_NONE);
  backoff_policy_max_tries(p, 2);
  backoff_cancel_new(&c);
  opts.cancel = c;
  for (i = 0; i < SAMPLES; ++i) {
    double t = now();
    nanosleep(&ts, NULL);
    bare[i] = now() - t - wait;
    t = now();
    backoff_run(p, fail, NULL, NULL);
    plain[i] = now() - t - wait;
    t = now();
    backoff_run_ex(p, fail, NULL, &opts, NULL);
    cancellable[i] = now() - t - wait;
  }
  printf("sleep %.0f us, median overshoot: nanosleep %.1f us, backoff_run %.1f us,"
         " backoff_run with cancel token %.1f us\n",
         wait * 1e6, median(bare, SAMPLES) * 1e6, median(plain, SAMPLES) * 1e6,
         median(cancellable, SAMPLES) * 1e6);
  backoff_cancel_free(c);
  backoff_policy_free(p);
}

struct trigger {
  backoff_cancel *cancel;
  double at;
};

static void *trigger_later(void *data) {
  struct trigger *t = data;
  struct timespec ts = {0, 5000000}; /* the run is asleep by then */
  nanosleep(&ts, NULL);
  t->at = now();
  backoff_cancel_trigger(t->cancel);
  return NULL;
}

static void cancel_latency(void) {
  enum { SAMPLES = 100 };
  double latency[SAMPLES];
  backoff_policy *p;
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  struct trigger t;
  double mid;
  int i;
  backoff_policy_new(&p);
  backoff_policy_wait_constant(p, 60);
  backoff_policy_jitter(p, BACKOFF_JITTER_NONE);
  backoff_cancel_new(&t.cancel);
  opts.cancel = t.cancel;
  for (i = 0; i < SAMPLES; ++i) {
    pthread_t thread;
    backoff_cancel_reset(t.cancel);
    pthread_create(&thread, NULL, trigger_later, &t);
    backoff_run_ex(p, fail, NULL, &opts, NULL);
    latency[i] = now() - t.at;
    pthread_join(thread, NULL);
  }
  mid = median(latency, SAMPLES); /* sorts, so the last is the largest */
  printf("cancel during a 60 s wait, trigger to return: median %.1f us,"
         " max %.1f us\n", mid * 1e6, latency[SAMPLES - 1] * 1e6);
  backoff_cancel_free(t.cancel);
  backoff_policy_free(p);
}

int main(void) {
  printf("libbackoff %s\n", backoff_version_string());
  first_try_success();
  retry_decision();
  sleep_precision(0.001);
  sleep_precision(0.010);
  cancel_latency();
  return 0;
}
