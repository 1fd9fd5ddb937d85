package backoff_test

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

func TestEveryOptionRefusesBadInput(t *testing.T) {
	nan := math.NaN()
	hook := func(backoff.Details) {}
	for _, tc := range []struct {
		name string
		opt  backoff.Option
	}{
		{"WithExpo", backoff.WithExpo(0, time.Second, 0)},
		{"WithExpo", backoff.WithExpo(-2, time.Second, 0)},
		{"WithExpo", backoff.WithExpo(nan, time.Second, 0)},
		{"WithExpo", backoff.WithExpo(math.Inf(1), time.Second, 0)},
		{"WithExpo", backoff.WithExpo(2, 0, 0)},
		{"WithExpo", backoff.WithExpo(2, -time.Second, 0)},
		{"WithExpo", backoff.WithExpo(2, time.Second, -time.Second)},
		{"WithFibo", backoff.WithFibo(-time.Second)},
		{"WithConstant", backoff.WithConstant(-time.Nanosecond)},
		{"WithSequence", backoff.WithSequence()},
		{"WithSequence", backoff.WithSequence(time.Second, -time.Second)},
		{"WithDecay", backoff.WithDecay(0, 1, 0)},
		{"WithDecay", backoff.WithDecay(time.Second, -1, 0)},
		{"WithDecay", backoff.WithDecay(time.Second, nan, 0)},
		{"WithDecay", backoff.WithDecay(time.Second, 1, -time.Second)},
		{"WithLinear", backoff.WithLinear(-time.Second, time.Second, 0)},
		{"WithLinear", backoff.WithLinear(0, -time.Second, 0)},
		{"WithLinear", backoff.WithLinear(0, time.Second, -time.Second)},
		{"WithWaitFunc", backoff.WithWaitFunc(nil)},
		{"WithJitter", backoff.WithJitter(-1)},
		{"WithJitter", backoff.WithJitter(backoff.JitterProportional + 1)}, // custom: use WithJitterFunc
		{"WithProportionalJitter", backoff.WithProportionalJitter(-0.1)},
		{"WithProportionalJitter", backoff.WithProportionalJitter(1.5)},
		{"WithProportionalJitter", backoff.WithProportionalJitter(nan)},
		{"WithJitterFunc", backoff.WithJitterFunc(nil)},
		{"WithMaxTries", backoff.WithMaxTries(-1)},
		{"WithMaxTries", backoff.WithMaxTries(math.MaxUint32 + 1)},
		{"WithMaxTime", backoff.WithMaxTime(-time.Second)},
		{"WithMaxTriesFunc", backoff.WithMaxTriesFunc(nil)},
		{"WithMaxTimeFunc", backoff.WithMaxTimeFunc(nil)},
		{"WithLabel", backoff.WithLabel("fe\x00tch")},
		{"WithOnTry", backoff.WithOnTry(nil)},
		{"WithOnBackoff", backoff.WithOnBackoff(nil)},
		{"WithOnSuccess", backoff.WithOnSuccess(nil)},
		{"WithOnGiveUp", backoff.WithOnGiveUp(nil)},
		{"WithLogger", backoff.WithLogger(nil)},
		{"WithLogLevels", backoff.WithLogLevels(slog.LevelDebug-10, slog.LevelError)},
		{"WithLogLevels", backoff.WithLogLevels(slog.LevelInfo, slog.LevelDebug-10)},
		{"WithLogLevels", backoff.WithLogLevels(slog.LevelInfo, slog.Level(math.MaxInt64))},
		{"WithClock", backoff.WithClock(nil)},
		{"WithSleeper", backoff.WithSleeper(nil)},
		{"WithClassifier", backoff.WithClassifier(nil)},
		{"WithHintMax", backoff.WithHintMax(-time.Second)},
		{"WithBudget", backoff.WithBudget(nil)},
		{"WithSpec", backoff.WithSpec("tries=2\x00tries=3")},
		{"WithSpec", backoff.WithSpec("\x00expo(base=nan)")},
	} {
		// A good hook before the bad option: New must free it too.
		p, err := backoff.New(backoff.WithOnTry(hook), tc.opt)
		if p != nil || err == nil {
			t.Fatalf("%s: New accepted bad input", tc.name)
		}
		if want := "backoff: " + tc.name + ": invalid argument"; err.Error() != want {
			t.Fatalf("error %q, want %q", err, want)
		}
	}
}

// edgeRun is what one retry on a fake clock showed: the operation fails
// `fails` times, then succeeds.
type edgeRun struct {
	waits  []time.Duration
	tries  int
	err    error
	last   backoff.Details // in OnSuccess or OnGiveUp
	logs   []string
	levels []slog.Level
	again  []time.Duration // the same policy's waits in a second retry
}

func runEdge(t *testing.T, fails int, opts ...backoff.Option) edgeRun {
	t.Helper()
	var r edgeRun
	clock := &fakeClock{}
	sink := &levelCapture{}
	keep := func(d backoff.Details) { r.last = d }
	p := newPolicy(t, append(append(clock.Options(), backoff.WithLogger(slog.New(sink)),
		backoff.WithOnSuccess(keep), backoff.WithOnGiveUp(keep)), opts...)...)
	once := func() ([]time.Duration, int, error) {
		before := len(clock.Slept())
		calls := 0
		op := failing(fails, &calls)
		err := backoff.Retry(context.Background(), p, func(context.Context) error { return op() })
		return clock.Slept()[before:], calls, err
	}
	r.waits, r.tries, r.err = once()
	r.again, _, _ = once()
	r.logs, r.levels = sink.lines, sink.levels
	return r
}

// levelCapture keeps each log record's message and level.
type levelCapture struct {
	capture
	levels []slog.Level
}

func (c *levelCapture) Handle(ctx context.Context, r slog.Record) error {
	c.levels = append(c.levels, r.Level)
	c.lines = append(c.lines, r.Message)
	return nil
}

// Edge values are accepted, and each takes effect.
func TestGoodEdgeValuesAreAccepted(t *testing.T) {
	none := backoff.WithJitter(backoff.JitterNone)
	waitsAre := func(want ...time.Duration) func(*testing.T, edgeRun) {
		return func(t *testing.T, r edgeRun) {
			if r.err != nil {
				t.Fatal(r.err)
			}
			assertWaits(t, r.waits, want)
		}
	}
	succeedsAfter := func(tries int) func(*testing.T, edgeRun) {
		return func(t *testing.T, r edgeRun) {
			if r.err != nil || r.tries != tries {
				t.Fatalf("%d tries, %v; want success at try %d", r.tries, r.err, tries)
			}
		}
	}
	for _, tc := range []struct {
		name  string
		fails int
		opts  []backoff.Option
		check func(*testing.T, edgeRun)
	}{
		{"expo without cap", 4, []backoff.Option{backoff.WithExpo(2, time.Second, 0), none}, waitsAre(seconds(1, 2, 4, 8)...)},
		{"expo, Unlimited cap", 4, []backoff.Option{backoff.WithExpo(2, time.Second, backoff.Unlimited), none}, waitsAre(seconds(1, 2, 4, 8)...)},
		{"fibo without cap", 4, []backoff.Option{backoff.WithFibo(0), none}, waitsAre(seconds(1, 1, 2, 3)...)},
		{"constant 0", 3, []backoff.Option{backoff.WithConstant(0)}, waitsAre(0, 0, 0)},
		{"sequence of one 0", 3, []backoff.Option{backoff.WithSequence(0)}, func(t *testing.T, r edgeRun) {
			assertWaits(t, r.waits, []time.Duration{0})
			if !errors.Is(r.err, backoff.ErrExhausted) || r.tries != 2 {
				t.Fatalf("%d tries, %v; want exhausted after 2", r.tries, r.err)
			}
		}},
		{"decay without decay", 3, []backoff.Option{backoff.WithDecay(time.Second, 0, 0), none}, waitsAre(seconds(1, 1, 1)...)},
		{"linear all 0", 3, []backoff.Option{backoff.WithLinear(0, 0, 0), none}, waitsAre(0, 0, 0)},
		{"proportional 0", 3, []backoff.Option{backoff.WithConstant(2 * time.Second), backoff.WithProportionalJitter(0)},
			waitsAre(seconds(2, 2, 2)...)},
		{"proportional 1", 8, []backoff.Option{backoff.WithConstant(2 * time.Second), backoff.WithProportionalJitter(1), backoff.WithSeed(3)},
			func(t *testing.T, r edgeRun) {
				spread := false
				for _, w := range r.waits {
					if w < 0 || w > 4*time.Second {
						t.Fatalf("wait %v outside [0, 4s]", w)
					}
					spread = spread || w < time.Second || w > 3*time.Second
				}
				if !spread {
					t.Fatalf("waits %v never left [1s, 3s]: the spread is not 1", r.waits)
				}
			}},
		{"max tries 0 is unlimited", 50, []backoff.Option{backoff.WithConstant(0), backoff.WithMaxTries(0)}, succeedsAfter(51)},
		{"max tries 2^32-1", 50, []backoff.Option{backoff.WithConstant(0), backoff.WithMaxTries(math.MaxUint32)}, succeedsAfter(51)},
		{"max time 0 is unlimited", 3, []backoff.Option{backoff.WithConstant(time.Hour), none, backoff.WithMaxTime(0)},
			func(t *testing.T, r edgeRun) {
				succeedsAfter(4)(t, r)
				if r.last.Remaining != backoff.Unlimited || r.last.Elapsed != 3*time.Hour {
					t.Fatalf("remaining %v elapsed %v", r.last.Remaining, r.last.Elapsed)
				}
			}},
		{"max time Unlimited", 3, []backoff.Option{backoff.WithConstant(time.Hour), backoff.WithMaxTime(backoff.Unlimited)},
			func(t *testing.T, r edgeRun) {
				succeedsAfter(4)(t, r)
				if r.last.Remaining != backoff.Unlimited {
					t.Fatalf("remaining %v", r.last.Remaining)
				}
			}},
		{"seed 2^64-1", 5, []backoff.Option{backoff.WithConstant(time.Second), backoff.WithSeed(math.MaxUint64)},
			func(t *testing.T, r edgeRun) {
				assertWaits(t, r.again, r.waits)
				if slicesEqual(r.waits, seconds(1, 1, 1, 1, 1)) {
					t.Fatalf("waits %v: no jitter drawn", r.waits)
				}
			}},
		{"empty label", 1, []backoff.Option{backoff.WithLabel(""), backoff.WithConstant(0)},
			func(t *testing.T, r edgeRun) {
				if r.last.Label != "" || len(r.logs) == 0 || r.logs[0] != "Backing off (...) for 0.0s (rc=1)" {
					t.Fatalf("label %q, logs %q", r.last.Label, r.logs)
				}
			}},
		{"extreme log levels", 1, []backoff.Option{backoff.WithConstant(0), backoff.WithMaxTries(1),
			backoff.WithLogLevels(slog.LevelDebug-4, slog.Level(1000))},
			func(t *testing.T, r edgeRun) {
				if len(r.levels) != 2 || r.levels[0] != slog.Level(1000) || r.levels[1] != slog.Level(1000) {
					t.Fatalf("levels %v, want two give-ups at 1000", r.levels)
				}
				r2 := runEdge(t, 1, backoff.WithConstant(0), backoff.WithLogLevels(slog.LevelDebug-4, slog.Level(1000)))
				if len(r2.levels) == 0 || r2.levels[0] != slog.LevelDebug-4 {
					t.Fatalf("backoff levels %v, want Debug-4 first", r2.levels)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, runEdge(t, tc.fails, tc.opts...)) })
	}
}

// Options apply in order, so a later wait replaces an earlier one.
func TestLaterOptionsReplaceEarlierOnes(t *testing.T) {
	clock := &fakeClock{}
	p := newPolicy(t, append(clock.Options(), backoff.WithConstant(5*time.Second),
		backoff.WithFibo(0), backoff.WithJitter(backoff.JitterFull), backoff.WithJitter(backoff.JitterNone),
		backoff.WithMaxTries(9), backoff.WithMaxTries(3))...)
	err := backoff.Retry(context.Background(), p, func(context.Context) error { return errBoom })
	if err == nil || !strings.Contains(err.Error(), "after 3 tries") {
		t.Fatalf("err = %v", err)
	}
	assertWaits(t, clock.Slept(), seconds(1, 1))
}
