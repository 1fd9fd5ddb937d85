/* backoff_run / backoff_run_ex arguments and results, details structs of
 * other sizes, concurrent runs of one policy, strerror and version. */
#include "harness.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static const int always_fail[] = {1};

static void null_policy_or_attempt_is_invalid(void **state) {
  backoff_policy *p = harness_policy();
  harness_script script = {always_fail, 1, 0.0, NULL, 0, {0}};
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  (void)state;
  assert_int_equal(backoff_run(NULL, harness_script_attempt, &script, NULL),
                   BACKOFF_E_INVALID);
  assert_int_equal(backoff_run(p, NULL, &script, NULL), BACKOFF_E_INVALID);
  assert_int_equal(
      backoff_run_ex(NULL, harness_script_attempt, &script, &opts, NULL),
      BACKOFF_E_INVALID);
  assert_int_equal(backoff_run_ex(p, NULL, &script, &opts, NULL),
                   BACKOFF_E_INVALID);
  assert_int_equal(script.calls, 0);
  backoff_policy_free(p);
}

static void too_small_details_or_options_are_invalid(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  const int succeed[] = {0};
  harness_script script = {succeed, 1, 0.0, NULL, 0, {0}};
  backoff_details d;
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  (void)state;
  memset(&d, 0xAB, sizeof d);
  d.size = 0;
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                   BACKOFF_E_INVALID);
  d.size = sizeof d.size - 1;
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                   BACKOFF_E_INVALID);
  assert_int_equal(d.tries, 0xABABABABu); /* untouched */
  opts.size = offsetof(backoff_run_options, label);
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, &opts, NULL),
      BACKOFF_E_INVALID);
  opts.size = 0;
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, &opts, NULL),
      BACKOFF_E_INVALID);
  assert_int_equal(script.calls, 0);
  backoff_policy_free(p);
}

/* A caller compiled when backoff_details ended before total_wait. */
static void old_caller_details_filled_only_up_to_its_size(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  const size_t old_size = offsetof(backoff_details, total_wait);
  const int rcs[] = {4, 0};
  harness_script script = {rcs, 2, 0.5, &t, 0, {0}};
  struct {
    backoff_details d;
    unsigned char canary[32];
  } old;
  const unsigned char *bytes = (const unsigned char *)&old;
  size_t i;
  (void)state;
  memset(&old, 0xAB, sizeof old);
  old.d.size = old_size;
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &old.d),
                   BACKOFF_OK);
  assert_int_equal(old.d.size, old_size);
  assert_string_equal(old.d.label, "operation");
  assert_ptr_equal(old.d.user_data, &script);
  assert_int_equal(old.d.tries, 2);
  assert_double_equal(old.d.elapsed, 2.0);
  assert_double_equal(old.d.wait, 1.0);
  for (i = old_size; i < sizeof old; ++i)
    assert_int_equal(bytes[i], 0xAB);
  backoff_policy_free(p);
}

static void size_field_only_details(void **state) {
  backoff_policy *p = harness_policy();
  const int succeed[] = {0};
  harness_script script = {succeed, 1, 0.0, NULL, 0, {0}};
  backoff_details d;
  const unsigned char *bytes = (const unsigned char *)&d;
  size_t i;
  (void)state;
  memset(&d, 0xAB, sizeof d);
  d.size = sizeof d.size;
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                   BACKOFF_OK);
  assert_int_equal(d.size, sizeof d.size);
  for (i = sizeof d.size; i < sizeof d; ++i)
    assert_int_equal(bytes[i], 0xAB);
  backoff_policy_free(p);
}

/* A size that ends inside a field (12: half of `label`): that field is not
 * written at all, nor anything after it. */
static void a_field_cut_by_size_is_not_written(void **state) {
  backoff_policy *p = harness_policy();
  const int succeed[] = {0};
  harness_script script = {succeed, 1, 0.0, NULL, 0, {0}};
  backoff_details d;
  const unsigned char *bytes = (const unsigned char *)&d;
  const size_t cut[] = {offsetof(backoff_details, label) + 4,
                        offsetof(backoff_details, tries) + 2,
                        offsetof(backoff_details, hint) + 7};
  size_t c, i;
  (void)state;
  for (c = 0; c < sizeof cut / sizeof cut[0]; ++c) {
    const size_t whole = c == 0   ? offsetof(backoff_details, label)
                         : c == 1 ? offsetof(backoff_details, tries)
                                  : offsetof(backoff_details, hint);
    memset(&d, 0xAB, sizeof d);
    d.size = cut[c];
    script.calls = 0;
    assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                     BACKOFF_OK);
    assert_int_equal(d.size, cut[c]);
    for (i = whole; i < sizeof d; ++i)
      assert_int_equal(bytes[i], 0xAB);
    if (c == 2) /* everything before the cut field was written */
      assert_int_equal(d.tries, 1);
  }
  backoff_policy_free(p);
}

/* A caller compiled with a later header, whose struct has more fields. */
static void newer_caller_extra_fields_untouched(void **state) {
  backoff_policy *p = harness_policy();
  const int succeed[] = {0};
  harness_script script = {succeed, 1, 0.0, NULL, 0, {0}};
  struct {
    backoff_details d;
    double future_field;
  } newer;
  (void)state;
  memset(&newer, 0, sizeof newer);
  newer.d.size = sizeof newer;
  newer.future_field = 42.0;
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &newer.d),
                   BACKOFF_OK);
  assert_int_equal(newer.d.size, sizeof newer);
  assert_int_equal(newer.d.tries, 1);
  assert_double_equal(newer.future_field, 42.0);
  backoff_policy_free(p);
}

static void details_of_a_finished_run(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_script script = {always_fail, 1, 1.0, &t, 0, {0}};
  backoff_details d = BACKOFF_DETAILS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_max_tries(p, 3), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_time(p, 60), BACKOFF_OK);
  /* attempts 0-1, wait 1, 2-3, wait 2, 5-6 */
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, &d),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(d.size, sizeof d);
  assert_string_equal(d.label, "operation");
  assert_ptr_equal(d.user_data, &script);
  assert_int_equal(d.tries, 3);
  assert_double_equal(d.elapsed, 6.0);
  assert_double_equal(d.wait, 2.0);
  assert_double_equal(d.total_wait, 3.0);
  assert_int_equal(d.last_rc, 1);
  assert_int_equal(d.outcome, BACKOFF_GAVE_UP_TRIES);
  assert_double_equal(d.remaining, 54.0);
  backoff_policy_free(p);
}

static void label_comes_from_the_options(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_log log = {0};
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_details d = BACKOFF_DETAILS_INIT;
  static const char label[] = "sync_inventory";
  (void)state;
  assert_int_equal(backoff_policy_max_tries(p, 2), BACKOFF_OK);
  assert_int_equal(backoff_policy_log(p, harness_record_log, &log, NULL),
                   BACKOFF_OK);
  opts.label = label;
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, &opts, &d),
      BACKOFF_GAVE_UP_TRIES);
  assert_ptr_equal(d.label, label); /* borrowed, not copied */
  assert_string_equal(log.line[0],
                      "Backing off sync_inventory(...) for 1.0s (rc=1)");

  opts.label = NULL;
  log.n = 0;
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, &opts, &d),
      BACKOFF_GAVE_UP_TRIES);
  assert_string_equal(d.label, "operation");
  assert_string_equal(log.line[0],
                      "Backing off operation(...) for 1.0s (rc=1)");

  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, NULL, &d),
      BACKOFF_GAVE_UP_TRIES);
  assert_string_equal(d.label, "operation");
  backoff_policy_free(p);
}

/* ---- one policy, several threads ---------------------------------------- */

enum { THREADS = 4, RUN_TRIES = 20 };

typedef struct thread_run {
  const backoff_policy *policy;
  unsigned n;
  double waits[RUN_TRIES];
  backoff_status status;
} thread_run;

static void record_wait(const backoff_details *d, void *data) {
  thread_run *run = d->user_data;
  (void)data;
  run->waits[run->n++] = d->wait;
}

static int fail_attempt(void *user_data) {
  (void)user_data;
  return 1;
}

static void *run_in_thread(void *arg) {
  thread_run *run = arg;
  run->status = backoff_run(run->policy, fail_attempt, run, NULL);
  return NULL;
}

static void no_sleep(double seconds, void *data) {
  (void)seconds, (void)data;
}

/* A seeded policy gives every concurrent run the same waits. */
static void concurrent_runs_share_a_policy(void **state) {
  backoff_policy *p = harness_policy();
  thread_run reference, runs[THREADS];
  pthread_t threads[THREADS];
  size_t i;
  (void)state;
  assert_int_equal(backoff_policy_seed(p, 99), BACKOFF_OK);
  assert_int_equal(backoff_policy_max_tries(p, RUN_TRIES), BACKOFF_OK);
  assert_int_equal(backoff_policy_sleep(p, no_sleep, NULL, NULL), BACKOFF_OK);
  assert_int_equal(backoff_policy_on_backoff(p, record_wait, NULL, NULL),
                   BACKOFF_OK);
  memset(&reference, 0, sizeof reference);
  reference.policy = p;
  run_in_thread(&reference);
  assert_int_equal(reference.status, BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(reference.n, RUN_TRIES - 1);
  memset(runs, 0, sizeof runs);
  for (i = 0; i < THREADS; ++i) {
    runs[i].policy = p;
    assert_int_equal(pthread_create(&threads[i], NULL, run_in_thread, &runs[i]),
                     0);
  }
  for (i = 0; i < THREADS; ++i) {
    assert_int_equal(pthread_join(threads[i], NULL), 0);
    assert_int_equal(runs[i].status, BACKOFF_GAVE_UP_TRIES);
    assert_int_equal(runs[i].n, RUN_TRIES - 1);
    assert_memory_equal(runs[i].waits, reference.waits,
                        sizeof reference.waits);
  }
  backoff_policy_free(p);
}

/* ---- strerror and version ----------------------------------------------- */

static void strerror_names_every_status(void **state) {
  const int statuses[] = {
      BACKOFF_OK,           BACKOFF_RETRY,          BACKOFF_GAVE_UP_TRIES,
      BACKOFF_GAVE_UP_TIME, BACKOFF_GAVE_UP_FATAL,  BACKOFF_GAVE_UP_EXHAUSTED,
      BACKOFF_CANCELLED,    BACKOFF_PASSED_THROUGH, BACKOFF_GAVE_UP_BUDGET,
      BACKOFF_E_INVALID,
      BACKOFF_E_NOMEM,      BACKOFF_E_MISUSE,       BACKOFF_E_PARSE,
      BACKOFF_E_UNSUPPORTED, BACKOFF_E_INTERNAL};
  const size_t n = sizeof statuses / sizeof statuses[0];
  const int unknown[] = {9, 100, -7, -100, INT_MAX, INT_MIN};
  size_t i, j;
  (void)state;
  for (i = 0; i < n; ++i) {
    const char *text = backoff_strerror(statuses[i]);
    assert_non_null(text);
    assert_true(strlen(text) > 0);
    assert_string_not_equal(text, "unknown status");
    for (j = 0; j < i; ++j)
      assert_string_not_equal(text, backoff_strerror(statuses[j]));
  }
  assert_string_equal(backoff_strerror(BACKOFF_GAVE_UP_TRIES),
                      "gave up: tries limit reached");
  for (i = 0; i < sizeof unknown / sizeof unknown[0]; ++i)
    assert_string_equal(backoff_strerror(unknown[i]), "unknown status");
}

static void version_matches_the_header(void **state) {
  char expected[32];
  (void)state;
  assert_int_equal(backoff_version_number(), BACKOFF_VERSION_NUMBER);
  assert_int_equal(BACKOFF_VERSION_NUMBER,
                   BACKOFF_VERSION_MAJOR * 10000 + BACKOFF_VERSION_MINOR * 100 +
                       BACKOFF_VERSION_PATCH);
  assert_string_equal(backoff_version_string(), BACKOFF_VERSION_STRING);
  snprintf(expected, sizeof expected, "%d.%d.%d", BACKOFF_VERSION_MAJOR,
           BACKOFF_VERSION_MINOR, BACKOFF_VERSION_PATCH);
  assert_string_equal(BACKOFF_VERSION_STRING, expected);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(null_policy_or_attempt_is_invalid),
      cmocka_unit_test(too_small_details_or_options_are_invalid),
      cmocka_unit_test(old_caller_details_filled_only_up_to_its_size),
      cmocka_unit_test(size_field_only_details),
      cmocka_unit_test(a_field_cut_by_size_is_not_written),
      cmocka_unit_test(newer_caller_extra_fields_untouched),
      cmocka_unit_test(details_of_a_finished_run),
      cmocka_unit_test(label_comes_from_the_options),
      cmocka_unit_test(concurrent_runs_share_a_policy),
      cmocka_unit_test(strerror_names_every_status),
      cmocka_unit_test(version_matches_the_header),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
