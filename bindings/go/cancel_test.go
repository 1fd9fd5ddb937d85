package backoff_test

import (
	"context"
	"errors"
	"testing"
	"time"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

// A context cancelled during a long real wait ends the retry at once. The
// wait is an hour; a retry still asleep after wakeUpBound fails the test
// with a message rather than hanging it.
const wakeUpBound = 30 * time.Second

func TestCancelDuringALongWait(t *testing.T) {
	var gaveUp []backoff.Details
	p := newPolicy(t, backoff.WithConstant(time.Hour), backoff.WithJitter(backoff.JitterNone),
		backoff.WithOnGiveUp(func(d backoff.Details) { gaveUp = append(gaveUp, d) }))
	ctx, cancel := context.WithCancel(context.Background())
	backingOff := make(chan struct{})
	calls := 0
	done := make(chan error, 1)
	go func() {
		done <- backoff.Retry(ctx, p, func(context.Context) error {
			calls++
			close(backingOff)
			return errBoom
		})
	}()
	<-backingOff
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(wakeUpBound):
		t.Fatalf("the retry still sleeps %v after its context was cancelled (its wait is an hour)", wakeUpBound)
	}
	e := giveUpError(t, err, backoff.ErrCancelled, 1)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, errBoom) || e.Cause != context.Canceled {
		t.Fatalf("err = %v, want it to wrap context.Canceled and boom", err)
	}
	if calls != 1 || len(gaveUp) != 1 || gaveUp[0].Reason != backoff.ErrCancelled {
		t.Fatalf("calls %d, on_giveup calls %v", calls, gaveUp)
	}
	if got, want := err.Error(), "backoff: cancelled after 1 try: context canceled: boom"; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
}

func TestCancelledBeforeTheFirstAttempt(t *testing.T) {
	gaveUp := 0
	p := newPolicy(t, backoff.WithOnGiveUp(func(backoff.Details) { gaveUp++ }))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	called := false
	err := backoff.Retry(ctx, p, func(context.Context) error { called = true; return nil })
	e := giveUpError(t, err, backoff.ErrCancelled, 0)
	if called || gaveUp != 1 || e.Err != nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("called %v, on_giveup %d, err %v", called, gaveUp, err)
	}
}

// With zero waits there is no sleep, yet a context cancelled by an attempt
// stops the retry before the next attempt.
func TestCancelWithZeroWaits(t *testing.T) {
	p := newPolicy(t, backoff.WithConstant(0))
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	err := backoff.Retry(ctx, p, func(context.Context) error {
		calls++
		if calls == 2 {
			cancel()
		}
		return errBoom
	})
	giveUpError(t, err, backoff.ErrCancelled, 2)
	if calls != 2 {
		t.Fatalf("calls = %d, want 2", calls)
	}
}

func TestDeadlineDuringAWaitOnTheFakeSleeper(t *testing.T) {
	clock := &fakeClock{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	deadline := func(ctx context.Context, d time.Duration) error {
		if d > 3*time.Second {
			return context.DeadlineExceeded
		}
		return clock.Sleep(ctx, d)
	}
	p := newPolicy(t, backoff.WithClock(clock.Now), backoff.WithSleeper(deadline),
		backoff.WithJitter(backoff.JitterNone))
	err := backoff.Retry(ctx, p, func(context.Context) error { return errBoom })
	giveUpError(t, err, backoff.ErrCancelled, 3)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want it to wrap the sleeper's error", err)
	}
	assertWaits(t, clock.Slept(), seconds(1, 2))
}
