/* C glue between the Go package and libbackoff: trampolines that turn the
 * library's callbacks into calls of exported Go functions, and run steps that
 * bundle several library calls into one cgo call (cgo calls cost tens of
 * nanoseconds each). No retry decision is made here. */
#ifndef BACKOFF_GO_GLUE_H
#define BACKOFF_GO_GLUE_H

#include <stdint.h>

#include <backoff/backoff.h>

/* The oldest library this module works with: server hints, budgets and the
 * state machine's one-call steps came in 1.1. */
#if BACKOFF_VERSION_NUMBER < 10100
#error "libbackoff >= 1.1.0 needed: see pkg-config --modversion backoff"
#endif

enum go_hook_kind { GO_ON_TRY, GO_ON_BACKOFF, GO_ON_SUCCESS, GO_ON_GIVEUP };

/* Register a Go function (a runtime/cgo.Handle) as a callback; the library
 * deletes the handle through backoffGoRelease when it is done with it. */
backoff_status go_policy_hook(backoff_policy *p, int kind, uintptr_t fn);
backoff_status go_policy_log(backoff_policy *p, uintptr_t fn);
backoff_status go_policy_wait(backoff_policy *p, uintptr_t fn);
backoff_status go_policy_jitter(backoff_policy *p, uintptr_t fn);
backoff_status go_policy_clock(backoff_policy *p, uintptr_t fn);
backoff_status go_policy_max_tries_fn(backoff_policy *p, uintptr_t fn);
backoff_status go_policy_max_time_fn(backoff_policy *p, uintptr_t fn);
backoff_status go_budget_clock(backoff_budget *b, uintptr_t fn);

/* backoff_budget_stats_get with `run` as the current run, for the panics of
 * a Go budget clock. */
backoff_status go_budget_stats(const backoff_budget *b, uintptr_t run,
                               backoff_budget_stats *out);

/* The memory of one Go run, which Go reuses: the
 * library's state (backoff_state_init), then the details of a run that
 * ended without success, written by the step that ended it. */
uintptr_t go_run_memory_new(void); /* 0: out of memory */
void go_run_memory_free(uintptr_t mem);
backoff_details *go_run_details(uintptr_t mem);

/* The result of one step of a run: a backoff_status, and the wait after a
 * BACKOFF_RETRY. */
typedef struct go_step {
  int status;
  int begun; /* go_run_next: the next attempt has begun already */
  double wait;
} go_step;

/* The steps take C pointers (the run's memory, the policy) as integers:
 * cgo checks every pointer argument for Go pointers, which costs more than
 * the rest of a successful run's step. `run` is the Go run's handle (0 when
 * the policy calls no Go code): every callback made during the step is
 * given it, so a panic or the last error reaches the right run. */
go_step go_run_start(uintptr_t mem, uintptr_t policy, uintptr_t label,
                     uintptr_t run, int cancelled);
/* Reports an attempt's verdict (BACKOFF_RUN_RC_IS_VERDICT: the policy's
 * classifier is not asked) and server hint (negative: none). With
 * begin_at_once, a zero wait is not slept at all: the next attempt is begun
 * in the same call (backoff_state_next_begin), and then `begun` is 1. */
go_step go_run_next(uintptr_t mem, uintptr_t run, int verdict, double hint,
                    int begin_at_once);
go_step go_run_begin(uintptr_t mem, uintptr_t run);
go_step go_run_cancel(uintptr_t mem, uintptr_t run);

#endif
