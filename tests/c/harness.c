#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- doubles ------------------------------------------------------------ */

void harness_double_near(double actual, double expected, double tolerance,
                         const char *what, const char *file, int line) {
  if (actual == expected || fabs(actual - expected) <= tolerance)
    return;
  print_error("%s is %.17g, expected %.17g (tolerance %.3g)\n", what, actual,
              expected, tolerance);
  _fail(file, line);
}

void harness_double_in(double actual, double lo, double hi, const char *what,
                       const char *file, int line) {
  if (actual >= lo && actual <= hi)
    return;
  print_error("%s is %.17g, expected within [%.17g, %.17g]\n", what, actual,
              lo, hi);
  _fail(file, line);
}

/* ---- time --------------------------------------------------------------- */

static double fake_clock(void *data) { return ((harness_time *)data)->now; }

static void fake_sleep(double seconds, void *data) {
  harness_time *t = data;
  if (t->n_sleeps < HARNESS_MAX_SLEEPS)
    t->sleeps[t->n_sleeps] = seconds;
  t->n_sleeps++;
  t->now += seconds;
}

void harness_use_time(backoff_policy *p, harness_time *t) {
  assert_int_equal(backoff_policy_clock(p, fake_clock, t, NULL), BACKOFF_OK);
  assert_int_equal(backoff_policy_sleep(p, fake_sleep, t, NULL), BACKOFF_OK);
}

/* ---- policies and attempts ---------------------------------------------- */

backoff_policy *harness_policy(void) {
  backoff_policy *p = NULL;
  assert_int_equal(backoff_policy_new(&p), BACKOFF_OK);
  assert_non_null(p);
  return p;
}

backoff_policy *harness_exact_policy(harness_time *t) {
  backoff_policy *p = harness_policy();
  assert_int_equal(backoff_policy_jitter(p, BACKOFF_JITTER_NONE), BACKOFF_OK);
  harness_use_time(p, t);
  return p;
}

int harness_script_attempt(void *user_data) {
  harness_script *s = user_data;
  const unsigned i = s->calls++;
  if (s->time != NULL) {
    if (i < HARNESS_MAX_ATTEMPTS)
      s->started_at[i] = s->time->now;
    s->time->now += s->cost;
  }
  return s->rcs[i < s->n_rcs ? i : s->n_rcs - 1];
}

backoff_status harness_waits(const backoff_policy *p, size_t n, double *waits,
                             size_t *count) {
  backoff_state *s = NULL;
  backoff_status status = BACKOFF_RETRY;
  size_t i;
  *count = 0;
  assert_int_equal(backoff_state_new(p, NULL, NULL, &s), BACKOFF_OK);
  for (i = 0; i < n && status == BACKOFF_RETRY; ++i) {
    double wait = -1.0;
    status = backoff_state_begin(s);
    if (status != BACKOFF_OK)
      break;
    status = backoff_state_next(s, 1, &wait);
    if (status == BACKOFF_RETRY)
      waits[(*count)++] = wait;
    else
      assert_double_equal(wait, 0.0);
  }
  backoff_state_free(s);
  return status;
}

/* ---- recorders ---------------------------------------------------------- */

void harness_count_destroy(void *data) { ++*(unsigned *)data; }

void harness_record_hook(const backoff_details *d, void *data) {
  harness_calls *calls = data;
  assert_true(calls->n < HARNESS_MAX_CALLS);
  calls->seen[calls->n++] = *d;
}

void harness_add_all_hooks(backoff_policy *p, harness_hooks *h) {
  memset(h, 0, sizeof *h);
  assert_int_equal(
      backoff_policy_on_try(p, harness_record_hook, &h->tries, NULL),
      BACKOFF_OK);
  assert_int_equal(
      backoff_policy_on_backoff(p, harness_record_hook, &h->backoffs, NULL),
      BACKOFF_OK);
  assert_int_equal(
      backoff_policy_on_success(p, harness_record_hook, &h->successes, NULL),
      BACKOFF_OK);
  assert_int_equal(
      backoff_policy_on_giveup(p, harness_record_hook, &h->giveups, NULL),
      BACKOFF_OK);
}

void harness_record_log(int level, const char *message,
                        const backoff_details *d, void *data) {
  harness_log *log = data;
  assert_true(log->n < HARNESS_MAX_LINES);
  assert_non_null(message);
  assert_true(strlen(message) < HARNESS_LINE_SIZE);
  log->level[log->n] = level;
  strcpy(log->line[log->n], message);
  log->seen[log->n] = *d;
  log->n++;
}

/* ---- fingerprint -------------------------------------------------------- */

/* The run's user data while a fingerprint is taken. */
typedef struct fingerprint_run {
  harness_fingerprint *out;
  harness_time *time;
  backoff_cancel *runaway;
} fingerprint_run;

static void fingerprint_note(const backoff_details *d, const char *fmt, ...) {
  fingerprint_run *run = d->user_data;
  char *events = run->out->events;
  const size_t used = strlen(events);
  va_list args;
  va_start(args, fmt);
  vsnprintf(events + used, sizeof run->out->events - used, fmt, args);
  va_end(args);
}

static void fingerprint_hook(const backoff_details *d, void *data) {
  fingerprint_note(d, "%s t%u e%.17g w%.17g tw%.17g rc%d o%d r%.17g;",
                   (const char *)data, d->tries, d->elapsed, d->wait,
                   d->total_wait, d->last_rc, d->outcome, d->remaining);
}

static void fingerprint_log(int level, const char *message,
                            const backoff_details *d, void *data) {
  (void)data;
  fingerprint_note(d, "log%d %s;", level, message);
}

static int fingerprint_attempt(void *user_data) {
  fingerprint_run *run = user_data;
  const unsigned i = run->out->attempts++;
  if (i < HARNESS_MAX_ATTEMPTS)
    run->out->attempt_times[i] = run->time->now;
  else
    backoff_cancel_trigger(run->runaway);
  run->time->now += 0.25;
  return i < 7 ? 11 + (int)i : 0;
}

backoff_policy *harness_fingerprint_policy(harness_time *t) {
  backoff_policy *p = harness_policy();
  harness_use_time(p, t);
  assert_int_equal(backoff_policy_seed(p, 2024), BACKOFF_OK);
  assert_int_equal(backoff_policy_wait_expo(p, 2.0, 0.5, 6.0), BACKOFF_OK);
  assert_int_equal(backoff_policy_jitter(p, BACKOFF_JITTER_EQUAL), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_tries(p, 6), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_time(p, 40.0), BACKOFF_OK);
  assert_int_equal(backoff_policy_on_try(p, fingerprint_hook, "try", NULL),
                   BACKOFF_OK);
  assert_int_equal(
      backoff_policy_on_backoff(p, fingerprint_hook, "backoff", NULL),
      BACKOFF_OK);
  assert_int_equal(
      backoff_policy_on_success(p, fingerprint_hook, "success", NULL),
      BACKOFF_OK);
  assert_int_equal(
      backoff_policy_on_giveup(p, fingerprint_hook, "giveup", NULL),
      BACKOFF_OK);
  assert_int_equal(backoff_policy_log(p, fingerprint_log, NULL, NULL),
                   BACKOFF_OK);
  return p;
}

void harness_fingerprint_of(const backoff_policy *p, harness_time *t,
                            harness_fingerprint *out) {
  fingerprint_run run;
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_details d = BACKOFF_DETAILS_INIT;
  memset(out, 0, sizeof *out);
  t->now = 0.0;
  t->n_sleeps = 0;
  run.out = out;
  run.time = t;
  assert_int_equal(backoff_cancel_new(&run.runaway), BACKOFF_OK);
  opts.cancel = run.runaway;
  opts.label = "fingerprint";
  out->status = backoff_run_ex(p, fingerprint_attempt, &run, &opts, &d);
  backoff_cancel_free(run.runaway);
  out->tries = d.tries;
  out->last_rc = d.last_rc;
  out->elapsed = d.elapsed;
  out->wait = d.wait;
  out->total_wait = d.total_wait;
}

int harness_fingerprints_differ(const harness_fingerprint *a,
                                const harness_fingerprint *b) {
  return a->status != b->status || a->tries != b->tries ||
         a->last_rc != b->last_rc || a->elapsed != b->elapsed ||
         a->wait != b->wait || a->total_wait != b->total_wait ||
         a->attempts != b->attempts ||
         memcmp(a->attempt_times, b->attempt_times,
                sizeof a->attempt_times) != 0 ||
         strcmp(a->events, b->events) != 0;
}

void harness_assert_same_fingerprint(const harness_fingerprint *a,
                                     const harness_fingerprint *b) {
  assert_int_equal(a->status, b->status);
  assert_int_equal(a->tries, b->tries);
  assert_int_equal(a->last_rc, b->last_rc);
  assert_double_equal(a->elapsed, b->elapsed);
  assert_double_equal(a->wait, b->wait);
  assert_double_equal(a->total_wait, b->total_wait);
  assert_int_equal(a->attempts, b->attempts);
  assert_memory_equal(a->attempt_times, b->attempt_times,
                      sizeof a->attempt_times);
  assert_string_equal(a->events, b->events);
}
