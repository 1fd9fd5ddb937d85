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
	c *C.backoff_policy

	// life counts the owner (until Close) and every running retry; its
	// token is the policy's own run memory, which one retry at a time
	// borrows instead of taking one from the pool.
	life   lifetime
	memory *runMemory

	label *C.char // the run label for logs and details; nil: the library's

	// callsGo is true once a Go callback (hook, log, clock, custom wait or
	// jitter) is registered: runs then carry a handle for those callbacks.
	callsGo  bool
	classify func(error) Verdict
	sleep    func(context.Context, time.Duration) error // nil: sleepOnTimer

	cleanup runtime.Cleanup
}

// cMemory is what a Policy owns in C, freed once by Close or the cleanup.
type cMemory struct {
	policy *C.backoff_policy
	label  *C.char
	run    C.uintptr_t // the policy's own run memory
}

func (m cMemory) free() {
	C.backoff_policy_free(m.policy) // deletes the handles of Go callbacks
	C.free(unsafe.Pointer(m.label))
	C.go_run_memory_free(m.run)
}

// New creates a policy with the library's defaults (exponential waits of
// 1, 2, 4, 8 … seconds with full jitter, no limits: retries until success;
// every error is retried) changed by opts, applied in order. An option given
// a bad value makes New fail with an error carrying the library's message.
func New(opts ...Option) (*Policy, error) {
	p := &Policy{}
	p.life.init(true)
	if st := C.backoff_policy_new(&p.c); st != C.BACKOFF_OK {
		return nil, statusError("New", st)
	}
	p.memory = &runMemory{c: C.go_run_memory_new()}
	if p.memory.c == 0 {
		p.owned().free()
		return nil, statusError("New", C.BACKOFF_E_NOMEM)
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

func (p *Policy) owned() cMemory {
	m := cMemory{policy: p.c, label: p.label}
	if p.memory != nil {
		m.run = p.memory.c
	}
	return m
}

// Close releases the policy: it is freed as soon as the retries using it
// have ended (at once if none is running), and later retries return
// ErrClosed. Close never blocks, also from a hook. Closing twice is
// harmless.
func (p *Policy) Close() error {
	if p.life.close() {
		p.free()
	}
	return nil
}

// acquire takes a reference for a retry, and the policy's run memory if
// no other retry has it; ok is false once the policy is closed.
func (p *Policy) acquire() (ok bool, memory *runMemory) {
	ok, token := p.life.acquire()
	if token {
		return ok, p.memory
	}
	return ok, nil
}

// release drops a retry's reference, and gives back the policy's run
// memory when memory is it.
func (p *Policy) release(memory *runMemory) {
	if p.life.release(memory == p.memory) {
		p.free()
	}
}

func (p *Policy) free() {
	p.cleanup.Stop()
	p.owned().free()
}
