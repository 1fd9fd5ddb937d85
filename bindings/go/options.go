package backoff

/*
#include <stdlib.h>
#include "glue.h"
*/
import "C"

import (
	"strings"
	"time"
	"unsafe"
)

// Option configures a Policy in New. Each setter validates its values in the
// library; a refused value makes New fail and leaves nothing allocated.
type Option func(*Policy) error

// WithExpo waits factor·base^n for n = 0, 1, 2 … (base 2 and factor 1s give
// 1s, 2s, 4s, 8s …); once a wait reaches max (0: no cap), every later wait
// is max. base > 0, factor > 0, max >= 0 (0 or Unlimited: no cap). This is
// the default wait (2, 1s, 0).
func WithExpo(base float64, factor, max time.Duration) Option {
	return func(p *Policy) error {
		return statusError("WithExpo", C.backoff_policy_wait_expo(p.c,
			C.double(base), C.double(seconds(factor)), C.double(limitSeconds(max))))
	}
}

// WithFibo waits 1s, 1s, 2s, 3s, 5s, 8s … capped at max (0 or Unlimited:
// no cap) as
// WithExpo is.
func WithFibo(max time.Duration) Option {
	return func(p *Policy) error {
		return statusError("WithFibo",
			C.backoff_policy_wait_fibo(p.c, C.double(limitSeconds(max))))
	}
}

// WithConstant waits interval (>= 0; 0 retries at once) before every retry.
func WithConstant(interval time.Duration) Option {
	return func(p *Policy) error {
		return statusError("WithConstant",
			C.backoff_policy_wait_constant(p.c, C.double(seconds(interval))))
	}
}

// WithSequence waits waits[0], waits[1] … and gives up with ErrExhausted
// after the last one. At least one wait, none negative.
func WithSequence(waits ...time.Duration) Option {
	return func(p *Policy) error {
		values := make([]C.double, len(waits))
		for i, w := range waits {
			values[i] = C.double(seconds(w))
		}
		var first *C.double
		if len(values) > 0 {
			first = &values[0]
		}
		return statusError("WithSequence", C.backoff_policy_wait_sequence(p.c,
			first, C.size_t(len(values))))
	}
}

// WithDecay waits initial·e^(−n·factor), never less than min (0: no floor).
// initial > 0, factor >= 0, min >= 0.
func WithDecay(initial time.Duration, factor float64, min time.Duration) Option {
	return func(p *Policy) error {
		return statusError("WithDecay", C.backoff_policy_wait_decay(p.c,
			C.double(seconds(initial)), C.double(factor), C.double(seconds(min))))
	}
}

// WithLinear waits start + n·increment, capped at max (0 or Unlimited: no
// cap).
// start >= 0, increment >= 0, max >= 0.
func WithLinear(start, increment, max time.Duration) Option {
	return func(p *Policy) error {
		return statusError("WithLinear", C.backoff_policy_wait_linear(p.c,
			C.double(seconds(start)), C.double(seconds(increment)),
			C.double(limitSeconds(max))))
	}
}

// WithWaitFunc lets fn decide every wait (the "runtime" wait). fn sees the
// run's details, the last error in d.Err included; a negative result ends
// the run with ErrExhausted. Jitter still applies to its result. For a
// server's Retry-After, returning RetryAfter from the operation is simpler.
func WithWaitFunc(fn func(d Details) time.Duration) Option {
	return func(p *Policy) error {
		if fn == nil {
			return invalid("WithWaitFunc")
		}
		return p.register("WithWaitFunc", fn, func(h C.uintptr_t) C.backoff_status {
			return C.go_policy_wait(p.c, h)
		})
	}
}

// WithSeed makes jitter reproducible: every retry of this policy draws the
// same random numbers, in every language using libbackoff.
func WithSeed(seed uint64) Option {
	return func(p *Policy) error {
		return statusError("WithSeed", C.backoff_policy_seed(p.c, C.uint64_t(seed)))
	}
}

// WithLabel names the operation in log lines and Details.Label ("operation"
// by default). It must not contain a NUL byte.
func WithLabel(label string) Option {
	return func(p *Policy) error {
		if strings.IndexByte(label, 0) >= 0 {
			return invalid("WithLabel")
		}
		C.free(unsafe.Pointer(p.label))
		p.label = C.CString(label)
		return nil
	}
}
