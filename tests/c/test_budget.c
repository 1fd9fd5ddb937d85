/* Retry budgets: the rule (retries in the window <= ratio * first attempts
 * + min_per_second * window), its window, its counters, its lifetime, and
 * how runs end when it refuses. Every clock here is injected. */
#include "harness.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

static double frozen_clock(void *data) { return *(const double *)data; }

static backoff_budget *budget_at(double ratio, double min, double window,
                                 double *now) {
  backoff_budget *b = NULL;
  assert_int_equal(backoff_budget_new(&b, ratio, min, window), BACKOFF_OK);
  assert_non_null(b);
  assert_int_equal(backoff_budget_clock(b, frozen_clock, now, NULL),
                   BACKOFF_OK);
  return b;
}

static backoff_budget_stats stats_of(const backoff_budget *b) {
  backoff_budget_stats s = BACKOFF_BUDGET_STATS_INIT;
  assert_int_equal(backoff_budget_stats_get(b, &s), BACKOFF_OK);
  return s;
}

static int always_fails(void *data) {
  ++*(unsigned *)data;
  return 1;
}

/* A policy that retries at once, as often as the budget lets it. */
static backoff_policy *instant_policy(harness_time *t, backoff_budget *b,
                                      unsigned max_tries) {
  backoff_policy *p = harness_exact_policy(t);
  assert_int_equal(backoff_policy_wait_constant(p, 0), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_tries(p, max_tries), BACKOFF_OK);
  assert_int_equal(backoff_policy_budget(p, b), BACKOFF_OK);
  return p;
}

static void the_ratio_bounds_retries_by_first_attempts(void **state) {
  harness_time t = {0};
  double now = 0;
  backoff_budget *b = budget_at(0.2, 0, 10, &now);
  backoff_policy *p = instant_policy(&t, b, 5);
  backoff_budget_stats s;
  unsigned attempts = 0, refused = 0, i;
  (void)state;
  for (i = 0; i < 100; ++i)
    if (backoff_run(p, always_fails, &attempts, NULL) ==
        BACKOFF_GAVE_UP_BUDGET)
      ++refused;
  /* 100 first attempts allow 20 retries: 120 attempts, not 500 */
  assert_int_equal(attempts, 120);
  assert_int_equal(refused, 100); /* no run got as far as its 5th try */
  s = stats_of(b);
  assert_int_equal(s.first_attempts, 100);
  assert_int_equal(s.retries, 20);
  assert_int_equal(s.refusals, 100);
  assert_int_equal(s.total_retries, 20);
  assert_double_equal(s.available, 0.0);
  backoff_policy_free(p);
  backoff_budget_free(b);
}

static void every_fifth_run_gets_the_retry_it_paid_for(void **state) {
  harness_time t = {0};
  double now = 0;
  backoff_budget *b = budget_at(0.2, 0, 10, &now);
  backoff_policy *p = instant_policy(&t, b, 5);
  backoff_details d = BACKOFF_DETAILS_INIT;
  unsigned attempts, i;
  (void)state;
  for (i = 1; i <= 10; ++i) {
    attempts = 0;
    assert_int_equal(backoff_run(p, always_fails, &attempts, &d),
                     BACKOFF_GAVE_UP_BUDGET);
    assert_int_equal(attempts, i % 5 == 0 ? 2 : 1);
    assert_int_equal(d.tries, attempts);
  }
  backoff_policy_free(p);
  backoff_budget_free(b);
}

static void the_floor_lets_a_lone_client_retry(void **state) {
  harness_time t = {0};
  double now = 0;
  backoff_budget *b = budget_at(0, 1.5, 10, &now); /* 15 per window */
  backoff_policy *p = instant_policy(&t, b, 0);    /* unlimited tries */
  unsigned attempts = 0;
  (void)state;
  assert_int_equal(backoff_run(p, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_BUDGET);
  assert_int_equal(attempts, 16);
  assert_int_equal(stats_of(b).retries, 15);
  backoff_policy_free(p);
  backoff_budget_free(b);
}

static void counts_leave_the_window_as_time_passes(void **state) {
  harness_time t = {0};
  double now = 0;
  backoff_budget *b = budget_at(0, 0.1, 10, &now); /* one retry a window */
  backoff_policy *p = instant_policy(&t, b, 0);
  unsigned attempts = 0;
  (void)state;
  assert_int_equal(backoff_run(p, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_BUDGET);
  assert_int_equal(attempts, 2);
  /* the window is (now - 10, now]: at 10 s the retry made at 0 is outside
   * it, but it still counts, because the budget never errs on the side of
   * more retries (its slots are 10/32 s wide) */
  now = 10.0;
  assert_int_equal(stats_of(b).retries, 1);
  assert_int_equal(stats_of(b).first_attempts, 0); /* deposits: exact side */
  attempts = 0;
  assert_int_equal(backoff_run(p, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_BUDGET);
  assert_int_equal(attempts, 1);
  /* one slot later it has left */
  now = 10.0 + 10.0 / 32;
  assert_int_equal(stats_of(b).retries, 0);
  assert_double_equal(stats_of(b).available, 1.0);
  attempts = 0;
  assert_int_equal(backoff_run(p, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_BUDGET);
  assert_int_equal(attempts, 2);
  /* and a long silence empties everything */
  now = 1e6;
  assert_int_equal(stats_of(b).retries, 0);
  assert_int_equal(stats_of(b).refusals, 0);
  assert_int_equal(stats_of(b).total_refusals, 3);
  backoff_policy_free(p);
  backoff_budget_free(b);
}

static void old_first_attempts_stop_paying_for_retries(void **state) {
  harness_time t = {0};
  double now = 0;
  backoff_budget *b = budget_at(1, 0, 10, &now);
  backoff_policy *once = instant_policy(&t, b, 1); /* deposits only */
  backoff_policy *p = instant_policy(&t, b, 2);
  unsigned attempts = 0;
  (void)state;
  assert_int_equal(backoff_run(once, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  now = 9.5; /* still inside: the deposit at 0 pays for a retry */
  assert_double_equal(stats_of(b).available, 1.0);
  now = 10.0; /* outside (0 is not in (0, 10]) */
  assert_int_equal(stats_of(b).first_attempts, 0);
  attempts = 0;
  /* its own deposit at 10 pays for its retry */
  assert_int_equal(backoff_run(p, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(attempts, 2);
  backoff_policy_free(once);
  backoff_policy_free(p);
  backoff_budget_free(b);
}

static void a_refusal_runs_on_giveup_then_logs(void **state) {
  harness_time t = {0};
  double now = 0;
  backoff_budget *b = budget_at(0, 0, 10, &now); /* no retries at all */
  backoff_policy *p = instant_policy(&t, b, 5);
  harness_hooks h;
  harness_log log = {0};
  unsigned attempts = 0;
  (void)state;
  harness_add_all_hooks(p, &h);
  assert_int_equal(backoff_policy_log(p, harness_record_log, &log, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_BUDGET);
  assert_int_equal(h.backoffs.n, 0);
  assert_int_equal(h.giveups.n, 1);
  assert_int_equal(h.giveups.seen[0].outcome, BACKOFF_GAVE_UP_BUDGET);
  assert_int_equal(log.n, 1);
  assert_string_equal(log.line[0], "Giving up operation(...) after 1 try "
                                   "(rc=1: gave up: retry budget exhausted)");
  assert_int_equal(log.seen[0].outcome, BACKOFF_GAVE_UP_BUDGET);
  backoff_policy_free(p);
  backoff_budget_free(b);
}

static double five_seconds(const backoff_details *d, void *data) {
  (void)d;
  (void)data;
  return 5.0;
}

static void hinted_retries_need_the_budget_too(void **state) {
  harness_time t = {0};
  double now = 0;
  backoff_budget *b = budget_at(0, 0.1, 10, &now); /* one retry */
  backoff_policy *p = instant_policy(&t, b, 0);
  unsigned attempts = 0;
  (void)state;
  assert_int_equal(backoff_policy_hint(p, five_seconds, NULL, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_BUDGET);
  assert_int_equal(attempts, 2);
  assert_int_equal(t.n_sleeps, 1);
  assert_double_equal(t.sleeps[0], 5.0);
  backoff_policy_free(p);
  backoff_budget_free(b);
}

static void other_give_ups_do_not_ask_the_budget(void **state) {
  harness_time t = {0};
  double now = 0;
  backoff_budget *b = budget_at(0, 0, 10, &now);
  backoff_policy *p = instant_policy(&t, b, 1);
  backoff_cancel *c = NULL;
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  unsigned attempts = 0;
  (void)state;
  assert_int_equal(backoff_run(p, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(stats_of(b).refusals, 0);
  assert_int_equal(stats_of(b).first_attempts, 1);
  /* a run cancelled before its first attempt made none, so deposits none */
  assert_int_equal(backoff_cancel_new(&c), BACKOFF_OK);
  assert_int_equal(backoff_cancel_trigger(c), BACKOFF_OK);
  opts.cancel = c;
  assert_int_equal(backoff_run_ex(p, always_fails, &attempts, &opts, NULL),
                   BACKOFF_CANCELLED);
  assert_int_equal(stats_of(b).first_attempts, 1);
  backoff_cancel_free(c);
  backoff_policy_free(p);
  backoff_budget_free(b);
}

static void one_budget_is_shared_by_several_policies(void **state) {
  harness_time t = {0};
  double now = 0;
  backoff_budget *b = budget_at(0.5, 0, 10, &now);
  backoff_policy *p = instant_policy(&t, b, 1); /* deposits only */
  backoff_policy *q = instant_policy(&t, b, 3);
  unsigned attempts = 0;
  (void)state;
  assert_int_equal(backoff_run(p, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(backoff_run(p, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  attempts = 0;
  /* p's two first attempts and q's own one pay for one retry of q's */
  assert_int_equal(backoff_run(q, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_BUDGET);
  assert_int_equal(attempts, 2);
  assert_int_equal(stats_of(b).first_attempts, 3);
  backoff_policy_free(p);
  backoff_policy_free(q);
  backoff_budget_free(b);
}

typedef struct counted_clock {
  double now;
  unsigned destroyed;
} counted_clock;

static double counted_now(void *data) { return ((counted_clock *)data)->now; }
static void count_clock_destroy(void *data) {
  ((counted_clock *)data)->destroyed++;
}

static void policies_keep_their_budget_alive(void **state) {
  harness_time t = {0};
  counted_clock clock = {0, 0};
  unsigned attempts = 0;
  backoff_budget *b = NULL;
  backoff_policy *p, *q;
  (void)state;
  assert_int_equal(backoff_budget_new(&b, 0, 0.1, 10), BACKOFF_OK);
  assert_int_equal(
      backoff_budget_clock(b, counted_now, &clock, count_clock_destroy),
      BACKOFF_OK);
  p = instant_policy(&t, b, 0);
  q = instant_policy(&t, b, 3);
  backoff_budget_free(b); /* the policies hold it now */
  assert_int_equal(backoff_run(p, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_BUDGET);
  assert_int_equal(attempts, 2); /* the floor's one retry */
  backoff_policy_free(p);
  assert_int_equal(clock.destroyed, 0);
  attempts = 0;
  /* still the same budget: its one retry is spent */
  assert_int_equal(backoff_run(q, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_BUDGET);
  assert_int_equal(attempts, 1);
  /* detaching drops the last reference */
  assert_int_equal(backoff_policy_budget(q, NULL), BACKOFF_OK);
  assert_int_equal(clock.destroyed, 1);
  attempts = 0;
  assert_int_equal(backoff_run(q, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(attempts, 3);
  backoff_policy_free(q);
  assert_int_equal(clock.destroyed, 1);
}

static void bad_arguments_are_refused(void **state) {
  backoff_budget *b = NULL;
  backoff_budget_stats s = BACKOFF_BUDGET_STATS_INIT;
  unsigned destroyed = 0;
  (void)state;
  assert_int_equal(backoff_budget_new(NULL, 0.2, 10, 10), BACKOFF_E_INVALID);
  assert_int_equal(backoff_budget_new(&b, NAN, 10, 10), BACKOFF_E_INVALID);
  assert_int_equal(backoff_budget_new(&b, -0.1, 10, 10), BACKOFF_E_INVALID);
  assert_int_equal(backoff_budget_new(&b, HUGE_VAL, 10, 10),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_budget_new(&b, 0.2, -1, 10), BACKOFF_E_INVALID);
  assert_int_equal(backoff_budget_new(&b, 0.2, HUGE_VAL, 10),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_budget_new(&b, 0.2, 10, 0), BACKOFF_E_INVALID);
  assert_int_equal(backoff_budget_new(&b, 0.2, 10, HUGE_VAL),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_budget_new(&b, 0.2, 10, NAN), BACKOFF_E_INVALID);
  assert_null(b);
  assert_int_equal(backoff_budget_clock(NULL, frozen_clock, &destroyed,
                                        harness_count_destroy),
                   BACKOFF_E_INVALID);
  assert_int_equal(destroyed, 1);
  assert_int_equal(backoff_budget_stats_get(NULL, &s), BACKOFF_E_INVALID);
  assert_int_equal(backoff_budget_new(&b, 0, 0, 1e-9), BACKOFF_OK);
  assert_int_equal(backoff_budget_stats_get(b, NULL), BACKOFF_E_INVALID);
  s.size = 1;
  assert_int_equal(backoff_budget_stats_get(b, &s), BACKOFF_E_INVALID);
  assert_int_equal(backoff_policy_budget(NULL, b), BACKOFF_E_INVALID);
  backoff_budget_free(b);
  backoff_budget_free(NULL);
}

static void stats_report_parameters_and_write_whole_fields(void **state) {
  double now = 0;
  backoff_budget *b = budget_at(0.25, 2, 8, &now);
  backoff_budget_stats s;
  (void)state;
  s = stats_of(b);
  assert_double_equal(s.ratio, 0.25);
  assert_double_equal(s.min_per_second, 2.0);
  assert_double_equal(s.window, 8.0);
  assert_double_equal(s.available, 16.0);
  /* a caller whose struct ends inside `available` gets the counters only */
  memset(&s, 0xab, sizeof s);
  s.size = offsetof(backoff_budget_stats, available) + 4;
  assert_int_equal(backoff_budget_stats_get(b, &s), BACKOFF_OK);
  assert_int_equal(s.refusals, 0);
  {
    const unsigned char *bytes = (const unsigned char *)&s.available;
    size_t i;
    for (i = 0; i < sizeof s.available; ++i)
      assert_int_equal(bytes[i], 0xab);
  }
  backoff_budget_free(b);
}

static void counts_from_elsewhere_are_recorded_in_their_slots(void **state) {
  harness_time t = {0};
  double now = 20;
  backoff_budget *b = budget_at(0.5, 0, 10, &now);
  backoff_policy *p = instant_policy(&t, b, 0);
  unsigned attempts = 0;
  (void)state;
  /* another process's 10 first attempts and 3 retries, 5 s ago */
  assert_int_equal(backoff_budget_record(b, 15, 10, 3), BACKOFF_OK);
  assert_int_equal(stats_of(b).first_attempts, 10);
  assert_int_equal(stats_of(b).retries, 3);
  assert_double_equal(stats_of(b).available, 2.0); /* 0.5 * 10 - 3 */
  /* counts from before the window's slots are dropped */
  assert_int_equal(backoff_budget_record(b, 5, 100, 0), BACKOFF_OK);
  assert_int_equal(stats_of(b).first_attempts, 10);
  /* this process's run: its own deposit and the 2.5 retries allowed */
  assert_int_equal(backoff_run(p, always_fails, &attempts, NULL),
                   BACKOFF_GAVE_UP_BUDGET);
  assert_int_equal(attempts, 3); /* 0.5 * 11 = 5.5 allows 5 retries in all */
  /* a later time moves the budget on: at 24.9 the counts of 15 are still
   * in the window, at 25 they are not ((15, 25] leaves 15 out) */
  assert_int_equal(backoff_budget_record(b, 24.9, 0, 0), BACKOFF_OK);
  assert_int_equal(stats_of(b).first_attempts, 11);
  assert_int_equal(backoff_budget_record(b, 25, 0, 0), BACKOFF_OK);
  assert_int_equal(stats_of(b).first_attempts, 1);
  assert_int_equal(stats_of(b).total_first_attempts, 11);
  assert_int_equal(stats_of(b).total_retries, 5);
  /* bad arguments */
  assert_int_equal(backoff_budget_record(NULL, 1, 1, 1), BACKOFF_E_INVALID);
  assert_int_equal(backoff_budget_record(b, NAN, 1, 1), BACKOFF_E_INVALID);
  assert_int_equal(backoff_budget_record(b, HUGE_VAL, 1, 1),
                   BACKOFF_E_INVALID);
  assert_int_equal(stats_of(b).first_attempts, 1);
  backoff_policy_free(p);
  backoff_budget_free(b);
}

/* ---- many threads, one budget ------------------------------------------- */

enum { kThreads = 8, kRunsPerThread = 10000 };

typedef struct worker {
  const backoff_policy *policy;
  unsigned attempts;
} worker;

static void *work(void *data) {
  worker *w = data;
  int i;
  for (i = 0; i < kRunsPerThread; ++i)
    backoff_run(w->policy, always_fails, &w->attempts, NULL);
  return NULL;
}

static void the_bound_holds_across_threads(void **state) {
  harness_time t = {0};
  double now = 0;
  backoff_budget *b = budget_at(0.2, 1, 10, &now);
  backoff_policy *p = harness_policy();
  worker workers[kThreads];
  pthread_t threads[kThreads];
  unsigned total = 0;
  backoff_budget_stats s;
  int i;
  (void)state;
  (void)t;
  assert_int_equal(backoff_policy_wait_constant(p, 0), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_tries(p, 4), BACKOFF_OK);
  assert_int_equal(backoff_policy_budget(p, b), BACKOFF_OK);
  for (i = 0; i < kThreads; ++i) {
    workers[i].policy = p;
    workers[i].attempts = 0;
    assert_int_equal(pthread_create(&threads[i], NULL, work, &workers[i]), 0);
  }
  for (i = 0; i < kThreads; ++i) {
    assert_int_equal(pthread_join(threads[i], NULL), 0);
    total += workers[i].attempts;
  }
  s = stats_of(b);
  /* frozen clock: one window holds everything; the bound is exact */
  assert_int_equal(s.first_attempts, kThreads * kRunsPerThread);
  assert_int_equal(s.retries, 0.2 * kThreads * kRunsPerThread + 10);
  assert_int_equal(total, s.first_attempts + s.retries);
  backoff_policy_free(p);
  backoff_budget_free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_ratio_bounds_retries_by_first_attempts),
      cmocka_unit_test(every_fifth_run_gets_the_retry_it_paid_for),
      cmocka_unit_test(the_floor_lets_a_lone_client_retry),
      cmocka_unit_test(counts_leave_the_window_as_time_passes),
      cmocka_unit_test(old_first_attempts_stop_paying_for_retries),
      cmocka_unit_test(a_refusal_runs_on_giveup_then_logs),
      cmocka_unit_test(hinted_retries_need_the_budget_too),
      cmocka_unit_test(other_give_ups_do_not_ask_the_budget),
      cmocka_unit_test(one_budget_is_shared_by_several_policies),
      cmocka_unit_test(policies_keep_their_budget_alive),
      cmocka_unit_test(bad_arguments_are_refused),
      cmocka_unit_test(stats_report_parameters_and_write_whole_fields),
      cmocka_unit_test(counts_from_elsewhere_are_recorded_in_their_slots),
      cmocka_unit_test(the_bound_holds_across_threads),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
