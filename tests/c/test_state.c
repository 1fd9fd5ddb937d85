/* The state machine driven by hand: begin / next / retry_after / cancel /
 * details, its misuse, and its two ways of being allocated. */
#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static backoff_state *started(const backoff_policy *p,
                              const backoff_run_options *opts, void *user) {
  backoff_state *s = NULL;
  assert_int_equal(backoff_state_new(p, opts, user, &s), BACKOFF_OK);
  assert_non_null(s);
  return s;
}

static backoff_details details_of(const backoff_state *s) {
  backoff_details d = BACKOFF_DETAILS_INIT;
  assert_int_equal(backoff_state_details(s, &d), BACKOFF_OK);
  return d;
}

/* One attempt: begin, then next(rc); returns next's status. */
static backoff_status attempt(backoff_state *s, int rc, double *wait) {
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  *wait = -1.0;
  return backoff_state_next(s, rc, wait);
}

static void steps_give_exact_waits_then_the_outcome(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_calls tries = {0}, backoffs = {0};
  backoff_state *s;
  backoff_details d;
  double wait;
  int user;
  (void)state;
  assert_int_equal(backoff_policy_max_tries(p, 3), BACKOFF_OK);
  assert_int_equal(backoff_policy_on_try(p, harness_record_hook, &tries, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_backoff(p, harness_record_hook, &backoffs,
                                             NULL),
                   BACKOFF_OK);
  s = started(p, NULL, &user);
  d = details_of(s);
  assert_int_equal(d.tries, 0);
  assert_int_equal(d.outcome, BACKOFF_RETRY);
  assert_string_equal(d.label, "operation");
  assert_ptr_equal(d.user_data, &user);
  assert_true(isinf(d.remaining) && d.remaining > 0);

  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(tries.n, 1); /* on_try comes from begin */
  assert_int_equal(details_of(s).tries, 1);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 1.0);
  assert_int_equal(backoffs.n, 1); /* on_backoff from next */
  assert_int_equal(attempt(s, 2, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 2.0);
  assert_int_equal(attempt(s, 3, &wait), BACKOFF_GAVE_UP_TRIES);
  assert_double_equal(wait, 0.0);

  d = details_of(s);
  assert_int_equal(d.tries, 3);
  assert_int_equal(d.last_rc, 3);
  assert_int_equal(d.outcome, BACKOFF_GAVE_UP_TRIES);
  assert_double_equal(d.wait, 2.0);
  assert_double_equal(d.total_wait, 3.0);
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void success_ends_with_zero_wait(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  backoff_state *s = started(p, NULL, NULL);
  double wait;
  backoff_details d;
  (void)state;
  assert_int_equal(attempt(s, 4, &wait), BACKOFF_RETRY);
  t.now = 2.5;
  assert_int_equal(attempt(s, 0, &wait), BACKOFF_OK);
  assert_double_equal(wait, 0.0);
  /* A finished run's details do not change with time. */
  t.now = 10.0;
  d = details_of(s);
  assert_int_equal(d.outcome, BACKOFF_OK);
  assert_int_equal(d.tries, 2);
  assert_int_equal(d.last_rc, 0);
  assert_double_equal(d.elapsed, 2.5);
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void retry_after_replaces_one_wait(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  backoff_state *s = started(p, NULL, NULL);
  double wait;
  (void)state;
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_retry_after(s, 7.5), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 7.5);
  assert_double_equal(details_of(s).wait, 7.5);
  /* The generator did not advance: its first value comes next. */
  assert_int_equal(attempt(s, 1, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 1.0);
  assert_int_equal(attempt(s, 1, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 2.0);
  /* Zero is a valid Retry-After; it can be given before begin too. */
  assert_int_equal(backoff_state_retry_after(s, 0.0), BACKOFF_OK);
  assert_int_equal(attempt(s, 1, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 0.0);
  assert_int_equal(attempt(s, 1, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 4.0);
  assert_double_equal(details_of(s).total_wait, 14.5);
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void retry_after_is_not_jittered(void **state) {
  backoff_policy *p = harness_policy(); /* full jitter */
  backoff_state *s = started(p, NULL, NULL);
  double wait;
  (void)state;
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_retry_after(s, 3.25), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 3.25);
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void retry_after_beyond_the_time_left_gives_up(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  backoff_state *s;
  backoff_details d = BACKOFF_DETAILS_INIT;
  double wait;
  (void)state;
  assert_int_equal(backoff_policy_max_time(p, 5), BACKOFF_OK);
  s = started(p, NULL, NULL);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_retry_after(s, 100), BACKOFF_OK);
  t.now = 1.0;
  /* 100 s asked, 4 s left: no sleep towards a deadline that will pass */
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_GAVE_UP_TIME);
  assert_double_equal(wait, 0.0);
  assert_int_equal(backoff_state_details(s, &d), BACKOFF_OK);
  assert_double_equal(d.hint, 100.0);
  assert_double_equal(d.elapsed, 1.0);
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void retry_after_refuses_bad_seconds(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  backoff_state *s = started(p, NULL, NULL);
  double wait;
  (void)state;
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_retry_after(s, NAN), BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_retry_after(s, -1.0), BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_retry_after(NULL, 1.0), BACKOFF_E_INVALID);
  /* none of them took effect */
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 1.0);
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void cancel_ends_the_run(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_calls giveups = {0};
  harness_log log = {0};
  backoff_state *s;
  double wait;
  (void)state;
  assert_int_equal(backoff_policy_on_giveup(p, harness_record_hook, &giveups,
                                            NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_log(p, harness_record_log, &log, NULL),
                   BACKOFF_OK);
  s = started(p, NULL, NULL);
  assert_int_equal(attempt(s, 1, &wait), BACKOFF_RETRY);
  assert_int_equal(backoff_state_cancel(s), BACKOFF_CANCELLED);
  assert_int_equal(giveups.n, 1);
  assert_int_equal(giveups.seen[0].outcome, BACKOFF_CANCELLED);
  assert_int_equal(giveups.seen[0].tries, 1);
  assert_int_equal(log.n, 2);
  assert_string_equal(log.line[1],
                      "Giving up operation(...) after 1 try (rc=1: cancelled)");
  assert_int_equal(details_of(s).outcome, BACKOFF_CANCELLED);

  assert_int_equal(backoff_state_cancel(s), BACKOFF_E_MISUSE);
  assert_int_equal(backoff_state_begin(s), BACKOFF_E_MISUSE);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_E_MISUSE);
  assert_int_equal(backoff_state_retry_after(s, 1.0), BACKOFF_E_MISUSE);
  assert_int_equal(giveups.n, 1);
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void cancel_token_stops_begin(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_calls tries = {0}, giveups = {0};
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_state *s;
  double wait;
  (void)state;
  assert_int_equal(backoff_policy_on_try(p, harness_record_hook, &tries, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_giveup(p, harness_record_hook, &giveups,
                                            NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_cancel_new(&opts.cancel), BACKOFF_OK);
  s = started(p, &opts, NULL);
  assert_int_equal(attempt(s, 1, &wait), BACKOFF_RETRY);
  assert_int_equal(backoff_cancel_trigger(opts.cancel), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_CANCELLED);
  assert_int_equal(tries.n, 1);
  assert_int_equal(giveups.n, 1);
  assert_int_equal(giveups.seen[0].outcome, BACKOFF_CANCELLED);
  assert_int_equal(backoff_state_begin(s), BACKOFF_E_MISUSE);
  backoff_state_free(s);
  backoff_cancel_free(opts.cancel);
  backoff_policy_free(p);
}

static void out_of_order_calls_are_misuse(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  backoff_state *s;
  double wait;
  (void)state;
  assert_int_equal(backoff_policy_max_tries(p, 2), BACKOFF_OK);
  s = started(p, NULL, NULL);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_E_MISUSE);
  assert_int_equal(details_of(s).tries, 0);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_E_MISUSE);
  assert_int_equal(details_of(s).tries, 1);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_RETRY);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_E_MISUSE);
  assert_int_equal(details_of(s).last_rc, 1);
  assert_int_equal(attempt(s, 2, &wait), BACKOFF_GAVE_UP_TRIES);
  /* After the end, nothing steps any more. */
  assert_int_equal(backoff_state_begin(s), BACKOFF_E_MISUSE);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_E_MISUSE);
  assert_int_equal(backoff_state_retry_after(s, 1.0), BACKOFF_E_MISUSE);
  assert_int_equal(backoff_state_cancel(s), BACKOFF_E_MISUSE);
  assert_int_equal(details_of(s).outcome, BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(details_of(s).tries, 2);
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void null_arguments_are_invalid(void **state) {
  backoff_policy *p = harness_policy();
  backoff_state *s = started(p, NULL, NULL);
  backoff_details d = BACKOFF_DETAILS_INIT;
  double wait;
  (void)state;
  assert_int_equal(backoff_state_begin(NULL), BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_next(NULL, 1, &wait), BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_cancel(NULL), BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_details(NULL, &d), BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_details(s, NULL), BACKOFF_E_INVALID);
  d.size = 0;
  assert_int_equal(backoff_state_details(s, &d), BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, 1, NULL), BACKOFF_E_INVALID);
  /* The refused next changed nothing: the attempt can still be reported. */
  assert_int_equal(backoff_state_next(s, 0, &wait), BACKOFF_OK);
  backoff_state_free(s);
  backoff_state_free(NULL);
  backoff_policy_free(p);
}

static void details_respect_an_older_callers_size(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  backoff_state *s = started(p, NULL, NULL);
  struct {
    backoff_details d;
    unsigned char canary[16];
  } old;
  const unsigned char *bytes = (const unsigned char *)&old;
  const size_t old_size = offsetof(backoff_details, last_rc);
  double wait;
  size_t i;
  (void)state;
  assert_int_equal(attempt(s, 1, &wait), BACKOFF_RETRY);
  memset(&old, 0xAB, sizeof old);
  old.d.size = old_size;
  assert_int_equal(backoff_state_details(s, &old.d), BACKOFF_OK);
  assert_int_equal(old.d.size, old_size);
  assert_int_equal(old.d.tries, 1);
  assert_double_equal(old.d.total_wait, 1.0);
  for (i = old_size; i < sizeof old; ++i)
    assert_int_equal(bytes[i], 0xAB);
  backoff_state_free(s);
  backoff_policy_free(p);
}

static double bad_time(void *data) {
  (void)data;
  return NAN;
}

static void new_refuses_bad_arguments(void **state) {
  backoff_policy *p = harness_policy();
  backoff_state *sentinel = (backoff_state *)&sentinel;
  backoff_state *s = sentinel;
  backoff_run_options small = BACKOFF_RUN_OPTIONS_INIT;
  (void)state;
  small.size = offsetof(backoff_run_options, label);
  assert_int_equal(backoff_state_new(NULL, NULL, NULL, &s), BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_new(p, NULL, NULL, NULL), BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_new(p, &small, NULL, &s), BACKOFF_E_INVALID);
  assert_int_equal(backoff_policy_max_time_fn(p, bad_time, NULL, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_state_new(p, NULL, NULL, &s), BACKOFF_E_INVALID);
  assert_ptr_equal(s, sentinel);
  backoff_policy_free(p);
}

static void init_runs_in_caller_memory(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  const size_t size = backoff_state_size();
  char *mem = malloc(size + 16); /* malloc aligns to at least 8 */
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_state *s = NULL;
  double wait;
  int user;
  (void)state;
  assert_true(size > 0);
  assert_non_null(mem);
  opts.label = "in place";
  assert_int_equal(backoff_state_init(mem, size, p, &opts, &user, &s),
                   BACKOFF_OK);
  assert_ptr_equal(s, mem);
  assert_string_equal(details_of(s).label, "in place");
  assert_ptr_equal(details_of(s).user_data, &user);
  assert_int_equal(attempt(s, 1, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 1.0);
  assert_int_equal(attempt(s, 0, &wait), BACKOFF_OK);

  s = NULL;
  assert_int_equal(backoff_state_init(mem + 8, size, p, NULL, NULL, &s),
                   BACKOFF_OK);
  assert_ptr_equal(s, mem + 8);
  assert_int_equal(attempt(s, 1, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 1.0); /* a fresh run */
  free(mem);
  backoff_policy_free(p);
}

static void init_refuses_bad_memory_and_arguments(void **state) {
  backoff_policy *p = harness_policy();
  const size_t size = backoff_state_size();
  char *mem = malloc(size + 16);
  backoff_state *sentinel = (backoff_state *)&sentinel;
  backoff_state *s = sentinel;
  backoff_run_options small = BACKOFF_RUN_OPTIONS_INIT;
  (void)state;
  assert_non_null(mem);
  small.size = 1;
  assert_int_equal(backoff_state_init(mem, size - 1, p, NULL, NULL, &s),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_init(mem, 0, p, NULL, NULL, &s),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_init(mem + 1, size, p, NULL, NULL, &s),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_init(mem + 4, size, p, NULL, NULL, &s),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_init(NULL, size, p, NULL, NULL, &s),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_init(mem, size, NULL, NULL, NULL, &s),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_init(mem, size, p, NULL, NULL, NULL),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_init(mem, size, p, &small, NULL, &s),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_policy_max_time_fn(p, bad_time, NULL, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_state_init(mem, size, p, NULL, NULL, &s),
                   BACKOFF_E_INVALID);
  assert_ptr_equal(s, sentinel);
  free(mem);
  backoff_policy_free(p);
}

/* ---- the combined calls, for bindings whose calls into C are costly ---- */

static void start_begins_the_first_attempt(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_hooks h;
  backoff_cancel *c = NULL;
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  const size_t size = backoff_state_size();
  double *mem = malloc(size);
  backoff_state *s = NULL;
  double wait;
  (void)state;
  harness_add_all_hooks(p, &h);
  assert_int_equal(backoff_state_start(mem, size, p, NULL, NULL, &s),
                   BACKOFF_OK);
  assert_int_equal(h.tries.n, 1); /* begun: on_try ran */
  assert_int_equal(details_of(s).tries, 1);
  assert_int_equal(backoff_state_begin(s), BACKOFF_E_MISUSE);
  assert_int_equal(backoff_state_next(s, 0, &wait), BACKOFF_OK);
  /* a triggered token: the run ends before any attempt, after on_giveup */
  assert_int_equal(backoff_cancel_new(&c), BACKOFF_OK);
  assert_int_equal(backoff_cancel_trigger(c), BACKOFF_OK);
  opts.cancel = c;
  assert_int_equal(backoff_state_start(mem, size, p, &opts, NULL, &s),
                   BACKOFF_CANCELLED);
  assert_int_equal(h.giveups.n, 1);
  assert_int_equal(details_of(s).tries, 0);
  assert_int_equal(backoff_state_start(mem, size - 1, p, NULL, NULL, &s),
                   BACKOFF_E_INVALID);
  backoff_cancel_free(c);
  free(mem);
  backoff_policy_free(p);
}

static void next_begin_begins_at_once_only_after_a_zero_wait(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  const double waits[] = {0, 2};
  harness_hooks h;
  backoff_state *s = NULL;
  double wait;
  (void)state;
  harness_add_all_hooks(p, &h);
  assert_int_equal(backoff_policy_wait_sequence(p, waits, 2), BACKOFF_OK);
  assert_int_equal(backoff_state_new(p, NULL, NULL, &s), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  /* zero wait: the second attempt is begun already */
  assert_int_equal(backoff_state_next_begin(s, 1, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 0.0);
  assert_int_equal(h.tries.n, 2);
  assert_int_equal(backoff_state_begin(s), BACKOFF_E_MISUSE);
  /* a real wait: sleep first, then begin */
  assert_int_equal(backoff_state_next_begin(s, 1, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 2.0);
  assert_int_equal(h.tries.n, 2);
  assert_int_equal(backoff_state_sleep(s, wait), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  /* the sequence is exhausted: a final status, as from next */
  assert_int_equal(backoff_state_next_begin(s, 1, &wait),
                   BACKOFF_GAVE_UP_EXHAUSTED);
  assert_int_equal(backoff_state_next_begin(s, 1, &wait), BACKOFF_E_MISUSE);
  assert_int_equal(backoff_state_next_begin(NULL, 1, &wait),
                   BACKOFF_E_INVALID);
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void next_begin_reports_a_cancel_seen_by_begin(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  backoff_cancel *c = NULL;
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_state *s = NULL;
  double wait;
  (void)state;
  assert_int_equal(backoff_policy_wait_constant(p, 0), BACKOFF_OK);
  assert_int_equal(backoff_cancel_new(&c), BACKOFF_OK);
  opts.cancel = c;
  assert_int_equal(backoff_state_start(NULL, 0, p, &opts, NULL, &s),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_new(p, &opts, NULL, &s), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_next_begin(s, 1, &wait), BACKOFF_RETRY);
  assert_int_equal(backoff_cancel_trigger(c), BACKOFF_OK);
  /* next itself checks the token after the failure */
  assert_int_equal(backoff_state_next_begin(s, 1, &wait), BACKOFF_CANCELLED);
  backoff_state_free(s);
  backoff_cancel_free(c);
  backoff_policy_free(p);
}

static int clock_reads;
static double counting_clock(void *data) {
  (void)data;
  return (double)++clock_reads;
}

static void unread_success_skips_the_last_clock_read(void **state) {
  backoff_policy *p = harness_policy();
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_state *s = NULL;
  double wait;
  (void)state;
  assert_int_equal(backoff_policy_clock(p, counting_clock, NULL, NULL),
                   BACKOFF_OK);
  opts.flags = BACKOFF_RUN_UNREAD_SUCCESS;
  clock_reads = 0;
  assert_int_equal(backoff_state_new(p, &opts, NULL, &s), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, 0, &wait), BACKOFF_OK);
  assert_int_equal(clock_reads, 1); /* the start only */
  backoff_state_free(s);
  /* without the flag the success is measured */
  opts.flags = 0;
  clock_reads = 0;
  assert_int_equal(backoff_state_new(p, &opts, NULL, &s), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, 0, &wait), BACKOFF_OK);
  assert_int_equal(clock_reads, 2);
  assert_double_equal(details_of(s).elapsed, 1.0);
  backoff_state_free(s);
  /* a failure is always measured */
  opts.flags = BACKOFF_RUN_UNREAD_SUCCESS;
  clock_reads = 0;
  assert_int_equal(backoff_state_new(p, &opts, NULL, &s), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_RETRY);
  assert_int_equal(clock_reads, 2);
  assert_double_equal(details_of(s).elapsed, 1.0);
  backoff_state_free(s);
  backoff_policy_free(p);
}

static unsigned classifier_calls;
static int always_success(const backoff_details *d, void *data) {
  (void)d;
  (void)data;
  ++classifier_calls;
  return BACKOFF_VERDICT_SUCCESS;
}

/* One attempt of a fresh state judged by the caller; returns next's status. */
static backoff_status judged(const backoff_policy *p, int verdict) {
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_state *s = NULL;
  backoff_status status;
  double wait;
  opts.flags = BACKOFF_RUN_RC_IS_VERDICT;
  assert_int_equal(backoff_state_new(p, &opts, NULL, &s), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  status = backoff_state_next(s, verdict, &wait);
  assert_int_equal(details_of(s).last_rc, verdict);
  backoff_state_free(s);
  return status;
}

static void the_caller_may_give_verdicts_instead_of_codes(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  (void)state;
  assert_int_equal(backoff_policy_classify(p, always_success, NULL, NULL),
                   BACKOFF_OK);
  classifier_calls = 0;
  assert_int_equal(judged(p, BACKOFF_VERDICT_SUCCESS), BACKOFF_OK);
  assert_int_equal(judged(p, BACKOFF_VERDICT_RETRY), BACKOFF_RETRY);
  assert_int_equal(judged(p, BACKOFF_VERDICT_GIVE_UP), BACKOFF_GAVE_UP_FATAL);
  assert_int_equal(judged(p, BACKOFF_VERDICT_PASS_THROUGH),
                   BACKOFF_PASSED_THROUGH);
  assert_int_equal(judged(p, 99), BACKOFF_GAVE_UP_FATAL); /* unknown */
  assert_int_equal(judged(p, -1), BACKOFF_GAVE_UP_FATAL);
  assert_int_equal(classifier_calls, 0); /* the policy's is not asked */
  backoff_policy_free(p);
}

static void a_judged_success_is_not_measured_when_unread(void **state) {
  backoff_policy *p = harness_policy();
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_state *s = NULL;
  double wait;
  (void)state;
  assert_int_equal(backoff_policy_clock(p, counting_clock, NULL, NULL),
                   BACKOFF_OK);
  opts.flags = BACKOFF_RUN_RC_IS_VERDICT | BACKOFF_RUN_UNREAD_SUCCESS;
  clock_reads = 0;
  assert_int_equal(backoff_state_start(NULL, 0, p, &opts, NULL, &s),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_new(p, &opts, NULL, &s), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, BACKOFF_VERDICT_SUCCESS, &wait),
                   BACKOFF_OK);
  assert_int_equal(clock_reads, 1); /* the start only */
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void unknown_flags_and_old_options_sizes(void **state) {
  backoff_policy *p = harness_policy();
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_state *s = NULL;
  (void)state;
  opts.flags = 4; /* a flag from a later header */
  assert_int_equal(backoff_state_new(p, &opts, NULL, &s), BACKOFF_E_INVALID);
  /* a caller built with the 1.0 header: no flags field, which is not read */
  opts.size = offsetof(backoff_run_options, flags);
  assert_int_equal(backoff_state_new(p, &opts, NULL, &s), BACKOFF_OK);
  backoff_state_free(s);
  backoff_policy_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(start_begins_the_first_attempt),
      cmocka_unit_test(next_begin_begins_at_once_only_after_a_zero_wait),
      cmocka_unit_test(next_begin_reports_a_cancel_seen_by_begin),
      cmocka_unit_test(unread_success_skips_the_last_clock_read),
      cmocka_unit_test(the_caller_may_give_verdicts_instead_of_codes),
      cmocka_unit_test(a_judged_success_is_not_measured_when_unread),
      cmocka_unit_test(unknown_flags_and_old_options_sizes),
      cmocka_unit_test(steps_give_exact_waits_then_the_outcome),
      cmocka_unit_test(success_ends_with_zero_wait),
      cmocka_unit_test(retry_after_replaces_one_wait),
      cmocka_unit_test(retry_after_is_not_jittered),
      cmocka_unit_test(retry_after_beyond_the_time_left_gives_up),
      cmocka_unit_test(retry_after_refuses_bad_seconds),
      cmocka_unit_test(cancel_ends_the_run),
      cmocka_unit_test(cancel_token_stops_begin),
      cmocka_unit_test(out_of_order_calls_are_misuse),
      cmocka_unit_test(null_arguments_are_invalid),
      cmocka_unit_test(details_respect_an_older_callers_size),
      cmocka_unit_test(new_refuses_bad_arguments),
      cmocka_unit_test(init_runs_in_caller_memory),
      cmocka_unit_test(init_refuses_bad_memory_and_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
