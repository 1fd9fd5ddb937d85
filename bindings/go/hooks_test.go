package backoff_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

// recorder logs hook calls as "name tries=… elapsed=… wait=… total=… err=… reason=…".
type recorder struct{ events []string }

func (r *recorder) hook(name string) func(backoff.Details) {
	return func(d backoff.Details) {
		r.events = append(r.events, fmt.Sprintf("%s tries=%d elapsed=%v wait=%v total=%v remaining=%v err=%v reason=%v",
			name, d.Tries, d.Elapsed, d.Wait, d.TotalWait, d.Remaining, d.Err, d.Reason))
	}
}

func (r *recorder) options() []backoff.Option {
	return []backoff.Option{
		backoff.WithOnTry(r.hook("try")), backoff.WithOnTry(r.hook("try2")),
		backoff.WithOnBackoff(r.hook("backoff")), backoff.WithOnSuccess(r.hook("success")),
		backoff.WithOnGiveUp(r.hook("giveup")),
	}
}

func TestHooksOrderAndDetailsOnSuccess(t *testing.T) {
	clock := &fakeClock{}
	rec := &recorder{}
	p := newPolicy(t, append(append(clock.Options(), rec.options()...),
		backoff.WithJitter(backoff.JitterNone), backoff.WithMaxTime(time.Minute))...)
	calls := 0
	err := backoff.Retry(context.Background(), p, func(context.Context) error {
		calls++
		clock.Advance(100 * time.Millisecond)
		if calls < 3 {
			return fmt.Errorf("e%d", calls)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"try tries=1 elapsed=0s wait=0s total=0s remaining=1m0s err=<nil> reason=<nil>",
		"try2 tries=1 elapsed=0s wait=0s total=0s remaining=1m0s err=<nil> reason=<nil>",
		"backoff tries=1 elapsed=100ms wait=1s total=1s remaining=59.9s err=e1 reason=<nil>",
		"try tries=2 elapsed=1.1s wait=1s total=1s remaining=58.9s err=e1 reason=<nil>",
		"try2 tries=2 elapsed=1.1s wait=1s total=1s remaining=58.9s err=e1 reason=<nil>",
		"backoff tries=2 elapsed=1.2s wait=2s total=3s remaining=58.8s err=e2 reason=<nil>",
		"try tries=3 elapsed=3.2s wait=2s total=3s remaining=56.8s err=e2 reason=<nil>",
		"try2 tries=3 elapsed=3.2s wait=2s total=3s remaining=56.8s err=e2 reason=<nil>",
		"success tries=3 elapsed=3.3s wait=2s total=3s remaining=56.7s err=<nil> reason=<nil>",
	}
	assertEvents(t, rec.events, want)
}

func TestHooksOnGiveUp(t *testing.T) {
	clock := &fakeClock{}
	rec := &recorder{}
	p := newPolicy(t, append(append(clock.Options(), rec.options()...),
		backoff.WithConstant(time.Second), backoff.WithJitter(backoff.JitterNone),
		backoff.WithMaxTries(2))...)
	err := backoff.Retry(context.Background(), p, func(context.Context) error { return errBoom })
	e := giveUpError(t, err, backoff.ErrMaxTries, 2)
	want := []string{
		"try tries=1 elapsed=0s wait=0s total=0s remaining=2562047h47m16.854775807s err=<nil> reason=<nil>",
		"try2 tries=1 elapsed=0s wait=0s total=0s remaining=2562047h47m16.854775807s err=<nil> reason=<nil>",
		"backoff tries=1 elapsed=0s wait=1s total=1s remaining=2562047h47m16.854775807s err=boom reason=<nil>",
		"try tries=2 elapsed=1s wait=1s total=1s remaining=2562047h47m16.854775807s err=boom reason=<nil>",
		"try2 tries=2 elapsed=1s wait=1s total=1s remaining=2562047h47m16.854775807s err=boom reason=<nil>",
		"giveup tries=2 elapsed=1s wait=1s total=1s remaining=2562047h47m16.854775807s err=boom reason=backoff: gave up: tries limit reached",
	}
	assertEvents(t, rec.events, want)
	if e.Details.Remaining != backoff.Unlimited || e.Details.TotalWait != time.Second || e.Details.Err != errBoom {
		t.Fatalf("final details %+v", e.Details)
	}
}

func TestNoHookAfterPassThrough(t *testing.T) {
	clock := &fakeClock{}
	rec := &recorder{}
	p := newPolicy(t, append(append(clock.Options(), rec.options()...), backoff.WithClassifier(func(error) backoff.Verdict {
		return backoff.VerdictPassThrough
	}))...)
	err := backoff.Retry(context.Background(), p, func(context.Context) error { return errBoom })
	if err != errBoom {
		t.Fatalf("err = %v, want boom itself", err)
	}
	assertEvents(t, rec.events, []string{
		"try tries=1 elapsed=0s wait=0s total=0s remaining=2562047h47m16.854775807s err=<nil> reason=<nil>",
		"try2 tries=1 elapsed=0s wait=0s total=0s remaining=2562047h47m16.854775807s err=<nil> reason=<nil>",
	})
}

func assertEvents(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// capture is a slog.Handler keeping "LEVEL message" lines.
type capture struct {
	mu    sync.Mutex
	lines []string
}

func (c *capture) Enabled(context.Context, slog.Level) bool { return true }
func (c *capture) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *capture) WithGroup(string) slog.Handler            { return c }
func (c *capture) Handle(_ context.Context, r slog.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	line := r.Level.String() + " " + r.Message
	r.Attrs(func(a slog.Attr) bool { line += " " + a.String(); return true })
	c.lines = append(c.lines, line)
	return nil
}

func TestLogger(t *testing.T) {
	for _, tc := range []struct {
		name   string
		levels []backoff.Option
		want   []string
	}{
		{"default levels", nil, []string{
			"INFO Backing off fetch(...) for 1.0s (rc=1) tries=1",
			"ERROR Giving up fetch(...) after 2 tries (rc=1: gave up: tries limit reached) tries=2",
		}},
		{"custom levels", []backoff.Option{backoff.WithLogLevels(slog.LevelDebug, slog.LevelWarn)}, []string{
			"DEBUG Backing off fetch(...) for 1.0s (rc=1) tries=1",
			"WARN Giving up fetch(...) after 2 tries (rc=1: gave up: tries limit reached) tries=2",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{}
			sink := &capture{}
			p := newPolicy(t, append(append(clock.Options(), tc.levels...),
				backoff.WithLogger(slog.New(sink)), backoff.WithLabel("fetch"),
				backoff.WithJitter(backoff.JitterNone), backoff.WithMaxTries(2))...)
			err := backoff.Retry(context.Background(), p, func(context.Context) error { return errBoom })
			giveUpError(t, err, backoff.ErrMaxTries, 2)
			assertEvents(t, sink.lines, tc.want)
		})
	}
}

func TestLoggerGetsTheRunsContext(t *testing.T) {
	type key struct{}
	var seen any
	handler := contextHandler{capture: &capture{}, seen: func(ctx context.Context) { seen = ctx.Value(key{}) }}
	p := newPolicy(t, backoff.WithConstant(0), backoff.WithMaxTries(1), backoff.WithLogger(slog.New(handler)))
	ctx := context.WithValue(context.Background(), key{}, "request 7")
	err := backoff.Retry(ctx, p, func(context.Context) error { return errBoom })
	if !errors.Is(err, backoff.ErrMaxTries) || seen != "request 7" {
		t.Fatalf("err %v, context value in the log handler %v", err, seen)
	}
}

type contextHandler struct {
	*capture
	seen func(context.Context)
}

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	h.seen(ctx)
	return h.capture.Handle(ctx, r)
}
