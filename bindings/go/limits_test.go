package backoff_test

import (
	"context"
	"errors"
	"testing"
	"time"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

func TestMaxTriesFuncIsEvaluatedOncePerRetry(t *testing.T) {
	evaluations := uint(0)
	p := newPolicy(t, backoff.WithConstant(0), backoff.WithMaxTriesFunc(func() uint {
		evaluations++
		return evaluations + 1 // 2 tries, then 3
	}))
	for _, want := range []int{2, 3} {
		err := backoff.Retry(context.Background(), p, func(context.Context) error { return errBoom })
		giveUpError(t, err, backoff.ErrMaxTries, want)
	}
	if evaluations != 2 {
		t.Fatalf("evaluated %d times for 2 retries", evaluations)
	}
}

func TestMaxTriesFuncSaturates(t *testing.T) {
	p := newPolicy(t, backoff.WithConstant(0), backoff.WithMaxTriesFunc(func() uint { return 1<<32 + 1 }))
	calls := 0
	op := failing(5, &calls)
	if err := backoff.Retry(context.Background(), p, func(context.Context) error { return op() }); err != nil {
		t.Fatalf("a limit above 2^32 must not wrap to 1: %v", err)
	}
}

func TestMaxTimeFunc(t *testing.T) {
	clock := &fakeClock{}
	limit := 5 * time.Second
	p := newPolicy(t, append(clock.Options(), backoff.WithConstant(2*time.Second),
		backoff.WithJitter(backoff.JitterNone),
		backoff.WithMaxTimeFunc(func() time.Duration { return limit }))...)
	err := backoff.Retry(context.Background(), p, func(context.Context) error { return errBoom })
	giveUpError(t, err, backoff.ErrMaxTime, 4)
	assertWaits(t, clock.Slept(), seconds(2, 2, 1))

	limit = -time.Second
	called := false
	err = backoff.Retry(context.Background(), p, func(context.Context) error { called = true; return nil })
	var e *backoff.Error
	if err == nil || errors.As(err, &e) || called || err.Error() != "backoff: retry: invalid argument" {
		t.Fatalf("negative limit: err %v, called %v; want the library's refusal before any attempt", err, called)
	}
}
