package backoff_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

// hinted returns an operation that always fails, attempt i carrying
// hints[i-1] (NoHint: none; attempts past the list carry none), and takes
// cost on the clock.
func hinted(clock *fakeClock, cost time.Duration, calls *int, hints ...time.Duration) func(context.Context) error {
	return func(context.Context) error {
		*calls++
		clock.Advance(cost)
		if *calls <= len(hints) && hints[*calls-1] != backoff.NoHint {
			return backoff.RetryAfter(hints[*calls-1], errBoom)
		}
		return errBoom
	}
}

// hintRecorder keeps the Hint that OnBackoff and OnGiveUp see.
type hintRecorder struct{ backoffs, giveUps []time.Duration }

func (h *hintRecorder) options() []backoff.Option {
	return []backoff.Option{
		backoff.WithOnBackoff(func(d backoff.Details) { h.backoffs = append(h.backoffs, d.Hint) }),
		backoff.WithOnGiveUp(func(d backoff.Details) { h.giveUps = append(h.giveUps, d.Hint) }),
	}
}

// A hint replaces the generated wait for one backoff, unjittered, and the
// generator does not advance: the waits around the hints are the waits of
// the same seeded policy without any hint, in order.
func TestRetryAfterReplacesOneWaitAndTheGeneratorResumes(t *testing.T) {
	policy := func(clock *fakeClock, rec *hintRecorder) *backoff.Policy {
		return newPolicy(t, append(append(clock.Options(), rec.options()...),
			backoff.WithExpo(2, time.Second, 0), backoff.WithJitter(backoff.JitterFull),
			backoff.WithSeed(11), backoff.WithMaxTries(6))...)
	}
	plainClock, plainRec := &fakeClock{}, &hintRecorder{}
	calls := 0
	giveUpError(t, backoff.Retry(context.Background(), policy(plainClock, plainRec),
		hinted(plainClock, 0, &calls)), backoff.ErrMaxTries, 6)
	generated := plainClock.Slept()

	clock, rec := &fakeClock{}, &hintRecorder{}
	calls = 0
	hints := []time.Duration{7 * time.Second, backoff.NoHint, 0, backoff.NoHint, 3 * time.Second}
	e := giveUpError(t, backoff.Retry(context.Background(), policy(clock, rec),
		hinted(clock, 0, &calls, hints...)), backoff.ErrMaxTries, 6)
	assertWaits(t, clock.Slept(), []time.Duration{7 * time.Second, generated[0], 0, generated[1], 3 * time.Second})
	assertWaits(t, rec.backoffs, hints)
	assertWaits(t, plainRec.backoffs, []time.Duration{backoff.NoHint, backoff.NoHint, backoff.NoHint, backoff.NoHint, backoff.NoHint})
	// TotalWait is summed in seconds by the library: within a nanosecond
	// per rounded wait of the Go sum.
	total := 10*time.Second + generated[0] + generated[1]
	if diff := e.Details.TotalWait - total; e.Details.Hint != backoff.NoHint || diff < -2 || diff > 2 {
		t.Fatalf("final details: hint %v, total wait %v, want %v", e.Details.Hint, e.Details.TotalWait, total)
	}
}

// A hint beyond the time left gives up at once, without sleeping towards
// the deadline, and the give-up shows the server's hint.
func TestRetryAfterBeyondMaxTimeGivesUpAtOnce(t *testing.T) {
	clock, rec := &fakeClock{}, &hintRecorder{}
	p := newPolicy(t, append(append(clock.Options(), rec.options()...), backoff.WithMaxTime(5*time.Second))...)
	calls := 0
	err := backoff.Retry(context.Background(), p, hinted(clock, 0, &calls, time.Minute))
	e := giveUpError(t, err, backoff.ErrMaxTime, 1)
	assertWaits(t, clock.Slept(), nil)
	if calls != 1 || e.Details.Hint != time.Minute || e.Details.Elapsed != 0 || e.Details.Wait != 0 {
		t.Fatalf("calls %d, details %+v: want one call, hint 1m, nothing waited", calls, e.Details)
	}
	assertWaits(t, rec.giveUps, []time.Duration{time.Minute})
}

// The boundary: a hint equal to the time left is honoured, one nanosecond
// more is not.
func TestRetryAfterUpToTheTimeLeft(t *testing.T) {
	for _, tc := range []struct {
		hint  time.Duration
		tries int
		waits []time.Duration
	}{
		{9 * time.Second, 2, seconds(9)},
		{9*time.Second + time.Nanosecond, 1, nil},
	} {
		clock := &fakeClock{}
		p := newPolicy(t, append(clock.Options(), backoff.WithMaxTime(10*time.Second))...)
		calls := 0
		err := backoff.Retry(context.Background(), p, hinted(clock, time.Second, &calls, tc.hint, tc.hint))
		giveUpError(t, err, backoff.ErrMaxTime, tc.tries)
		assertWaits(t, clock.Slept(), tc.waits)
	}
}

func TestHintMax(t *testing.T) {
	for _, tc := range []struct {
		name    string
		hintMax time.Duration
		hint    time.Duration
		err     error
		waits   []time.Duration
	}{
		{"at the cap", 5 * time.Second, 5 * time.Second, nil, seconds(5)},
		{"beyond the cap", 5 * time.Second, 5*time.Second + time.Millisecond, backoff.ErrMaxTime, nil},
		{"0 is no cap", 0, 24 * time.Hour, nil, seconds(86400)},
		{"Unlimited is no cap", backoff.Unlimited, 24 * time.Hour, nil, seconds(86400)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{}
			p := newPolicy(t, append(clock.Options(), backoff.WithHintMax(tc.hintMax))...)
			calls := 0
			fail := hinted(clock, 0, &calls, tc.hint)
			err := backoff.Retry(context.Background(), p, func(ctx context.Context) error {
				if calls == 1 {
					return nil
				}
				return fail(ctx)
			})
			if tc.err == nil && err != nil {
				t.Fatalf("err %v, want success after the hinted wait", err)
			}
			if tc.err != nil {
				e := giveUpError(t, err, tc.err, 1)
				if e.Details.Hint != tc.hint {
					t.Fatalf("Details.Hint %v, want %v", e.Details.Hint, tc.hint)
				}
			}
			assertWaits(t, clock.Slept(), tc.waits)
		})
	}
}

// Unlimited is a server saying "never": the retry gives up on time at once,
// even without any limit.
func TestRetryAfterUnlimitedIsNever(t *testing.T) {
	clock := &fakeClock{}
	p := newPolicy(t, clock.Options()...)
	calls := 0
	e := giveUpError(t, backoff.Retry(context.Background(), p, hinted(clock, 0, &calls, backoff.Unlimited)),
		backoff.ErrMaxTime, 1)
	if e.Details.Hint != backoff.Unlimited || len(clock.Slept()) != 0 {
		t.Fatalf("hint %v, waits %v", e.Details.Hint, clock.Slept())
	}
}

func TestNegativeRetryAfterIsNoHint(t *testing.T) {
	clock, rec := &fakeClock{}, &hintRecorder{}
	p := newPolicy(t, append(append(clock.Options(), rec.options()...),
		backoff.WithConstant(2*time.Second), backoff.WithJitter(backoff.JitterNone), backoff.WithMaxTries(2))...)
	calls := 0
	giveUpError(t, backoff.Retry(context.Background(), p, hinted(clock, 0, &calls, -time.Second)), backoff.ErrMaxTries, 2)
	assertWaits(t, clock.Slept(), seconds(2))
	assertWaits(t, rec.backoffs, []time.Duration{backoff.NoHint})
	if backoff.RetryAfter(time.Second, nil) != nil {
		t.Fatal("RetryAfter(d, nil) must be nil")
	}
}

func TestPermanentWinsOverRetryAfter(t *testing.T) {
	clock := &fakeClock{}
	p := newPolicy(t, clock.Options()...)
	err := backoff.Retry(context.Background(), p, func(context.Context) error {
		return backoff.RetryAfter(time.Second, backoff.Permanent(errBoom))
	})
	e := giveUpError(t, err, backoff.ErrPermanent, 1)
	assertWaits(t, clock.Slept(), nil)
	if e.Details.Hint != backoff.NoHint {
		t.Fatalf("a fatal failure's hint is not used: Details.Hint %v", e.Details.Hint)
	}
}

// The library's log lines say when a wait is the server's, and what it
// asked for when that ended the retry.
func TestHintsInTheLog(t *testing.T) {
	clock := &fakeClock{}
	sink := &capture{}
	p := newPolicy(t, append(clock.Options(), backoff.WithLogger(slog.New(sink)), backoff.WithLabel("fetch"),
		backoff.WithJitter(backoff.JitterNone), backoff.WithMaxTime(time.Minute))...)
	calls := 0
	giveUpError(t, backoff.Retry(context.Background(), p,
		hinted(clock, 0, &calls, backoff.NoHint, 2*time.Second, 100*time.Second)), backoff.ErrMaxTime, 3)
	assertEvents(t, sink.lines, []string{
		"INFO Backing off fetch(...) for 1.0s (rc=1) tries=1",
		"INFO Backing off fetch(...) for 2.0s (rc=1, server hint) tries=2",
		"ERROR Giving up fetch(...) after 3 tries (rc=1: gave up: time limit reached; server asked for 100.0s) tries=3",
	})
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(1994, time.November, 6, 8, 49, 0, 0, time.UTC)
	for _, tc := range []struct {
		value string
		want  time.Duration
	}{
		{"120", 2 * time.Minute},
		{"0", 0},
		{" \t7\t ", 7 * time.Second},
		{"Sun, 06 Nov 1994 08:49:37 GMT", 37 * time.Second},
		{"Sunday, 06-Nov-94 08:49:37 GMT", 37 * time.Second}, // RFC 850
		{"Sun Nov  6 08:49:37 1994", 37 * time.Second},       // asctime
		{"Sun, 06 Nov 1994 08:48:00 GMT", 0},
		{"99999999999999999999999999", backoff.Unlimited},
	} {
		got, err := backoff.ParseRetryAfter(tc.value, now)
		if err != nil || got != tc.want {
			t.Fatalf("ParseRetryAfter(%q) = %v, %v; want %v", tc.value, got, err, tc.want)
		}
	}
	// Sub-second precision of now is kept: 36.5 s before the date.
	if got, err := backoff.ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now.Add(500*time.Millisecond)); err != nil || got != 36500*time.Millisecond {
		t.Fatalf("with a fractional now: %v, %v", got, err)
	}
	for _, bad := range []string{"", "soon", "-5", "12 s", "Sun, 06 Nov 1994", "12\x000", "\x00", "Sun, 06 Nov 1994 08:49:37 GMT\x00"} {
		_, err := backoff.ParseRetryAfter(bad, now)
		if err == nil || !strings.Contains(err.Error(), "malformed text") {
			t.Fatalf("ParseRetryAfter(%q): err = %v, want the library's parse error", bad, err)
		}
	}
}

// The hint rule lives in the library: RetryAfter on a policy whose tries are
// used up still gives up on tries, not on the hint.
func TestTriesLimitComesBeforeTheHint(t *testing.T) {
	clock := &fakeClock{}
	p := newPolicy(t, append(clock.Options(), backoff.WithMaxTries(1))...)
	calls := 0
	e := giveUpError(t, backoff.Retry(context.Background(), p, hinted(clock, 0, &calls, backoff.Unlimited)),
		backoff.ErrMaxTries, 1)
	if !errors.Is(e, errBoom) || e.Details.Hint != backoff.NoHint {
		t.Fatalf("err %v, hint %v: the hint must not be read once the tries are used up", e, e.Details.Hint)
	}
}
