package backoff

/*
#cgo pkg-config: backoff
#include <stdlib.h>
#include "glue.h"
*/
import "C"

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"time"
	"unsafe"
)

// ErrClosed is returned by a retry on a policy that has been closed.
var ErrClosed = errors.New("backoff: policy is closed")

// Policy is a reusable retry configuration held by the C library. Configure
// it with New's options; it is then safe for concurrent use by any number of
// goroutines. Close it when done (a cleanup frees it if it is dropped
// unclosed).
type Policy struct {
	// mu is held for reading by every run and for writing by Close, so a
	// policy is never freed under a run.
	mu sync.RWMutex
	c  *C.backoff_policy

	label *C.char // the run label for logs and details; nil: the library's

	// callsGo is true once a Go callback (hook, log, clock, custom wait or
	// jitter) is registered: runs then carry a handle for those callbacks.
	callsGo  bool
	classify func(error) Verdict
	sleep    func(context.Context, time.Duration) error

	cleanup runtime.Cleanup
}

// cMemory is what a Policy owns in C, freed once by Close or the cleanup.
type cMemory struct {
	policy *C.backoff_policy
	label  *C.char
}

func (m cMemory) free() {
	C.backoff_policy_free(m.policy) // deletes the handles of Go callbacks
	C.free(unsafe.Pointer(m.label))
}

// New creates a policy with the library's defaults (exponential waits of
// 1, 2, 4, 8 … seconds with full jitter, no limits: retries until success;
// every error is retried) changed by opts, applied in order. An option given
// a bad value makes New fail with an error carrying the library's message.
func New(opts ...Option) (*Policy, error) {
	p := &Policy{sleep: sleepOnTimer}
	if st := C.go_policy_new(&p.c); st != C.BACKOFF_OK {
		return nil, statusError("New", st)
	}
	for _, opt := range opts {
		if err := opt(p); err != nil {
			p.owned().free()
			return nil, err
		}
	}
	p.cleanup = runtime.AddCleanup(p, cMemory.free, p.owned())
	return p, nil
}

func (p *Policy) owned() cMemory { return cMemory{policy: p.c, label: p.label} }

// Close frees the policy. It waits for the retries using it to end; later
// retries return ErrClosed. Closing twice is harmless.
func (p *Policy) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.c == nil {
		return nil
	}
	p.cleanup.Stop()
	p.owned().free()
	p.c, p.label = nil, nil
	return nil
}
