package backoff

/*
#include "glue.h"
*/
import "C"

import "time"

// Jitter is how each generated wait is randomised (the numbers are the C
// library's backoff_jitter_kind).
type Jitter int

const (
	// JitterNone waits exactly the generated w.
	JitterNone Jitter = 0
	// JitterFull waits U[0, w]: the default.
	JitterFull Jitter = 1
	// JitterRandom waits w + U[0, 1s).
	JitterRandom Jitter = 2
	// JitterEqual waits w/2 + U[0, w/2].
	JitterEqual Jitter = 3
	// JitterDecorrelated waits min(cap, U[base, 3·previous]), base being the
	// first generated wait and cap the wait's max.
	JitterDecorrelated Jitter = 4
	// JitterProportional waits w·U[1−f, 1+f], f = 0.5 unless set with
	// WithProportionalJitter.
	JitterProportional Jitter = 5
)

// WithJitter selects a built-in jitter.
func WithJitter(kind Jitter) Option {
	return func(p *Policy) error {
		return statusError("WithJitter", C.backoff_policy_jitter(p.c, C.int(kind)))
	}
}

// WithProportionalJitter selects JitterProportional with spread f, 0 <= f <= 1.
func WithProportionalJitter(f float64) Option {
	return func(p *Policy) error {
		return statusError("WithProportionalJitter",
			C.backoff_policy_jitter_proportional(p.c, C.double(f)))
	}
}

// WithJitterFunc turns each generated wait into the real wait with fn.
// uniform is in [0, 1) from the run's random generator, so WithSeed keeps
// fn reproducible. A negative result counts as 0.
func WithJitterFunc(fn func(wait time.Duration, uniform float64) time.Duration) Option {
	return func(p *Policy) error {
		if fn == nil {
			return invalid("WithJitterFunc")
		}
		return p.register("WithJitterFunc", fn, func(h C.uintptr_t) C.backoff_status {
			return C.go_policy_jitter(p.c, h)
		})
	}
}
