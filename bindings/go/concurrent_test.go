package backoff_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

// 10,000 goroutines retry at once on one policy (under the race detector at
// most maxLiveGoroutines of them live at a time); goroutine i fails i%4
// times, so the policy's 3 tries let i%4 == 3 give up and the rest succeed.
func TestTenThousandGoroutinesShareOnePolicy(t *testing.T) {
	const n = 10000
	var successes, giveUps atomic.Int64
	p := newPolicy(t, backoff.WithConstant(0), backoff.WithMaxTries(3),
		backoff.WithOnSuccess(func(backoff.Details) { successes.Add(1) }),
		backoff.WithOnGiveUp(func(backoff.Details) { giveUps.Add(1) }))

	type result struct {
		value, calls int
		err          error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	live := make(chan struct{}, min(n, maxLiveGoroutines))
	for i := range n {
		live <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-live }()
			r := &results[i]
			r.value, r.err = backoff.RetryValue(context.Background(), p, func(context.Context) (int, error) {
				r.calls++
				if r.calls <= i%4 {
					return -1, errBoom
				}
				return i, nil
			})
		}()
	}
	wg.Wait()

	for i, r := range results {
		if i%4 == 3 {
			if !errors.Is(r.err, backoff.ErrMaxTries) || r.calls != 3 || r.value != 0 {
				t.Fatalf("goroutine %d: value %d, calls %d, err %v; want a give-up after 3", i, r.value, r.calls, r.err)
			}
			continue
		}
		if r.err != nil || r.value != i || r.calls != i%4+1 {
			t.Fatalf("goroutine %d: value %d, calls %d, err %v", i, r.value, r.calls, r.err)
		}
	}
	if successes.Load() != n*3/4 || giveUps.Load() != n/4 {
		t.Fatalf("hooks: %d successes, %d give-ups", successes.Load(), giveUps.Load())
	}
}
