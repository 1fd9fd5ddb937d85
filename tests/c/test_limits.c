/* max_tries and max_time, fixed or computed per run, on fake time. */
#include "harness.h"

#include <math.h>
#include <string.h>

static const int always_fail[] = {1};

static void one_try_means_no_retry(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_max_tries(p, 1), BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(script.calls, 1);
  assert_int_equal(t.n_sleeps, 0);
  assert_int_equal(d.tries, 1);
  assert_int_equal(d.last_rc, 1);
  assert_double_equal(d.total_wait, 0.0);
  backoff_policy_free(p);
}

static void tries_count_every_attempt(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_max_tries(p, 3), BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(script.calls, 3);
  assert_int_equal(t.n_sleeps, 2); /* no wait after the last attempt */
  assert_double_equal(d.total_wait, 3.0);
  backoff_policy_free(p);
}

static int succeed_at_500(void *user_data) {
  unsigned *calls = user_data;
  return ++*calls == 500 ? 0 : 1;
}

static void zero_tries_is_unlimited(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  unsigned calls = 0;
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_wait_constant(p, 0.01), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_tries(p, 5), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_tries(p, 0), BACKOFF_OK);
  assert_int_equal(backoff_run(p, succeed_at_500, &calls, &d), BACKOFF_OK);
  assert_int_equal(calls, 500);
  assert_int_equal(d.tries, 500);
  assert_int_equal(d.outcome, BACKOFF_OK);
  backoff_policy_free(p);
}

/* Attempts at 0, 3, 6, 9; the wait after the 4th is cut to the 1 s left;
 * the 5th attempt starts at 10 = max_time and is the last. */
static void last_wait_is_clamped_to_the_time_left(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  harness_calls backoffs = {0};
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_wait_constant(p, 3), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_time(p, 10), BACKOFF_OK);
  assert_int_equal(backoff_policy_on_backoff(p, harness_record_hook, &backoffs,
                                             NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                   BACKOFF_GAVE_UP_TIME);
  assert_int_equal(script.calls, 5);
  assert_int_equal(t.n_sleeps, 4);
  assert_double_equal(t.sleeps[2], 3.0);
  assert_double_equal(t.sleeps[3], 1.0);
  assert_int_equal(backoffs.n, 4);
  assert_double_equal(backoffs.seen[3].wait, 1.0);
  assert_double_equal(backoffs.seen[3].remaining, 1.0);
  assert_double_equal(backoffs.seen[3].elapsed, 9.0);
  assert_double_equal(d.elapsed, 10.0);
  assert_double_equal(d.remaining, 0.0);
  assert_double_equal(d.total_wait, 10.0);
  backoff_policy_free(p);
}

/* The reference measures elapsed before the attempt and would retry. */
static void slow_attempt_past_max_time_is_not_retried(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_script script = {always_fail, 1, 12.0, &t, 0, {0}};
  harness_calls giveups = {0};
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_max_time(p, 10), BACKOFF_OK);
  assert_int_equal(backoff_policy_on_giveup(p, harness_record_hook, &giveups,
                                            NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                   BACKOFF_GAVE_UP_TIME);
  assert_int_equal(script.calls, 1);
  assert_int_equal(t.n_sleeps, 0);
  assert_double_equal(d.elapsed, 12.0);
  assert_double_equal(d.remaining, 0.0);
  assert_int_equal(giveups.n, 1);
  assert_int_equal(giveups.seen[0].outcome, BACKOFF_GAVE_UP_TIME);
  assert_double_equal(giveups.seen[0].elapsed, 12.0);
  backoff_policy_free(p);
}

static void jitter_is_applied_before_the_clamp(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  (void)state;
  /* RANDOM gives 4 + U[0,1) >= 4, more than the 2 s left. */
  assert_int_equal(backoff_policy_wait_constant(p, 4), BACKOFF_OK);
  assert_int_equal(backoff_policy_jitter(p, BACKOFF_JITTER_RANDOM), BACKOFF_OK);
  assert_int_equal(backoff_policy_seed(p, 1), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_time(p, 2), BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TIME);
  assert_int_equal(t.n_sleeps, 1);
  assert_double_equal(t.sleeps[0], 2.0);
  backoff_policy_free(p);
}

static void tries_are_checked_before_time(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_script script = {always_fail, 1, 5.0, &t, 0, {0}};
  (void)state;
  assert_int_equal(backoff_policy_max_tries(p, 1), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_time(p, 1), BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  backoff_policy_free(p);
}

static void infinite_max_time_is_unlimited(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  const int rcs[] = {1, 1, 1, 1, 0};
  harness_script script = {rcs, 5, 100.0, &t, 0, {0}};
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_max_time(p, 1), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_time(p, HUGE_VAL), BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                   BACKOFF_OK);
  assert_int_equal(script.calls, 5);
  assert_true(isinf(d.remaining) && d.remaining > 0);
  assert_int_equal(backoff_policy_max_time(p, 0), BACKOFF_OK);
  script.calls = 0;
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                   BACKOFF_OK);
  assert_int_equal(script.calls, 5);
  backoff_policy_free(p);
}

typedef struct limit_source {
  unsigned calls;
  unsigned tries;
  double seconds;
  unsigned destroyed;
} limit_source;

static void destroy_source(void *data) { ((limit_source *)data)->destroyed++; }

static unsigned tries_from(void *data) {
  limit_source *source = data;
  source->calls++;
  return source->tries;
}

static double time_from(void *data) {
  limit_source *source = data;
  source->calls++;
  return source->seconds;
}

static void tries_fn_is_evaluated_once_per_run(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  limit_source source = {0, 3, 0.0, 0};
  (void)state;
  assert_int_equal(backoff_policy_max_tries(p, 10), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_tries_fn(p, tries_from, &source,
                                               destroy_source),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(script.calls, 3);
  assert_int_equal(source.calls, 1);

  source.tries = 2; /* read again by the next run */
  script.calls = 0;
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(script.calls, 2);
  assert_int_equal(source.calls, 2);

  /* A fixed limit replaces the function. */
  assert_int_equal(backoff_policy_max_tries(p, 4), BACKOFF_OK);
  script.calls = 0;
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(script.calls, 4);
  assert_int_equal(source.calls, 2);
  assert_int_equal(source.destroyed, 1);
  backoff_policy_free(p);
  assert_int_equal(source.destroyed, 1);
}

static void tries_fn_zero_is_unlimited(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  limit_source source = {0, 0, 0.0, 0};
  unsigned calls = 0;
  (void)state;
  assert_int_equal(backoff_policy_wait_constant(p, 0), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_tries_fn(p, tries_from, &source, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, succeed_at_500, &calls, NULL), BACKOFF_OK);
  assert_int_equal(calls, 500);
  assert_int_equal(source.calls, 1);
  backoff_policy_free(p);
}

static void time_fn_is_evaluated_once_per_run(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_script script = {always_fail, 1, 1.0, &t, 0, {0}};
  limit_source source = {0, 0, 4.5, 0};
  (void)state;
  assert_int_equal(backoff_policy_wait_constant(p, 1), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_time_fn(p, time_from, &source, NULL),
                   BACKOFF_OK);
  /* attempts at 0, 2, 4 (ends at 5 >= 4.5) */
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TIME);
  assert_int_equal(script.calls, 3);
  assert_int_equal(source.calls, 1);

  source.seconds = HUGE_VAL; /* unlimited: the tries limit ends it */
  assert_int_equal(backoff_policy_max_tries(p, 7), BACKOFF_OK);
  script.calls = 0;
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(script.calls, 7);
  assert_int_equal(source.calls, 2);
  backoff_policy_free(p);
}

static void bad_time_fn_value_fails_before_any_attempt(double bad) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  limit_source source = {0, 0, bad, 0};
  harness_calls hooks = {0};
  backoff_details d;
  backoff_details untouched;
  memset(&d, 0xAB, sizeof d);
  d.size = sizeof d;
  memcpy(&untouched, &d, sizeof d);
  assert_int_equal(backoff_policy_max_time_fn(p, time_from, &source, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_try(p, harness_record_hook, &hooks, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_giveup(p, harness_record_hook, &hooks,
                                            NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                   BACKOFF_E_INVALID);
  assert_int_equal(script.calls, 0);
  assert_int_equal(hooks.n, 0);
  assert_memory_equal(&d, &untouched, sizeof d); /* errors change nothing */
  assert_int_equal(source.calls, 1);
  backoff_policy_free(p);
}

static void nan_time_fn_is_invalid(void **state) {
  (void)state;
  bad_time_fn_value_fails_before_any_attempt(NAN);
}

static void negative_time_fn_is_invalid(void **state) {
  (void)state;
  bad_time_fn_value_fails_before_any_attempt(-1.0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(one_try_means_no_retry),
      cmocka_unit_test(tries_count_every_attempt),
      cmocka_unit_test(zero_tries_is_unlimited),
      cmocka_unit_test(last_wait_is_clamped_to_the_time_left),
      cmocka_unit_test(slow_attempt_past_max_time_is_not_retried),
      cmocka_unit_test(jitter_is_applied_before_the_clamp),
      cmocka_unit_test(tries_are_checked_before_time),
      cmocka_unit_test(infinite_max_time_is_unlimited),
      cmocka_unit_test(tries_fn_is_evaluated_once_per_run),
      cmocka_unit_test(tries_fn_zero_is_unlimited),
      cmocka_unit_test(time_fn_is_evaluated_once_per_run),
      cmocka_unit_test(nan_time_fn_is_invalid),
      cmocka_unit_test(negative_time_fn_is_invalid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
