#include "glue.h"

#include "_cgo_export.h"

/* The Go run being stepped on this thread. A cgo call runs on one OS thread
 * from start to end, and the library calls back on the thread that steps the
 * run, so this reaches callbacks that get no details (clock, jitter,
 * limits). Saved and restored around each step, so a callback may run a
 * nested retry. */
static _Thread_local uintptr_t current_run;

static int verdict_from_go(const backoff_details *d, void *data) {
  (void)data;
  return d->last_rc;
}

static void release(void *fn) { backoffGoRelease((uintptr_t)fn); }

static void hook(const backoff_details *d, void *fn) {
  backoffGoHook((backoff_details *)d, (uintptr_t)fn, current_run);
}

static void log_line(int level, const char *message, const backoff_details *d,
                     void *fn) {
  backoffGoLog(level, (char *)message, (backoff_details *)d, (uintptr_t)fn,
               current_run);
}

static double wait(const backoff_details *d, void *fn) {
  return backoffGoWait((backoff_details *)d, (uintptr_t)fn, current_run);
}

static double jitter(double w, double uniform, void *fn) {
  return backoffGoJitter(w, uniform, (uintptr_t)fn, current_run);
}

static double clock_now(void *fn) {
  return backoffGoClock((uintptr_t)fn, current_run);
}

static unsigned max_tries(void *fn) {
  return backoffGoMaxTries((uintptr_t)fn, current_run);
}

static double max_time(void *fn) {
  return backoffGoMaxTime((uintptr_t)fn, current_run);
}

backoff_status go_policy_new(backoff_policy **out) {
  backoff_status st = backoff_policy_new(out);
  if (st != BACKOFF_OK)
    return st;
  st = backoff_policy_classify(*out, verdict_from_go, NULL, NULL);
  if (st != BACKOFF_OK) {
    backoff_policy_free(*out);
    *out = NULL;
  }
  return st;
}

backoff_status go_policy_parse(backoff_policy *p, const char *spec,
                               size_t *error_offset, char *errmsg,
                               size_t errmsg_size) {
  backoff_status st =
      backoff_policy_parse(p, spec, error_offset, errmsg, errmsg_size);
  if (st != BACKOFF_OK)
    return st;
  return backoff_policy_classify(p, verdict_from_go, NULL, NULL);
}

backoff_status go_policy_hook(backoff_policy *p, int kind, uintptr_t fn) {
  void *data = (void *)fn;
  switch (kind) {
  case GO_ON_TRY:
    return backoff_policy_on_try(p, hook, data, release);
  case GO_ON_BACKOFF:
    return backoff_policy_on_backoff(p, hook, data, release);
  case GO_ON_SUCCESS:
    return backoff_policy_on_success(p, hook, data, release);
  default:
    return backoff_policy_on_giveup(p, hook, data, release);
  }
}

backoff_status go_policy_log(backoff_policy *p, uintptr_t fn) {
  return backoff_policy_log(p, log_line, (void *)fn, release);
}

backoff_status go_policy_wait(backoff_policy *p, uintptr_t fn) {
  return backoff_policy_wait_custom(p, wait, (void *)fn, release);
}

backoff_status go_policy_jitter(backoff_policy *p, uintptr_t fn) {
  return backoff_policy_jitter_custom(p, jitter, (void *)fn, release);
}

backoff_status go_policy_clock(backoff_policy *p, uintptr_t fn) {
  return backoff_policy_clock(p, clock_now, (void *)fn, release);
}

backoff_status go_policy_max_tries_fn(backoff_policy *p, uintptr_t fn) {
  return backoff_policy_max_tries_fn(p, max_tries, (void *)fn, release);
}

backoff_status go_policy_max_time_fn(backoff_policy *p, uintptr_t fn) {
  return backoff_policy_max_time_fn(p, max_time, (void *)fn, release);
}

backoff_status go_budget_clock(backoff_budget *b, uintptr_t fn) {
  return backoff_budget_clock(b, clock_now, (void *)fn, release);
}

backoff_status go_budget_stats(const backoff_budget *b, uintptr_t run,
                               backoff_budget_stats *out) {
  const uintptr_t outer = current_run;
  current_run = run;
  const backoff_status st = backoff_budget_stats_get(b, out);
  current_run = outer;
  return st;
}

/* A run that gave up or was cancelled: its details make the Go error. */
static int gave_up(backoff_status status) {
  switch (status) {
  case BACKOFF_GAVE_UP_TRIES:
  case BACKOFF_GAVE_UP_TIME:
  case BACKOFF_GAVE_UP_FATAL:
  case BACKOFF_GAVE_UP_EXHAUSTED:
  case BACKOFF_CANCELLED:
  case BACKOFF_GAVE_UP_BUDGET:
    return 1;
  default:
    return 0;
  }
}

/* Frees the state once the run has ended (any status but `going_on`),
 * unless it gave up: go_run_end then reads its details and frees it. The
 * details are not returned with every step because copying them through
 * cgo costs more than the rest of a successful run's step. */
static go_step step_of(backoff_state *s, backoff_status status, double w,
                       backoff_status going_on) {
  go_step step = {s, status, w};
  if (status == going_on || gave_up(status))
    return step;
  backoff_state_free(s);
  step.state = NULL;
  return step;
}

go_step go_run_start(const backoff_policy *p, const char *label, uintptr_t run,
                     int cancelled) {
  const uintptr_t outer = current_run;
  current_run = run;
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  opts.label = label;
  backoff_state *s = NULL;
  go_step step;
  const backoff_status st = backoff_state_new(p, &opts, NULL, &s);
  if (st != BACKOFF_OK)
    step = step_of(NULL, st, 0.0, BACKOFF_OK);
  else if (cancelled)
    step = step_of(s, backoff_state_cancel(s), 0.0, BACKOFF_OK);
  else
    step = step_of(s, backoff_state_begin(s), 0.0, BACKOFF_OK);
  current_run = outer;
  return step;
}

go_step go_run_next(backoff_state *s, uintptr_t run, int verdict,
                    double retry_after) {
  const uintptr_t outer = current_run;
  current_run = run;
  /* A negative hint is none: the policy's own wait applies. The library
   * decides what every other hint means (+inf: "never"). */
  if (retry_after >= 0.0)
    (void)backoff_state_retry_after(s, retry_after);
  double w = 0.0;
  const backoff_status st = backoff_state_next(s, verdict, &w);
  const go_step step = step_of(s, st, w, BACKOFF_RETRY);
  current_run = outer;
  return step;
}

go_step go_run_begin(backoff_state *s, uintptr_t run) {
  const uintptr_t outer = current_run;
  current_run = run;
  const go_step step = step_of(s, backoff_state_begin(s), 0.0, BACKOFF_OK);
  current_run = outer;
  return step;
}

go_step go_run_cancel(backoff_state *s, uintptr_t run) {
  const uintptr_t outer = current_run;
  current_run = run;
  const go_step step = step_of(s, backoff_state_cancel(s), 0.0, BACKOFF_OK);
  current_run = outer;
  return step;
}

backoff_details go_run_end(backoff_state *s, uintptr_t run) {
  const uintptr_t outer = current_run;
  current_run = run;
  backoff_details d = BACKOFF_DETAILS_INIT;
  backoff_state_details(s, &d);
  backoff_state_free(s);
  current_run = outer;
  return d;
}
