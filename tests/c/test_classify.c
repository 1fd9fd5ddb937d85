/* What counts as success, retry, give-up and pass-through. */
#include "harness.h"

#include <string.h>

/* Records everything a run reports besides its status. */
typedef struct observed {
  harness_hooks hooks;
  harness_log log;
  harness_time time;
} observed;

static backoff_policy *observed_policy(observed *o) {
  backoff_policy *p = harness_exact_policy(&o->time);
  memset(o, 0, sizeof *o);
  harness_add_all_hooks(p, &o->hooks);
  assert_int_equal(backoff_policy_log(p, harness_record_log, &o->log, NULL),
                   BACKOFF_OK);
  return p;
}

static backoff_status run_script(const backoff_policy *p, const int *rcs,
                                 size_t n, harness_script *script,
                                 backoff_details *d) {
  memset(script, 0, sizeof *script);
  script->rcs = rcs;
  script->n_rcs = n;
  return backoff_run(p, harness_script_attempt, script, d);
}

static void default_zero_succeeds_anything_else_retries(void **state) {
  observed o;
  backoff_policy *p = observed_policy(&o);
  const int rcs[] = {-5, 7, 255, 0};
  harness_script script;
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(run_script(p, rcs, 4, &script, &d), BACKOFF_OK);
  assert_int_equal(script.calls, 4);
  assert_int_equal(o.hooks.backoffs.n, 3);
  assert_int_equal(o.hooks.backoffs.seen[0].last_rc, -5);
  assert_int_equal(o.hooks.backoffs.seen[2].last_rc, 255);
  assert_int_equal(o.hooks.successes.n, 1);
  assert_int_equal(o.hooks.giveups.n, 0);
  assert_int_equal(d.last_rc, 0);
  backoff_policy_free(p);
}

static void retry_on_retries_only_listed_codes(void **state) {
  observed o;
  backoff_policy *p = observed_policy(&o);
  const int codes[] = {7, 9};
  const int rcs[] = {7, 9, 3, 0};
  const int listed_then_success[] = {9, 0};
  harness_script script;
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_retry_on(p, codes, 2), BACKOFF_OK);
  assert_int_equal(run_script(p, rcs, 4, &script, &d), BACKOFF_GAVE_UP_FATAL);
  assert_int_equal(script.calls, 3);
  assert_int_equal(d.last_rc, 3);
  assert_int_equal(o.hooks.backoffs.n, 2);
  assert_int_equal(o.hooks.giveups.n, 1);
  assert_int_equal(o.hooks.giveups.seen[0].outcome, BACKOFF_GAVE_UP_FATAL);
  assert_int_equal(o.hooks.giveups.seen[0].last_rc, 3);
  assert_int_equal(run_script(p, listed_then_success, 2, &script, &d),
                   BACKOFF_OK);
  assert_int_equal(script.calls, 2);
  backoff_policy_free(p);
}

static void giveup_on_stops_at_listed_codes(void **state) {
  observed o;
  backoff_policy *p = observed_policy(&o);
  const int codes[] = {3};
  const int rcs[] = {5, -1, 3, 0};
  harness_script script;
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_giveup_on(p, codes, 1), BACKOFF_OK);
  assert_int_equal(run_script(p, rcs, 4, &script, &d), BACKOFF_GAVE_UP_FATAL);
  assert_int_equal(script.calls, 3);
  assert_int_equal(o.hooks.giveups.n, 1);
  assert_int_equal(o.hooks.giveups.seen[0].outcome, BACKOFF_GAVE_UP_FATAL);
  assert_int_equal(o.log.n, 3);
  assert_int_equal(o.log.level[2], BACKOFF_LOG_ERROR);
  assert_string_equal(
      o.log.line[2],
      "Giving up operation(...) after 3 tries (rc=3: gave up: fatal error)");
  backoff_policy_free(p);
}

/* A classifier answering by return code: rc 100 + v gives verdict v. */
typedef struct verdicts {
  unsigned calls;
  void *expected_user_data;
} verdicts;

static int verdict_from_rc(const backoff_details *d, void *data) {
  verdicts *v = data;
  v->calls++;
  assert_ptr_equal(d->user_data, v->expected_user_data);
  assert_int_equal(d->tries, v->calls);
  assert_int_equal(d->outcome, BACKOFF_RETRY);
  return d->last_rc - 100;
}

static backoff_policy *classified_policy(observed *o, verdicts *v) {
  backoff_policy *p = observed_policy(o);
  v->calls = 0;
  assert_int_equal(backoff_policy_classify(p, verdict_from_rc, v, NULL),
                   BACKOFF_OK);
  return p;
}

static void pass_through_returns_at_once_without_hooks(void **state) {
  observed o;
  verdicts v;
  backoff_policy *p = classified_policy(&o, &v);
  const int rcs[] = {100 + BACKOFF_VERDICT_RETRY,
                     100 + BACKOFF_VERDICT_PASS_THROUGH};
  harness_script script;
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  v.expected_user_data = &script;
  assert_int_equal(run_script(p, rcs, 2, &script, &d), BACKOFF_PASSED_THROUGH);
  assert_int_equal(script.calls, 2);
  assert_int_equal(v.calls, 2);
  assert_int_equal(d.tries, 2);
  assert_int_equal(d.last_rc, 100 + BACKOFF_VERDICT_PASS_THROUGH);
  assert_int_equal(d.outcome, BACKOFF_PASSED_THROUGH);
  /* Only the first failure's backoff; nothing for the pass-through. */
  assert_int_equal(o.hooks.backoffs.n, 1);
  assert_int_equal(o.hooks.successes.n, 0);
  assert_int_equal(o.hooks.giveups.n, 0);
  assert_int_equal(o.log.n, 1);
  assert_string_equal(o.log.line[0],
                      "Backing off operation(...) for 1.0s (rc=101)");
  backoff_policy_free(p);
}

static void pass_through_at_first_attempt_leaves_no_trace(void **state) {
  observed o;
  verdicts v;
  backoff_policy *p = classified_policy(&o, &v);
  const int rcs[] = {100 + BACKOFF_VERDICT_PASS_THROUGH};
  harness_script script;
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  v.expected_user_data = &script;
  assert_int_equal(run_script(p, rcs, 1, &script, &d), BACKOFF_PASSED_THROUGH);
  assert_int_equal(d.tries, 1);
  assert_int_equal(o.hooks.tries.n, 1); /* on_try precedes every attempt */
  assert_int_equal(o.hooks.backoffs.n + o.hooks.successes.n + o.hooks.giveups.n, 0);
  assert_int_equal(o.log.n, 0);
  assert_int_equal(o.time.n_sleeps, 0);
  backoff_policy_free(p);
}

static void give_up_verdict_is_fatal(void **state) {
  observed o;
  verdicts v;
  backoff_policy *p = classified_policy(&o, &v);
  const int rcs[] = {100 + BACKOFF_VERDICT_GIVE_UP};
  harness_script script;
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  v.expected_user_data = &script;
  assert_int_equal(run_script(p, rcs, 1, &script, &d), BACKOFF_GAVE_UP_FATAL);
  assert_int_equal(script.calls, 1);
  assert_int_equal(o.hooks.giveups.n, 1);
  assert_int_equal(o.hooks.giveups.seen[0].outcome, BACKOFF_GAVE_UP_FATAL);
  assert_int_equal(o.log.n, 1);
  assert_int_equal(o.log.level[0], BACKOFF_LOG_ERROR);
  backoff_policy_free(p);
}

static void success_verdict_accepts_a_nonzero_code(void **state) {
  observed o;
  verdicts v;
  backoff_policy *p = classified_policy(&o, &v);
  const int rcs[] = {100 + BACKOFF_VERDICT_SUCCESS};
  harness_script script;
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  v.expected_user_data = &script;
  assert_int_equal(run_script(p, rcs, 1, &script, &d), BACKOFF_OK);
  assert_int_equal(d.last_rc, 100);
  assert_int_equal(o.hooks.successes.n, 1);
  assert_int_equal(o.hooks.successes.seen[0].outcome, BACKOFF_OK);
  assert_int_equal(o.hooks.successes.seen[0].last_rc, 100);
  assert_int_equal(o.hooks.giveups.n, 0);
  assert_int_equal(o.log.n, 0);
  backoff_policy_free(p);
}

/* A custom classifier also judges rc 0: here it says "give up". */
static void custom_classifier_judges_zero_too(void **state) {
  observed o;
  verdicts v;
  backoff_policy *p = classified_policy(&o, &v);
  const int rcs[] = {0, 100};
  harness_script script;
  (void)state;
  v.expected_user_data = &script;
  /* 0 - 100 is out of range: give up */
  assert_int_equal(run_script(p, rcs, 2, &script, NULL), BACKOFF_GAVE_UP_FATAL);
  assert_int_equal(script.calls, 1);
  backoff_policy_free(p);
}

static void out_of_range_verdict_gives_up(void **state) {
  const int bad_verdicts[] = {4, 42, -1};
  size_t i;
  (void)state;
  for (i = 0; i < 3; ++i) {
    observed o;
    verdicts v;
    backoff_policy *p = classified_policy(&o, &v);
    harness_script script;
    const int rc = 100 + bad_verdicts[i];
    v.expected_user_data = &script;
    assert_int_equal(run_script(p, &rc, 1, &script, NULL),
                     BACKOFF_GAVE_UP_FATAL);
    assert_int_equal(script.calls, 1);
    assert_int_equal(o.hooks.giveups.n, 1);
    backoff_policy_free(p);
  }
}

static int replaced_before_use(const backoff_details *d, void *data) {
  (void)d;
  (void)data;
  fail();
  return BACKOFF_VERDICT_RETRY;
}

typedef struct clocked_verdicts {
  unsigned n;
  double elapsed[4];
  double remaining[4];
} clocked_verdicts;

static int retry_and_note_the_time(const backoff_details *d, void *data) {
  clocked_verdicts *v = data;
  v->elapsed[v->n] = d->elapsed;
  v->remaining[v->n] = d->remaining;
  v->n++;
  return d->last_rc == 0 ? BACKOFF_VERDICT_SUCCESS : BACKOFF_VERDICT_RETRY;
}

/* A classifier judging "is there time left for another try?" must see the
 * time after the attempt it judges, as on_backoff does. */
static void classifier_sees_the_time_after_the_attempt(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  clocked_verdicts v = {0, {0}, {0}};
  const int rcs[] = {1, 0};
  harness_script script = {rcs, 2, 2.5, &t, 0, {0}};
  (void)state;
  assert_int_equal(backoff_policy_max_time(p, 10), BACKOFF_OK);
  assert_int_equal(
      backoff_policy_classify(p, retry_and_note_the_time, &v, NULL),
      BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_OK);
  /* attempt 0-2.5, wait 1, attempt 3.5-6 */
  assert_int_equal(v.n, 2);
  assert_double_equal(v.elapsed[0], 2.5);
  assert_double_equal(v.remaining[0], 7.5);
  assert_double_equal(v.elapsed[1], 6.0);
  assert_double_equal(v.remaining[1], 4.0);
  backoff_policy_free(p);
}

static void code_lists_replace_a_classifier(void **state) {
  backoff_policy *p = harness_policy();
  unsigned destroyed = 0;
  const int codes[] = {5};
  const int rcs[] = {6};
  harness_script script;
  (void)state;
  assert_int_equal(backoff_policy_classify(p, replaced_before_use, &destroyed,
                                           harness_count_destroy),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_retry_on(p, codes, 1), BACKOFF_OK);
  assert_int_equal(destroyed, 1);
  assert_int_equal(run_script(p, rcs, 1, &script, NULL), BACKOFF_GAVE_UP_FATAL);
  backoff_policy_free(p);
  assert_int_equal(destroyed, 1);
}

static int judge_all_success(const backoff_details *d, void *data) {
  (void)d;
  ++*(unsigned *)data;
  return BACKOFF_VERDICT_SUCCESS;
}

/* backoff_run_ex with BACKOFF_RUN_RC_IS_VERDICT: the attempt returns its
 * own verdict, and the policy's classifier is not asked. */
static void attempts_may_return_verdicts(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  harness_hooks h;
  unsigned asked = 0;
  const int retry_then_pass[] = {BACKOFF_VERDICT_RETRY,
                                 BACKOFF_VERDICT_PASS_THROUGH};
  const int retry_then_fatal[] = {BACKOFF_VERDICT_RETRY,
                                  BACKOFF_VERDICT_GIVE_UP};
  const int unknown[] = {42};
  harness_script a = {retry_then_pass, 2, 0, NULL, 0, {0}};
  harness_script b = {retry_then_fatal, 2, 0, NULL, 0, {0}};
  harness_script c = {unknown, 1, 0, NULL, 0, {0}};
  (void)state;
  harness_add_all_hooks(p, &h);
  assert_int_equal(backoff_policy_classify(p, judge_all_success, &asked, NULL),
                   BACKOFF_OK);
  opts.flags = BACKOFF_RUN_RC_IS_VERDICT;
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &a, &opts, NULL),
      BACKOFF_PASSED_THROUGH);
  assert_int_equal(a.calls, 2);
  assert_int_equal(h.giveups.n + h.successes.n, 0); /* pass-through: none */
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &b, &opts, NULL),
      BACKOFF_GAVE_UP_FATAL);
  assert_int_equal(h.giveups.n, 1);
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &c, &opts, NULL),
      BACKOFF_GAVE_UP_FATAL);
  assert_int_equal(asked, 0);
  backoff_policy_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(default_zero_succeeds_anything_else_retries),
      cmocka_unit_test(retry_on_retries_only_listed_codes),
      cmocka_unit_test(giveup_on_stops_at_listed_codes),
      cmocka_unit_test(pass_through_returns_at_once_without_hooks),
      cmocka_unit_test(pass_through_at_first_attempt_leaves_no_trace),
      cmocka_unit_test(give_up_verdict_is_fatal),
      cmocka_unit_test(success_verdict_accepts_a_nonzero_code),
      cmocka_unit_test(custom_classifier_judges_zero_too),
      cmocka_unit_test(out_of_range_verdict_gives_up),
      cmocka_unit_test(classifier_sees_the_time_after_the_attempt),
      cmocka_unit_test(code_lists_replace_a_classifier),
      cmocka_unit_test(attempts_may_return_verdicts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
