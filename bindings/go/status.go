package backoff

/*
#include "glue.h"
*/
import "C"

import "errors"

// message is the library's description of a status.
func message(st C.int) string { return C.GoString(C.backoff_strerror(st)) }

// statusError reports a failed library call, e.g. a setter refusing an
// option's value: "backoff: WithExpo: invalid argument".
func statusError(what string, st C.backoff_status) error {
	if st == C.BACKOFF_OK {
		return nil
	}
	return errors.New("backoff: " + what + ": " + message(C.int(st)))
}

// invalid reports a value Go cannot hand to the library at all (a count
// that does not fit its C type), with the library's own message.
func invalid(what string) error { return statusError(what, C.BACKOFF_E_INVALID) }
