package backoff_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

var errBoom = errors.New("boom")

// newPolicy creates a policy closed at the end of the test.
func newPolicy(t testing.TB, opts ...backoff.Option) *backoff.Policy {
	t.Helper()
	p, err := backoff.New(opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// failing returns an operation that fails n times, then succeeds; *calls
// counts the attempts.
func failing(n int, calls *int) func() error {
	return func() error {
		*calls++
		if *calls <= n {
			return errBoom
		}
		return nil
	}
}

func seconds(values ...float64) []time.Duration {
	out := make([]time.Duration, len(values))
	for i, v := range values {
		out[i] = time.Duration(v * float64(time.Second))
	}
	return out
}

func assertWaits(t *testing.T, got, want []time.Duration) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("waits = %v, want %v", got, want)
	}
}

// giveUpError asserts err is a *backoff.Error for reason after tries.
func giveUpError(t *testing.T, err, reason error, tries int) *backoff.Error {
	t.Helper()
	var e *backoff.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want *backoff.Error", err, err)
	}
	if !errors.Is(err, reason) {
		t.Fatalf("err = %v, want it to wrap %v", err, reason)
	}
	if e.Reason != reason || e.Details.Reason != reason {
		t.Fatalf("Reason = %v, Details.Reason = %v, want %v", e.Reason, e.Details.Reason, reason)
	}
	if e.Details.Tries != tries {
		t.Fatalf("tries = %d, want %d", e.Details.Tries, tries)
	}
	return e
}
