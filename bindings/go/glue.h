/* C glue between the Go package and libbackoff: trampolines that turn the
 * library's callbacks into calls of exported Go functions, and run steps that
 * bundle several library calls into one cgo call (cgo calls cost tens of
 * nanoseconds each). No retry decision is made here. */
#ifndef BACKOFF_GO_GLUE_H
#define BACKOFF_GO_GLUE_H

#include <stdint.h>

#include <backoff/backoff.h>

enum go_hook_kind { GO_ON_TRY, GO_ON_BACKOFF, GO_ON_SUCCESS, GO_ON_GIVEUP };

/* A policy whose classifier reads the verdict the Go side computed from the
 * operation's error and passed as the return code. */
backoff_status go_policy_new(backoff_policy **out);

/* Applies a policy spec (backoff_policy_parse), then puts the Go verdict
 * classifier back: a spec's retry-on/giveup-on codes mean nothing for Go
 * errors. */
backoff_status go_policy_parse(backoff_policy *p, const char *spec,
                               size_t *error_offset, char *errmsg,
                               size_t errmsg_size);

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

/* The result of one step of a run. state is NULL once the run has ended
 * (the step freed it), except after a give-up or a cancellation: then call
 * go_run_end. */
typedef struct go_step {
  backoff_state *state;
  int status;
  double wait;
} go_step;

/* `run` is the Go run's handle (0 when the policy calls no Go code): every
 * callback made during the step is given it, so a panic or the last error
 * reaches the right run. */
go_step go_run_start(const backoff_policy *p, const char *label, uintptr_t run,
                     int cancelled);
go_step go_run_next(backoff_state *s, uintptr_t run, int verdict,
                    double retry_after);
go_step go_run_begin(backoff_state *s, uintptr_t run);
go_step go_run_cancel(backoff_state *s, uintptr_t run);
/* The details of a run that gave up or was cancelled; frees its state. */
backoff_details go_run_end(backoff_state *s, uintptr_t run);

#endif
