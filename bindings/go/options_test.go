package backoff_test

import (
	"context"
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

func TestGoodEdgeValuesAreAccepted(t *testing.T) {
	for _, opt := range []backoff.Option{
		backoff.WithExpo(2, time.Second, 0), backoff.WithFibo(0), backoff.WithConstant(0),
		backoff.WithSequence(0), backoff.WithDecay(time.Second, 0, 0), backoff.WithLinear(0, 0, 0),
		backoff.WithProportionalJitter(0), backoff.WithProportionalJitter(1),
		backoff.WithMaxTries(0), backoff.WithMaxTries(math.MaxUint32), backoff.WithMaxTime(0),
		backoff.WithSeed(math.MaxUint64), backoff.WithLabel(""),
		backoff.WithLogLevels(slog.LevelDebug-4, slog.Level(1000)),
	} {
		p, err := backoff.New(opt)
		if err != nil {
			t.Fatal(err)
		}
		p.Close()
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
