package backoff

/*
#include "glue.h"
*/
import "C"

import (
	"context"
	"runtime/cgo"
	"time"
	"unsafe"
)

// driver steps one run of the library's state machine: it reports each
// attempt's verdict and sleeps the waits the library decides.
type driver struct {
	p       *Policy
	mem     *runMemory  // the run's state machine: the policy's, or the pool's
	run     *run        // nil when the policy calls no Go code
	handle  C.uintptr_t // run's cgo.Handle, 0 without one
	lastErr error
	wait    time.Duration
	begun   bool // the step that decided the wait also began the next attempt
}

// start creates the run and begins the first attempt — or, when ctx is done
// already, ends the run as cancelled without any attempt.
func (d *driver) start(ctx context.Context) error {
	p := d.p
	if d.mem == nil { // another retry of the policy has its memory
		d.mem = runMemories.Get().(*runMemory)
	}
	if p.callsGo {
		d.run = &run{ctx: ctx}
		d.handle = C.uintptr_t(cgo.NewHandle(d.run))
	}
	cause := ctx.Err()
	cancelled := C.int(0)
	if cause != nil {
		cancelled = 1
	}
	res := C.go_run_start(d.mem.c, C.uintptr_t(uintptr(unsafe.Pointer(p.c))),
		C.uintptr_t(uintptr(unsafe.Pointer(p.label))), d.handle, cancelled)
	_, err := d.step(res, C.BACKOFF_OK, cause)
	return err
}

// next reports an attempt's error; the run ends, or goes on after d.wait
// (or at once when d.begun).
func (d *driver) next(ctx context.Context, err error) (bool, error) {
	d.lastErr = err
	if d.run != nil {
		d.run.err = err
	}
	verdict, hint := d.p.judge(err)
	// A zero wait on the default sleeper is no sleep, only a look at ctx:
	// taken now, it lets the library begin the next attempt in the same
	// call. Not when Go code runs during the step: it might cancel ctx.
	beginAtOnce := C.int(0)
	if err != nil && d.p.sleep == nil && !d.p.callsGo && ctx.Err() == nil {
		beginAtOnce = 1
	}
	res := C.go_run_next(d.mem.c, d.handle, verdict, hint, beginAtOnce)
	d.wait = duration(float64(res.wait))
	d.begun = res.begun != 0
	return d.step(res, C.BACKOFF_RETRY, nil)
}

// pause sleeps d.wait and begins the next attempt, or ends the run as
// cancelled if the sleep was interrupted.
func (d *driver) pause(ctx context.Context) error {
	if d.begun {
		return nil
	}
	sleep := d.p.sleep
	if sleep == nil {
		sleep = sleepOnTimer
	}
	if cause := sleep(ctx, d.wait); cause != nil {
		_, err := d.step(C.go_run_cancel(d.mem.c, d.handle), C.BACKOFF_OK, cause)
		return err
	}
	_, err := d.step(C.go_run_begin(d.mem.c, d.handle), C.BACKOFF_OK, nil)
	return err
}

// step takes in a step's result: whether the run has ended (any status but
// goingOn), and its error.
func (d *driver) step(res C.go_step, goingOn C.int, cause error) (bool, error) {
	d.run.repanic()
	switch res.status {
	case goingOn:
		return false, nil
	case C.BACKOFF_OK:
		return true, nil
	case C.BACKOFF_PASSED_THROUGH:
		return true, d.lastErr
	}
	if reason := reasonOf(res.status); reason != nil {
		return true, &Error{Reason: reason, Err: d.lastErr, Cause: cause,
			Details: detailsOf(d.mem.details(), d.lastErr)}
	}
	return true, statusError("retry", C.backoff_status(res.status))
}

// release returns the run's memory, handle and reference to the policy,
// once the run has ended (or ended by a panic).
func (d *driver) release() {
	if d.handle != 0 {
		cgo.Handle(d.handle).Delete()
	}
	if d.mem != nil && d.mem != d.p.memory {
		runMemories.Put(d.mem)
	}
	d.p.release(d.mem)
}
