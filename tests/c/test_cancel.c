/* Cancel tokens: stopping a run from another thread, before it starts, and
 * between attempts. */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <pthread.h>
#include <semaphore.h>

static const int always_fail[] = {1};

/* The canceller waits until the run is about to sleep, then triggers. */
typedef struct canceller {
  backoff_cancel *token;
  sem_t backing_off;
} canceller;

static void *cancel_when_backing_off(void *arg) {
  canceller *c = arg;
  while (sem_wait(&c->backing_off) != 0) {
  }
  backoff_cancel_trigger(c->token);
  return NULL;
}

static void announce_backoff(const backoff_details *d, void *data) {
  canceller *c = data;
  (void)d;
  sem_post(&c->backing_off);
}

/* A real 60 s sleep that only the other thread can end: the run must come
 * back cancelled (a broken wake-up makes the test time out). */
static void another_thread_interrupts_a_long_sleep(void **state) {
  backoff_policy *p = harness_policy();
  canceller c;
  pthread_t thread;
  harness_calls giveups = {0};
  harness_script script = {always_fail, 1, 0.0, NULL, 0, {0}};
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_wait_constant(p, 60), BACKOFF_OK);
  assert_int_equal(backoff_policy_jitter(p, BACKOFF_JITTER_NONE), BACKOFF_OK);
  assert_int_equal(backoff_policy_on_backoff(p, announce_backoff, &c, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_giveup(p, harness_record_hook, &giveups,
                                            NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_cancel_new(&c.token), BACKOFF_OK);
  assert_int_equal(sem_init(&c.backing_off, 0, 0), 0);
  assert_int_equal(pthread_create(&thread, NULL, cancel_when_backing_off, &c),
                   0);
  opts.cancel = c.token;
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, &opts, &d),
      BACKOFF_CANCELLED);
  assert_int_equal(pthread_join(thread, NULL), 0);
  assert_int_equal(script.calls, 1);
  assert_int_equal(d.outcome, BACKOFF_CANCELLED);
  assert_int_equal(d.tries, 1);
  assert_int_equal(giveups.n, 1);
  assert_int_equal(giveups.seen[0].outcome, BACKOFF_CANCELLED);
  assert_int_equal(backoff_cancel_triggered(c.token), 1);
  sem_destroy(&c.backing_off);
  backoff_cancel_free(c.token);
  backoff_policy_free(p);
}

typedef struct sleeping_run {
  const backoff_policy *policy;
  backoff_run_options opts;
  harness_script script;
  backoff_status status;
} sleeping_run;

static void *run_until_cancelled(void *arg) {
  sleeping_run *run = arg;
  run->status = backoff_run_ex(run->policy, harness_script_attempt,
                               &run->script, &run->opts, NULL);
  return NULL;
}

/* One trigger wakes every run sleeping on the token. */
static void one_trigger_wakes_every_run(void **state) {
  enum { RUNS = 3 };
  backoff_policy *p = harness_policy();
  canceller c;
  sleeping_run runs[RUNS];
  pthread_t threads[RUNS];
  size_t i;
  (void)state;
  assert_int_equal(backoff_policy_wait_constant(p, 60), BACKOFF_OK);
  assert_int_equal(backoff_policy_jitter(p, BACKOFF_JITTER_NONE), BACKOFF_OK);
  assert_int_equal(backoff_policy_on_backoff(p, announce_backoff, &c, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_cancel_new(&c.token), BACKOFF_OK);
  assert_int_equal(sem_init(&c.backing_off, 0, 0), 0);
  for (i = 0; i < RUNS; ++i) {
    const backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
    const harness_script script = {always_fail, 1, 0.0, NULL, 0, {0}};
    runs[i].policy = p;
    runs[i].opts = opts;
    runs[i].opts.cancel = c.token;
    runs[i].script = script;
    runs[i].status = BACKOFF_E_INTERNAL;
    assert_int_equal(
        pthread_create(&threads[i], NULL, run_until_cancelled, &runs[i]), 0);
  }
  for (i = 0; i < RUNS; ++i) /* every run is about to sleep 60 s */
    while (sem_wait(&c.backing_off) != 0) {
    }
  assert_int_equal(backoff_cancel_trigger(c.token), BACKOFF_OK);
  for (i = 0; i < RUNS; ++i) {
    assert_int_equal(pthread_join(threads[i], NULL), 0);
    assert_int_equal(runs[i].status, BACKOFF_CANCELLED);
    assert_int_equal(runs[i].script.calls, 1);
  }
  sem_destroy(&c.backing_off);
  backoff_cancel_free(c.token);
  backoff_policy_free(p);
}

static void token_triggered_before_the_run(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_calls tries = {0}, giveups = {0};
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_details d = BACKOFF_DETAILS_INIT;
  const int succeed[] = {0};
  (void)state;
  assert_int_equal(backoff_policy_on_try(p, harness_record_hook, &tries, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_giveup(p, harness_record_hook, &giveups,
                                            NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_cancel_new(&opts.cancel), BACKOFF_OK);
  assert_int_equal(backoff_cancel_trigger(opts.cancel), BACKOFF_OK);
  assert_int_equal(backoff_cancel_trigger(opts.cancel), BACKOFF_OK);
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, &opts, &d),
      BACKOFF_CANCELLED);
  assert_int_equal(script.calls, 0);
  assert_int_equal(tries.n, 0);
  assert_int_equal(d.tries, 0);
  assert_int_equal(d.outcome, BACKOFF_CANCELLED);
  assert_int_equal(giveups.n, 1);
  assert_int_equal(giveups.seen[0].tries, 0);

  /* Reset makes the token usable again. */
  assert_int_equal(backoff_cancel_reset(opts.cancel), BACKOFF_OK);
  assert_int_equal(backoff_cancel_triggered(opts.cancel), 0);
  script.rcs = succeed;
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, &opts, &d),
      BACKOFF_OK);
  assert_int_equal(script.calls, 1);
  backoff_cancel_free(opts.cancel);
  backoff_policy_free(p);
}

static void token_state_and_null_arguments(void **state) {
  backoff_cancel *c = NULL;
  (void)state;
  assert_int_equal(backoff_cancel_new(NULL), BACKOFF_E_INVALID);
  assert_int_equal(backoff_cancel_new(&c), BACKOFF_OK);
  assert_non_null(c);
  assert_int_equal(backoff_cancel_triggered(c), 0);
  assert_int_equal(backoff_cancel_trigger(c), BACKOFF_OK);
  assert_int_equal(backoff_cancel_triggered(c), 1);
  assert_int_equal(backoff_cancel_trigger(c), BACKOFF_OK);
  assert_int_equal(backoff_cancel_triggered(c), 1);
  assert_int_equal(backoff_cancel_reset(c), BACKOFF_OK);
  assert_int_equal(backoff_cancel_triggered(c), 0);
  assert_int_equal(backoff_cancel_reset(c), BACKOFF_OK);
  assert_int_equal(backoff_cancel_triggered(c), 0);
  assert_int_equal(backoff_cancel_triggered(NULL), 0);
  assert_int_equal(backoff_cancel_trigger(NULL), BACKOFF_E_INVALID);
  assert_int_equal(backoff_cancel_reset(NULL), BACKOFF_E_INVALID);
  backoff_cancel_free(c);
  backoff_cancel_free(NULL);
}

/* An injected sleep cannot be interrupted, but the token is checked after
 * it: no further attempt. */
typedef struct cancelling_sleep {
  backoff_cancel *token;
  unsigned calls;
} cancelling_sleep;

static void sleep_then_cancel(double seconds, void *data) {
  cancelling_sleep *s = data;
  (void)seconds;
  s->calls++;
  backoff_cancel_trigger(s->token);
}

static void token_checked_after_an_injected_sleep(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  cancelling_sleep sleeper = {NULL, 0};
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  harness_calls giveups = {0};
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  (void)state;
  assert_int_equal(backoff_cancel_new(&sleeper.token), BACKOFF_OK);
  assert_int_equal(backoff_policy_sleep(p, sleep_then_cancel, &sleeper, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_giveup(p, harness_record_hook, &giveups,
                                            NULL),
                   BACKOFF_OK);
  opts.cancel = sleeper.token;
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, &opts, NULL),
      BACKOFF_CANCELLED);
  assert_int_equal(sleeper.calls, 1);
  assert_int_equal(script.calls, 1);
  assert_int_equal(giveups.n, 1);
  backoff_cancel_free(sleeper.token);
  backoff_policy_free(p);
}

/* A trigger during an attempt does not interrupt it; a failure then ends
 * the run without a backoff, a success still counts. */
typedef struct cancelling_attempt {
  backoff_cancel *token;
  int rc;
} cancelling_attempt;

static int attempt_then_cancel(void *user_data) {
  cancelling_attempt *a = user_data;
  backoff_cancel_trigger(a->token);
  return a->rc;
}

static void token_triggered_during_an_attempt(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  cancelling_attempt attempt = {NULL, 1};
  harness_calls backoffs = {0};
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_cancel_new(&attempt.token), BACKOFF_OK);
  assert_int_equal(backoff_policy_on_backoff(p, harness_record_hook, &backoffs,
                                             NULL),
                   BACKOFF_OK);
  opts.cancel = attempt.token;
  assert_int_equal(backoff_run_ex(p, attempt_then_cancel, &attempt, &opts, &d),
                   BACKOFF_CANCELLED);
  assert_int_equal(d.tries, 1);
  assert_int_equal(d.last_rc, 1);
  assert_int_equal(backoffs.n, 0);
  assert_int_equal(t.n_sleeps, 0);

  assert_int_equal(backoff_cancel_reset(attempt.token), BACKOFF_OK);
  attempt.rc = 0;
  assert_int_equal(backoff_run_ex(p, attempt_then_cancel, &attempt, &opts, &d),
                   BACKOFF_OK);
  backoff_cancel_free(attempt.token);
  backoff_policy_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(another_thread_interrupts_a_long_sleep),
      cmocka_unit_test(one_trigger_wakes_every_run),
      cmocka_unit_test(token_triggered_before_the_run),
      cmocka_unit_test(token_state_and_null_arguments),
      cmocka_unit_test(token_checked_after_an_injected_sleep),
      cmocka_unit_test(token_triggered_during_an_attempt),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
