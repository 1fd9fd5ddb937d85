/* Server hints: the hint function, backoff_state_retry_after, hint_max, and
 * backoff_state_sleep. One rule for every way a hint arrives: it replaces
 * the generated wait for one backoff, unjittered, without advancing the
 * generator; a hint beyond the time left or hint_max gives up on time. */
#include "harness.h"

#include <math.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

/* The attempt's view of the server: the codes it answers, and the
 * Retry-After (negative: none) that comes with each. */
typedef struct server {
  harness_script script;
  const double *hints;
  size_t n_hints;
  double last_hint;  /* what the attempt left for the hint function */
  unsigned hint_calls;
} server;

static int server_attempt(void *user_data) {
  server *srv = user_data;
  const unsigned i = srv->script.calls;
  srv->last_hint = i < srv->n_hints ? srv->hints[i] : -1.0;
  return harness_script_attempt(&srv->script);
}

static double hint_from_user_data(const backoff_details *d, void *data) {
  server *srv = d->user_data;
  (void)data;
  srv->hint_calls++;
  return srv->last_hint;
}

static backoff_policy *hinted_policy(harness_time *t) {
  backoff_policy *p = harness_exact_policy(t);
  assert_int_equal(backoff_policy_hint(p, hint_from_user_data, NULL, NULL),
                   BACKOFF_OK);
  return p;
}

static void a_hint_replaces_one_wait_and_the_generator_resumes(void **state) {
  harness_time t = {0};
  backoff_policy *p = hinted_policy(&t);
  const int rcs[] = {1, 1, 1, 1, 0};
  const double hints[] = {-1, 7, -1, -1};
  server srv = {{rcs, 5, 0, &t, 0, {0}}, hints, 4, -1, 0};
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_run(p, server_attempt, &srv, &d), BACKOFF_OK);
  /* expo 1, 2, 4 with the server's 7 in place of the second wait: the
   * generator did not advance for it */
  assert_int_equal(t.n_sleeps, 4);
  assert_double_equal(t.sleeps[0], 1.0);
  assert_double_equal(t.sleeps[1], 7.0);
  assert_double_equal(t.sleeps[2], 2.0);
  assert_double_equal(t.sleeps[3], 4.0);
  assert_double_equal(d.total_wait, 14.0);
  assert_int_equal(srv.hint_calls, 4); /* once per retriable failure */
  assert_true(d.hint < 0);             /* the success carried none */
  backoff_policy_free(p);
}

static void a_hint_is_not_jittered_and_draws_no_random_number(void **state) {
  harness_time t1 = {0}, t2 = {0};
  backoff_policy *plain = harness_policy(), *hinted = harness_policy();
  const int rcs[] = {1, 1, 1, 0};
  const double no_hints[] = {-1, -1, -1};
  const double hints[] = {-1, 3.25, -1};
  server a = {{rcs, 4, 0, &t1, 0, {0}}, no_hints, 3, -1, 0};
  server b = {{rcs, 4, 0, &t2, 0, {0}}, hints, 3, -1, 0};
  (void)state;
  harness_use_time(plain, &t1);
  harness_use_time(hinted, &t2);
  assert_int_equal(backoff_policy_seed(plain, 42), BACKOFF_OK);
  assert_int_equal(backoff_policy_seed(hinted, 42), BACKOFF_OK);
  assert_int_equal(backoff_policy_hint(plain, hint_from_user_data, NULL, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_hint(hinted, hint_from_user_data, NULL, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(plain, server_attempt, &a, NULL), BACKOFF_OK);
  assert_int_equal(backoff_run(hinted, server_attempt, &b, NULL), BACKOFF_OK);
  assert_int_equal(t1.n_sleeps, 3);
  assert_int_equal(t2.n_sleeps, 3);
  /* full jitter of 1 then 2 in both runs: the hint between them neither
   * advanced the generator nor drew from the random generator */
  assert_double_equal(t2.sleeps[0], t1.sleeps[0]);
  assert_double_equal(t2.sleeps[1], 3.25);
  assert_double_equal(t2.sleeps[2], t1.sleeps[1]);
  backoff_policy_free(plain);
  backoff_policy_free(hinted);
}

static void negative_and_nan_hints_mean_no_hint(void **state) {
  harness_time t = {0};
  backoff_policy *p = hinted_policy(&t);
  const int rcs[] = {1, 1, 0};
  const double hints[] = {-0.5, NAN};
  server srv = {{rcs, 3, 0, &t, 0, {0}}, hints, 2, -1, 0};
  (void)state;
  assert_int_equal(backoff_run(p, server_attempt, &srv, NULL), BACKOFF_OK);
  assert_int_equal(t.n_sleeps, 2);
  assert_double_equal(t.sleeps[0], 1.0);
  assert_double_equal(t.sleeps[1], 2.0);
  backoff_policy_free(p);
}

static void a_hint_beyond_the_time_left_gives_up_at_once(void **state) {
  harness_time t = {0};
  backoff_policy *p = hinted_policy(&t);
  harness_hooks h;
  harness_log log = {0};
  const int rcs[] = {1};
  const double hints[] = {-1, 100};
  server srv = {{rcs, 1, 0.5, &t, 0, {0}}, hints, 2, -1, 0};
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  harness_add_all_hooks(p, &h);
  assert_int_equal(backoff_policy_log(p, harness_record_log, &log, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_max_time(p, 60), BACKOFF_OK);
  assert_int_equal(backoff_run(p, server_attempt, &srv, &d),
                   BACKOFF_GAVE_UP_TIME);
  /* one generated wait of 1 s, then 100 s asked with 58 s left: no sleep */
  assert_int_equal(t.n_sleeps, 1);
  assert_int_equal(d.tries, 2);
  assert_double_equal(d.hint, 100.0);
  assert_int_equal(h.backoffs.n, 1);
  assert_int_equal(h.giveups.n, 1);
  assert_double_equal(h.giveups.seen[0].hint, 100.0);
  assert_int_equal(h.giveups.seen[0].outcome, BACKOFF_GAVE_UP_TIME);
  assert_int_equal(log.n, 2);
  assert_string_equal(log.line[1],
                      "Giving up operation(...) after 2 tries (rc=1: gave up: "
                      "time limit reached; server asked for 100.0s)");
  backoff_policy_free(p);
}

static void a_hint_equal_to_the_time_left_is_slept(void **state) {
  harness_time t = {0};
  backoff_policy *p = hinted_policy(&t);
  const int rcs[] = {1, 0};
  const double hints[] = {9};
  server srv = {{rcs, 2, 1.0, &t, 0, {0}}, hints, 1, -1, 0};
  (void)state;
  assert_int_equal(backoff_policy_max_time(p, 10), BACKOFF_OK);
  assert_int_equal(backoff_run(p, server_attempt, &srv, NULL), BACKOFF_OK);
  assert_int_equal(t.n_sleeps, 1);
  assert_double_equal(t.sleeps[0], 9.0);
  backoff_policy_free(p);
}

static void hint_max_caps_hints_without_a_time_limit(void **state) {
  harness_time t = {0};
  backoff_policy *p = hinted_policy(&t);
  const int rcs[] = {1, 1, 0};
  const double hints[] = {30, 30.5};
  server srv = {{rcs, 3, 0, &t, 0, {0}}, hints, 2, -1, 0};
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_hint_max(p, 30), BACKOFF_OK);
  assert_int_equal(backoff_run(p, server_attempt, &srv, &d),
                   BACKOFF_GAVE_UP_TIME);
  assert_int_equal(t.n_sleeps, 1); /* 30 is within the cap, 30.5 is not */
  assert_double_equal(t.sleeps[0], 30.0);
  assert_double_equal(d.hint, 30.5);
  backoff_policy_free(p);
}

static void an_infinite_hint_means_never(void **state) {
  harness_time t = {0};
  backoff_policy *p = hinted_policy(&t);
  harness_log log = {0};
  const int rcs[] = {1};
  const double hints[] = {HUGE_VAL};
  server srv = {{rcs, 1, 0, &t, 0, {0}}, hints, 1, -1, 0};
  (void)state;
  assert_int_equal(backoff_policy_log(p, harness_record_log, &log, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, server_attempt, &srv, NULL),
                   BACKOFF_GAVE_UP_TIME);
  assert_int_equal(t.n_sleeps, 0);
  assert_int_equal(log.n, 1);
  assert_string_equal(log.line[0],
                      "Giving up operation(...) after 1 try (rc=1: gave up: "
                      "time limit reached; server asked never to retry)");
  backoff_policy_free(p);
}

static void the_hint_is_read_only_for_a_failure_that_is_retried(void **state) {
  harness_time t = {0};
  backoff_policy *p = hinted_policy(&t);
  const int rcs[] = {1, 1, 1};
  const double hints[] = {5, 5, 5};
  server srv = {{rcs, 3, 0, &t, 0, {0}}, hints, 3, -1, 0};
  const int fatal[] = {9};
  const int rcs_fatal[] = {9};
  server srv2 = {{rcs_fatal, 1, 0, &t, 0, {0}}, hints, 3, -1, 0};
  const int rcs_ok[] = {0};
  server srv3 = {{rcs_ok, 1, 0, &t, 0, {0}}, hints, 3, -1, 0};
  (void)state;
  assert_int_equal(backoff_policy_max_tries(p, 2), BACKOFF_OK);
  assert_int_equal(backoff_run(p, server_attempt, &srv, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(srv.hint_calls, 1); /* not after the last try */
  assert_int_equal(backoff_policy_giveup_on(p, fatal, 1), BACKOFF_OK);
  assert_int_equal(backoff_run(p, server_attempt, &srv2, NULL),
                   BACKOFF_GAVE_UP_FATAL);
  assert_int_equal(backoff_run(p, server_attempt, &srv3, NULL), BACKOFF_OK);
  assert_int_equal(srv2.hint_calls + srv3.hint_calls, 0);
  backoff_policy_free(p);
}

static void on_backoff_and_the_log_see_the_hint(void **state) {
  harness_time t = {0};
  backoff_policy *p = hinted_policy(&t);
  harness_hooks h;
  harness_log log = {0};
  const int rcs[] = {1, 1, 0};
  const double hints[] = {2.5, -1};
  server srv = {{rcs, 3, 0, &t, 0, {0}}, hints, 2, -1, 0};
  (void)state;
  harness_add_all_hooks(p, &h);
  assert_int_equal(backoff_policy_log(p, harness_record_log, &log, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, server_attempt, &srv, NULL), BACKOFF_OK);
  assert_int_equal(h.backoffs.n, 2);
  assert_double_equal(h.backoffs.seen[0].hint, 2.5);
  assert_double_equal(h.backoffs.seen[0].wait, 2.5);
  assert_true(h.backoffs.seen[1].hint < 0);
  assert_double_equal(h.backoffs.seen[1].wait, 1.0);
  assert_string_equal(log.line[0],
                      "Backing off operation(...) for 2.5s (rc=1, server hint)");
  assert_string_equal(log.line[1],
                      "Backing off operation(...) for 1.0s (rc=1)");
  backoff_policy_free(p);
}

static void retry_after_wins_over_the_hint_function(void **state) {
  harness_time t = {0};
  backoff_policy *p = hinted_policy(&t);
  const double hints[] = {8};
  server srv = {{NULL, 0, 0, &t, 0, {0}}, hints, 1, 8, 0};
  backoff_state *s = NULL;
  double wait;
  (void)state;
  assert_int_equal(backoff_state_new(p, NULL, &srv, &s), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_retry_after(s, 3), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 3.0);
  assert_int_equal(srv.hint_calls, 0);
  /* the next failure has no retry_after: the function is asked */
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_RETRY);
  assert_double_equal(wait, 8.0);
  assert_int_equal(srv.hint_calls, 1);
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void a_retry_after_on_a_success_is_forgotten(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  backoff_state *s = NULL;
  double wait;
  (void)state;
  assert_int_equal(backoff_policy_retry_on(p, (const int[]){1}, 1),
                   BACKOFF_OK);
  assert_int_equal(backoff_state_new(p, NULL, NULL, &s), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_retry_after(s, 50), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, 0, &wait), BACKOFF_OK);
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void decorrelated_jitter_ignores_hinted_waits(void **state) {
  harness_time t1 = {0}, t2 = {0};
  backoff_policy *a = harness_policy(), *b = harness_policy();
  const int rcs[] = {1, 1, 1, 1, 0};
  const double none[] = {-1, -1, -1, -1};
  const double hints[] = {-1, 40, -1, -1};
  server sa = {{rcs, 5, 0, &t1, 0, {0}}, none, 4, -1, 0};
  server sb = {{rcs, 5, 0, &t2, 0, {0}}, hints, 4, -1, 0};
  backoff_policy *both[2];
  int i;
  (void)state;
  both[0] = a;
  both[1] = b;
  for (i = 0; i < 2; ++i) {
    assert_int_equal(backoff_policy_jitter(both[i], BACKOFF_JITTER_DECORRELATED),
                     BACKOFF_OK);
    assert_int_equal(backoff_policy_seed(both[i], 7), BACKOFF_OK);
    assert_int_equal(backoff_policy_hint(both[i], hint_from_user_data, NULL,
                                         NULL),
                     BACKOFF_OK);
  }
  harness_use_time(a, &t1);
  harness_use_time(b, &t2);
  assert_int_equal(backoff_run(a, server_attempt, &sa, NULL), BACKOFF_OK);
  assert_int_equal(backoff_run(b, server_attempt, &sb, NULL), BACKOFF_OK);
  /* the 40 s hint is not the "previous" wait of the next decorrelated one */
  assert_double_equal(t2.sleeps[0], t1.sleeps[0]);
  assert_double_equal(t2.sleeps[1], 40.0);
  assert_double_equal(t2.sleeps[2], t1.sleeps[1]);
  assert_double_equal(t2.sleeps[3], t1.sleeps[2]);
  backoff_policy_free(a);
  backoff_policy_free(b);
}

static void hint_setters_validate_and_own_their_data(void **state) {
  harness_time t = {0};
  backoff_policy *p = hinted_policy(&t);
  unsigned destroyed = 0;
  harness_fingerprint before, after;
  (void)state;
  assert_int_equal(backoff_policy_hint(NULL, hint_from_user_data, &destroyed,
                                       harness_count_destroy),
                   BACKOFF_E_INVALID);
  assert_int_equal(destroyed, 1); /* ownership passed even on error */
  assert_int_equal(backoff_policy_hint_max(NULL, 1), BACKOFF_E_INVALID);
  assert_int_equal(backoff_policy_hint_max(p, NAN), BACKOFF_E_INVALID);
  assert_int_equal(backoff_policy_hint_max(p, -1), BACKOFF_E_INVALID);
  assert_int_equal(backoff_policy_hint_max(p, HUGE_VAL), BACKOFF_OK);
  assert_int_equal(backoff_policy_hint(p, hint_from_user_data, &destroyed,
                                       harness_count_destroy),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_hint(p, NULL, &destroyed,
                                       harness_count_destroy),
                   BACKOFF_OK); /* removes the first; destroys both data */
  assert_int_equal(destroyed, 3);
  backoff_policy_free(p);

  /* a refused hint_max leaves the policy as it was */
  p = harness_fingerprint_policy(&t);
  harness_fingerprint_of(p, &t, &before);
  assert_int_equal(backoff_policy_hint_max(p, -3), BACKOFF_E_INVALID);
  harness_fingerprint_of(p, &t, &after);
  harness_assert_same_fingerprint(&before, &after);
  backoff_policy_free(p);
}

/* ---- backoff_state_sleep ------------------------------------------------ */

static void state_sleep_uses_the_injected_sleep(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  backoff_state *s = NULL;
  double wait;
  (void)state;
  assert_int_equal(backoff_state_new(p, NULL, NULL, &s), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_RETRY);
  assert_int_equal(backoff_state_sleep(s, wait), BACKOFF_OK);
  assert_int_equal(t.n_sleeps, 1);
  assert_double_equal(t.sleeps[0], 1.0);
  assert_int_equal(backoff_state_sleep(s, 0), BACKOFF_OK); /* no call */
  assert_int_equal(t.n_sleeps, 1);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void state_sleep_refuses_misuse_and_bad_seconds(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  backoff_state *s = NULL;
  double wait;
  (void)state;
  assert_int_equal(backoff_state_sleep(NULL, 1), BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_new(p, NULL, NULL, &s), BACKOFF_OK);
  assert_int_equal(backoff_state_sleep(s, 1), BACKOFF_E_MISUSE); /* no try */
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_sleep(s, 1), BACKOFF_E_MISUSE); /* trying */
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_RETRY);
  assert_int_equal(backoff_state_sleep(s, NAN), BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_sleep(s, -1), BACKOFF_E_INVALID);
  assert_int_equal(backoff_state_sleep(s, HUGE_VAL), BACKOFF_E_INVALID);
  assert_int_equal(t.n_sleeps, 0);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, 0, &wait), BACKOFF_OK);
  assert_int_equal(backoff_state_sleep(s, 1), BACKOFF_E_MISUSE); /* ended */
  backoff_state_free(s);
  backoff_policy_free(p);
}

static void a_triggered_token_ends_the_run_in_state_sleep(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_hooks h;
  backoff_cancel *c = NULL;
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_state *s = NULL;
  double wait;
  (void)state;
  harness_add_all_hooks(p, &h);
  assert_int_equal(backoff_cancel_new(&c), BACKOFF_OK);
  opts.cancel = c;
  assert_int_equal(backoff_state_new(p, &opts, NULL, &s), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_RETRY);
  assert_int_equal(backoff_cancel_trigger(c), BACKOFF_OK);
  assert_int_equal(backoff_state_sleep(s, wait), BACKOFF_CANCELLED);
  assert_int_equal(h.giveups.n, 1);
  assert_int_equal(h.giveups.seen[0].outcome, BACKOFF_CANCELLED);
  assert_int_equal(backoff_state_begin(s), BACKOFF_E_MISUSE);
  backoff_state_free(s);
  backoff_cancel_free(c);
  backoff_policy_free(p);
}

static double monotonic_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct trigger_when_asleep {
  backoff_cancel *cancel;
} trigger_when_asleep;

static void *trigger_soon(void *data) {
  const struct timespec pause = {0, 20 * 1000 * 1000};
  trigger_when_asleep *w = data;
  nanosleep(&pause, NULL);
  backoff_cancel_trigger(w->cancel);
  return NULL;
}

static void state_sleep_is_woken_by_the_token(void **state) {
  backoff_policy *p = harness_policy(); /* the system sleep */
  backoff_cancel *c = NULL;
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_state *s = NULL;
  trigger_when_asleep w;
  pthread_t thread;
  double wait, started;
  (void)state;
  assert_int_equal(backoff_cancel_new(&c), BACKOFF_OK);
  opts.cancel = c;
  w.cancel = c;
  assert_int_equal(backoff_state_new(p, &opts, NULL, &s), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_RETRY);
  assert_int_equal(pthread_create(&thread, NULL, trigger_soon, &w), 0);
  started = monotonic_now();
  /* a 60 s sleep that the trigger must cut short: a broken wake-up fails
   * here with a message instead of hanging the suite */
  assert_int_equal(backoff_state_sleep(s, 60), BACKOFF_CANCELLED);
  assert_true(monotonic_now() - started < 5.0);
  assert_int_equal(pthread_join(thread, NULL), 0);
  backoff_state_free(s);
  backoff_cancel_free(c);
  backoff_policy_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_hint_replaces_one_wait_and_the_generator_resumes),
      cmocka_unit_test(a_hint_is_not_jittered_and_draws_no_random_number),
      cmocka_unit_test(negative_and_nan_hints_mean_no_hint),
      cmocka_unit_test(a_hint_beyond_the_time_left_gives_up_at_once),
      cmocka_unit_test(a_hint_equal_to_the_time_left_is_slept),
      cmocka_unit_test(hint_max_caps_hints_without_a_time_limit),
      cmocka_unit_test(an_infinite_hint_means_never),
      cmocka_unit_test(the_hint_is_read_only_for_a_failure_that_is_retried),
      cmocka_unit_test(on_backoff_and_the_log_see_the_hint),
      cmocka_unit_test(retry_after_wins_over_the_hint_function),
      cmocka_unit_test(a_retry_after_on_a_success_is_forgotten),
      cmocka_unit_test(decorrelated_jitter_ignores_hinted_waits),
      cmocka_unit_test(hint_setters_validate_and_own_their_data),
      cmocka_unit_test(state_sleep_uses_the_injected_sleep),
      cmocka_unit_test(state_sleep_refuses_misuse_and_bad_seconds),
      cmocka_unit_test(a_triggered_token_ends_the_run_in_state_sleep),
      cmocka_unit_test(state_sleep_is_woken_by_the_token),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
