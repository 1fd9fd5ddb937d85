package backoff

/*
#include "glue.h"
*/
import "C"

import "time"

// Details describe a retry in progress (in hooks, log and wait functions) or
// a finished one (in Error). Durations come from the policy's clock.
type Details struct {
	Label     string        // WithLabel's name, "operation" by default
	Tries     int           // attempts started so far, 1-based
	Elapsed   time.Duration // since the retry started; measured after the attempt in OnBackoff and OnGiveUp
	Wait      time.Duration // the wait about to be slept (OnBackoff) or the last one, after jitter and clamping
	TotalWait time.Duration // sum of the waits so far
	Remaining time.Duration // time left before WithMaxTime's limit; Unlimited without one
	Err       error         // the last attempt's error (nil before the first failure)
	// Hint is the server's wait hint (RetryAfter) carried by the last
	// failure, NoHint when it carried none: in OnBackoff it says whether
	// Wait is the server's; in OnGiveUp and Error it shows the hint that
	// ended the retry on time. Unlimited is a hint of "never".
	Hint time.Duration
	// Reason is nil while the retry goes on or after a success, else why it
	// ended: ErrMaxTries, ErrMaxTime, ErrPermanent, ErrExhausted,
	// ErrCancelled or ErrBudget.
	Reason error
}

// detailsOf converts the library's details; err is the last attempt's error,
// which only Go knows.
func detailsOf(d *C.backoff_details, err error) Details {
	return Details{
		Label:     C.GoString(d.label),
		Tries:     int(d.tries),
		Elapsed:   duration(float64(d.elapsed)),
		Wait:      duration(float64(d.wait)),
		TotalWait: duration(float64(d.total_wait)),
		Remaining: duration(float64(d.remaining)),
		Hint:      hintOf(float64(d.hint)),
		Err:       err,
		Reason:    reasonOf(d.outcome),
	}
}

func (r *run) details(d *C.backoff_details) Details { return detailsOf(d, r.err) }
