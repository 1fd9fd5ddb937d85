/* Every setter refuses bad input with BACKOFF_E_INVALID and leaves the
 * policy exactly as it was. "Unchanged" is proved by behaviour: a seeded run
 * on fake time (its fingerprint) is identical before and after. Each family
 * also shows that a valid call does change the fingerprint, so the check
 * could fail. */
#include "harness.h"

#include <math.h>

typedef struct fixture {
  harness_time t;
  backoff_policy *p;
  harness_fingerprint before;
} fixture;

static void start(fixture *f) {
  f->p = harness_fingerprint_policy(&f->t);
  harness_fingerprint_of(f->p, &f->t, &f->before);
  /* the baseline fails six times and gives up on tries */
  assert_int_equal(f->before.status, BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(f->before.attempts, 6);
}

static void assert_unchanged(fixture *f) {
  harness_fingerprint after;
  harness_fingerprint_of(f->p, &f->t, &after);
  harness_assert_same_fingerprint(&f->before, &after);
}

/* A valid call of the same setter: accepted, and visible in a run. */
static void assert_changes(fixture *f, backoff_status status) {
  harness_fingerprint after;
  assert_int_equal(status, BACKOFF_OK);
  harness_fingerprint_of(f->p, &f->t, &after);
  assert_true(harness_fingerprints_differ(&f->before, &after));
  backoff_policy_free(f->p);
  f->p = NULL;
}

#define assert_refused(f, call)                                                \
  do {                                                                         \
    assert_int_equal((call), BACKOFF_E_INVALID);                               \
    assert_unchanged(f);                                                       \
  } while (0)

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Values refused where a number must be finite and > 0, finite and >= 0,
 * or a cap / limit (where 0 and +inf mean "none"). */
static const double not_positive[] = {0.0, -1.0, -HUGE_VAL, HUGE_VAL, NAN};
static const double not_at_least_zero[] = {-1e-9, -HUGE_VAL, HUGE_VAL, NAN};
static const double not_a_limit[] = {-1.0, -HUGE_VAL, NAN};

static void expo_refuses_bad_numbers(void **state) {
  fixture f;
  size_t i;
  (void)state;
  start(&f);
  for (i = 0; i < COUNT(not_positive); ++i) {
    assert_refused(&f, backoff_policy_wait_expo(f.p, not_positive[i], 1, 0));
    assert_refused(&f, backoff_policy_wait_expo(f.p, 2, not_positive[i], 0));
  }
  for (i = 0; i < COUNT(not_a_limit); ++i)
    assert_refused(&f, backoff_policy_wait_expo(f.p, 2, 1, not_a_limit[i]));
  assert_refused(&f, backoff_policy_wait_expo(NULL, 2, 1, 0));
  assert_changes(&f, backoff_policy_wait_expo(f.p, 3, 0.5, 6));
}

static void fibo_refuses_bad_cap(void **state) {
  fixture f;
  size_t i;
  (void)state;
  start(&f);
  for (i = 0; i < COUNT(not_a_limit); ++i)
    assert_refused(&f, backoff_policy_wait_fibo(f.p, not_a_limit[i]));
  assert_refused(&f, backoff_policy_wait_fibo(NULL, 6));
  assert_changes(&f, backoff_policy_wait_fibo(f.p, 6));
}

static void constant_refuses_bad_interval(void **state) {
  fixture f;
  size_t i;
  (void)state;
  start(&f);
  for (i = 0; i < COUNT(not_at_least_zero); ++i)
    assert_refused(&f, backoff_policy_wait_constant(f.p, not_at_least_zero[i]));
  assert_refused(&f, backoff_policy_wait_constant(NULL, 1));
  assert_changes(&f, backoff_policy_wait_constant(f.p, 0.5));
}

static void sequence_refuses_bad_values(void **state) {
  fixture f;
  size_t i;
  double values[3] = {1, 2, 3};
  (void)state;
  start(&f);
  assert_refused(&f, backoff_policy_wait_sequence(f.p, NULL, 3));
  assert_refused(&f, backoff_policy_wait_sequence(f.p, values, 0));
  assert_refused(&f, backoff_policy_wait_sequence(NULL, values, 3));
  for (i = 0; i < COUNT(not_at_least_zero); ++i) {
    values[2] = not_at_least_zero[i]; /* one bad value spoils the lot */
    assert_refused(&f, backoff_policy_wait_sequence(f.p, values, 3));
  }
  assert_changes(&f, backoff_policy_wait_sequence(f.p, values, 2));
}

static void decay_refuses_bad_numbers(void **state) {
  fixture f;
  size_t i;
  (void)state;
  start(&f);
  for (i = 0; i < COUNT(not_positive); ++i)
    assert_refused(&f, backoff_policy_wait_decay(f.p, not_positive[i], 1, 0));
  for (i = 0; i < COUNT(not_at_least_zero); ++i) {
    assert_refused(&f,
                   backoff_policy_wait_decay(f.p, 3, not_at_least_zero[i], 0));
    assert_refused(&f,
                   backoff_policy_wait_decay(f.p, 3, 1, not_at_least_zero[i]));
  }
  assert_refused(&f, backoff_policy_wait_decay(NULL, 3, 1, 0));
  assert_changes(&f, backoff_policy_wait_decay(f.p, 3, 0.5, 0));
}

static void linear_refuses_bad_numbers(void **state) {
  fixture f;
  size_t i;
  (void)state;
  start(&f);
  for (i = 0; i < COUNT(not_at_least_zero); ++i) {
    assert_refused(&f,
                   backoff_policy_wait_linear(f.p, not_at_least_zero[i], 1, 0));
    assert_refused(&f,
                   backoff_policy_wait_linear(f.p, 1, not_at_least_zero[i], 0));
  }
  for (i = 0; i < COUNT(not_a_limit); ++i)
    assert_refused(&f, backoff_policy_wait_linear(f.p, 1, 1, not_a_limit[i]));
  assert_refused(&f, backoff_policy_wait_linear(NULL, 1, 1, 0));
  assert_changes(&f, backoff_policy_wait_linear(f.p, 1, 1, 0));
}

static double half_second(const backoff_details *d, void *data) {
  (void)d, (void)data;
  return 0.5;
}

static void custom_wait_refuses_null_function(void **state) {
  fixture f;
  (void)state;
  start(&f);
  assert_refused(&f, backoff_policy_wait_custom(f.p, NULL, NULL, NULL));
  assert_refused(&f, backoff_policy_wait_custom(NULL, half_second, NULL, NULL));
  assert_changes(&f, backoff_policy_wait_custom(f.p, half_second, NULL, NULL));
}

static void jitter_refuses_unknown_kinds(void **state) {
  fixture f;
  const int kinds[] = {-1, BACKOFF_JITTER_CUSTOM, 7, 1000};
  size_t i;
  (void)state;
  start(&f);
  for (i = 0; i < COUNT(kinds); ++i)
    assert_refused(&f, backoff_policy_jitter(f.p, kinds[i]));
  assert_refused(&f, backoff_policy_jitter(NULL, BACKOFF_JITTER_NONE));
  assert_changes(&f, backoff_policy_jitter(f.p, BACKOFF_JITTER_FULL));
}

static void proportional_refuses_spread_outside_0_1(void **state) {
  fixture f;
  const double spreads[] = {-0.01, 1.01, NAN, HUGE_VAL, -HUGE_VAL};
  size_t i;
  (void)state;
  start(&f);
  for (i = 0; i < COUNT(spreads); ++i)
    assert_refused(&f, backoff_policy_jitter_proportional(f.p, spreads[i]));
  assert_refused(&f, backoff_policy_jitter_proportional(NULL, 0.5));
  assert_changes(&f, backoff_policy_jitter_proportional(f.p, 1.0));
}

static double third(double w, double u, void *data) {
  (void)u, (void)data;
  return w / 3;
}

static void custom_jitter_refuses_null_function(void **state) {
  fixture f;
  (void)state;
  start(&f);
  assert_refused(&f, backoff_policy_jitter_custom(f.p, NULL, NULL, NULL));
  assert_refused(&f, backoff_policy_jitter_custom(NULL, third, NULL, NULL));
  assert_changes(&f, backoff_policy_jitter_custom(f.p, third, NULL, NULL));
}

static void max_time_refuses_bad_seconds(void **state) {
  fixture f;
  size_t i;
  (void)state;
  start(&f);
  for (i = 0; i < COUNT(not_a_limit); ++i)
    assert_refused(&f, backoff_policy_max_time(f.p, not_a_limit[i]));
  assert_refused(&f, backoff_policy_max_time(NULL, 5));
  assert_changes(&f, backoff_policy_max_time(f.p, 5));
}

static unsigned two_tries(void *data) {
  (void)data;
  return 2;
}

static double three_seconds(void *data) {
  (void)data;
  return 3.0;
}

static void limit_functions_refuse_null(void **state) {
  fixture f;
  (void)state;
  start(&f);
  assert_refused(&f, backoff_policy_max_tries(NULL, 3));
  assert_refused(&f, backoff_policy_max_tries_fn(f.p, NULL, NULL, NULL));
  assert_refused(&f, backoff_policy_max_tries_fn(NULL, two_tries, NULL, NULL));
  assert_refused(&f, backoff_policy_max_time_fn(f.p, NULL, NULL, NULL));
  assert_refused(&f,
                 backoff_policy_max_time_fn(NULL, three_seconds, NULL, NULL));
  assert_changes(&f, backoff_policy_max_tries_fn(f.p, two_tries, NULL, NULL));
  start(&f);
  assert_changes(&f,
                 backoff_policy_max_time_fn(f.p, three_seconds, NULL, NULL));
}

static int always_give_up(const backoff_details *d, void *data) {
  (void)d, (void)data;
  return BACKOFF_VERDICT_GIVE_UP;
}

static void classifiers_refuse_bad_arguments(void **state) {
  fixture f;
  const int with_zero[] = {11, 0, 13};
  const int eleven[] = {11};
  const int twelve[] = {12};
  (void)state;
  start(&f);
  assert_refused(&f, backoff_policy_classify(f.p, NULL, NULL, NULL));
  assert_refused(&f, backoff_policy_classify(NULL, always_give_up, NULL, NULL));
  assert_refused(&f, backoff_policy_retry_on(f.p, NULL, 1));
  assert_refused(&f, backoff_policy_retry_on(f.p, eleven, 0));
  assert_refused(&f, backoff_policy_retry_on(f.p, with_zero, 3));
  assert_refused(&f, backoff_policy_retry_on(NULL, eleven, 1));
  assert_refused(&f, backoff_policy_giveup_on(f.p, NULL, 1));
  assert_refused(&f, backoff_policy_giveup_on(f.p, twelve, 0));
  assert_refused(&f, backoff_policy_giveup_on(f.p, with_zero, 3));
  assert_refused(&f, backoff_policy_giveup_on(NULL, twelve, 1));
  assert_changes(&f, backoff_policy_classify(f.p, always_give_up, NULL, NULL));
  start(&f);
  assert_changes(&f, backoff_policy_retry_on(f.p, eleven, 1));
  start(&f);
  assert_changes(&f, backoff_policy_giveup_on(f.p, twelve, 1));
}

static void crash_if_called(const backoff_details *d, void *data) {
  (void)d, (void)data;
  fail();
}

/* A hook added despite the refusal would be called by the fingerprint run
 * (a NULL one would crash it). */
static void hooks_refuse_null(void **state) {
  fixture f;
  (void)state;
  start(&f);
  assert_refused(&f, backoff_policy_on_try(f.p, NULL, NULL, NULL));
  assert_refused(&f, backoff_policy_on_backoff(f.p, NULL, NULL, NULL));
  assert_refused(&f, backoff_policy_on_success(f.p, NULL, NULL, NULL));
  assert_refused(&f, backoff_policy_on_giveup(f.p, NULL, NULL, NULL));
  assert_refused(&f, backoff_policy_on_try(NULL, crash_if_called, NULL, NULL));
  assert_refused(&f,
                 backoff_policy_on_backoff(NULL, crash_if_called, NULL, NULL));
  assert_refused(&f,
                 backoff_policy_on_success(NULL, crash_if_called, NULL, NULL));
  assert_refused(&f,
                 backoff_policy_on_giveup(NULL, crash_if_called, NULL, NULL));
  backoff_policy_free(f.p);
}

static void log_settings_refuse_bad_arguments(void **state) {
  fixture f;
  (void)state;
  start(&f);
  assert_refused(&f, backoff_policy_log_levels(f.p, -1, BACKOFF_LOG_ERROR));
  assert_refused(&f, backoff_policy_log_levels(f.p, BACKOFF_LOG_INFO, -1));
  assert_refused(&f, backoff_policy_log_levels(NULL, 10, 40));
  assert_refused(&f, backoff_policy_log(NULL, backoff_log_stderr, NULL, NULL));
  assert_changes(&f, backoff_policy_log_levels(f.p, BACKOFF_LOG_DEBUG,
                                               BACKOFF_LOG_WARNING));
}

static double zero_clock(void *data) {
  (void)data;
  return 0.0;
}

static void skip_sleep(double s, void *data) {
  (void)s, (void)data;
}

static void time_and_seed_refuse_null_policy(void **state) {
  fixture f;
  (void)state;
  start(&f);
  assert_refused(&f, backoff_policy_clock(NULL, zero_clock, NULL, NULL));
  assert_refused(&f, backoff_policy_sleep(NULL, skip_sleep, NULL, NULL));
  assert_refused(&f, backoff_policy_seed(NULL, 7));
  assert_changes(&f, backoff_policy_seed(f.p, 7));
}

static void new_refuses_null_out(void **state) {
  (void)state;
  assert_int_equal(backoff_policy_new(NULL), BACKOFF_E_INVALID);
  backoff_policy_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(expo_refuses_bad_numbers),
      cmocka_unit_test(fibo_refuses_bad_cap),
      cmocka_unit_test(constant_refuses_bad_interval),
      cmocka_unit_test(sequence_refuses_bad_values),
      cmocka_unit_test(decay_refuses_bad_numbers),
      cmocka_unit_test(linear_refuses_bad_numbers),
      cmocka_unit_test(custom_wait_refuses_null_function),
      cmocka_unit_test(jitter_refuses_unknown_kinds),
      cmocka_unit_test(proportional_refuses_spread_outside_0_1),
      cmocka_unit_test(custom_jitter_refuses_null_function),
      cmocka_unit_test(max_time_refuses_bad_seconds),
      cmocka_unit_test(limit_functions_refuse_null),
      cmocka_unit_test(classifiers_refuse_bad_arguments),
      cmocka_unit_test(hooks_refuse_null),
      cmocka_unit_test(log_settings_refuse_bad_arguments),
      cmocka_unit_test(time_and_seed_refuse_null_policy),
      cmocka_unit_test(new_refuses_null_out),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
