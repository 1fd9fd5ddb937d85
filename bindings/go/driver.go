package backoff

/*
#include "glue.h"
*/
import "C"

import (
	"context"
	"runtime/cgo"
	"time"
)

// driver steps one run of the library's state machine: it reports each
// attempt's verdict and sleeps the waits the library decides.
type driver struct {
	p       *Policy
	state   *C.backoff_state // nil once the run has ended and the state is freed
	run     *run             // nil when the policy calls no Go code
	handle  C.uintptr_t      // run's cgo.Handle, 0 without one
	lastErr error
	wait    time.Duration
}

// start creates the run and begins the first attempt — or, when ctx is done
// already, ends the run as cancelled without any attempt.
func (d *driver) start(ctx context.Context, p *Policy) error {
	d.p = p
	if p.callsGo {
		d.run = &run{ctx: ctx}
		d.handle = C.uintptr_t(cgo.NewHandle(d.run))
	}
	cause := ctx.Err()
	cancelled := C.int(0)
	if cause != nil {
		cancelled = 1
	}
	_, err := d.step(C.go_run_start(p.c, p.label, d.handle, cancelled), cause)
	return err
}

// next reports an attempt's error; the run ends or d.wait is the wait.
func (d *driver) next(err error) (bool, error) {
	d.lastErr = err
	if d.run != nil {
		d.run.err = err
	}
	verdict, hint := d.p.judge(err)
	res := C.go_run_next(d.state, d.handle, verdict, hint)
	d.wait = duration(float64(res.wait))
	return d.step(res, nil)
}

// pause sleeps d.wait and begins the next attempt, or ends the run as
// cancelled if the sleep was interrupted.
func (d *driver) pause(ctx context.Context) error {
	if cause := d.p.sleep(ctx, d.wait); cause != nil {
		_, err := d.step(C.go_run_cancel(d.state, d.handle), cause)
		return err
	}
	_, err := d.step(C.go_run_begin(d.state, d.handle), nil)
	return err
}

// step takes in a step's result: whether the run has ended, and its error.
func (d *driver) step(res C.go_step, cause error) (bool, error) {
	d.state = res.state
	if reason := reasonOf(res.status); reason != nil {
		details := C.go_run_end(d.state, d.handle)
		d.state = nil
		d.run.repanic()
		return true, &Error{Reason: reason, Err: d.lastErr, Cause: cause,
			Details: detailsOf(&details, d.lastErr)}
	}
	d.run.repanic()
	if res.state != nil {
		return false, nil
	}
	switch res.status {
	case C.BACKOFF_OK:
		return true, nil
	case C.BACKOFF_PASSED_THROUGH:
		return true, d.lastErr
	}
	return true, statusError("retry", C.backoff_status(res.status))
}

// release frees what a run that ended by a panic still holds.
func (d *driver) release() {
	if d.state != nil {
		C.backoff_state_free(d.state)
	}
	if d.handle != 0 {
		cgo.Handle(d.handle).Delete()
	}
}
