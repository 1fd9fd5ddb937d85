/* Speed of the C core, measured side by side with its floors:
 *   success  backoff_run whose first attempt succeeds (details NULL, and
 *            with details), the drivers' state machine path (start + next,
 *            BACKOFF_RUN_UNREAD_SUCCESS), next to calling fn directly and to
 *            one monotonic clock read;
 *   retry0   one failure, then success after a zero wait: backoff_run and
 *            the drivers' path (start + next_begin + next), next to a hand
 *            loop;
 *   decision one retry decision (begin + next, expo capped, full jitter);
 *   sleep    overshoot of the library's sleep (plain, and with a cancel
 *            token) next to a bare nanosleep of the same length;
 *   cancel   from backoff_cancel_trigger on another thread to the sleeping
 *            run's return.
 *
 * Output (bench/run parses it): lines starting with '#' are comments; every
 * other line is "case<TAB>variant<TAB>statistic<TAB>value". The speed cases
 * run their variants interleaved, round after round, so that machine load
 * falls on all alike; `median_ns` is the median over rounds of the process's
 * CPU time per call in ns (CPU time: wall time would also count the time
 * other processes held the CPU),
 * `paired_median_ns` for "A-B" the median over rounds of A - B (B measured
 * in the same round), and "A-B-C" likewise.
 *
 *   core_bench [all|speed [ROUNDS]]  the whole report, or the speed cases
 *   core_bench sleep                 the sleep and cancel cases
 *   core_bench one CASE/VARIANT CALLS  only that variant, CALLS times,
 *                                  silent: for counting instructions per
 *                                  call under callgrind (bench/run does it)
 * Build from a release or debugoptimized build dir:
 *   meson compile -C BUILD bench/core_bench && BUILD/bench/core_bench */
#define _POSIX_C_SOURCE 200809L
#include <backoff/backoff.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static volatile int sink;

/* Out of line, so that every variant pays the same call. */
static int __attribute__((noinline)) succeed(void *data) {
  (void)data;
  sink++;
  return 0;
}
/* Fails every other call: each run fails once, then succeeds. */
static int flip;
static int __attribute__((noinline)) fail_once(void *data) {
  (void)data;
  flip ^= 1;
  return flip;
}
static int fail(void *data) {
  (void)data;
  return 1;
}

static backoff_policy *default_policy, *zero_wait_policy, *decision_policy;
static backoff_state *decision_state;
static backoff_run_options unread = BACKOFF_RUN_OPTIONS_INIT;
static uint64_t state_memory[128]; /* 8-byte aligned, as the header asks */

/* The variants: one call each. */
static void v_direct(void) { succeed(NULL); }
static void v_clock(void) { sink += (int)now(); }
static void v_run(void) { sink += backoff_run(default_policy, succeed, NULL, NULL); }
static void v_run_details(void) {
  backoff_details d = BACKOFF_DETAILS_INIT;
  sink += backoff_run(default_policy, succeed, NULL, &d);
}
/* What a binding does: the state machine in its own memory. The attempts
   return 0 or 1, which are also the verdicts SUCCESS and RETRY. */
static backoff_status drive(const backoff_policy *p, int (*fn)(void *)) {
  backoff_state *s;
  double wait;
  backoff_status status = backoff_state_start(state_memory, sizeof state_memory, p,
                                              &unread, NULL, &s);
  while (status == BACKOFF_OK) {
    status = backoff_state_next_begin(s, fn(NULL), &wait);
    if (status != BACKOFF_RETRY)
      return status;
    status = wait > 0.0 && backoff_state_sleep(s, wait) == BACKOFF_OK
                 ? backoff_state_begin(s)
                 : BACKOFF_OK;
  }
  return status;
}
static void v_state(void) { sink += drive(default_policy, succeed); }
static void v_hand_loop(void) {
  while (fail_once(NULL) != 0) {
  }
}
static void v_run_retry0(void) {
  sink += backoff_run(zero_wait_policy, fail_once, NULL, NULL);
}
static void v_state_retry0(void) { sink += drive(zero_wait_policy, fail_once); }
static void v_decision(void) {
  double w;
  backoff_state_begin(decision_state);
  backoff_state_next(decision_state, 1, &w);
}

struct variant {
  const char *kase, *name;
  void (*call)(void);
};
static const struct variant variants[] = {
    {"success", "direct", v_direct},
    {"success", "clock_read", v_clock},
    {"success", "backoff_run", v_run},
    {"success", "backoff_run_details", v_run_details},
    {"success", "state", v_state},
    {"retry0", "hand_loop", v_hand_loop},
    {"retry0", "clock_read", v_clock},
    {"retry0", "backoff_run", v_run_retry0},
    {"retry0", "state", v_state_retry0},
    {"decision", "state", v_decision},
};
enum { VARIANTS = sizeof variants / sizeof variants[0] };

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, compare);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void set_up(void) {
  backoff_policy_new(&default_policy);
  backoff_policy_new(&zero_wait_policy);
  backoff_policy_wait_constant(zero_wait_policy, 0);
  backoff_policy_jitter(zero_wait_policy, BACKOFF_JITTER_NONE);
  backoff_policy_new(&decision_policy);
  backoff_policy_seed(decision_policy, 1);
  backoff_policy_wait_expo(decision_policy, 2, 1, 60);
  backoff_state_new(decision_policy, NULL, NULL, &decision_state);
  /* as the Rust and Go bindings run: verdicts, and successes unread */
  unread.flags = BACKOFF_RUN_UNREAD_SUCCESS | BACKOFF_RUN_RC_IS_VERDICT;
}

static void tear_down(void) {
  backoff_state_free(decision_state);
  backoff_policy_free(decision_policy);
  backoff_policy_free(zero_wait_policy);
  backoff_policy_free(default_policy);
}

#define CALLS 200000L
#define MAX_ROUNDS 101

/* The process's CPU time: on a shared machine, wall time would also count
   the time other processes held the CPU. */
static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double round_ns(void (*call)(void)) {
  double t = cpu_now();
  long i;
  for (i = 0; i < CALLS; ++i)
    call();
  return (cpu_now() - t) / (double)CALLS * 1e9;
}

static double ns[VARIANTS][MAX_ROUNDS];

static int find(const char *kase, const char *name) {
  int i;
  for (i = 0; i < VARIANTS; ++i)
    if (strcmp(variants[i].kase, kase) == 0 && strcmp(variants[i].name, name) == 0)
      return i;
  abort();
}

/* Median over rounds of a - b - c (c may be NULL), all of one case. */
static void paired(const char *kase, const char *a, const char *b, const char *c,
                   int rounds) {
  double d[MAX_ROUNDS];
  int ia = find(kase, a), ib = find(kase, b), ic = c ? find(kase, c) : -1, r;
  for (r = 0; r < rounds; ++r)
    d[r] = ns[ia][r] - ns[ib][r] - (ic >= 0 ? ns[ic][r] : 0.0);
  printf("%s\t%s-%s%s%s\tpaired_median_ns\t%.2f\n", kase, a, b, c ? "-" : "", c ? c : "",
         median(d, rounds));
}

static void speed(int rounds) {
  double v[MAX_ROUNDS];
  int i, r;
  for (i = 0; i < VARIANTS; ++i)
    round_ns(variants[i].call); /* warm up */
  for (r = 0; r < rounds; ++r)
    for (i = 0; i < VARIANTS; ++i) { /* rotated: no variant always first */
      int k = (i + r) % VARIANTS;
      ns[k][r] = round_ns(variants[k].call);
    }
  for (i = 0; i < VARIANTS; ++i) {
    memcpy(v, ns[i], sizeof v);
    printf("%s\t%s\tmedian_ns\t%.2f\n", variants[i].kase, variants[i].name, median(v, rounds));
  }
  /* Beyond the floor: the targets of issue 12 are stated this way. */
  paired("success", "backoff_run", "direct", "clock_read", rounds);
  paired("success", "backoff_run_details", "direct", "clock_read", rounds);
  paired("success", "state", "direct", "clock_read", rounds);
  paired("success", "clock_read", "direct", NULL, rounds);
  paired("retry0", "backoff_run", "hand_loop", "clock_read", rounds);
  paired("retry0", "state", "hand_loop", "clock_read", rounds);
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
  printf("sleep_%.0fus\tnanosleep\tmedian_overshoot_us\t%.1f\n", wait * 1e6,
         median(bare, SAMPLES) * 1e6);
  printf("sleep_%.0fus\tbackoff_run\tmedian_overshoot_us\t%.1f\n", wait * 1e6,
         median(plain, SAMPLES) * 1e6);
  printf("sleep_%.0fus\tbackoff_run_cancel_token\tmedian_overshoot_us\t%.1f\n",
         wait * 1e6, median(cancellable, SAMPLES) * 1e6);
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
  printf("cancel\twake_up\tmedian_us\t%.1f\n", median(latency, SAMPLES) * 1e6);
  /* median() sorted it */
  printf("cancel\twake_up\tp90_us\t%.1f\n", latency[SAMPLES * 9 / 10 - 1] * 1e6);
  printf("cancel\twake_up\tmax_us\t%.1f\n", latency[SAMPLES - 1] * 1e6);
  backoff_cancel_free(t.cancel);
  backoff_policy_free(p);
}

static int usage(void) {
  fprintf(stderr, "usage: core_bench [speed [ROUNDS (1-%d)] | sleep | one CASE/VARIANT CALLS]\n",
          MAX_ROUNDS);
  return 2;
}

static int one(const char *name, long calls) {
  long i;
  int k;
  for (k = 0; k < VARIANTS; ++k) {
    char full[64];
    snprintf(full, sizeof full, "%s/%s", variants[k].kase, variants[k].name);
    if (strcmp(full, name) == 0)
      break;
  }
  if (k == VARIANTS) {
    fprintf(stderr, "core_bench: no variant %s (CASE/VARIANT)\n", name);
    return 2;
  }
  for (i = 0; i < calls; ++i)
    variants[k].call();
  return 0;
}

int main(int argc, char **argv) {
  const char *what = argc > 1 ? argv[1] : "all";
  int status = 0;
  set_up();
  if (strcmp(what, "one") == 0) {
    status = argc == 4 ? one(argv[2], atol(argv[3])) : usage();
  } else if (strcmp(what, "all") == 0 || strcmp(what, "speed") == 0 ||
             strcmp(what, "sleep") == 0) {
    int rounds = argc > 2 ? atoi(argv[2]) : 21;
    if (rounds < 1 || rounds > MAX_ROUNDS || argc > 3)
      return usage();
    printf("# libbackoff %s core bench\n", backoff_version_string());
    printf("# case\tvariant\tstatistic\tvalue\n");
    if (strcmp(what, "sleep") != 0) {
      printf("# speed: CPU ns per call, %d interleaved rounds of %ld calls\n", rounds, CALLS);
      speed(rounds);
    }
    if (strcmp(what, "speed") != 0) {
      sleep_precision(0.001);
      sleep_precision(0.010);
      cancel_latency();
    }
  } else {
    status = usage();
  }
  tear_down();
  return status;
}
