package backoff_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

func TestSuccessAfterFailuresSleepsTheExpoWaits(t *testing.T) {
	clock := &fakeClock{}
	p := newPolicy(t, append(clock.Options(), backoff.WithJitter(backoff.JitterNone))...)
	calls := 0
	op := failing(3, &calls)
	err := backoff.Retry(context.Background(), p, func(context.Context) error { return op() })
	if err != nil {
		t.Fatalf("Retry: %v", err)
	}
	if calls != 4 {
		t.Fatalf("calls = %d, want 4", calls)
	}
	assertWaits(t, clock.Slept(), seconds(1, 2, 4))
}

func TestRetryValueReturnsTheSuccessfulValue(t *testing.T) {
	p := newPolicy(t, backoff.WithConstant(0))
	calls := 0
	v, err := backoff.RetryValue(context.Background(), p, func(context.Context) (string, error) {
		calls++
		if calls < 3 {
			return "partial", errBoom
		}
		return fmt.Sprint("value ", calls), nil
	})
	if err != nil || v != "value 3" {
		t.Fatalf("RetryValue = %q, %v; want \"value 3\", nil", v, err)
	}
}

func TestRetryValueGivesTheZeroValueOnGiveUp(t *testing.T) {
	p := newPolicy(t, backoff.WithConstant(0), backoff.WithMaxTries(2))
	v, err := backoff.RetryValue(context.Background(), p, func(context.Context) (int, error) {
		return 7, errBoom
	})
	if v != 0 {
		t.Fatalf("value = %d, want 0", v)
	}
	giveUpError(t, err, backoff.ErrMaxTries, 2)
}

func TestMaxTriesGivesUpWithTheLastError(t *testing.T) {
	clock := &fakeClock{}
	p := newPolicy(t, append(clock.Options(), backoff.WithJitter(backoff.JitterNone),
		backoff.WithMaxTries(3))...)
	calls := 0
	err := backoff.Retry(context.Background(), p, func(context.Context) error {
		calls++
		return fmt.Errorf("attempt %d: %w", calls, errBoom)
	})
	e := giveUpError(t, err, backoff.ErrMaxTries, 3)
	if !errors.Is(err, errBoom) || e.Err.Error() != "attempt 3: boom" {
		t.Fatalf("last error = %v, want attempt 3's", e.Err)
	}
	if got, want := err.Error(), "backoff: gave up: tries limit reached after 3 tries: attempt 3: boom"; got != want {
		t.Fatalf("message = %q, want %q", got, want)
	}
	assertWaits(t, clock.Slept(), seconds(1, 2))
}

func TestMaxTimeClampsTheLastWaitAndGivesUp(t *testing.T) {
	clock := &fakeClock{}
	p := newPolicy(t, append(clock.Options(), backoff.WithConstant(10*time.Second),
		backoff.WithJitter(backoff.JitterNone), backoff.WithMaxTime(25*time.Second))...)
	err := backoff.Retry(context.Background(), p, func(context.Context) error { return errBoom })
	e := giveUpError(t, err, backoff.ErrMaxTime, 4)
	assertWaits(t, clock.Slept(), seconds(10, 10, 5))
	if e.Details.Elapsed != 25*time.Second || e.Details.Remaining != 0 {
		t.Fatalf("elapsed %v remaining %v, want 25s and 0", e.Details.Elapsed, e.Details.Remaining)
	}
}

func TestSlowAttemptPastMaxTimeIsNotRetried(t *testing.T) {
	clock := &fakeClock{}
	p := newPolicy(t, append(clock.Options(), backoff.WithMaxTime(time.Second))...)
	err := backoff.Retry(context.Background(), p, func(context.Context) error {
		clock.Advance(2 * time.Second)
		return errBoom
	})
	giveUpError(t, err, backoff.ErrMaxTime, 1)
}

func TestPermanentStopsAtOnce(t *testing.T) {
	p := newPolicy(t, backoff.WithConstant(0))
	calls := 0
	err := backoff.Retry(context.Background(), p, func(context.Context) error {
		calls++
		return backoff.Permanent(errBoom)
	})
	giveUpError(t, err, backoff.ErrPermanent, 1)
	if calls != 1 || !errors.Is(err, errBoom) {
		t.Fatalf("calls = %d, err = %v; want 1 call and an error wrapping boom", calls, err)
	}
	if backoff.Permanent(nil) != nil {
		t.Fatal("Permanent(nil) must be nil")
	}
}

func TestClassifierVerdicts(t *testing.T) {
	errFatal, errForeign := errors.New("fatal"), errors.New("foreign")
	classify := func(err error) backoff.Verdict {
		switch {
		case errors.Is(err, errFatal):
			return backoff.VerdictGiveUp
		case errors.Is(err, errForeign):
			return backoff.VerdictPassThrough
		case errors.Is(err, errBoom):
			return backoff.VerdictRetry
		}
		return backoff.Verdict(42) // not a verdict: the library gives up
	}
	gaveUp := 0
	p := newPolicy(t, backoff.WithConstant(0), backoff.WithClassifier(classify),
		backoff.WithOnGiveUp(func(backoff.Details) { gaveUp++ }))
	run := func(errs ...error) (int, error) {
		calls := 0
		err := backoff.Retry(context.Background(), p, func(context.Context) error {
			calls++
			return errs[calls-1]
		})
		return calls, err
	}

	calls, err := run(errBoom, errFatal)
	giveUpError(t, err, backoff.ErrPermanent, 2)
	if calls != 2 || !errors.Is(err, errFatal) || gaveUp != 1 {
		t.Fatalf("fatal: calls %d, gave up %d, err %v", calls, gaveUp, err)
	}

	calls, err = run(errBoom, errForeign)
	if calls != 2 || err != errForeign || gaveUp != 1 {
		t.Fatalf("pass through: calls %d, gave up %d, err %v; want the error itself and no hook", calls, gaveUp, err)
	}

	_, err = run(errors.New("unknown"))
	giveUpError(t, err, backoff.ErrPermanent, 1)

	calls, err = run(errBoom, errBoom, nil)
	if calls != 3 || err != nil {
		t.Fatalf("retry: calls %d, err %v", calls, err)
	}
}

func TestSequenceIsExhausted(t *testing.T) {
	clock := &fakeClock{}
	p := newPolicy(t, append(clock.Options(), backoff.WithJitter(backoff.JitterNone),
		backoff.WithSequence(time.Second, 3*time.Second))...)
	err := backoff.Retry(context.Background(), p, func(context.Context) error { return errBoom })
	giveUpError(t, err, backoff.ErrExhausted, 3)
	assertWaits(t, clock.Slept(), seconds(1, 3))
}

func TestWaitFuncSeesTheLastError(t *testing.T) {
	clock := &fakeClock{}
	p := newPolicy(t, append(clock.Options(), backoff.WithJitter(backoff.JitterNone),
		backoff.WithWaitFunc(func(d backoff.Details) time.Duration {
			var hint interface{ Seconds() int }
			if errors.As(d.Err, &hint) {
				return time.Duration(hint.Seconds()) * time.Second
			}
			return -1 // stop
		}))...)
	calls := 0
	err := backoff.Retry(context.Background(), p, func(context.Context) error {
		calls++
		if calls <= 2 {
			return waitHint(calls * 10)
		}
		return errBoom
	})
	giveUpError(t, err, backoff.ErrExhausted, 3)
	assertWaits(t, clock.Slept(), seconds(10, 20))
}

type waitHint int

func (w waitHint) Error() string { return "try again later" }
func (w waitHint) Seconds() int  { return int(w) }

func TestOtherWaitKinds(t *testing.T) {
	for _, tc := range []struct {
		name string
		wait backoff.Option
		want []time.Duration
	}{
		{"expo capped", backoff.WithExpo(3, 500*time.Millisecond, 4*time.Second), seconds(0.5, 1.5, 4, 4)},
		{"fibo", backoff.WithFibo(0), seconds(1, 1, 2, 3)},
		{"fibo capped", backoff.WithFibo(2 * time.Second), seconds(1, 1, 2, 2)},
		{"constant", backoff.WithConstant(1500 * time.Millisecond), seconds(1.5, 1.5, 1.5, 1.5)},
		{"linear", backoff.WithLinear(time.Second, 2*time.Second, 6*time.Second), seconds(1, 3, 5, 6)},
		{"decay", backoff.WithDecay(8*time.Second, 0, 0), seconds(8, 8, 8, 8)},
		{"decay floor", backoff.WithDecay(8*time.Second, 100, 2*time.Second), seconds(8, 2, 2, 2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{}
			p := newPolicy(t, append(clock.Options(), tc.wait, backoff.WithMaxTries(5),
				backoff.WithJitter(backoff.JitterNone))...)
			err := backoff.Retry(context.Background(), p, func(context.Context) error { return errBoom })
			giveUpError(t, err, backoff.ErrMaxTries, 5)
			assertWaits(t, clock.Slept(), tc.want)
		})
	}
}

func TestSeedMakesJitterReproducible(t *testing.T) {
	waits := func(opts ...backoff.Option) []time.Duration {
		clock := &fakeClock{}
		p := newPolicy(t, append(clock.Options(), append(opts, backoff.WithMaxTries(6))...)...)
		backoff.Retry(context.Background(), p, func(context.Context) error { return errBoom })
		return clock.Slept()
	}
	first := waits(backoff.WithSeed(42))
	assertWaits(t, waits(backoff.WithSeed(42)), first)
	for i, w := range first { // full jitter: U[0, 2^i s]
		if w < 0 || w > time.Second<<i {
			t.Fatalf("wait %d = %v, outside [0, %v]", i, w, time.Second<<i)
		}
	}
	if other := waits(backoff.WithSeed(43)); slicesEqual(other, first) {
		t.Fatalf("seeds 42 and 43 gave the same waits %v", first)
	}
}

func slicesEqual(a, b []time.Duration) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

func TestJitterKinds(t *testing.T) {
	const w = 4 * time.Second // the generated wait
	fixed := func(min, max time.Duration) func(time.Duration) (time.Duration, time.Duration) {
		return func(time.Duration) (time.Duration, time.Duration) { return min, max }
	}
	for _, tc := range []struct {
		name   string
		jitter backoff.Option
		bounds func(previous time.Duration) (min, max time.Duration)
	}{
		{"none", backoff.WithJitter(backoff.JitterNone), fixed(w, w)},
		{"full", backoff.WithJitter(backoff.JitterFull), fixed(0, w)},
		{"random", backoff.WithJitter(backoff.JitterRandom), fixed(w, w+time.Second)},
		{"equal", backoff.WithJitter(backoff.JitterEqual), fixed(w/2, w)},
		{"decorrelated", backoff.WithJitter(backoff.JitterDecorrelated),
			func(previous time.Duration) (time.Duration, time.Duration) { return w, 3 * previous }},
		{"proportional", backoff.WithJitter(backoff.JitterProportional), fixed(w/2, w*3/2)},
		{"proportional 0.1", backoff.WithProportionalJitter(0.1), fixed(w*9/10, w*11/10)},
		{"func", backoff.WithJitterFunc(func(w time.Duration, u float64) time.Duration {
			if u < 0 || u >= 1 {
				panic("uniform out of [0, 1)")
			}
			return w * 2
		}), fixed(2*w, 2*w)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{}
			p := newPolicy(t, append(clock.Options(), backoff.WithConstant(w),
				tc.jitter, backoff.WithMaxTries(20), backoff.WithSeed(7))...)
			backoff.Retry(context.Background(), p, func(context.Context) error { return errBoom })
			slept := clock.Slept()
			if len(slept) != 19 {
				t.Fatalf("%d waits, want 19", len(slept))
			}
			previous := w
			for _, got := range slept {
				min, max := tc.bounds(previous)
				if got < min || got > max {
					t.Fatalf("wait %v outside [%v, %v] (all: %v)", got, min, max, slept)
				}
				previous = got
			}
		})
	}
}

func TestLabelAppearsInDetails(t *testing.T) {
	var label string
	p := newPolicy(t, backoff.WithLabel("fetch"),
		backoff.WithOnSuccess(func(d backoff.Details) { label = d.Label }))
	if err := backoff.Retry(context.Background(), p, func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if label != "fetch" {
		t.Fatalf("label = %q, want fetch", label)
	}
}

func TestClosedPolicy(t *testing.T) {
	p, err := backoff.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	called := false
	err = backoff.Retry(context.Background(), p, func(context.Context) error { called = true; return nil })
	if !errors.Is(err, backoff.ErrClosed) || called {
		t.Fatalf("Retry on a closed policy: err %v, called %v", err, called)
	}
}
