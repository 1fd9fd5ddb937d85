#include "glue.h"

#include <stdlib.h>

#include "_cgo_export.h"

/* The Go run being stepped on this thread. A cgo call runs on one OS thread
 * from start to end, and the library calls back on the thread that steps the
 * run, so this reaches callbacks that get no details (clock, jitter,
 * limits). Saved and restored around each step, so a callback may run a
 * nested retry. */
static _Thread_local uintptr_t current_run;

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

/* The state's bytes, rounded up so that the details after it are aligned. */
static size_t state_bytes(void) {
  const size_t align = sizeof(double);
  return (backoff_state_size() + align - 1) / align * align;
}

static size_t memory_size(void) {
  return state_bytes() + sizeof(backoff_details);
}

uintptr_t go_run_memory_new(void) { return (uintptr_t)malloc(memory_size()); }

void go_run_memory_free(uintptr_t mem) { free((void *)mem); }

backoff_details *go_run_details(uintptr_t mem) {
  return (backoff_details *)(mem + state_bytes());
}

/* A run that gave up or was cancelled: its details make the Go error. */
static int gave_up(int status) {
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

/* Hands a step's status to Go, with the run's details when it gave up:
 * copying them only then keeps a success's steps short. */
static go_step step_of(uintptr_t mem, int status, double w) {
  const go_step step = {status, 0, w};
  if (gave_up(status)) {
    backoff_details *d = go_run_details(mem);
    d->size = sizeof *d;
    backoff_state_details((const backoff_state *)mem, d);
  }
  return step;
}

go_step go_run_start(uintptr_t mem, uintptr_t policy, uintptr_t label,
                     uintptr_t run, int cancelled) {
  const uintptr_t outer = current_run;
  current_run = run;
  backoff_run_options opts = BACKOFF_RUN_OPTIONS_INIT;
  opts.label = (const char *)label;
  /* Go judges each attempt (its error) and hands the library the verdict;
   * it reads a run's details only when the run gives up. */
  opts.flags = BACKOFF_RUN_RC_IS_VERDICT | BACKOFF_RUN_UNREAD_SUCCESS;
  const backoff_policy *p = (const backoff_policy *)policy;
  backoff_state *s = NULL;
  go_step step;
  if (cancelled) {
    const backoff_status st =
        backoff_state_init((void *)mem, memory_size(), p, &opts, NULL, &s);
    step = step_of(mem, st == BACKOFF_OK ? backoff_state_cancel(s) : st, 0.0);
  } else {
    step = step_of(mem,
                   backoff_state_start((void *)mem, memory_size(), p, &opts,
                                       NULL, &s),
                   0.0);
  }
  current_run = outer;
  return step;
}

go_step go_run_next(uintptr_t mem, uintptr_t run, int verdict, double hint,
                    int begin_at_once) {
  const uintptr_t outer = current_run;
  current_run = run;
  backoff_state *s = (backoff_state *)mem;
  /* A negative hint is none: the policy's own wait applies. The library
   * decides what every other hint means (+inf: "never"). */
  if (hint >= 0.0)
    (void)backoff_state_retry_after(s, hint);
  double w = 0.0;
  const backoff_status st = begin_at_once
                                ? backoff_state_next_begin(s, verdict, &w)
                                : backoff_state_next(s, verdict, &w);
  go_step step = step_of(mem, st, w);
  step.begun = begin_at_once && st == BACKOFF_RETRY && w == 0.0;
  current_run = outer;
  return step;
}

go_step go_run_begin(uintptr_t mem, uintptr_t run) {
  const uintptr_t outer = current_run;
  current_run = run;
  backoff_state *s = (backoff_state *)mem;
  const go_step step = step_of(mem, backoff_state_begin(s), 0.0);
  current_run = outer;
  return step;
}

go_step go_run_cancel(uintptr_t mem, uintptr_t run) {
  const uintptr_t outer = current_run;
  current_run = run;
  backoff_state *s = (backoff_state *)mem;
  const go_step step = step_of(mem, backoff_state_cancel(s), 0.0);
  current_run = outer;
  return step;
}
