/*
 * Shared pieces of the C test suites: a fake clock and sleep so that no test
 * waits for real time, scripted attempts, recorders for hooks and logs, exact
 * double assertions (cmocka's float ones round to float), and a behavioural
 * "fingerprint" of a policy used to prove that a failed setter changed
 * nothing.
 */
#ifndef BACKOFF_TESTS_C_HARNESS_H
#define BACKOFF_TESTS_C_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <backoff/backoff.h>

enum {
  HARNESS_MAX_SLEEPS = 256,
  HARNESS_MAX_ATTEMPTS = 64,
  HARNESS_MAX_CALLS = 64,
  HARNESS_MAX_LINES = 32,
  HARNESS_LINE_SIZE = 256
};

/* ---- doubles ------------------------------------------------------------ */

#define assert_double_equal(actual, expected)                                  \
  harness_double_near((actual), (expected), 0.0, #actual, __FILE__, __LINE__)
#define assert_double_near(actual, expected, tolerance)                        \
  harness_double_near((actual), (expected), (tolerance), #actual, __FILE__,    \
                      __LINE__)
/* lo <= actual <= hi */
#define assert_double_in(actual, lo, hi)                                       \
  harness_double_in((actual), (lo), (hi), #actual, __FILE__, __LINE__)

void harness_double_near(double actual, double expected, double tolerance,
                         const char *what, const char *file, int line);
void harness_double_in(double actual, double lo, double hi, const char *what,
                       const char *file, int line);

/* ---- time --------------------------------------------------------------- */

/* A fake monotonic clock; the fake sleep records each wait and advances it. */
typedef struct harness_time {
  double now;
  double sleeps[HARNESS_MAX_SLEEPS];
  size_t n_sleeps;
} harness_time;

/* Installs t as p's clock and sleep (t is borrowed: no destroy). */
void harness_use_time(backoff_policy *p, harness_time *t);

/* ---- policies and attempts ---------------------------------------------- */

/* A fresh policy; fails the test if it cannot be made. */
backoff_policy *harness_policy(void);

/* A policy with exact waits: jitter NONE, fake time t. */
backoff_policy *harness_exact_policy(harness_time *t);

/* Attempt i (0-based) returns rcs[i], the last one repeated forever, and
 * advances the fake clock (when given) by `cost`. */
typedef struct harness_script {
  const int *rcs;
  size_t n_rcs;
  double cost;
  harness_time *time;
  unsigned calls;
  double started_at[HARNESS_MAX_ATTEMPTS]; /* fake time at each start */
} harness_script;

int harness_script_attempt(void *user_data);

/* Drives a run of p by hand (begin / next), every attempt failing with rc 1,
 * for at most `n` attempts. Stores the wait of each BACKOFF_RETRY into
 * waits[] and their number into *count; returns the last status of next()
 * (BACKOFF_RETRY when the run is still going after n attempts). */
backoff_status harness_waits(const backoff_policy *p, size_t n, double *waits,
                             size_t *count);

/* ---- recorders ---------------------------------------------------------- */

/* destroy function: counts its calls in *(unsigned *)data. */
void harness_count_destroy(void *data);

/* A hook recording a copy of every details it sees. */
typedef struct harness_calls {
  unsigned n;
  backoff_details seen[HARNESS_MAX_CALLS];
} harness_calls;

void harness_record_hook(const backoff_details *d, void *data);

/* A recorder on each of the four hooks. */
typedef struct harness_hooks {
  harness_calls tries, backoffs, successes, giveups;
} harness_hooks;

/* Clears *h and adds its recorders to p. */
void harness_add_all_hooks(backoff_policy *p, harness_hooks *h);

/* A log function recording level, line and details. */
typedef struct harness_log {
  unsigned n;
  int level[HARNESS_MAX_LINES];
  char line[HARNESS_MAX_LINES][HARNESS_LINE_SIZE];
  backoff_details seen[HARNESS_MAX_LINES];
} harness_log;

void harness_record_log(int level, const char *message,
                        const backoff_details *d, void *data);

/* ---- fingerprint -------------------------------------------------------- */

/* Everything observable about one run of a policy: outcome, details, when
 * each attempt started, and the text of every hook call and log line. */
typedef struct harness_fingerprint {
  int status;
  unsigned tries;
  int last_rc;
  double elapsed;
  double wait;
  double total_wait;
  unsigned attempts;
  double attempt_times[HARNESS_MAX_ATTEMPTS];
  char events[4096];
} harness_fingerprint;

/* A policy exercising every setting (seeded jitter, expo wait, both limits,
 * all four hooks, a log) on the fake time t. Its hooks and log write into
 * the fingerprint, so only harness_fingerprint_of may run it. */
backoff_policy *harness_fingerprint_policy(harness_time *t);

/* Runs p (whose clock and sleep must be t) with attempts failing with codes
 * 11, 12, … and succeeding at the 8th, each costing 0.25 fake seconds. A run
 * that would go on forever is cancelled after HARNESS_MAX_ATTEMPTS. */
void harness_fingerprint_of(const backoff_policy *p, harness_time *t,
                            harness_fingerprint *out);

void harness_assert_same_fingerprint(const harness_fingerprint *a,
                                     const harness_fingerprint *b);

/* True when the two runs differ in any observable way. */
int harness_fingerprints_differ(const harness_fingerprint *a,
                                const harness_fingerprint *b);

#endif
