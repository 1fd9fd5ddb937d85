//go:build cgo

package backoff

import (
	"context"
	"runtime/cgo"
)

// run is what the Go callbacks of one retry need: they are called from C,
// which holds only its cgo.Handle (see glue.c), during the retry's steps.
type run struct {
	ctx context.Context
	err error // the last attempt's error, for Details.Err

	// A panic in a callback must not unwind through C: it is recovered
	// there and raised again in Go once the step has returned.
	panicked   bool
	panicValue any
}

func runOf(h uintptr) *run { return cgo.Handle(h).Value().(*run) }

// recoverPanic keeps the first panic of a callback; it must be deferred
// directly by the exported function.
func (r *run) recoverPanic() {
	if v := recover(); v != nil && !r.panicked {
		r.panicked, r.panicValue = true, v
	}
}

// repanic raises in Go the panic a callback had during the last step.
func (r *run) repanic() {
	if r != nil && r.panicked {
		panic(r.panicValue)
	}
}
