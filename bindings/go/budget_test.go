package backoff_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

// newBudget creates a budget on a frozen clock (advance it through *now),
// closed at the end of the test.
func newBudget(t testing.TB, ratio, minPerSecond float64, window time.Duration, now *atomic.Int64) *backoff.Budget {
	t.Helper()
	b, err := backoff.NewBudget(ratio, minPerSecond, window,
		backoff.BudgetClock(func() time.Duration { return time.Duration(now.Load()) }))
	if err != nil {
		t.Fatalf("NewBudget: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// alwaysFailing runs op n times on p and counts the attempts and the
// reasons the runs ended with.
func alwaysFailing(p *backoff.Policy, n int) (attempts int, reasons map[error]int) {
	reasons = map[error]int{}
	for range n {
		err := backoff.Retry(context.Background(), p, func(context.Context) error {
			attempts++
			return errBoom
		})
		for _, r := range []error{backoff.ErrBudget, backoff.ErrMaxTries} {
			if errors.Is(err, r) {
				reasons[r]++
			}
		}
	}
	return attempts, reasons
}

// The rule: with ratio 0.2 and no floor, 100 failing retries of 5 tries
// make 100 first attempts and 20 retries, not 500 attempts; every run ends
// refused by the budget.
func TestBudgetBoundsRetriesByTheRatio(t *testing.T) {
	var now atomic.Int64
	b := newBudget(t, 0.2, 0, 10*time.Second, &now)
	var gaveUp []error
	p := newPolicy(t, backoff.WithConstant(0), backoff.WithMaxTries(5), backoff.WithBudget(b),
		backoff.WithOnGiveUp(func(d backoff.Details) { gaveUp = append(gaveUp, d.Reason) }))
	attempts, reasons := alwaysFailing(p, 100)
	if attempts != 120 || reasons[backoff.ErrBudget] != 100 || len(gaveUp) != 100 || gaveUp[99] != backoff.ErrBudget {
		t.Fatalf("%d attempts, reasons %v, on_giveup %d; want 120 attempts and 100 budget refusals", attempts, reasons, len(gaveUp))
	}
	s := b.Stats()
	want := backoff.BudgetStats{
		FirstAttempts: 100, Retries: 20, Refusals: 100, Available: 0,
		TotalFirstAttempts: 100, TotalRetries: 20, TotalRefusals: 100,
		Ratio: 0.2, MinPerSecond: 0, Window: 10 * time.Second,
	}
	if s != want {
		t.Fatalf("stats %+v\nwant  %+v", s, want)
	}
}

// The floor lets a lone client retry minPerSecond × window times; after the
// window has passed, the old retries no longer count.
func TestBudgetFloorAndWindow(t *testing.T) {
	var now atomic.Int64
	b := newBudget(t, 0, 1, 10*time.Second, &now)
	p := newPolicy(t, backoff.WithConstant(0), backoff.WithBudget(b))
	attempts, reasons := alwaysFailing(p, 1)
	if attempts != 11 || reasons[backoff.ErrBudget] != 1 {
		t.Fatalf("%d attempts, %v; want 1 + 10 retries, then the budget's refusal", attempts, reasons)
	}
	if s := b.Stats(); s.Retries != 10 || s.Refusals != 1 || s.Available != 0 {
		t.Fatalf("stats %+v", s)
	}

	now.Add(int64(11 * time.Second)) // a window and a slot later
	if s := b.Stats(); s.Retries != 0 || s.Refusals != 0 || s.Available != 10 || s.TotalRetries != 10 {
		t.Fatalf("a window later: %+v", s)
	}
	attempts, reasons = alwaysFailing(p, 1)
	if attempts != 11 || reasons[backoff.ErrBudget] != 1 {
		t.Fatalf("a window later: %d attempts, %v", attempts, reasons)
	}
}

// The error says why; hooks and Details see ErrBudget.
func TestBudgetRefusalIsAnError(t *testing.T) {
	var now atomic.Int64
	b := newBudget(t, 0, 0, time.Second, &now)
	p := newPolicy(t, backoff.WithConstant(0), backoff.WithBudget(b))
	err := backoff.Retry(context.Background(), p, func(context.Context) error { return errBoom })
	e := giveUpError(t, err, backoff.ErrBudget, 1)
	if !errors.Is(err, errBoom) || err.Error() != "backoff: gave up: retry budget exhausted after 1 try: boom" {
		t.Fatalf("err %q (%v)", err, e)
	}
}

// A server's hinted wait is a retry too: the budget is asked.
func TestBudgetIsAskedBeforeAHintedWait(t *testing.T) {
	var now atomic.Int64
	b := newBudget(t, 0, 0.1, 10*time.Second, &now) // one retry per window
	clock := &fakeClock{}
	p := newPolicy(t, append(clock.Options(), backoff.WithBudget(b))...)
	calls := 0
	err := backoff.Retry(context.Background(), p, hinted(clock, 0, &calls, 3*time.Second, 3*time.Second))
	e := giveUpError(t, err, backoff.ErrBudget, 2)
	assertWaits(t, clock.Slept(), seconds(3))
	if e.Details.Hint != 3*time.Second {
		t.Fatalf("Details.Hint %v: the refused retry was a hinted one", e.Details.Hint)
	}
}

// One budget shared by two policies counts both; it outlives its Close
// while a policy holds it.
func TestBudgetSharedByPolicies(t *testing.T) {
	var now atomic.Int64
	b := newBudget(t, 0, 0.3, 10*time.Second, &now) // three retries per window
	first := newPolicy(t, backoff.WithConstant(0), backoff.WithMaxTries(3), backoff.WithBudget(b))
	second := newPolicy(t, backoff.WithConstant(0), backoff.WithMaxTries(3), backoff.WithBudget(b))
	stats := b.Stats()
	b.Close()
	if got := b.Stats(); got != (backoff.BudgetStats{}) {
		t.Fatalf("Stats after Close: %+v, want zero values", got)
	}
	if stats.Window != 10*time.Second || stats.MinPerSecond != 0.3 {
		t.Fatalf("stats before Close: %+v", stats)
	}
	a1, r1 := alwaysFailing(first, 1)  // 2 retries, then the tries limit
	a2, r2 := alwaysFailing(second, 1) // 1 retry, then the budget
	if a1 != 3 || r1[backoff.ErrMaxTries] != 1 || a2 != 2 || r2[backoff.ErrBudget] != 1 {
		t.Fatalf("first: %d attempts %v; second: %d attempts %v", a1, r1, a2, r2)
	}
	if _, err := backoff.New(backoff.WithBudget(b)); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("WithBudget of a closed budget: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// 8 goroutines on one shared budget: the bound holds for the whole run.
func TestBudgetBoundHoldsUnderConcurrency(t *testing.T) {
	var now atomic.Int64
	b := newBudget(t, 0.2, 0, time.Hour, &now)
	p := newPolicy(t, backoff.WithConstant(0), backoff.WithMaxTries(5), backoff.WithBudget(b))
	const goroutines, runs = 8, 1000
	var attempts, refused atomic.Int64
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range runs {
				err := backoff.Retry(context.Background(), p, func(context.Context) error {
					attempts.Add(1)
					return errBoom
				})
				if errors.Is(err, backoff.ErrBudget) {
					refused.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	s := b.Stats()
	firsts := uint64(goroutines * runs)
	if s.TotalFirstAttempts != firsts || float64(s.TotalRetries) > 0.2*float64(firsts) ||
		uint64(attempts.Load()) != firsts+s.TotalRetries || uint64(refused.Load()) != s.TotalRefusals {
		t.Fatalf("stats %+v; %d attempts, %d refused", s, attempts.Load(), refused.Load())
	}
	// Every deposit eventually pays for a fifth of a retry: the budget is
	// spent to within the retries one run can hold back.
	if float64(s.TotalRetries) < 0.2*float64(firsts)-goroutines {
		t.Fatalf("only %d retries allowed for %d first attempts", s.TotalRetries, firsts)
	}
}

// A spec's budget(...) is private to the policy and shared by its runs
// (on the system clock: the run takes microseconds of a 1000 s window).
func TestBudgetFromASpec(t *testing.T) {
	p := newPolicy(t, backoff.WithSpec("constant(interval=0) tries=0 budget(ratio=0,min=0.01,window=1000)"))
	for i, want := range []int{11, 1} {
		attempts, reasons := alwaysFailing(p, 1)
		if attempts != want || reasons[backoff.ErrBudget] != 1 {
			t.Fatalf("run %d: %d attempts, %v; want %d and a budget refusal", i, attempts, reasons, want)
		}
	}
}

func TestNewBudgetRefusesBadInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		ratio, min float64
		window     time.Duration
	}{
		{-0.1, 10, time.Second}, {nan, 10, time.Second}, {inf, 10, time.Second},
		{0.2, -1, time.Second}, {0.2, nan, time.Second}, {0.2, inf, time.Second},
		{0.2, 10, 0}, {0.2, 10, -time.Second},
	} {
		b, err := backoff.NewBudget(tc.ratio, tc.min, tc.window)
		if b != nil || err == nil || err.Error() != "backoff: NewBudget: invalid argument" {
			t.Fatalf("NewBudget(%v, %v, %v) = %v, %v", tc.ratio, tc.min, tc.window, b, err)
		}
	}
	if _, err := backoff.NewBudget(0.2, 10, time.Second, backoff.BudgetClock(nil)); err == nil ||
		err.Error() != "backoff: BudgetClock: invalid argument" {
		t.Fatalf("BudgetClock(nil): %v", err)
	}
	b, err := backoff.NewBudget(0, 0, time.Nanosecond)
	if err != nil {
		t.Fatalf("edge values: %v", err)
	}
	if s := b.Stats(); s.Ratio != 0 || s.MinPerSecond != 0 || s.Window != time.Nanosecond {
		t.Fatalf("edge values not kept: %+v", s)
	}
	b.Close()
}

// A panic in the budget's clock arrives as a Go panic, from a retry and
// from Stats, and leaves both usable.
func TestPanicInTheBudgetClock(t *testing.T) {
	armed := false
	b, err := backoff.NewBudget(0.2, 10, time.Second, backoff.BudgetClock(func() time.Duration {
		if armed {
			panic("budget clock exploded")
		}
		return 0
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p := newPolicy(t, backoff.WithConstant(0), backoff.WithBudget(b))
	armed = true
	if got := mustPanic(t, func() { b.Stats() }); got != "budget clock exploded" {
		t.Fatalf("Stats: panic %v", got)
	}
	got := mustPanic(t, func() {
		backoff.Retry(context.Background(), p, func(context.Context) error { return nil })
	})
	if got != "budget clock exploded" {
		t.Fatalf("Retry: panic %v", got)
	}
	armed = false
	if s := b.Stats(); s.TotalFirstAttempts != 1 {
		t.Fatalf("stats after the panics: %+v", s)
	}
	stillWorks(t, p)
}
