package backoff_test

import (
	"context"
	"errors"
	"testing"

	cenkalti "github.com/cenkalti/backoff/v5"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

// The same operations run through libbackoff and through
// github.com/cenkalti/backoff/v5, both with zero waits, so the figures
// compare the retry machinery alone.

var errTransient = errors.New("transient")

// failOnce fails every other call: one failure, then a success.
type failOnce struct{ calls int }

func (f *failOnce) op() (int, error) {
	f.calls++
	if f.calls%2 == 1 {
		return 0, errTransient
	}
	return f.calls, nil
}

func succeed() (int, error) { return 1, nil }

func BenchmarkFirstTrySuccess(b *testing.B) {
	ctx := context.Background()
	b.Run("libbackoff", func(b *testing.B) {
		p := newPolicy(b, backoff.WithConstant(0))
		for b.Loop() {
			if _, err := backoff.RetryValue(ctx, p, func(context.Context) (int, error) { return succeed() }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cenkalti", func(b *testing.B) {
		for b.Loop() {
			if _, err := cenkalti.Retry(ctx, succeed, cenkalti.WithBackOff(&cenkalti.ZeroBackOff{})); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkOneFailureThenSuccess(b *testing.B) {
	ctx := context.Background()
	b.Run("libbackoff", func(b *testing.B) {
		p := newPolicy(b, backoff.WithConstant(0))
		f := &failOnce{}
		for b.Loop() {
			if _, err := backoff.RetryValue(ctx, p, func(context.Context) (int, error) { return f.op() }); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cenkalti", func(b *testing.B) {
		f := &failOnce{}
		for b.Loop() {
			if _, err := cenkalti.Retry(ctx, f.op, cenkalti.WithBackOff(&cenkalti.ZeroBackOff{})); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// The cost of Go callbacks: a hook makes every run carry a cgo.Handle and
// the library call back into Go.
func BenchmarkFirstTrySuccessWithHook(b *testing.B) {
	ctx := context.Background()
	successes := 0
	p := newPolicy(b, backoff.WithConstant(0), backoff.WithOnSuccess(func(backoff.Details) { successes++ }))
	for b.Loop() {
		if _, err := backoff.RetryValue(ctx, p, func(context.Context) (int, error) { return succeed() }); err != nil {
			b.Fatal(err)
		}
	}
}
