package backoff_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

// trackedHook returns a hook and a channel closed once the hook has been
// garbage collected — which happens only after the library released the
// cgo.Handle holding it.
func trackedHook() (func(backoff.Details), chan struct{}) {
	captured := new(int)
	released := make(chan struct{})
	runtime.AddCleanup(captured, func(ch chan struct{}) { close(ch) }, released)
	return func(backoff.Details) { *captured++ }, released
}

// collected runs the garbage collector until ch is closed (or gives up
// after many rounds).
func collected(ch chan struct{}) bool {
	for range 200 {
		runtime.GC()
		select {
		case <-ch:
			return true
		case <-time.After(time.Millisecond):
		}
	}
	return false
}

func TestCloseReleasesGoCallbacks(t *testing.T) {
	hook, released := trackedHook()
	p, err := backoff.New(backoff.WithOnTry(hook))
	if err != nil {
		t.Fatal(err)
	}
	hook = nil
	if err := backoff.Retry(context.Background(), p, func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(p)
	p.Close()
	if !collected(released) {
		t.Fatal("the hook was not released by Close")
	}
}

func TestAnUnclosedPolicyIsFreedByItsCleanup(t *testing.T) {
	hook, released := trackedHook()
	func() {
		p, err := backoff.New(backoff.WithOnTry(hook))
		if err != nil {
			t.Fatal(err)
		}
		backoff.Retry(context.Background(), p, func(context.Context) error { return nil })
	}()
	hook = nil
	if !collected(released) {
		t.Fatal("the dropped policy did not release its hook")
	}
}

func TestAFailedNewReleasesTheCallbacksItRegistered(t *testing.T) {
	hook, released := trackedHook()
	if _, err := backoff.New(backoff.WithOnTry(hook), backoff.WithMaxTries(-1)); err == nil {
		t.Fatal("New accepted WithMaxTries(-1)")
	}
	hook = nil
	if !collected(released) {
		t.Fatal("the hook of a failed New was not released")
	}
}

// A hook may run a retry of its own: the inner run's callbacks must not be
// mistaken for the outer's, nor the outer's lost afterwards.
func TestNestedRetryInAHook(t *testing.T) {
	errOuter, errInner := errors.New("outer"), errors.New("inner")
	var innerSeen, outerSeen []error
	inner := newPolicy(t, backoff.WithConstant(0), backoff.WithMaxTries(2),
		backoff.WithOnBackoff(func(d backoff.Details) { innerSeen = append(innerSeen, d.Err) }))
	outer := newPolicy(t, backoff.WithConstant(0), backoff.WithMaxTries(3),
		backoff.WithOnBackoff(func(d backoff.Details) {
			err := backoff.Retry(context.Background(), inner, func(context.Context) error { return errInner })
			if !errors.Is(err, backoff.ErrMaxTries) {
				t.Errorf("inner retry: %v", err)
			}
		}),
		backoff.WithOnBackoff(func(d backoff.Details) { outerSeen = append(outerSeen, d.Err) }))
	err := backoff.Retry(context.Background(), outer, func(context.Context) error { return errOuter })
	giveUpError(t, err, backoff.ErrMaxTries, 3)
	if len(outerSeen) != 2 || outerSeen[0] != errOuter || outerSeen[1] != errOuter {
		t.Fatalf("outer hooks saw %v", outerSeen)
	}
	if len(innerSeen) != 2 || innerSeen[0] != errInner || innerSeen[1] != errInner {
		t.Fatalf("inner hooks saw %v", innerSeen)
	}
}

// Close during a retry: later retries are refused at once, the running one
// finishes on the still valid policy, which is freed when it ends.
func TestCloseDuringARetry(t *testing.T) {
	hook, released := trackedHook()
	sleeping, wake := make(chan struct{}), make(chan struct{})
	p, err := backoff.New(backoff.WithOnTry(hook), backoff.WithConstant(time.Second),
		backoff.WithSleeper(func(ctx context.Context, d time.Duration) error {
			close(sleeping)
			<-wake
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	hook = nil
	done := make(chan error)
	go func() {
		calls := 0
		done <- backoff.Retry(context.Background(), p, func(context.Context) error {
			if calls++; calls == 1 {
				return errBoom
			}
			return nil
		})
	}()
	<-sleeping
	p.Close()
	if err := backoff.Retry(context.Background(), p, func(context.Context) error { return nil }); !errors.Is(err, backoff.ErrClosed) {
		t.Fatalf("Retry after Close: %v, want ErrClosed", err)
	}
	close(wake)
	if err := <-done; err != nil {
		t.Fatalf("the running retry: %v", err)
	}
	if !collected(released) {
		t.Fatal("the policy was not freed when its last retry ended")
	}
}

func TestCloseFromAHook(t *testing.T) {
	var p *backoff.Policy
	p = newPolicy(t, backoff.WithConstant(0), backoff.WithOnBackoff(func(backoff.Details) { p.Close() }))
	calls := 0
	op := failing(2, &calls)
	if err := backoff.Retry(context.Background(), p, func(context.Context) error { return op() }); err != nil {
		t.Fatalf("the retry that closed its policy: %v", err)
	}
	if calls != 3 {
		t.Fatalf("calls = %d, want 3", calls)
	}
	if err := backoff.Retry(context.Background(), p, func(context.Context) error { return nil }); !errors.Is(err, backoff.ErrClosed) {
		t.Fatalf("Retry after Close: %v, want ErrClosed", err)
	}
}
