package backoff

/*
#include "glue.h"
*/
import "C"

import (
	"errors"
	"strconv"
)

// Why a retry gave up, as reported by the library; test with errors.Is on
// the error Retry returns. Each message is the library's description of its
// status (checked by the tests).
var (
	// ErrMaxTries: WithMaxTries attempts failed.
	ErrMaxTries = errors.New("backoff: gave up: tries limit reached")
	// ErrMaxTime: WithMaxTime elapsed, or a server hint (RetryAfter) asked
	// for a wait longer than the time left or than WithHintMax.
	ErrMaxTime = errors.New("backoff: gave up: time limit reached")
	// ErrPermanent: Permanent, or the classifier said VerdictGiveUp.
	ErrPermanent = errors.New("backoff: gave up: fatal error")
	// ErrExhausted: WithSequence ran out, or WithWaitFunc said stop.
	ErrExhausted = errors.New("backoff: gave up: no more waits")
	// ErrCancelled: the context was done (or the sleeper failed).
	ErrCancelled = errors.New("backoff: cancelled")
	// ErrBudget: the retry budget (WithBudget, or a spec's budget(...))
	// refused the retry.
	ErrBudget = errors.New("backoff: gave up: retry budget exhausted")
)

// reasonOf maps a run's final status to its sentinel; nil for a run that
// goes on or succeeded.
func reasonOf(status C.int) error {
	switch status {
	case C.BACKOFF_GAVE_UP_TRIES:
		return ErrMaxTries
	case C.BACKOFF_GAVE_UP_TIME:
		return ErrMaxTime
	case C.BACKOFF_GAVE_UP_FATAL:
		return ErrPermanent
	case C.BACKOFF_GAVE_UP_EXHAUSTED:
		return ErrExhausted
	case C.BACKOFF_CANCELLED:
		return ErrCancelled
	case C.BACKOFF_GAVE_UP_BUDGET:
		return ErrBudget
	}
	return nil
}

// Error is returned when a retry ends without success. It unwraps to its
// Reason (a sentinel above), to Cause and to Err, so errors.Is and
// errors.As see all three.
type Error struct {
	Reason  error   // ErrMaxTries, ErrMaxTime, ErrPermanent, ErrExhausted, ErrCancelled or ErrBudget
	Err     error   // the last attempt's error; nil if cancelled before any attempt
	Cause   error   // for ErrCancelled: ctx.Err(), or the sleeper's error
	Details Details // the retry when it ended
}

// Error reads e.g. "backoff: gave up: tries limit reached after 3 tries:
// connection refused".
func (e *Error) Error() string {
	s := e.Reason.Error() + " after " + strconv.Itoa(e.Details.Tries) + " tries"
	if e.Details.Tries == 1 {
		s = e.Reason.Error() + " after 1 try"
	}
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() []error {
	errs := []error{e.Reason}
	if e.Cause != nil {
		errs = append(errs, e.Cause)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}
