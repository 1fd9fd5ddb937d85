package backoff

/*
#include "glue.h"
*/
import "C"

import "errors"

// Verdict is a classifier's judgement of an operation's error (the numbers
// are the C library's backoff_verdict). The library acts on it: it checks
// the limits and picks the wait for VerdictRetry, and runs the hooks.
type Verdict int

const (
	// VerdictRetry: the failure may be retried (the default for every error).
	VerdictRetry Verdict = 1
	// VerdictGiveUp: the failure is final; OnGiveUp hooks run and the retry
	// returns an Error wrapping ErrPermanent.
	VerdictGiveUp Verdict = 2
	// VerdictPassThrough: not a failure this policy handles; the error is
	// returned as it is, at once, and no hook runs.
	VerdictPassThrough Verdict = 3
)

// WithClassifier judges every error the operation returns (nil is always a
// success); errors from Permanent are VerdictGiveUp without asking it. Any
// other value than the three verdicts counts as VerdictGiveUp.
func WithClassifier(classify func(err error) Verdict) Option {
	return func(p *Policy) error {
		if classify == nil {
			return invalid("WithClassifier")
		}
		p.classify = classify
		return nil
	}
}

// Permanent marks err as final: the retry stops at once (after the OnGiveUp
// hooks) with an Error wrapping ErrPermanent and err. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// judge maps an attempt's error to the verdict handed to the library, and
// the Retry-After hint it carries (noHint if none).
func (p *Policy) judge(err error) (C.int, C.double) {
	if err == nil {
		return C.BACKOFF_VERDICT_SUCCESS, noHint
	}
	hint := C.double(noHint)
	if ra, ok := find[*retryAfterError](err); ok && ra.wait >= 0 {
		hint = C.double(limitSeconds(ra.wait))
	}
	if _, ok := find[*permanentError](err); ok {
		return C.BACKOFF_VERDICT_GIVE_UP, hint
	}
	if p.classify == nil {
		return C.BACKOFF_VERDICT_RETRY, hint
	}
	v := p.classify(err)
	if v == Verdict(C.BACKOFF_VERDICT_SUCCESS) {
		// not a verdict a classifier may give: an error is no success
		v = VerdictGiveUp
	}
	return C.int(v), hint
}

// find is errors.As without its reflection and allocation for the common
// case of an error that wraps nothing.
func find[T error](err error) (T, bool) {
	if t, ok := err.(T); ok {
		return t, true
	}
	switch err.(type) {
	case interface{ Unwrap() error }, interface{ Unwrap() []error }, interface{ As(any) bool }:
		var t T // escapes to errors.As: allocated only on this path
		return t, errors.As(err, &t)
	}
	var none T
	return none, false
}
