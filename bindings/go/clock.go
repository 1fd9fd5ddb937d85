package backoff

/*
#include "glue.h"
*/
import "C"

import (
	"context"
	"time"
)

// WithClock replaces the monotonic clock the library reads for elapsed time
// and WithMaxTime (now gives the time since any fixed origin). Together with
// WithSleeper it lets tests run retries on a fake clock without sleeping.
func WithClock(now func() time.Duration) Option {
	return func(p *Policy) error {
		if now == nil {
			return invalid("WithClock")
		}
		return p.register("WithClock", now, func(h C.uintptr_t) C.backoff_status {
			return C.go_policy_clock(p.c, h)
		})
	}
}

// WithSleeper replaces the wait between attempts, a timer raced against the
// context by default. sleep must return nil after waiting d, or an error
// (normally ctx.Err()) to cancel the retry: it then ends with an Error
// wrapping ErrCancelled and that error.
func WithSleeper(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(p *Policy) error {
		if sleep == nil {
			return invalid("WithSleeper")
		}
		p.sleep = sleep
		return nil
	}
}

// sleepOnTimer waits d unless ctx is done first. With no wait it only
// checks ctx, so a cancelled retry does not make another attempt.
func sleepOnTimer(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
