package backoff

import (
	"bufio"
	"context"
	"errors"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The shared test vectors (tests/vectors/waits.tsv, written by an
// independent model of the documented semantics): a seeded policy must give
// the same waits from Go as from C, Rust and the command.
func TestSharedVectors(t *testing.T) {
	f, err := os.Open("../../tests/vectors/waits.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	reasons := map[string]error{"tries": ErrMaxTries, "time": ErrMaxTime, "exhausted": ErrExhausted}
	const attemptCost = 250 * time.Millisecond

	checked := 0
	scanner := bufio.NewScanner(f)
	for line := 1; scanner.Scan(); line++ {
		text := scanner.Text()
		if strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) != 3 {
			t.Fatalf("line %d: malformed", line)
		}
		spec, outcome := fields[0], fields[1]
		var want []float64
		if fields[2] != "" {
			for _, s := range strings.Split(fields[2], ",") {
				w, err := strconv.ParseFloat(s, 64)
				if err != nil {
					t.Fatalf("line %d: %v", line, err)
				}
				want = append(want, w)
			}
		}

		var now time.Duration
		var got []time.Duration
		p, err := New(
			WithSpec(spec),
			WithClock(func() time.Duration { return now }),
			WithSleeper(func(_ context.Context, d time.Duration) error { now += d; return nil }),
			WithOnBackoff(func(d Details) { got = append(got, d.Wait) }),
		)
		if err != nil {
			t.Fatalf("line %d: %v", line, err)
		}
		err = Retry(context.Background(), p, func(context.Context) error {
			now += attemptCost
			return errors.New("down")
		})
		p.Close()

		if !errors.Is(err, reasons[outcome]) {
			t.Errorf("line %d: %s: got %v, want %s", line, spec, err, outcome)
		}
		if len(got) != len(want) {
			t.Errorf("line %d: %s: %d waits, want %d", line, spec, len(got), len(want))
			continue
		}
		for i := range want {
			// Durations are whole nanoseconds: each earlier wait may have
			// lost up to 1 ns on the fake clock.
			if diff := math.Abs(got[i].Seconds() - want[i]); diff > float64(i+2)*1e-9 {
				t.Errorf("line %d: %s: wait %d is %v, want %v", line, spec, i, got[i], want[i])
				break
			}
		}
		checked++
	}
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}
	if checked < 300 {
		t.Fatalf("only %d vectors checked", checked)
	}
}

func TestWithSpecRejectsMalformedSpecs(t *testing.T) {
	_, err := New(WithSpec("expo(base=2) jitter=sometimes"))
	if err == nil || !strings.Contains(err.Error(), "at byte 20") {
		t.Fatalf("got %v, want a parse error at byte 20", err)
	}
}
