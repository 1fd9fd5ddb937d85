package backoff_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

// Retry an operation that fails twice. The sleeper prints the waits instead
// of sleeping, and no jitter makes them exact: 100ms, 200ms (expo).
func Example() {
	p, err := backoff.New(
		backoff.WithExpo(2, 100*time.Millisecond, 5*time.Second),
		backoff.WithJitter(backoff.JitterNone),
		backoff.WithMaxTries(5),
		backoff.WithSleeper(func(ctx context.Context, d time.Duration) error {
			fmt.Println("waiting", d)
			return nil
		}),
	)
	if err != nil {
		panic(err)
	}
	defer p.Close()

	attempts := 0
	err = backoff.Retry(context.Background(), p, func(ctx context.Context) error {
		attempts++
		if attempts < 3 {
			return errors.New("connection refused")
		}
		return nil
	})
	fmt.Println("attempts:", attempts, "error:", err)
	// Output:
	// waiting 100ms
	// waiting 200ms
	// attempts: 3 error: <nil>
}

func ExampleRetryValue() {
	p, _ := backoff.New(backoff.WithConstant(0), backoff.WithMaxTries(3))
	defer p.Close()

	calls := 0
	n, err := backoff.RetryValue(context.Background(), p, func(ctx context.Context) (int, error) {
		calls++
		if calls == 1 {
			return 0, errors.New("not yet")
		}
		return 42, nil
	})
	fmt.Println(n, err)
	// Output: 42 <nil>
}

// The give-up error says why, and unwraps to the last attempt's error.
func ExampleWithMaxTries() {
	p, _ := backoff.New(backoff.WithConstant(0), backoff.WithMaxTries(3))
	defer p.Close()

	errRefused := errors.New("connection refused")
	err := backoff.Retry(context.Background(), p, func(ctx context.Context) error {
		return errRefused
	})
	fmt.Println(err)
	fmt.Println(errors.Is(err, backoff.ErrMaxTries), errors.Is(err, errRefused))
	// Output:
	// backoff: gave up: tries limit reached after 3 tries: connection refused
	// true true
}

func ExamplePermanent() {
	p, _ := backoff.New(backoff.WithConstant(0))
	defer p.Close()

	err := backoff.Retry(context.Background(), p, func(ctx context.Context) error {
		return backoff.Permanent(errors.New("401 unauthorized"))
	})
	fmt.Println(err)
	fmt.Println(errors.Is(err, backoff.ErrPermanent))
	// Output:
	// backoff: gave up: fatal error after 1 try: 401 unauthorized
	// true
}

// A server's Retry-After replaces the policy's next wait.
func ExampleRetryAfter() {
	p, _ := backoff.New(
		backoff.WithJitter(backoff.JitterNone),
		backoff.WithSleeper(func(ctx context.Context, d time.Duration) error {
			fmt.Println("waiting", d)
			return nil
		}),
	)
	defer p.Close()

	calls := 0
	err := backoff.Retry(context.Background(), p, func(ctx context.Context) error {
		calls++
		if calls == 1 {
			return backoff.RetryAfter(30*time.Second, errors.New("503 service unavailable"))
		}
		return nil
	})
	fmt.Println(err)
	// Output:
	// waiting 30s
	// <nil>
}

// Hooks see the run's details; WithClassifier decides what is retried.
func ExampleWithClassifier() {
	errNotFound := errors.New("404 not found")
	p, _ := backoff.New(
		backoff.WithConstant(0),
		backoff.WithClassifier(func(err error) backoff.Verdict {
			if errors.Is(err, errNotFound) {
				return backoff.VerdictGiveUp
			}
			return backoff.VerdictRetry
		}),
		backoff.WithOnBackoff(func(d backoff.Details) {
			fmt.Printf("try %d failed (%v), retrying\n", d.Tries, d.Err)
		}),
		backoff.WithOnGiveUp(func(d backoff.Details) {
			fmt.Printf("giving up after try %d: %v\n", d.Tries, d.Reason)
		}),
	)
	defer p.Close()

	calls := 0
	err := backoff.Retry(context.Background(), p, func(ctx context.Context) error {
		calls++
		if calls == 1 {
			return errors.New("timeout")
		}
		return errNotFound
	})
	fmt.Println(errors.Is(err, errNotFound))
	// Output:
	// try 1 failed (timeout), retrying
	// giving up after try 2: backoff: gave up: fatal error
	// true
}
