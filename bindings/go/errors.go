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
// the error Retry returns.
var (
	ErrMaxTries  = reason(C.BACKOFF_GAVE_UP_TRIES)     // WithMaxTries attempts failed
	ErrMaxTime   = reason(C.BACKOFF_GAVE_UP_TIME)      // WithMaxTime elapsed
	ErrPermanent = reason(C.BACKOFF_GAVE_UP_FATAL)     // Permanent, or the classifier said VerdictGiveUp
	ErrExhausted = reason(C.BACKOFF_GAVE_UP_EXHAUSTED) // WithSequence ran out, or WithWaitFunc said stop
	ErrCancelled = reason(C.BACKOFF_CANCELLED)         // the context was done (or the sleeper failed)
)

func reason(st C.int) error { return errors.New("backoff: " + message(st)) }

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
	}
	return nil
}

// Error is returned when a retry ends without success. It unwraps to its
// Reason (a sentinel above), to Cause and to Err, so errors.Is and
// errors.As see all three.
type Error struct {
	Reason  error   // ErrMaxTries, ErrMaxTime, ErrPermanent, ErrExhausted or ErrCancelled
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
