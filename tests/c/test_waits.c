/* Each wait generator's exact sequence (jitter NONE, fake time). */
#include "harness.h"

#include <float.h>
#include <math.h>

/* The first n waits of a run of p are exactly expected[0..n). */
static void assert_waits(const backoff_policy *p, const double *expected,
                         size_t n) {
  double waits[64];
  size_t count = 0;
  size_t i;
  assert_true(n <= 64);
  assert_int_equal(harness_waits(p, n, waits, &count), BACKOFF_RETRY);
  assert_int_equal(count, n);
  for (i = 0; i < n; ++i)
    assert_double_equal(waits[i], expected[i]);
}

static void expo_defaults_double_from_one(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  const double expected[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
  (void)state;
  assert_waits(p, expected, 10);
  backoff_policy_free(p);
}

static void expo_stays_at_its_cap(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  const double reaches_cap[] = {1, 2, 4, 8, 16, 16, 16};
  const double passes_cap[] = {1, 2, 4, 8, 10, 10, 10};
  (void)state;
  assert_int_equal(backoff_policy_wait_expo(p, 2, 1, 16), BACKOFF_OK);
  assert_waits(p, reaches_cap, 7);
  assert_int_equal(backoff_policy_wait_expo(p, 2, 1, 10), BACKOFF_OK);
  assert_waits(p, passes_cap, 7);
  backoff_policy_free(p);
}

static void expo_uses_base_and_factor(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  const double base3[] = {0.5, 1.5, 4.5, 13.5, 40.5};
  const double base_half_step[] = {2, 3, 4.5, 6.75, 10.125};
  (void)state;
  assert_int_equal(backoff_policy_wait_expo(p, 3, 0.5, 0), BACKOFF_OK);
  assert_waits(p, base3, 5);
  assert_int_equal(backoff_policy_wait_expo(p, 1.5, 2, HUGE_VAL), BACKOFF_OK);
  assert_waits(p, base_half_step, 5);
  backoff_policy_free(p);
}

/* The reference raises OverflowError near n = 1024; we saturate. */
static void expo_without_cap_saturates_at_dbl_max(void **state) {
  enum { N = 1100 };
  static double waits[N];
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  size_t count = 0;
  size_t i;
  (void)state;
  assert_int_equal(harness_waits(p, N, waits, &count), BACKOFF_RETRY);
  assert_int_equal(count, N);
  for (i = 0; i < N; ++i) {
    assert_true(isfinite(waits[i]));
    if (i > 0)
      assert_true(waits[i] >= waits[i - 1]);
  }
  assert_double_equal(waits[1023], ldexp(1.0, 1023));
  assert_double_equal(waits[1024], DBL_MAX);
  assert_double_equal(waits[N - 1], DBL_MAX);
  backoff_policy_free(p);
}

static void total_wait_saturates_at_dbl_max(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  backoff_state *s = NULL;
  backoff_details d = BACKOFF_DETAILS_INIT;
  double wait;
  unsigned i;
  (void)state;
  assert_int_equal(backoff_state_new(p, NULL, NULL, &s), BACKOFF_OK);
  for (i = 0; i < 1100; ++i) {
    assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
    assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_RETRY);
  }
  assert_int_equal(backoff_state_details(s, &d), BACKOFF_OK);
  assert_double_equal(d.total_wait, DBL_MAX); /* not +inf */
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void fibo_sequence_and_cap(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  const double uncapped[] = {1, 1, 2, 3, 5, 8, 13, 21, 34};
  const double capped[] = {1, 1, 2, 3, 5, 8, 10, 10, 10};
  (void)state;
  assert_int_equal(backoff_policy_wait_fibo(p, 0), BACKOFF_OK);
  assert_waits(p, uncapped, 9);
  assert_int_equal(backoff_policy_wait_fibo(p, 10), BACKOFF_OK);
  assert_waits(p, capped, 9);
  backoff_policy_free(p);
}

static void constant_repeats_its_interval(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  const double interval[] = {2.5, 2.5, 2.5, 2.5, 2.5};
  const double zero[] = {0, 0, 0, 0};
  (void)state;
  assert_int_equal(backoff_policy_wait_constant(p, 2.5), BACKOFF_OK);
  assert_waits(p, interval, 5);
  assert_int_equal(backoff_policy_wait_constant(p, 0), BACKOFF_OK);
  assert_waits(p, zero, 4);
  backoff_policy_free(p);
}

static void constant_zero_retries_at_once(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  const int rcs[] = {1, 1, 1, 0};
  harness_script script = {rcs, 4, 0.0, NULL, 0, {0}};
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_wait_constant(p, 0), BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                   BACKOFF_OK);
  assert_int_equal(script.calls, 4);
  assert_double_equal(t.now, 0.0);
  assert_double_equal(d.total_wait, 0.0);
  backoff_policy_free(p);
}

static void sequence_then_gives_up_exhausted(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  const double values[] = {0.5, 1, 2};
  const int rcs[] = {7};
  harness_script script = {rcs, 1, 0.0, NULL, 0, {0}};
  harness_calls giveups = {0};
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_wait_sequence(p, values, 3), BACKOFF_OK);
  assert_int_equal(backoff_policy_on_giveup(p, harness_record_hook, &giveups,
                                            NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                   BACKOFF_GAVE_UP_EXHAUSTED);
  assert_int_equal(script.calls, 4);
  assert_int_equal(t.n_sleeps, 3);
  assert_double_equal(t.sleeps[0], 0.5);
  assert_double_equal(t.sleeps[1], 1.0);
  assert_double_equal(t.sleeps[2], 2.0);
  assert_int_equal(giveups.n, 1);
  assert_int_equal(giveups.seen[0].outcome, BACKOFF_GAVE_UP_EXHAUSTED);
  assert_int_equal(giveups.seen[0].tries, 4);
  assert_int_equal(giveups.seen[0].last_rc, 7);
  assert_int_equal(d.outcome, BACKOFF_GAVE_UP_EXHAUSTED);
  assert_double_equal(d.total_wait, 3.5);
  backoff_policy_free(p);
}

static void decay_shrinks_to_its_floor(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  double waits[8];
  size_t count = 0;
  size_t n;
  (void)state;
  assert_int_equal(backoff_policy_wait_decay(p, 10, 0.5, 0), BACKOFF_OK);
  assert_int_equal(harness_waits(p, 6, waits, &count), BACKOFF_RETRY);
  assert_int_equal(count, 6);
  for (n = 0; n < 6; ++n)
    assert_double_near(waits[n], 10.0 * exp(-0.5 * (double)n), 1e-12);

  assert_int_equal(backoff_policy_wait_decay(p, 10, 1, 2), BACKOFF_OK);
  assert_int_equal(harness_waits(p, 5, waits, &count), BACKOFF_RETRY);
  assert_double_equal(waits[0], 10.0);
  assert_double_near(waits[1], 10.0 * exp(-1.0), 1e-12);
  assert_double_equal(waits[2], 2.0); /* 1.35 is below the floor */
  assert_double_equal(waits[3], 2.0);
  assert_double_equal(waits[4], 2.0);

  assert_int_equal(backoff_policy_wait_decay(p, 3, 0, 0), BACKOFF_OK);
  assert_int_equal(harness_waits(p, 3, waits, &count), BACKOFF_RETRY);
  assert_double_equal(waits[0], 3.0);
  assert_double_equal(waits[2], 3.0);
  backoff_policy_free(p);
}

static void linear_grows_to_its_cap(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  const double uncapped[] = {1, 1.5, 2, 2.5, 3};
  const double capped[] = {0, 2, 4, 5, 5, 5};
  (void)state;
  assert_int_equal(backoff_policy_wait_linear(p, 1, 0.5, 0), BACKOFF_OK);
  assert_waits(p, uncapped, 5);
  assert_int_equal(backoff_policy_wait_linear(p, 0, 2, 5), BACKOFF_OK);
  assert_waits(p, capped, 6);
  backoff_policy_free(p);
}

/* The attempt leaves the server's Retry-After in the run's user data. */
typedef struct server {
  unsigned calls;
  double retry_after;
  unsigned wait_calls;
} server;

static int busy_server(void *user_data) {
  server *s = user_data;
  s->calls++;
  s->retry_after = 0.25 * s->calls;
  return s->calls < 4 ? 503 : 0;
}

static double honour_retry_after(const backoff_details *d, void *data) {
  server *s = d->user_data;
  assert_string_equal((const char *)data, "policy data");
  assert_int_equal(d->last_rc, 503);
  assert_int_equal(d->tries, s->calls);
  s->wait_calls++;
  return s->retry_after;
}

static void custom_wait_reads_retry_after(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  server s = {0, 0.0, 0};
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_wait_custom(p, honour_retry_after,
                                              "policy data", NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, busy_server, &s, &d), BACKOFF_OK);
  assert_int_equal(s.calls, 4);
  assert_int_equal(s.wait_calls, 3);
  assert_int_equal(t.n_sleeps, 3);
  assert_double_equal(t.sleeps[0], 0.25);
  assert_double_equal(t.sleeps[1], 0.5);
  assert_double_equal(t.sleeps[2], 0.75);
  assert_double_equal(d.total_wait, 1.5);
  backoff_policy_free(p);
}

/* Returns its data's first value at the first call, then its second. */
static double stop_at_second_wait(const backoff_details *d, void *data) {
  const double *answers = data;
  return answers[d->tries > 1 ? 1 : 0];
}

static void custom_wait_stops_with_exhausted(double stop) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  double answers[2];
  const int rcs[] = {1};
  harness_script script = {rcs, 1, 0.0, NULL, 0, {0}};
  harness_calls giveups = {0};
  backoff_details d = BACKOFF_DETAILS_INIT;
  answers[0] = 1.0;
  answers[1] = stop;
  assert_int_equal(
      backoff_policy_wait_custom(p, stop_at_second_wait, answers, NULL),
      BACKOFF_OK);
  assert_int_equal(backoff_policy_on_giveup(p, harness_record_hook, &giveups,
                                            NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                   BACKOFF_GAVE_UP_EXHAUSTED);
  assert_int_equal(script.calls, 2);
  assert_int_equal(t.n_sleeps, 1);
  assert_double_equal(t.sleeps[0], 1.0);
  assert_int_equal(giveups.n, 1);
  assert_int_equal(giveups.seen[0].outcome, BACKOFF_GAVE_UP_EXHAUSTED);
  backoff_policy_free(p);
}

static void custom_wait_negative_ends_run(void **state) {
  (void)state;
  custom_wait_stops_with_exhausted(-1.0);
}

static void custom_wait_nan_ends_run(void **state) {
  (void)state;
  custom_wait_stops_with_exhausted(NAN);
}

static void custom_wait_infinite_ends_run(void **state) {
  (void)state;
  custom_wait_stops_with_exhausted(HUGE_VAL);
}

/* Nothing carries over between runs: each starts at the first wait. */
static void every_run_starts_a_fresh_generator(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  const double expected[] = {1, 2, 4};
  (void)state;
  assert_waits(p, expected, 3);
  assert_waits(p, expected, 3);
  backoff_policy_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(expo_defaults_double_from_one),
      cmocka_unit_test(expo_stays_at_its_cap),
      cmocka_unit_test(expo_uses_base_and_factor),
      cmocka_unit_test(expo_without_cap_saturates_at_dbl_max),
      cmocka_unit_test(total_wait_saturates_at_dbl_max),
      cmocka_unit_test(fibo_sequence_and_cap),
      cmocka_unit_test(constant_repeats_its_interval),
      cmocka_unit_test(constant_zero_retries_at_once),
      cmocka_unit_test(sequence_then_gives_up_exhausted),
      cmocka_unit_test(decay_shrinks_to_its_floor),
      cmocka_unit_test(linear_grows_to_its_cap),
      cmocka_unit_test(custom_wait_reads_retry_after),
      cmocka_unit_test(custom_wait_negative_ends_run),
      cmocka_unit_test(custom_wait_nan_ends_run),
      cmocka_unit_test(custom_wait_infinite_ends_run),
      cmocka_unit_test(every_run_starts_a_fresh_generator),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
