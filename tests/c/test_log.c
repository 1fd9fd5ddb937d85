/* Log lines: their exact text (modelled on the reference package), their
 * levels, and the ready stderr logger. */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const int always_fail[] = {1};

static backoff_policy *logged_policy(harness_time *t, harness_log *log) {
  backoff_policy *p = harness_exact_policy(t);
  memset(log, 0, sizeof *log);
  assert_int_equal(backoff_policy_log(p, harness_record_log, log, NULL),
                   BACKOFF_OK);
  return p;
}

static void backoffs_at_info_giveup_at_error(void **state) {
  harness_time t = {0};
  harness_log log;
  backoff_policy *p = logged_policy(&t, &log);
  const int rcs[] = {1, 2, 3};
  harness_script script = {rcs, 3, 0.0, &t, 0, {0}};
  (void)state;
  assert_int_equal(backoff_policy_max_tries(p, 3), BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(log.n, 3);
  assert_int_equal(log.level[0], BACKOFF_LOG_INFO);
  assert_string_equal(log.line[0],
                      "Backing off operation(...) for 1.0s (rc=1)");
  assert_int_equal(log.level[1], BACKOFF_LOG_INFO);
  assert_string_equal(log.line[1],
                      "Backing off operation(...) for 2.0s (rc=2)");
  assert_int_equal(log.level[2], BACKOFF_LOG_ERROR);
  assert_string_equal(log.line[2], "Giving up operation(...) after 3 tries "
                                   "(rc=3: gave up: tries limit reached)");
  /* The log function sees the details of the event it reports. */
  assert_int_equal(log.seen[1].tries, 2);
  assert_double_equal(log.seen[1].wait, 2.0);
  assert_int_equal(log.seen[2].outcome, BACKOFF_GAVE_UP_TRIES);
  backoff_policy_free(p);
}

static void label_and_rounding_in_the_text(void **state) {
  harness_time t = {0};
  harness_log log;
  backoff_policy *p = logged_policy(&t, &log);
  const double waits[] = {0.2, 12.34};
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  (void)state;
  assert_int_equal(backoff_policy_wait_sequence(p, waits, 2), BACKOFF_OK);
  opts.label = "fetch_page";
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, &opts, NULL),
      BACKOFF_GAVE_UP_EXHAUSTED);
  assert_int_equal(log.n, 3);
  assert_string_equal(log.line[0],
                      "Backing off fetch_page(...) for 0.2s (rc=1)");
  assert_string_equal(log.line[1],
                      "Backing off fetch_page(...) for 12.3s (rc=1)");
  assert_string_equal(log.line[2], "Giving up fetch_page(...) after 3 tries "
                                   "(rc=1: gave up: no more waits)");
  assert_string_equal(log.seen[0].label, "fetch_page");
  backoff_policy_free(p);
}

static void one_try_is_singular(void **state) {
  harness_time t = {0};
  harness_log log;
  backoff_policy *p = logged_policy(&t, &log);
  const int rcs[] = {-2};
  harness_script script = {rcs, 1, 5.0, &t, 0, {0}};
  (void)state;
  assert_int_equal(backoff_policy_max_time(p, 1), BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TIME);
  assert_int_equal(log.n, 1);
  assert_string_equal(log.line[0], "Giving up operation(...) after 1 try "
                                   "(rc=-2: gave up: time limit reached)");
  backoff_policy_free(p);
}

static void cancelled_before_trying(void **state) {
  harness_time t = {0};
  harness_log log;
  backoff_policy *p = logged_policy(&t, &log);
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  backoff_cancel *c = NULL;
  (void)state;
  assert_int_equal(backoff_cancel_new(&c), BACKOFF_OK);
  assert_int_equal(backoff_cancel_trigger(c), BACKOFF_OK);
  opts.cancel = c;
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, &opts, NULL),
      BACKOFF_CANCELLED);
  assert_int_equal(log.n, 1);
  assert_int_equal(log.level[0], BACKOFF_LOG_ERROR);
  assert_string_equal(log.line[0],
                      "Giving up operation(...) before trying (cancelled)");
  backoff_cancel_free(c);
  backoff_policy_free(p);
}

static void success_logs_nothing(void **state) {
  harness_time t = {0};
  harness_log log;
  backoff_policy *p = logged_policy(&t, &log);
  const int rcs[] = {0};
  harness_script script = {rcs, 1, 0.0, &t, 0, {0}};
  (void)state;
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_OK);
  assert_int_equal(log.n, 0);
  backoff_policy_free(p);
}

static void levels_are_configurable(void **state) {
  harness_time t = {0};
  harness_log log;
  backoff_policy *p = logged_policy(&t, &log);
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  (void)state;
  assert_int_equal(backoff_policy_max_tries(p, 2), BACKOFF_OK);
  assert_int_equal(
      backoff_policy_log_levels(p, BACKOFF_LOG_DEBUG, BACKOFF_LOG_WARNING),
      BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(log.n, 2);
  assert_int_equal(log.level[0], BACKOFF_LOG_DEBUG);
  assert_int_equal(log.level[1], BACKOFF_LOG_WARNING);

  memset(&log, 0, sizeof log);
  script.calls = 0;
  assert_int_equal(backoff_policy_log_levels(p, 0, 99), BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(log.level[0], 0);
  assert_int_equal(log.level[1], 99);
  backoff_policy_free(p);
}

static void null_log_function_silences(void **state) {
  harness_time t = {0};
  harness_log log;
  backoff_policy *p = logged_policy(&t, &log);
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  unsigned destroyed = 0;
  (void)state;
  assert_int_equal(backoff_policy_max_tries(p, 2), BACKOFF_OK);
  assert_int_equal(
      backoff_policy_log(p, NULL, &destroyed, harness_count_destroy),
      BACKOFF_OK);
  assert_int_equal(destroyed, 1);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(log.n, 0);
  backoff_policy_free(p);
  assert_int_equal(destroyed, 1);
}

static void a_new_log_function_replaces_the_old(void **state) {
  harness_time t = {0};
  harness_log first, second;
  backoff_policy *p = logged_policy(&t, &first);
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  (void)state;
  memset(&second, 0, sizeof second);
  assert_int_equal(backoff_policy_max_tries(p, 2), BACKOFF_OK);
  assert_int_equal(backoff_policy_log(p, harness_record_log, &second, NULL),
                   BACKOFF_OK);
  assert_int_equal(backoff_run(p, harness_script_attempt, &script, NULL),
                   BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(first.n, 0);
  assert_int_equal(second.n, 2);
  backoff_policy_free(p);
}

/* True when `message` is "<event> LABEL(...)…" or that line cut short. */
static int is_event_line(const char *message, const char *label) {
  static const char *const events[] = {"Backing off ", "Giving up "};
  size_t e;
  for (e = 0; e < 2; ++e) {
    const size_t n = strlen(events[e]);
    const char *rest = message + n;
    size_t k = 0;
    if (strncmp(message, events[e], n) != 0)
      continue;
    while (rest[k] != '\0' && rest[k] == label[k])
      ++k;
    if (rest[k] == '\0')
      return 1; /* cut inside the label */
    return label[k] == '\0' && strncmp(rest + k, "(...) ", 6) == 0;
  }
  return 0;
}

typedef struct long_lines {
  unsigned n;
  unsigned well_formed;
} long_lines;

static void check_long_line(int level, const char *message,
                            const backoff_details *d, void *data) {
  long_lines *seen = data;
  (void)level;
  seen->n++;
  seen->well_formed += is_event_line(message, d->label);
}

/* A label longer than any buffer the library may use for a line: the line
 * may be cut, but must stay a well-formed prefix (no overflow, no junk). */
static void very_long_label(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  static char label[4000];
  long_lines seen = {0, 0};
  harness_script script = {always_fail, 1, 0.0, &t, 0, {0}};
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  (void)state;
  memset(label, 'x', sizeof label - 1);
  label[sizeof label - 1] = '\0';
  assert_int_equal(backoff_policy_max_tries(p, 2), BACKOFF_OK);
  assert_int_equal(backoff_policy_log(p, check_long_line, &seen, NULL),
                   BACKOFF_OK);
  opts.label = label;
  assert_int_equal(
      backoff_run_ex(p, harness_script_attempt, &script, &opts, NULL),
      BACKOFF_GAVE_UP_TRIES);
  assert_int_equal(seen.n, 2);
  assert_int_equal(seen.well_formed, 2);
  backoff_policy_free(p);
}

/* ---- backoff_log_stderr ------------------------------------------------- */

/* Runs `body` with fd 2 sent to a temporary file; returns what was written.
 * No assertion may run while fd 2 is redirected. */
typedef struct captured {
  char text[1024];
} captured;

static void capture_stderr(void (*body)(void *), void *arg, captured *out) {
  FILE *file = tmpfile();
  int saved;
  size_t n;
  assert_non_null(file);
  fflush(stderr);
  saved = dup(STDERR_FILENO);
  assert_true(saved >= 0);
  assert_true(dup2(fileno(file), STDERR_FILENO) >= 0);
  body(arg);
  dup2(saved, STDERR_FILENO);
  close(saved);
  rewind(file);
  n = fread(out->text, 1, sizeof out->text - 1, file);
  out->text[n] = '\0';
  fclose(file);
}

static void write_each_level(void *arg) {
  (void)arg;
  backoff_log_stderr(BACKOFF_LOG_DEBUG, "one", NULL, NULL);
  backoff_log_stderr(BACKOFF_LOG_INFO, "two", NULL, NULL);
  backoff_log_stderr(BACKOFF_LOG_WARNING, "three", NULL, NULL);
  backoff_log_stderr(BACKOFF_LOG_ERROR, "four", NULL, NULL);
}

static void stderr_logger_prefixes_each_line(void **state) {
  captured out;
  (void)state;
  capture_stderr(write_each_level, NULL, &out);
  assert_string_equal(out.text, "backoff: DEBUG: one\n"
                                "backoff: INFO: two\n"
                                "backoff: WARNING: three\n"
                                "backoff: ERROR: four\n");
}

static void run_logged_to_stderr(void *arg) {
  const backoff_policy *p = arg;
  const int rcs[] = {3};
  harness_script script = {rcs, 1, 0.0, NULL, 0, {0}};
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  opts.label = "job";
  backoff_run_ex(p, harness_script_attempt, &script, &opts, NULL);
}

static void stderr_logger_as_a_policy_log(void **state) {
  harness_time t = {0};
  backoff_policy *p = harness_exact_policy(&t);
  captured out;
  (void)state;
  assert_int_equal(backoff_policy_max_tries(p, 2), BACKOFF_OK);
  assert_int_equal(backoff_policy_log(p, backoff_log_stderr, NULL, NULL),
                   BACKOFF_OK);
  capture_stderr(run_logged_to_stderr, p, &out);
  assert_string_equal(out.text,
                      "backoff: INFO: Backing off job(...) for 1.0s (rc=3)\n"
                      "backoff: ERROR: Giving up job(...) after 2 tries "
                      "(rc=3: gave up: tries limit reached)\n");
  backoff_policy_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(backoffs_at_info_giveup_at_error),
      cmocka_unit_test(label_and_rounding_in_the_text),
      cmocka_unit_test(one_try_is_singular),
      cmocka_unit_test(cancelled_before_trying),
      cmocka_unit_test(success_logs_nothing),
      cmocka_unit_test(levels_are_configurable),
      cmocka_unit_test(null_log_function_silences),
      cmocka_unit_test(a_new_log_function_replaces_the_old),
      cmocka_unit_test(very_long_label),
      cmocka_unit_test(stderr_logger_prefixes_each_line),
      cmocka_unit_test(stderr_logger_as_a_policy_log),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
