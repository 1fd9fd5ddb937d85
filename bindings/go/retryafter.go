package backoff

/*
#include <stdlib.h>
#include "glue.h"
*/
import "C"

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// RetryAfter attaches a server's wait hint to err (e.g. an HTTP
// Retry-After: see ParseRetryAfter). When the library retries err, the hint
// replaces the policy's next wait: it is waited exactly, without jitter,
// and the wait generator does not advance (the wait after it is the one
// that would have come). A hint longer than the time WithMaxTime leaves, or
// than WithHintMax, ends the retry at once with ErrMaxTime instead of
// sleeping towards a deadline the server already said will pass;
// Unlimited means "never" and does the same. A negative d is no hint. The
// library decides all of this (the binding only hands it the hint), the
// same way in every language; Details.Hint shows the hint to hooks and in
// the final error.
//
// The error is otherwise err, which is classified as usual
// (RetryAfter(d, Permanent(err)) is permanent). RetryAfter(d, nil) is nil.
func RetryAfter(d time.Duration, err error) error {
	if err == nil {
		return nil
	}
	return &retryAfterError{wait: d, err: err}
}

type retryAfterError struct {
	wait time.Duration
	err  error
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

// NoHint is Details.Hint when the last failure carried no server hint.
const NoHint time.Duration = -1

// noHint is the glue's "no hint" (the library's negative seconds).
const noHint = -1.0

// hintOf converts the library's details.hint: negative means none.
func hintOf(s float64) time.Duration {
	if !(s >= 0) {
		return NoHint
	}
	return duration(s)
}

// WithHintMax sets the longest server hint a retry honours: a RetryAfter
// longer than d ends the retry with ErrMaxTime (and Details.Hint shows the
// hint). 0 or Unlimited: no cap, the default, so that only WithMaxTime
// bounds a hint. d >= 0.
func WithHintMax(d time.Duration) Option {
	return func(p *Policy) error {
		return statusError("WithHintMax",
			C.backoff_policy_hint_max(p.c, C.double(limitSeconds(d))))
	}
}

// ParseRetryAfter reads an HTTP Retry-After header value (RFC 9110):
// delay-seconds ("120") or an HTTP-date ("Sun, 06 Nov 1994 08:49:37 GMT",
// also the obsolete RFC 850 and asctime forms), a date at or before now
// giving 0; a delay too long for a time.Duration gives Unlimited. It is the
// library's parser, the same in every language. Hand the result to
// RetryAfter. A malformed value (a NUL byte included) is an error.
func ParseRetryAfter(value string, now time.Time) (time.Duration, error) {
	if strings.IndexByte(value, 0) >= 0 {
		return 0, badRetryAfter(value, C.BACKOFF_E_PARSE)
	}
	cs := C.CString(value)
	defer C.free(unsafe.Pointer(cs))
	var s C.double
	unix := float64(now.Unix()) + float64(now.Nanosecond())/float64(time.Second)
	if st := C.backoff_parse_retry_after(cs, C.double(unix), &s); st != C.BACKOFF_OK {
		return 0, badRetryAfter(value, C.int(st))
	}
	return duration(float64(s)), nil
}

func badRetryAfter(value string, st C.int) error {
	return errors.New("backoff: Retry-After " + strconv.Quote(value) + ": " + message(st))
}
