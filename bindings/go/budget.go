package backoff

/*
#include "glue.h"
*/
import "C"

import (
	"context"
	"errors"
	"runtime"
	"runtime/cgo"
	"time"
)

// Budget is a retry budget: it bounds how many retries the policies that
// share it add to a service's load, whatever their WithMaxTries. In any
// window of `window`, retries are allowed only while
//
//	retries + 1 <= ratio × first attempts + minPerSecond × window
//
// so a long outage costs the service about (1 + ratio) times its normal
// load instead of max tries times, while the floor lets a quiet client
// still retry. A retry the budget refuses ends with ErrBudget. The count
// is the library's: every retry of every policy given the budget (WithBudget)
// counts its first attempt and asks before each retry, a RetryAfter wait
// included. A Budget is safe for concurrent use by any number of policies
// and goroutines; counting takes a short lock and allocates nothing.
type Budget struct {
	c       *C.backoff_budget
	life    lifetime // the owner, until Close, and every Stats or WithBudget
	callsGo bool     // a Go clock (BudgetClock) is registered
	cleanup runtime.Cleanup
}

// BudgetOption configures a Budget in NewBudget.
type BudgetOption func(*Budget) error

// NewBudget creates a budget allowing ratio retries per first attempt
// (ratio >= 0) plus minPerSecond retries per second (>= 0), counted over a
// sliding window (> 0). Finagle's and tower's defaults are 0.2, 10, 10s.
// The window is counted in 32 slots, so the budget may refuse up to a
// slot's width (window/32) early, never late. Close it when done; the
// policies it was given keep it alive as long as they need it.
func NewBudget(ratio, minPerSecond float64, window time.Duration, opts ...BudgetOption) (*Budget, error) {
	b := &Budget{}
	b.life.init(false)
	if st := C.backoff_budget_new(&b.c, C.double(ratio), C.double(minPerSecond),
		C.double(seconds(window))); st != C.BACKOFF_OK {
		return nil, statusError("NewBudget", st)
	}
	for _, opt := range opts {
		if err := opt(b); err != nil {
			C.backoff_budget_free(b.c)
			return nil, err
		}
	}
	b.cleanup = runtime.AddCleanup(b, freeBudget, b.c)
	return b, nil
}

func freeBudget(c *C.backoff_budget) { C.backoff_budget_free(c) }

// BudgetClock replaces the monotonic clock the budget counts its window on
// (now gives the time since any fixed origin), for tests and simulations.
func BudgetClock(now func() time.Duration) BudgetOption {
	return func(b *Budget) error {
		if now == nil {
			return invalid("BudgetClock")
		}
		b.callsGo = true
		return statusError("BudgetClock",
			C.go_budget_clock(b.c, C.uintptr_t(cgo.NewHandle(now))))
	}
}

// Close drops the caller's hold on the budget; the policies using it keep
// it until they are closed. Later Stats give zero values and WithBudget
// refuses it. Closing twice is harmless.
func (b *Budget) Close() error {
	if b.life.close() {
		b.free()
	}
	return nil
}

func (b *Budget) release() {
	if b.life.release(false) {
		b.free()
	}
}

func (b *Budget) free() {
	b.cleanup.Stop()
	freeBudget(b.c)
}

// BudgetStats are a budget's counters, read at its clock's current time.
type BudgetStats struct {
	// In the current window:
	FirstAttempts uint64  // first attempts counted
	Retries       uint64  // retries allowed
	Refusals      uint64  // retries refused (each ended a retry with ErrBudget)
	Available     float64 // retries the budget would allow now

	// Since the budget was made:
	TotalFirstAttempts, TotalRetries, TotalRefusals uint64

	// The budget's parameters:
	Ratio, MinPerSecond float64
	Window              time.Duration
}

// Stats reads the budget's counters; zero values once it is closed.
func (b *Budget) Stats() BudgetStats {
	if ok, _ := b.life.acquire(); !ok {
		return BudgetStats{}
	}
	defer b.release()
	var r *run
	var h cgo.Handle
	if b.callsGo {
		r = &run{ctx: context.Background()}
		h = cgo.NewHandle(r)
		defer h.Delete()
	}
	s := C.backoff_budget_stats{size: C.sizeof_backoff_budget_stats}
	if st := C.go_budget_stats(b.c, C.uintptr_t(h), &s); st != C.BACKOFF_OK {
		panic(statusError("Budget.Stats", st)) // a bug: every argument is valid
	}
	r.repanic()
	return BudgetStats{
		FirstAttempts:      uint64(s.first_attempts),
		Retries:            uint64(s.retries),
		Refusals:           uint64(s.refusals),
		Available:          float64(s.available),
		TotalFirstAttempts: uint64(s.total_first_attempts),
		TotalRetries:       uint64(s.total_retries),
		TotalRefusals:      uint64(s.total_refusals),
		Ratio:              float64(s.ratio),
		MinPerSecond:       float64(s.min_per_second),
		Window:             duration(float64(s.window)),
	}
}

// errBudgetClosed is WithBudget's error for a closed budget.
var errBudgetClosed = errors.New("backoff: WithBudget: the budget is closed")

// WithBudget makes every retry of the policy count in b and ask it before
// each retry; a refusal ends the retry with ErrBudget (after the OnGiveUp
// hooks and the log). The policy holds b as long as it lives, so b may be
// closed once the policies that use it are made. It replaces a budget set
// before, a spec's budget(...) included.
func WithBudget(b *Budget) Option {
	return func(p *Policy) error {
		if b == nil {
			return invalid("WithBudget")
		}
		if ok, _ := b.life.acquire(); !ok {
			return errBudgetClosed
		}
		defer b.release()
		if b.callsGo {
			p.callsGo = true // its clock is called during the policy's runs
		}
		return statusError("WithBudget", C.backoff_policy_budget(p.c, b.c))
	}
}
