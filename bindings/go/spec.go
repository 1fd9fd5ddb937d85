package backoff

/*
#include <stdlib.h>
#include "glue.h"
*/
import "C"

import (
	"fmt"
	"strings"
	"unsafe"
)

// WithSpec applies a policy spec, the one-line form shared with the C API
// and the backoff command, e.g. "expo(base=2,factor=0.5,max=30) jitter=full
// tries=5 time=60 hint-max=120 budget(ratio=0.2,min=10,window=10)".
// Settings it omits keep their values; a budget(...) is private to this
// policy and shared by all its retries (use NewBudget and WithBudget to
// share one between policies). Its retry-on and giveup-on codes do not
// apply to Go errors and are ignored: classify with WithClassifier and
// Permanent instead. A malformed spec makes New fail with the parser's
// message and the offending position; a spec with a NUL byte is refused as
// an invalid argument (C would read only up to it).
func WithSpec(spec string) Option {
	return func(p *Policy) error {
		if strings.IndexByte(spec, 0) >= 0 {
			return invalid("WithSpec")
		}
		cspec := C.CString(spec)
		defer C.free(unsafe.Pointer(cspec))
		var offset C.size_t
		var msg [256]C.char
		st := C.backoff_policy_parse(p.c, cspec, &offset, &msg[0], C.size_t(len(msg)))
		if st == C.BACKOFF_E_PARSE {
			return fmt.Errorf("backoff: WithSpec: %s (at byte %d)", C.GoString(&msg[0]), int(offset))
		}
		return statusError("WithSpec", st)
	}
}
