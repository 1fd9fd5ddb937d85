package backoff_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

// mustPanic runs f and returns what it panicked with.
func mustPanic(t *testing.T, f func()) (value any) {
	t.Helper()
	defer func() { value = recover() }()
	f()
	t.Fatal("no panic")
	return nil
}

// stillWorks checks that a policy whose run panicked is usable and closes:
// the panicking run released its state and the policy's lock.
func stillWorks(t *testing.T, p *backoff.Policy) {
	t.Helper()
	if err := backoff.Retry(context.Background(), p, func(context.Context) error { return nil }); err != nil {
		t.Fatalf("Retry after a panic: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestPanicInTheOperation(t *testing.T) {
	p := newPolicy(t, backoff.WithConstant(0))
	calls := 0
	got := mustPanic(t, func() {
		backoff.Retry(context.Background(), p, func(context.Context) error {
			calls++
			if calls == 2 {
				panic("operation exploded")
			}
			return errBoom
		})
	})
	if got != "operation exploded" || calls != 2 {
		t.Fatalf("panic %v after %d calls", got, calls)
	}
	stillWorks(t, p)
}

func TestPanicInACallbackArrivesAsAGoPanic(t *testing.T) {
	clockCalls := 0
	armed := false // for callbacks that would panic in every retry
	for _, tc := range []struct {
		name string
		opt  backoff.Option
	}{
		{"on_try", backoff.WithOnTry(func(d backoff.Details) {
			if d.Tries == 2 {
				panic("callback exploded")
			}
		})},
		{"on_backoff", backoff.WithOnBackoff(func(backoff.Details) { panic("callback exploded") })},
		{"on_giveup", backoff.WithOnGiveUp(func(backoff.Details) { panic("callback exploded") })},
		{"logger", backoff.WithLogger(slog.New(panickingHandler{armed: &armed}))},
		{"wait", backoff.WithWaitFunc(func(backoff.Details) time.Duration { panic("callback exploded") })},
		{"jitter", backoff.WithJitterFunc(func(time.Duration, float64) time.Duration { panic("callback exploded") })},
		{"max tries", backoff.WithMaxTriesFunc(func() uint {
			if armed {
				panic("callback exploded")
			}
			return 0
		})},
		{"max time", backoff.WithMaxTimeFunc(func() time.Duration {
			if armed {
				panic("callback exploded")
			}
			return 0
		})},
		{"clock", backoff.WithClock(func() time.Duration {
			if clockCalls++; clockCalls > 1 {
				panic("callback exploded")
			}
			return 0
		})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clockCalls, armed = 0, true
			p := newPolicy(t, backoff.WithConstant(0), backoff.WithMaxTries(2), tc.opt)
			got := mustPanic(t, func() {
				backoff.Retry(context.Background(), p, func(context.Context) error { return errBoom })
			})
			if got != "callback exploded" {
				t.Fatalf("panic value %v", got)
			}
			clockCalls, armed = -1<<30, false // let stillWorks run
			stillWorks(t, p)
		})
	}
}

// A success hook: the retry had succeeded, but the panic still arrives.
func TestPanicInAnOnSuccessHook(t *testing.T) {
	armed := true
	p := newPolicy(t, backoff.WithOnSuccess(func(backoff.Details) {
		if armed {
			panic("on_success exploded")
		}
	}))
	calls := 0
	got := mustPanic(t, func() {
		backoff.Retry(context.Background(), p, func(context.Context) error { calls++; return nil })
	})
	if got != "on_success exploded" || calls != 1 {
		t.Fatalf("panic %v after %d calls", got, calls)
	}
	armed = false
	stillWorks(t, p)
}

// The sleeper is Go code called by the binding between two steps of the
// run: its panic must free the run's state all the same.
func TestPanicInTheSleeper(t *testing.T) {
	armed := true
	p := newPolicy(t, backoff.WithConstant(time.Second), backoff.WithSleeper(func(context.Context, time.Duration) error {
		if armed {
			panic("sleeper exploded")
		}
		return nil
	}))
	calls := 0
	got := mustPanic(t, func() {
		backoff.Retry(context.Background(), p, func(context.Context) error { calls++; return errBoom })
	})
	if got != "sleeper exploded" || calls != 1 {
		t.Fatalf("panic %v after %d calls", got, calls)
	}
	armed = false
	stillWorks(t, p)
}

// panickingHandler is a slog.Handler that panics on every record while
// *armed.
type panickingHandler struct{ armed *bool }

func (h panickingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h panickingHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h panickingHandler) WithGroup(string) slog.Handler            { return h }
func (h panickingHandler) Handle(context.Context, slog.Record) error {
	if *h.armed {
		panic("callback exploded")
	}
	return nil
}

func TestPanicInTheClassifier(t *testing.T) {
	p := newPolicy(t, backoff.WithClassifier(func(error) backoff.Verdict { panic("classifier exploded") }))
	got := mustPanic(t, func() {
		backoff.Retry(context.Background(), p, func(context.Context) error { return errBoom })
	})
	if got != "classifier exploded" {
		t.Fatalf("panic value %v", got)
	}
	stillWorks(t, p)
}
