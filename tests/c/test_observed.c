/* A run reads the clock only when someone can see its time: a time limit, a
 * hook, the log, a budget, or a wait or classifier function (not a hint
 * function: hints come from what the attempt left in its user data). The library decides this once, when the policy is configured,
 * so every setter and the spec parser must keep that decision current: each
 * case below configures a policy one way, then another, and counts the
 * clock reads of backoff_run without details. */
#include <math.h>
#include <stdlib.h>

#include "harness.h"

static int clock_reads;
static double counting_clock(void *data) {
  (void)data;
  return (double)++clock_reads;
}
static void no_sleep(double seconds, void *data) {
  (void)seconds;
  (void)data;
}

static int fail_once_calls;
static int fail_once(void *data) {
  (void)data;
  return fail_once_calls++ % 2 == 0 ? 1 : 0;
}

/* Clock reads of two runs without details: one that succeeds at once and
 * one that fails once first. */
static int reads_of_runs(backoff_policy *p) {
  clock_reads = 0;
  fail_once_calls = 0;
  assert_int_equal(backoff_run(p, fail_once, NULL, NULL), BACKOFF_OK);
  fail_once_calls = 1; /* the next call succeeds */
  assert_int_equal(backoff_run(p, fail_once, NULL, NULL), BACKOFF_OK);
  return clock_reads;
}

static backoff_policy *counted_policy(void) {
  backoff_policy *p = harness_policy();
  assert_int_equal(backoff_policy_clock(p, counting_clock, NULL, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_sleep(p, no_sleep, NULL, NULL), BACKOFF_OK);
  assert_int_equal(backoff_policy_wait_constant(p, 0), BACKOFF_OK);
  return p;
}

static void hook(const backoff_details *d, void *data) {
  (void)d;
  (void)data;
}
static void sink(int level, const char *message, const backoff_details *d,
                 void *data) {
  (void)level;
  (void)message;
  (void)d;
  (void)data;
}
static double no_hint(const backoff_details *d, void *data) {
  (void)d;
  (void)data;
  return -1.0;
}
static double five_seconds(void *data) {
  (void)data;
  return 5.0;
}
static double zero_wait(const backoff_details *d, void *data) {
  (void)d;
  (void)data;
  return 0.0;
}
static int rc_verdict(const backoff_details *d, void *data) {
  (void)data;
  return d->last_rc == 0 ? BACKOFF_VERDICT_SUCCESS : BACKOFF_VERDICT_RETRY;
}

static void nothing_observes_a_plain_policy(void **state) {
  static const int codes[] = {1, 2};
  backoff_policy *p = counted_policy();
  (void)state;
  assert_int_equal(reads_of_runs(p), 0);
  /* settings that do not show the time to anyone */
  assert_int_equal(backoff_policy_max_tries(p, 5), BACKOFF_OK);
  assert_int_equal(backoff_policy_jitter(p, BACKOFF_JITTER_FULL), BACKOFF_OK);
  assert_int_equal(backoff_policy_seed(p, 7), BACKOFF_OK);
  assert_int_equal(backoff_policy_retry_on(p, codes, 2), BACKOFF_OK);
  assert_int_equal(backoff_policy_hint_max(p, 30), BACKOFF_OK);
  assert_int_equal(backoff_policy_hint(p, no_hint, NULL, NULL), BACKOFF_OK);
  assert_int_equal(backoff_policy_log_levels(p, 1, 2), BACKOFF_OK);
  assert_int_equal(backoff_policy_wait_constant(p, 0), BACKOFF_OK);
  assert_int_equal(reads_of_runs(p), 0);
  backoff_policy_free(p);
}

static void a_time_limit_observes_until_removed(void **state) {
  backoff_policy *p = counted_policy();
  (void)state;
  assert_int_equal(backoff_policy_max_time(p, 60), BACKOFF_OK);
  assert_int_equal(reads_of_runs(p), 3); /* start, failure; start */
  assert_int_equal(backoff_policy_max_time(p, 0), BACKOFF_OK);
  assert_int_equal(reads_of_runs(p), 0);
  assert_int_equal(backoff_policy_max_time_fn(p, five_seconds, NULL, NULL),
                   BACKOFF_OK);
  assert_int_equal(reads_of_runs(p), 3);
  assert_int_equal(backoff_policy_max_time(p, INFINITY), BACKOFF_OK);
  assert_int_equal(reads_of_runs(p), 0);
  backoff_policy_free(p);
}

static void each_hook_observes(void **state) {
  backoff_status (*const adders[])(backoff_policy *, backoff_hook_fn, void *,
                                   backoff_destroy_fn) = {
      backoff_policy_on_try, backoff_policy_on_backoff,
      backoff_policy_on_success, backoff_policy_on_giveup};
  size_t i;
  (void)state;
  for (i = 0; i < sizeof adders / sizeof adders[0]; ++i) {
    backoff_policy *p = counted_policy();
    assert_int_equal(adders[i](p, hook, NULL, NULL), BACKOFF_OK);
    assert_true(reads_of_runs(p) > 0);
    backoff_policy_free(p);
  }
}

static void the_log_observes_until_removed(void **state) {
  backoff_policy *p = counted_policy();
  (void)state;
  assert_int_equal(backoff_policy_log(p, sink, NULL, NULL), BACKOFF_OK);
  assert_true(reads_of_runs(p) > 0);
  assert_int_equal(backoff_policy_log(p, NULL, NULL, NULL), BACKOFF_OK);
  assert_int_equal(reads_of_runs(p), 0);
  backoff_policy_free(p);
}

static void a_budget_observes_until_detached(void **state) {
  backoff_policy *p = counted_policy();
  backoff_budget *b = NULL;
  (void)state;
  assert_int_equal(backoff_budget_new(&b, 0.5, 10, 10), BACKOFF_OK);
  assert_int_equal(backoff_policy_budget(p, b), BACKOFF_OK);
  assert_true(reads_of_runs(p) > 0);
  assert_int_equal(backoff_policy_budget(p, NULL), BACKOFF_OK);
  assert_int_equal(reads_of_runs(p), 0);
  backoff_budget_free(b);
  backoff_policy_free(p);
}

static void functions_that_read_details_observe_until_replaced(void **state) {
  static const int codes[] = {1};
  backoff_policy *p = counted_policy();
  (void)state;
  assert_int_equal(backoff_policy_wait_custom(p, zero_wait, NULL, NULL),
                   BACKOFF_OK);
  assert_true(reads_of_runs(p) > 0);
  assert_int_equal(backoff_policy_wait_constant(p, 0), BACKOFF_OK);
  assert_int_equal(reads_of_runs(p), 0);
  assert_int_equal(backoff_policy_classify(p, rc_verdict, NULL, NULL),
                   BACKOFF_OK);
  assert_true(reads_of_runs(p) > 0);
  assert_int_equal(backoff_policy_retry_on(p, codes, 1), BACKOFF_OK);
  assert_int_equal(reads_of_runs(p), 0);
  backoff_policy_free(p);
}

static void a_spec_keeps_it_current(void **state) {
  backoff_policy *p = counted_policy();
  (void)state;
  assert_int_equal(backoff_policy_parse(p, "time=60", NULL, NULL, 0),
                   BACKOFF_OK);
  assert_int_equal(reads_of_runs(p), 3);
  assert_int_equal(backoff_policy_parse(p, "time=0", NULL, NULL, 0),
                   BACKOFF_OK);
  assert_int_equal(reads_of_runs(p), 0);
  assert_int_equal(backoff_policy_parse(p, "budget(ratio=1,min=10,window=10)",
                                        NULL, NULL, 0),
                   BACKOFF_OK);
  assert_true(reads_of_runs(p) > 0);
  /* a spec that fails to parse changes nothing */
  assert_int_equal(backoff_policy_parse(p, "time=oops", NULL, NULL, 0),
                   BACKOFF_E_PARSE);
  assert_true(reads_of_runs(p) > 0);
  backoff_policy_free(p);
}

static void details_asked_for_are_measured(void **state) {
  backoff_policy *p = counted_policy();
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  clock_reads = 0;
  fail_once_calls = 1;
  assert_int_equal(backoff_run(p, fail_once, NULL, &d), BACKOFF_OK);
  assert_int_equal(clock_reads, 2); /* start and end */
  assert_double_equal(d.elapsed, 1.0);
  backoff_policy_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(nothing_observes_a_plain_policy),
      cmocka_unit_test(a_time_limit_observes_until_removed),
      cmocka_unit_test(each_hook_observes),
      cmocka_unit_test(the_log_observes_until_removed),
      cmocka_unit_test(a_budget_observes_until_detached),
      cmocka_unit_test(functions_that_read_details_observe_until_replaced),
      cmocka_unit_test(a_spec_keeps_it_current),
      cmocka_unit_test(details_asked_for_are_measured),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
