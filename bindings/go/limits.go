package backoff

/*
#include "glue.h"
*/
import "C"

import (
	"math"
	"time"
)

// Limits end a retry; both are checked after each failed attempt, tries
// first. Each option replaces the previous limit of its kind.

// WithMaxTries limits the attempts, the first included: 1 makes a single
// attempt and no retry, 0 means unlimited. n >= 0.
func WithMaxTries(n int) Option {
	return func(p *Policy) error {
		if n < 0 || uint64(n) > math.MaxUint32 {
			return invalid("WithMaxTries")
		}
		return statusError("WithMaxTries",
			C.backoff_policy_max_tries(p.c, C.unsigned(n)))
	}
}

// WithMaxTime gives up once d has elapsed since the retry started, measured
// after each attempt; the last wait is shortened to the time remaining.
// 0 and Unlimited mean no limit. d >= 0.
func WithMaxTime(d time.Duration) Option {
	return func(p *Policy) error {
		return statusError("WithMaxTime",
			C.backoff_policy_max_time(p.c, C.double(limitSeconds(d))))
	}
}

// WithMaxTriesFunc is WithMaxTries with the limit computed by fn at the
// start of each retry (0: unlimited; values above 4294967295 count as
// 4294967295).
func WithMaxTriesFunc(fn func() uint) Option {
	return func(p *Policy) error {
		if fn == nil {
			return invalid("WithMaxTriesFunc")
		}
		return p.register("WithMaxTriesFunc", fn, func(h C.uintptr_t) C.backoff_status {
			return C.go_policy_max_tries_fn(p.c, h)
		})
	}
}

// WithMaxTimeFunc is WithMaxTime with the limit computed by fn at the start
// of each retry (0 or Unlimited: no limit). A negative result makes that
// retry fail before any attempt.
func WithMaxTimeFunc(fn func() time.Duration) Option {
	return func(p *Policy) error {
		if fn == nil {
			return invalid("WithMaxTimeFunc")
		}
		return p.register("WithMaxTimeFunc", fn, func(h C.uintptr_t) C.backoff_status {
			return C.go_policy_max_time_fn(p.c, h)
		})
	}
}
