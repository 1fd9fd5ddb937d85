package backoff

/*
#include <stdlib.h>
#include "glue.h"
*/
import "C"

import (
	"errors"
	"strconv"
	"time"
	"unsafe"
)

// RetryAfter asks that the next wait be exactly d (e.g. a server's
// Retry-After) instead of the policy's: no jitter, still shortened to the
// time WithMaxTime leaves and still subject to every limit. A negative d is
// ignored. The error is otherwise err, which is retried as usual (and
// RetryAfter(d, Permanent(err)) is permanent). RetryAfter(d, nil) is nil.
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

// noHint is a Retry-After the glue ignores.
const noHint = -1.0

// ParseRetryAfter reads an HTTP Retry-After header value (RFC 9110):
// delay-seconds ("120") or an HTTP-date ("Sun, 06 Nov 1994 08:49:37 GMT"),
// a date at or before now giving 0. Use it with RetryAfter.
func ParseRetryAfter(value string, now time.Time) (time.Duration, error) {
	cs := C.CString(value)
	defer C.free(unsafe.Pointer(cs))
	var s C.double
	unix := float64(now.UnixNano()) / float64(time.Second)
	if st := C.backoff_parse_retry_after(cs, C.double(unix), &s); st != C.BACKOFF_OK {
		return 0, errors.New("backoff: Retry-After " + strconv.Quote(value) + ": " + message(C.int(st)))
	}
	return duration(float64(s)), nil
}
