/* Cancel tokens: stopping a run from another thread, before it starts, and
 * between attempts; what a cancelled run reports, in which order. */
#define _DEFAULT_SOURCE /* syscall(SYS_gettid), for sleeping_thread.h */

#include "harness.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>

#include "../sleeping_thread.h"

static const int always_fail[] = {1};

/* A trigger must wake a run well before its 60 s wait would end; past this
 * the wake-up is broken, and the test says so instead of hanging. */
static const double wake_up_within = 5.0;

/* A run sleeping 60 s on another thread. Its on_backoff hook tells which
 * thread it is; the test then waits until that thread is asleep. */
typedef struct sleeping_run {
  harness_script script; /* first: the attempt's user data is the run */
  const backoff_policy *policy;
  backoff_run_options opts;
  backoff_details details;
  backoff_status status;
  long tid;
  sem_t backing_off, finished;
} sleeping_run;

static void announce_backoff(const backoff_details *d, void *data) {
  sleeping_run *run = d->user_data;
  (void)data;
  run->tid = sleeping_thread_self();
  sem_post(&run->backing_off);
}

static void *run_until_cancelled(void *arg) {
  sleeping_run *run = arg;
  run->status = backoff_run_ex(run->policy, harness_script_attempt,
                               &run->script, &run->opts, &run->details);
  sem_post(&run->finished);
  return NULL;
}

/* 1 if s was posted within `seconds`. */
static int posted_within(sem_t *s, double seconds) {
  const double deadline = sleeping_thread_now() + seconds;
  const struct timespec pause = {0, 1000000L};
  while (sem_trywait(s) != 0) {
    if (sleeping_thread_now() > deadline)
      return 0;
    nanosleep(&pause, NULL);
  }
  return 1;
}

static void start_sleeping_run(sleeping_run *run, const backoff_policy *p,
                               backoff_cancel *token, pthread_t *thread) {
  const backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  const backoff_details details = BACKOFF_DETAILS_INIT;
  const harness_script script = {always_fail, 1, 0.0, NULL, 0, {0}};
  run->script = script;
  run->policy = p;
  run->opts = opts;
  run->opts.cancel = token;
  run->details = details;
  run->status = BACKOFF_E_INTERNAL;
  run->tid = 0;
  assert_int_equal(sem_init(&run->backing_off, 0, 0), 0);
  assert_int_equal(sem_init(&run->finished, 0, 0), 0);
  assert_int_equal(pthread_create(thread, NULL, run_until_cancelled, run), 0);
}

/* Waits until the run is asleep in its 60 s wait. */
static void wait_until_asleep(sleeping_run *run) {
  if (!posted_within(&run->backing_off, wake_up_within))
    fail_msg("the run never backed off");
  if (!sleeping_thread_wait(run->tid, wake_up_within))
    fail_msg("the run never went to sleep");
}

/* After the trigger: the run must be back well before its wait ends (on a
 * broken wake-up the test fails here, leaving the thread asleep). */
static void assert_woken(sleeping_run *run, pthread_t thread,
                         double triggered_at) {
  if (!posted_within(&run->finished, wake_up_within))
    fail_msg("a 60 s wait was still asleep %.1f s after the trigger",
             wake_up_within);
  assert_true(sleeping_thread_now() - triggered_at < wake_up_within);
  assert_int_equal(pthread_join(thread, NULL), 0);
  sem_destroy(&run->backing_off);
  sem_destroy(&run->finished);
}

static backoff_policy *sixty_second_policy(void) {
  backoff_policy *p = harness_policy();
  assert_int_equal(backoff_policy_wait_constant(p, 60), BACKOFF_OK);
  assert_int_equal(backoff_policy_jitter(p, BACKOFF_JITTER_NONE), BACKOFF_OK);
  assert_int_equal(backoff_policy_on_backoff(p, announce_backoff, NULL, NULL),
                   BACKOFF_OK);
  return p;
}

/* A real 60 s sleep, triggered from this thread while the run's thread is
 * asleep in it: the run comes back cancelled at once. */
static void another_thread_interrupts_a_long_sleep(void **state) {
  backoff_policy *p = sixty_second_policy();
  backoff_cancel *token = NULL;
  harness_calls giveups = {0};
  sleeping_run run;
  pthread_t thread;
  double triggered_at;
  (void)state;
  assert_int_equal(backoff_policy_on_giveup(p, harness_record_hook, &giveups,
                                            NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_cancel_new(&token), BACKOFF_OK);
  start_sleeping_run(&run, p, token, &thread);
  wait_until_asleep(&run);
  triggered_at = sleeping_thread_now();
  assert_int_equal(backoff_cancel_trigger(token), BACKOFF_OK);
  assert_woken(&run, thread, triggered_at);
  assert_int_equal(run.status, BACKOFF_CANCELLED);
  assert_int_equal(run.script.calls, 1);
  assert_int_equal(run.details.outcome, BACKOFF_CANCELLED);
  assert_int_equal(run.details.tries, 1);
  assert_double_equal(run.details.wait, 60.0);
  assert_true(run.details.elapsed < wake_up_within);
  assert_int_equal(giveups.n, 1);
  assert_int_equal(giveups.seen[0].outcome, BACKOFF_CANCELLED);
  assert_int_equal(backoff_cancel_triggered(token), 1);
  backoff_cancel_free(token);
  backoff_policy_free(p);
}

/* One trigger wakes every run asleep on the token. */
static void one_trigger_wakes_every_run(void **state) {
  enum { RUNS = 3 };
  backoff_policy *p = sixty_second_policy();
  backoff_cancel *token = NULL;
  sleeping_run runs[RUNS];
  pthread_t threads[RUNS];
  double triggered_at;
  size_t i;
  (void)state;
  assert_int_equal(backoff_cancel_new(&token), BACKOFF_OK);
  for (i = 0; i < RUNS; ++i)
    start_sleeping_run(&runs[i], p, token, &threads[i]);
  for (i = 0; i < RUNS; ++i)
    wait_until_asleep(&runs[i]);
  triggered_at = sleeping_thread_now();
  assert_int_equal(backoff_cancel_trigger(token), BACKOFF_OK);
  for (i = 0; i < RUNS; ++i) {
    assert_woken(&runs[i], threads[i], triggered_at);
    assert_int_equal(runs[i].status, BACKOFF_CANCELLED);
    assert_int_equal(runs[i].script.calls, 1);
  }
  backoff_cancel_free(token);
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

/* A cancelled run ends like every run given up: its on_giveup hooks, then
 * the give-up log line (after on_backoff, the log line, the sleep). */
typedef struct journal {
  char text[256];
  backoff_cancel *token; /* the sleep triggers it */
} journal;

typedef struct journal_tag {
  const char *name;
  journal *j;
} journal_tag;

static void journal_add(journal *j, const char *what) {
  const size_t used = strlen(j->text);
  snprintf(j->text + used, sizeof j->text - used, "%s ", what);
}

static void journal_hook(const backoff_details *d, void *data) {
  const journal_tag *tag = data;
  (void)d;
  journal_add(tag->j, tag->name);
}

static void journal_log(int level, const char *message,
                        const backoff_details *d, void *data) {
  (void)level, (void)d;
  journal_add(data, strncmp(message, "Giving up", 9) == 0 ? "log:giving-up"
                                                           : "log:backing-off");
}

static void journal_sleep_then_cancel(double seconds, void *data) {
  journal *j = data;
  (void)seconds;
  journal_add(j, "sleep");
  backoff_cancel_trigger(j->token);
}

static backoff_policy *journalled_policy(harness_time *t, journal *j,
                                         journal_tag tags[3]) {
  backoff_policy *p = harness_exact_policy(t);
  tags[0].name = "try", tags[1].name = "backoff", tags[2].name = "giveup";
  tags[0].j = tags[1].j = tags[2].j = j;
  assert_int_equal(backoff_policy_on_try(p, journal_hook, &tags[0], NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_backoff(p, journal_hook, &tags[1], NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_giveup(p, journal_hook, &tags[2], NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_log(p, journal_log, j, NULL), BACKOFF_OK);
  assert_int_equal(backoff_cancel_new(&j->token), BACKOFF_OK);
  return p;
}

static void cancelled_run_gives_up_then_logs(void **state) {
  harness_time t = {0};
  journal j = {{0}, NULL};
  journal_tag tags[3];
  backoff_policy *p = journalled_policy(&t, &j, tags);
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  (void)state;
  /* replaces the fake sleep: this one triggers the token */
  assert_int_equal(
      backoff_policy_sleep(p, journal_sleep_then_cancel, &j, NULL), BACKOFF_OK);
  opts.cancel = j.token;
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, &opts, NULL),
      BACKOFF_CANCELLED);
  assert_string_equal(j.text,
                      "try backoff log:backing-off sleep giveup log:giving-up ");

  /* Cancelled before the first attempt: the same ending, alone. */
  j.text[0] = '\0';
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, &opts, NULL),
      BACKOFF_CANCELLED);
  assert_string_equal(j.text, "giveup log:giving-up ");
  backoff_cancel_free(j.token);
  backoff_policy_free(p);
}

static void state_cancel_gives_up_then_logs(void **state) {
  harness_time t = {0};
  journal j = {{0}, NULL};
  journal_tag tags[3];
  backoff_policy *p = journalled_policy(&t, &j, tags);
  backoff_state *s = NULL;
  double wait = -1.0;
  (void)state;
  assert_int_equal(backoff_state_new(p, NULL, NULL, &s), BACKOFF_OK);
  assert_int_equal(backoff_state_begin(s), BACKOFF_OK);
  assert_int_equal(backoff_state_next(s, 1, &wait), BACKOFF_RETRY);
  assert_int_equal(backoff_state_cancel(s), BACKOFF_CANCELLED);
  assert_string_equal(j.text, "try backoff log:backing-off giveup log:giving-up ");
  backoff_state_free(s);
  backoff_cancel_free(j.token);
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
      cmocka_unit_test(cancelled_run_gives_up_then_logs),
      cmocka_unit_test(state_cancel_gives_up_then_logs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
