/* Hooks: when each runs, what it sees, their order, and who frees their
 * data. */
#include "harness.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void assert_details(const backoff_details *d, unsigned tries,
                           double elapsed, double wait, double total_wait,
                           int last_rc, int outcome, double remaining) {
  assert_int_equal(d->size, sizeof(backoff_details));
  assert_int_equal(d->tries, tries);
  assert_double_equal(d->elapsed, elapsed);
  assert_double_equal(d->wait, wait);
  assert_double_equal(d->total_wait, total_wait);
  assert_int_equal(d->last_rc, last_rc);
  assert_int_equal(d->outcome, outcome);
  assert_double_equal(d->remaining, remaining);
}

/* Attempts cost 0.5 s; waits 1 then 2; max_time 100. */
static void every_field_in_a_successful_run(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_hooks h;
  const int rcs[] = {5, 6, 0};
  harness_script script = {rcs, 3, 0.5, &t, 0, {0}};
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  size_t i;
  (void)state;
  harness_add_all_hooks(p, &h);
  assert_int_equal(backoff_policy_max_time(p, 100), BACKOFF_OK);
  opts.label = "fetch";
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, &opts, NULL),
      BACKOFF_OK);

  assert_int_equal(h.tries.n, 3);
  assert_details(&h.tries.seen[0], 1, 0.0, 0.0, 0.0, 0, BACKOFF_RETRY, 100.0);
  assert_details(&h.tries.seen[1], 2, 1.5, 1.0, 1.0, 5, BACKOFF_RETRY, 98.5);
  assert_details(&h.tries.seen[2], 3, 4.0, 2.0, 3.0, 6, BACKOFF_RETRY, 96.0);

  assert_int_equal(h.backoffs.n, 2);
  assert_details(&h.backoffs.seen[0], 1, 0.5, 1.0, 1.0, 5, BACKOFF_RETRY,
                 99.5);
  assert_details(&h.backoffs.seen[1], 2, 2.0, 2.0, 3.0, 6, BACKOFF_RETRY,
                 98.0);

  assert_int_equal(h.successes.n, 1);
  assert_details(&h.successes.seen[0], 3, 4.5, 2.0, 3.0, 0, BACKOFF_OK, 95.5);
  assert_int_equal(h.giveups.n, 0);

  for (i = 0; i < 3; ++i) {
    assert_string_equal(h.tries.seen[i].label, "fetch");
    assert_ptr_equal(h.tries.seen[i].user_data, &script);
  }
  assert_ptr_equal(h.successes.seen[0].user_data, &script);
  backoff_policy_free(p);
}

static void every_field_in_a_failed_run(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  harness_hooks h;
  const int rcs[] = {9};
  harness_script script = {rcs, 1, 0.25, &t, 0, {0}};
  (void)state;
  harness_add_all_hooks(p, &h);
  assert_int_equal(backoff_policy_max_tries(p, 2), BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(h.tries.n, 2);
  assert_int_equal(h.backoffs.n, 1);
  assert_details(&h.backoffs.seen[0], 1, 0.25, 1.0, 1.0, 9, BACKOFF_RETRY,
                 HUGE_VAL);
  assert_int_equal(h.successes.n, 0);
  assert_int_equal(h.giveups.n, 1);
  assert_details(&h.giveups.seen[0], 2, 1.5, 1.0, 1.0, 9,
                 BACKOFF_GAVE_UP_TRIES, HUGE_VAL);
  assert_string_equal(h.giveups.seen[0].label, "operation");
  backoff_policy_free(p);
}

/* Hooks of every kind append their name to one journal. */
typedef struct journal {
  char text[512];
} journal;

typedef struct tagged {
  const char *name;
  journal *journal;
} tagged;

static void write_tag(const backoff_details *d, void *data) {
  const tagged *tag = data;
  char *text = tag->journal->text;
  const size_t used = strlen(text);
  (void)d;
  snprintf(text + used, sizeof tag->journal->text - used, "%s ", tag->name);
}

static void hooks_run_in_event_order(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  journal j = {{0}};
  tagged try_tag = {"try", &j}, backoff_tag = {"backoff", &j};
  tagged success_tag = {"success", &j}, giveup_tag = {"giveup", &j};
  const int rcs[] = {1, 1, 0};
  harness_script script = {rcs, 3, 0.0, &t, 0, {0}};
  (void)state;
  assert_int_equal(backoff_policy_on_success(p, write_tag, &success_tag, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_giveup(p, write_tag, &giveup_tag, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_backoff(p, write_tag, &backoff_tag, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_try(p, write_tag, &try_tag, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_OK);
  assert_string_equal(j.text, "try backoff try backoff try success ");

  memset(&j, 0, sizeof j);
  script.calls = 0;
  assert_int_equal(backoff_policy_max_tries(p, 2), BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_string_equal(j.text, "try backoff try giveup ");
  backoff_policy_free(p);
}

static void log_tag(int level, const char *message, const backoff_details *d,
                    void *data) {
  (void)level, (void)message;
  write_tag(d, data);
}

static void sleep_tag(double seconds, void *data) {
  (void)seconds;
  write_tag(NULL, data);
}

typedef struct journalled_attempt {
  tagged tag;
  unsigned calls;
} journalled_attempt;

static int fail_twice(void *user_data) {
  journalled_attempt *a = user_data;
  write_tag(NULL, &a->tag);
  return ++a->calls < 3 ? 1 : 0;
}

/* backoff_run's documented order after a failure: on_backoff, log, sleep. */
static void backoff_hooks_then_log_then_sleep(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  journal j = {{0}};
  tagged try_tag = {"try", &j}, backoff_tag = {"backoff", &j};
  tagged log_tag_data = {"log", &j}, sleep_tag_data = {"sleep", &j};
  tagged success_tag = {"success", &j};
  journalled_attempt attempt = {{"attempt", &j}, 0};
  (void)state;
  assert_int_equal(backoff_policy_on_try(p, write_tag, &try_tag, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_backoff(p, write_tag, &backoff_tag, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_success(p, write_tag, &success_tag, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_log(p, log_tag, &log_tag_data, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_sleep(p, sleep_tag, &sleep_tag_data, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, fail_twice, &attempt, NULL), BACKOFF_OK);
  assert_string_equal(j.text, "try attempt backoff log sleep "
                              "try attempt backoff log sleep "
                              "try attempt success ");
  backoff_policy_free(p);
}

static void hooks_of_one_kind_run_in_the_order_added(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  journal j = {{0}};
  tagged a = {"a", &j}, b = {"b", &j}, c = {"c", &j};
  const int rcs[] = {1, 1, 0};
  harness_script script = {rcs, 3, 0.0, &t, 0, {0}};
  (void)state;
  assert_int_equal(backoff_policy_on_backoff(p, write_tag, &a, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_backoff(p, write_tag, &b, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_on_backoff(p, write_tag, &c, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_OK);
  assert_string_equal(j.text, "a b c a b c ");
  backoff_policy_free(p);
}

/* Callbacks of every type, never called: the tests only hand them over. */
static double unused_wait(const backoff_details *d, void *data) {
  (void)d, (void)data;
  fail();
  return 0.0;
}
static double unused_jitter(double w, double u, void *data) {
  (void)w, (void)u, (void)data;
  fail();
  return 0.0;
}
static unsigned unused_tries(void *data) {
  (void)data;
  fail();
  return 0;
}
static double unused_time(void *data) {
  (void)data;
  fail();
  return 0.0;
}
static int unused_classify(const backoff_details *d, void *data) {
  (void)d, (void)data;
  fail();
  return 0;
}
static void unused_hook(const backoff_details *d, void *data) {
  (void)d, (void)data;
  fail();
}
static void unused_log(int level, const char *m, const backoff_details *d,
                       void *data) {
  (void)level, (void)m, (void)d, (void)data;
  fail();
}
static double unused_clock(void *data) {
  (void)data;
  fail();
  return 0.0;
}
static void unused_sleep(double s, void *data) {
  (void)s, (void)data;
  fail();
}

enum { OWNERS = 12 };

/* Hands counters[i] as data to the i-th setter that takes a destroy
 * function, passing a NULL function when null_fn is set. */
static void hand_over(backoff_policy *p, unsigned *counters, int null_fn,
                      backoff_status *statuses) {
  backoff_destroy_fn d = harness_count_destroy;
  statuses[0] = backoff_policy_wait_custom(p, null_fn ? NULL : unused_wait,
                                           &counters[0], d);
  statuses[1] = backoff_policy_jitter_custom(
      p, null_fn ? NULL : unused_jitter, &counters[1], d);
  statuses[2] = backoff_policy_max_tries_fn(p, null_fn ? NULL : unused_tries,
                                            &counters[2], d);
  statuses[3] = backoff_policy_max_time_fn(p, null_fn ? NULL : unused_time,
                                           &counters[3], d);
  statuses[4] = backoff_policy_classify(p, null_fn ? NULL : unused_classify,
                                        &counters[4], d);
  statuses[5] = backoff_policy_on_try(p, null_fn ? NULL : unused_hook,
                                      &counters[5], d);
  statuses[6] = backoff_policy_on_backoff(p, null_fn ? NULL : unused_hook,
                                          &counters[6], d);
  statuses[7] = backoff_policy_on_success(p, null_fn ? NULL : unused_hook,
                                          &counters[7], d);
  statuses[8] = backoff_policy_on_giveup(p, null_fn ? NULL : unused_hook,
                                         &counters[8], d);
  statuses[9] =
      backoff_policy_log(p, null_fn ? NULL : unused_log, &counters[9], d);
  statuses[10] =
      backoff_policy_clock(p, null_fn ? NULL : unused_clock, &counters[10], d);
  statuses[11] =
      backoff_policy_sleep(p, null_fn ? NULL : unused_sleep, &counters[11], d);
}

static void destroy_runs_once_when_the_policy_is_freed(void **state) {
  backoff_policy *p = harness_policy();
  unsigned counters[OWNERS] = {0};
  backoff_status statuses[OWNERS];
  size_t i;
  (void)state;
  hand_over(p, counters, 0, statuses);
  for (i = 0; i < OWNERS; ++i) {
    assert_int_equal(statuses[i], BACKOFF_OK);
    assert_int_equal(counters[i], 0);
  }
  backoff_policy_free(p);
  for (i = 0; i < OWNERS; ++i)
    assert_int_equal(counters[i], 1);
}

static void destroy_runs_when_the_policy_is_null(void **state) {
  unsigned counters[OWNERS] = {0};
  backoff_status statuses[OWNERS];
  size_t i;
  (void)state;
  hand_over(NULL, counters, 0, statuses);
  for (i = 0; i < OWNERS; ++i) {
    assert_int_equal(statuses[i], BACKOFF_E_INVALID);
    assert_int_equal(counters[i], 1);
  }
}

/* A NULL function is refused, except for log, clock and sleep, where it
 * restores the default; either way the data is destroyed at once. */
static void destroy_runs_when_the_function_is_null(void **state) {
  backoff_policy *p = harness_policy();
  unsigned counters[OWNERS] = {0};
  backoff_status statuses[OWNERS];
  size_t i;
  (void)state;
  hand_over(p, counters, 1, statuses);
  for (i = 0; i < OWNERS; ++i) {
    assert_int_equal(statuses[i], i < 9 ? BACKOFF_E_INVALID : BACKOFF_OK);
    assert_int_equal(counters[i], 1);
  }
  backoff_policy_free(p);
  for (i = 0; i < OWNERS; ++i)
    assert_int_equal(counters[i], 1);
}

static void replacing_a_callback_destroys_the_old_data(void **state) {
  backoff_policy *p = harness_policy();
  unsigned first = 0, second = 0;
  (void)state;
  assert_int_equal(backoff_policy_wait_custom(p, unused_wait, &first,
                                              harness_count_destroy),
                   BACKOFF_OK);
  assert_int_equal(backoff_policy_wait_custom(p, unused_wait, &second,
                                              harness_count_destroy),
                   BACKOFF_OK);
  assert_int_equal(first, 1);
  assert_int_equal(second, 0);
  assert_int_equal(backoff_policy_wait_constant(p, 1), BACKOFF_OK);
  assert_int_equal(second, 1);
  backoff_policy_free(p);
  assert_int_equal(first, 1);
  assert_int_equal(second, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_field_in_a_successful_run),
      cmocka_unit_test(every_field_in_a_failed_run),
      cmocka_unit_test(hooks_run_in_event_order),
      cmocka_unit_test(backoff_hooks_then_log_then_sleep),
      cmocka_unit_test(hooks_of_one_kind_run_in_the_order_added),
      cmocka_unit_test(destroy_runs_once_when_the_policy_is_freed),
      cmocka_unit_test(destroy_runs_when_the_policy_is_null),
      cmocka_unit_test(destroy_runs_when_the_function_is_null),
      cmocka_unit_test(replacing_a_callback_destroys_the_old_data),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
