package backoff

/*
#include "glue.h"
*/
import "C"

// Hooks are called by the library, on the goroutine running the retry; hooks
// of one kind run in the order they were given. Each option adds one hook.
// A panic in a hook is raised from Retry once the library's step is over.

// WithOnTry calls fn before every attempt (d.Tries is the attempt about to
// start).
func WithOnTry(fn func(d Details)) Option { return hook("WithOnTry", C.GO_ON_TRY, fn) }

// WithOnBackoff calls fn after a failed attempt that will be retried, before
// the wait (d.Wait is the real wait).
func WithOnBackoff(fn func(d Details)) Option {
	return hook("WithOnBackoff", C.GO_ON_BACKOFF, fn)
}

// WithOnSuccess calls fn once, after the successful attempt.
func WithOnSuccess(fn func(d Details)) Option {
	return hook("WithOnSuccess", C.GO_ON_SUCCESS, fn)
}

// WithOnGiveUp calls fn once when the retry ends without success (d.Reason
// says why), cancellation included; not after VerdictPassThrough.
func WithOnGiveUp(fn func(d Details)) Option {
	return hook("WithOnGiveUp", C.GO_ON_GIVEUP, fn)
}

func hook(what string, kind C.int, fn func(Details)) Option {
	return func(p *Policy) error {
		if fn == nil {
			return invalid(what)
		}
		return p.register(what, fn, func(h C.uintptr_t) C.backoff_status {
			return C.go_policy_hook(p.c, kind, h)
		})
	}
}
