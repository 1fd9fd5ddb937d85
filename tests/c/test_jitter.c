/* Each jitter's bounds and spread over many seeded draws (seeded, so the
 * statistics are the same on every run and cannot flake), and the exact
 * formulas of equal and decorrelated jitter against the run's uniforms. */
#include "harness.h"

#include <float.h>
#include <math.h>
#include <string.h>

enum { DRAWS = 100000 };
static double draws[DRAWS];

/* A seeded constant(w) policy with jitter `kind` (CUSTOM: the caller sets
 * the function). */
static backoff_policy *jittered_constant(double w, int kind, uint64_t seed) {
  backoff_policy *p = harness_policy();
  assert_int_equal(backoff_policy_wait_constant(p, w), BACKOFF_OK);
  if (kind != BACKOFF_JITTER_CUSTOM)
    assert_int_equal(backoff_policy_jitter(p, kind), BACKOFF_OK);
  assert_int_equal(backoff_policy_seed(p, seed), BACKOFF_OK);
  return p;
}

/* The first n waits of one run of p, into draws[]. */
static void draw(const backoff_policy *p, size_t n) {
  size_t count = 0;
  assert_int_equal(harness_waits(p, n, draws, &count), BACKOFF_RETRY);
  assert_int_equal(count, n);
}

/* Checks every draw is in [lo, hi], the draws reach both ends of the range
 * (within 1% of its width), and their mean is within 1% of `mean`. */
static void assert_spread(double lo, double hi, double mean) {
  double sum = 0.0, smallest = HUGE_VAL, largest = -HUGE_VAL;
  size_t i;
  for (i = 0; i < DRAWS; ++i) {
    assert_double_in(draws[i], lo, hi);
    sum += draws[i];
    smallest = fmin(smallest, draws[i]);
    largest = fmax(largest, draws[i]);
  }
  assert_double_in(smallest, lo, lo + 0.01 * (hi - lo));
  assert_double_in(largest, hi - 0.01 * (hi - lo), hi);
  assert_double_near(sum / DRAWS, mean, 0.01 * mean);
}

static void full_jitter_is_uniform_up_to_the_wait(void **state) {
  backoff_policy *p = jittered_constant(8.0, BACKOFF_JITTER_FULL, 1);
  (void)state;
  draw(p, DRAWS);
  assert_spread(0.0, 8.0, 4.0);
  backoff_policy_free(p);
}

static void full_jitter_is_the_default(void **state) {
  backoff_policy *p = harness_policy();
  backoff_policy *full = jittered_constant(8.0, BACKOFF_JITTER_FULL, 5);
  double defaults[50];
  size_t i;
  (void)state;
  assert_int_equal(backoff_policy_wait_constant(p, 8.0), BACKOFF_OK);
  assert_int_equal(backoff_policy_seed(p, 5), BACKOFF_OK);
  draw(p, 50);
  memcpy(defaults, draws, sizeof defaults);
  draw(full, 50);
  for (i = 0; i < 50; ++i)
    assert_double_equal(defaults[i], draws[i]);
  backoff_policy_free(full);
  backoff_policy_free(p);
}

static void random_jitter_adds_up_to_a_second(void **state) {
  backoff_policy *p = jittered_constant(3.0, BACKOFF_JITTER_RANDOM, 2);
  size_t i;
  (void)state;
  draw(p, DRAWS);
  assert_spread(3.0, 4.0, 3.5);
  for (i = 0; i < DRAWS; ++i)
    assert_true(draws[i] < 4.0); /* U[0, 1): one second is never reached */
  backoff_policy_free(p);
}

static void equal_jitter_keeps_half_the_wait(void **state) {
  backoff_policy *p = jittered_constant(10.0, BACKOFF_JITTER_EQUAL, 3);
  (void)state;
  draw(p, DRAWS);
  assert_spread(5.0, 10.0, 7.5);
  backoff_policy_free(p);
}

static void proportional_jitter_defaults_to_half(void **state) {
  backoff_policy *p = jittered_constant(4.0, BACKOFF_JITTER_PROPORTIONAL, 4);
  (void)state;
  draw(p, DRAWS);
  assert_spread(2.0, 6.0, 4.0);
  backoff_policy_free(p);
}

static void proportional_jitter_uses_its_spread(void **state) {
  backoff_policy *p = jittered_constant(4.0, BACKOFF_JITTER_NONE, 6);
  size_t i;
  (void)state;
  assert_int_equal(backoff_policy_jitter_proportional(p, 0.2), BACKOFF_OK);
  draw(p, DRAWS);
  assert_spread(3.2, 4.8, 4.0);

  assert_int_equal(backoff_policy_jitter_proportional(p, 0.0), BACKOFF_OK);
  draw(p, 100);
  for (i = 0; i < 100; ++i)
    assert_double_equal(draws[i], 4.0);
  backoff_policy_free(p);
}

/* min(cap, U[base, 3 * previous]): base is the first generated wait (1 for
 * the default expo), previous the last real wait. */
static void decorrelated_jitter_follows_previous_wait(void **state) {
  enum { N = 2000 };
  backoff_policy *p = jittered_constant(1.0, BACKOFF_JITTER_DECORRELATED, 7);
  size_t i, capped = 0;
  (void)state;
  assert_int_equal(backoff_policy_wait_expo(p, 2, 1, 30), BACKOFF_OK);
  draw(p, N);
  assert_double_in(draws[0], 1.0, 3.0);
  for (i = 1; i < N; ++i) {
    assert_double_in(draws[i], 1.0, fmin(30.0, 3.0 * draws[i - 1]));
    capped += draws[i] == 30.0;
  }
  assert_true(capped > 0); /* the cap is reached and holds */
  backoff_policy_free(p);
}

static void decorrelated_jitter_without_cap(void **state) {
  enum { N = 200 };
  backoff_policy *p = jittered_constant(0.5, BACKOFF_JITTER_DECORRELATED, 8);
  size_t i;
  (void)state;
  draw(p, N);
  assert_double_in(draws[0], 0.5, 1.5);
  for (i = 1; i < N; ++i) {
    assert_true(isfinite(draws[i]));
    assert_double_in(draws[i], 0.5, fmin(DBL_MAX, 3.0 * draws[i - 1]));
  }
  backoff_policy_free(p);
}

/* Only the first generated value matters: expo and constant(1) agree. */
static void decorrelated_jitter_uses_only_the_first_wait(void **state) {
  enum { N = 40 };
  const int kind = BACKOFF_JITTER_DECORRELATED;
  backoff_policy *constant = jittered_constant(1.0, kind, 11);
  backoff_policy *expo = jittered_constant(1.0, kind, 11);
  double from_constant[N];
  size_t i;
  (void)state;
  assert_int_equal(backoff_policy_wait_expo(expo, 2, 1, 0), BACKOFF_OK);
  draw(constant, N);
  memcpy(from_constant, draws, sizeof from_constant);
  draw(expo, N);
  for (i = 0; i < N; ++i)
    assert_double_equal(draws[i], from_constant[i]);
  backoff_policy_free(expo);
  backoff_policy_free(constant);
}

/* The uniforms a run of a policy seeded with `seed` draws, one per wait:
 * a custom jitter is given exactly the draw a built-in one would use. */
static double uniforms[DRAWS];
static size_t n_uniforms;

static double record_uniform(double wait, double uniform, void *data) {
  (void)data;
  if (n_uniforms < DRAWS)
    uniforms[n_uniforms++] = uniform;
  return wait;
}

static void draw_uniforms(uint64_t seed, size_t n) {
  backoff_policy *p = jittered_constant(1.0, BACKOFF_JITTER_CUSTOM, seed);
  n_uniforms = 0;
  assert_int_equal(backoff_policy_jitter_custom(p, record_uniform, NULL, NULL),
                   BACKOFF_OK);
  draw(p, n);
  assert_int_equal(n_uniforms, n);
  backoff_policy_free(p);
}

/* Exactly w/2 + U * w/2: the formula, not just its bounds and mean. */
static void equal_jitter_is_half_plus_a_uniform_half(void **state) {
  enum { N = 1000 };
  backoff_policy *p = jittered_constant(10.0, BACKOFF_JITTER_EQUAL, 3);
  size_t i;
  (void)state;
  draw_uniforms(3, N);
  draw(p, N);
  for (i = 0; i < N; ++i)
    assert_double_equal(draws[i], 10.0 / 2.0 + (10.0 / 2.0) * uniforms[i]);

  /* Each wait of a growing sequence too: 1, 2, 4 … */
  assert_int_equal(backoff_policy_wait_expo(p, 2, 1, 0), BACKOFF_OK);
  draw(p, 60);
  for (i = 0; i < 60; ++i) {
    const double w = ldexp(1.0, (int)i);
    assert_double_equal(draws[i], w / 2.0 + (w / 2.0) * uniforms[i]);
  }
  backoff_policy_free(p);
}

/* Exactly min(cap, base + U * (3 * previous - base)), previous starting at
 * base, the first generated wait. */
static void decorrelated_jitter_is_exact(void **state) {
  enum { N = 500 };
  const double caps[] = {30.0, 0.0};
  size_t c, i, n;
  (void)state;
  draw_uniforms(7, N);
  for (c = 0; c < 2; ++c) {
    backoff_policy *p = jittered_constant(1.0, BACKOFF_JITTER_DECORRELATED, 7);
    const double base = 1.5;
    double previous = base;
    assert_int_equal(backoff_policy_wait_expo(p, 2, base, caps[c]),
                     BACKOFF_OK);
    n = caps[c] > 0.0 ? N : 100; /* uncapped: far below DBL_MAX */
    draw(p, n);
    for (i = 0; i < n; ++i) {
      double expected = base + (3.0 * previous - base) * uniforms[i];
      if (caps[c] > 0.0 && expected > caps[c])
        expected = caps[c];
      assert_double_equal(draws[i], expected);
      previous = expected;
    }
    backoff_policy_free(p);
  }
}

/* Records what the custom jitter is given; returns `result` or the wait. */
typedef struct jitter_probe {
  unsigned n;
  double waits[64];
  double uniforms[64];
  double result;
  int use_result;
} jitter_probe;

static double probe_jitter(double wait, double uniform, void *data) {
  jitter_probe *probe = data;
  assert_true(probe->n < 64);
  probe->waits[probe->n] = wait;
  probe->uniforms[probe->n] = uniform;
  probe->n++;
  return probe->use_result ? probe->result : wait * uniform;
}

static void custom_jitter_gets_wait_and_the_runs_uniform(void **state) {
  backoff_policy *p = jittered_constant(1.0, BACKOFF_JITTER_CUSTOM, 9);
  backoff_policy *full = harness_policy();
  jitter_probe probe = {0, {0}, {0}, 0.0, 0};
  double custom[20];
  size_t i;
  (void)state;
  assert_int_equal(backoff_policy_wait_expo(p, 2, 1, 0), BACKOFF_OK);
  assert_int_equal(
      backoff_policy_jitter_custom(p, probe_jitter, &probe, NULL), BACKOFF_OK);
  assert_int_equal(backoff_policy_seed(full, 9), BACKOFF_OK);
  draw(p, 20);
  memcpy(custom, draws, sizeof custom);
  assert_int_equal(probe.n, 20);
  for (i = 0; i < 20; ++i) {
    assert_double_equal(probe.waits[i], ldexp(1.0, (int)i));
    assert_true(probe.uniforms[i] >= 0.0 && probe.uniforms[i] < 1.0);
  }
  /* The uniform is the draw full jitter would have used with this seed. */
  draw(full, 20);
  for (i = 0; i < 20; ++i)
    assert_double_equal(custom[i], draws[i]);
  backoff_policy_free(full);
  backoff_policy_free(p);
}

static void custom_jitter_bad_result_counts_as_zero(void **state) {
  backoff_policy *p = jittered_constant(5.0, BACKOFF_JITTER_CUSTOM, 10);
  jitter_probe probe = {0, {0}, {0}, -3.0, 1};
  (void)state;
  assert_int_equal(
      backoff_policy_jitter_custom(p, probe_jitter, &probe, NULL), BACKOFF_OK);
  draw(p, 3);
  assert_double_equal(draws[0], 0.0);
  assert_double_equal(draws[2], 0.0);
  probe.result = NAN;
  draw(p, 3);
  assert_double_equal(draws[0], 0.0);
  assert_double_equal(draws[2], 0.0);
  probe.result = 2.5;
  draw(p, 1);
  assert_double_equal(draws[0], 2.5);
  backoff_policy_free(p);
}

static void seeded_policy_repeats_its_waits(void **state) {
  backoff_policy *p = jittered_constant(1.0, BACKOFF_JITTER_FULL, 42);
  backoff_policy *other_seed = jittered_constant(1.0, BACKOFF_JITTER_FULL, 43);
  double first[30];
  size_t i;
  (void)state;
  assert_int_equal(backoff_policy_wait_expo(p, 2, 1, 0), BACKOFF_OK);
  assert_int_equal(backoff_policy_wait_expo(other_seed, 2, 1, 0), BACKOFF_OK);
  draw(p, 30);
  memcpy(first, draws, sizeof first);
  draw(p, 30);
  for (i = 0; i < 30; ++i)
    assert_double_equal(draws[i], first[i]);
  draw(other_seed, 30);
  assert_memory_not_equal(draws, first, sizeof first);
  backoff_policy_free(other_seed);
  backoff_policy_free(p);
}

static void unseeded_runs_differ(void **state) {
  backoff_policy *p = harness_policy();
  double first[10];
  (void)state;
  assert_int_equal(backoff_policy_wait_constant(p, 1.0), BACKOFF_OK);
  draw(p, 10);
  memcpy(first, draws, sizeof first);
  draw(p, 10);
  assert_memory_not_equal(draws, first, sizeof first);
  backoff_policy_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(full_jitter_is_uniform_up_to_the_wait),
      cmocka_unit_test(full_jitter_is_the_default),
      cmocka_unit_test(random_jitter_adds_up_to_a_second),
      cmocka_unit_test(equal_jitter_keeps_half_the_wait),
      cmocka_unit_test(proportional_jitter_defaults_to_half),
      cmocka_unit_test(proportional_jitter_uses_its_spread),
      cmocka_unit_test(decorrelated_jitter_follows_previous_wait),
      cmocka_unit_test(decorrelated_jitter_without_cap),
      cmocka_unit_test(decorrelated_jitter_uses_only_the_first_wait),
      cmocka_unit_test(equal_jitter_is_half_plus_a_uniform_half),
      cmocka_unit_test(decorrelated_jitter_is_exact),
      cmocka_unit_test(custom_jitter_gets_wait_and_the_runs_uniform),
      cmocka_unit_test(custom_jitter_bad_result_counts_as_zero),
      cmocka_unit_test(seeded_policy_repeats_its_waits),
      cmocka_unit_test(unseeded_runs_differ),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
