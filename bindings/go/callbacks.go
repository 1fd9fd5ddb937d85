package backoff

/*
#include "glue.h"
*/
import "C"

import (
	"log/slog"
	"math"
	"runtime/cgo"
	"time"
)

// register hands fn to the library as a cgo.Handle; set registers it with
// the glue's trampoline. The library deletes the handle through
// backoffGoRelease when the policy is freed, or at once if set fails.
func (p *Policy) register(what string, fn any, set func(C.uintptr_t) C.backoff_status) error {
	p.callsGo = true
	return statusError(what, set(C.uintptr_t(cgo.NewHandle(fn))))
}

// The functions below are called from C (glue.c) during a step of the run
// whose handle is `run`. Each recovers its panics: none may cross C.

//export backoffGoRelease
func backoffGoRelease(fn C.uintptr_t) { cgo.Handle(fn).Delete() }

//export backoffGoHook
func backoffGoHook(d *C.backoff_details, fn, run C.uintptr_t) {
	r := runOf(uintptr(run))
	defer r.recoverPanic()
	cgo.Handle(fn).Value().(func(Details))(r.details(d))
}

//export backoffGoLog
func backoffGoLog(level C.int, msg *C.char, d *C.backoff_details, fn, run C.uintptr_t) {
	r := runOf(uintptr(run))
	defer r.recoverPanic()
	logger := cgo.Handle(fn).Value().(*slog.Logger)
	logger.Log(r.ctx, slogLevel(level), C.GoString(msg), "tries", int(d.tries))
}

//export backoffGoWait
func backoffGoWait(d *C.backoff_details, fn, run C.uintptr_t) (wait C.double) {
	r := runOf(uintptr(run))
	wait = -1 // a panicking wait function ends the run
	defer r.recoverPanic()
	decide := cgo.Handle(fn).Value().(func(Details) time.Duration)
	return C.double(seconds(decide(r.details(d))))
}

//export backoffGoJitter
func backoffGoJitter(wait, uniform C.double, fn, run C.uintptr_t) (real C.double) {
	r := runOf(uintptr(run))
	defer r.recoverPanic()
	jitter := cgo.Handle(fn).Value().(func(time.Duration, float64) time.Duration)
	return C.double(seconds(jitter(duration(float64(wait)), float64(uniform))))
}

//export backoffGoClock
func backoffGoClock(fn, run C.uintptr_t) (now C.double) {
	r := runOf(uintptr(run))
	defer r.recoverPanic()
	return C.double(seconds(cgo.Handle(fn).Value().(func() time.Duration)()))
}

//export backoffGoMaxTries
func backoffGoMaxTries(fn, run C.uintptr_t) (tries C.unsigned) {
	r := runOf(uintptr(run))
	defer r.recoverPanic()
	n := cgo.Handle(fn).Value().(func() uint)()
	return C.unsigned(min(n, math.MaxUint32))
}

//export backoffGoMaxTime
func backoffGoMaxTime(fn, run C.uintptr_t) (limit C.double) {
	r := runOf(uintptr(run))
	defer r.recoverPanic()
	return C.double(limitSeconds(cgo.Handle(fn).Value().(func() time.Duration)()))
}
