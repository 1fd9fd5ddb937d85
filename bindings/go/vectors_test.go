//go:build cgo

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

// The shared test vectors (tests/vectors/*.tsv, written by an independent
// model of the documented semantics): a seeded policy must give the same
// waits and outcome from Go as from C, Rust and the command. Every attempt
// fails and takes 250 ms on a fake clock.
const attemptCost = 250 * time.Millisecond

type vector struct {
	line    int
	spec    string
	hints   []time.Duration // attempt i's hint; NoHint for none
	outcome string
	waits   []float64
}

// readVectors reads a vector file: spec, [hints,] outcome, waits.
func readVectors(t *testing.T, path string, withHints bool) []vector {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	columns := 3
	if withHints {
		columns = 4
	}
	var out []vector
	scanner := bufio.NewScanner(f)
	for line := 1; scanner.Scan(); line++ {
		text := scanner.Text()
		if strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) != columns {
			t.Fatalf("%s:%d: %d columns, want %d", path, line, len(fields), columns)
		}
		v := vector{line: line, spec: fields[0], outcome: fields[columns-2]}
		if withHints {
			for _, h := range strings.Split(fields[1], ",") {
				v.hints = append(v.hints, parseHint(t, h))
			}
		}
		for _, s := range strings.Split(fields[columns-1], ",") {
			if s == "" {
				continue
			}
			w, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("%s:%d: %v", path, line, err)
			}
			v.waits = append(v.waits, w)
		}
		out = append(out, v)
	}
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// parseHint reads a hint column entry: "-" none, "inf" never, else seconds.
func parseHint(t *testing.T, s string) time.Duration {
	switch s {
	case "-":
		return NoHint
	case "inf":
		return Unlimited
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("hint %q: %v", s, err)
	}
	return duration(v)
}

// check runs v's policy against an always failing operation whose attempts
// return their hints through RetryAfter.
func (v vector) check(t *testing.T) {
	var now time.Duration
	var got []time.Duration
	p, err := New(
		WithSpec(v.spec),
		WithClock(func() time.Duration { return now }),
		WithSleeper(func(_ context.Context, d time.Duration) error { now += d; return nil }),
		WithOnBackoff(func(d Details) { got = append(got, d.Wait) }),
	)
	if err != nil {
		t.Fatalf("line %d: %v", v.line, err)
	}
	defer p.Close()
	attempt := 0
	err = Retry(context.Background(), p, func(context.Context) error {
		now += attemptCost
		attempt++
		if attempt <= len(v.hints) && v.hints[attempt-1] != NoHint {
			return RetryAfter(v.hints[attempt-1], errors.New("down"))
		}
		return errors.New("down")
	})

	reasons := map[string]error{"tries": ErrMaxTries, "time": ErrMaxTime, "exhausted": ErrExhausted}
	if !errors.Is(err, reasons[v.outcome]) {
		t.Errorf("line %d: %s: got %v, want %s", v.line, v.spec, err, v.outcome)
	}
	if len(got) != len(v.waits) {
		t.Errorf("line %d: %s: %d waits %v, want %d %v", v.line, v.spec, len(got), got, len(v.waits), v.waits)
		return
	}
	for i, want := range v.waits {
		// Durations are whole nanoseconds: each earlier wait may have
		// lost up to 1 ns on the fake clock.
		if diff := math.Abs(got[i].Seconds() - want); diff > float64(i+2)*1e-9 {
			t.Errorf("line %d: %s: wait %d is %v, want %v", v.line, v.spec, i, got[i], want)
			return
		}
	}
}

func TestSharedVectors(t *testing.T) {
	vectors := readVectors(t, "../../tests/vectors/waits.tsv", false)
	for _, v := range vectors {
		v.check(t)
	}
	if len(vectors) < 300 {
		t.Fatalf("only %d vectors checked", len(vectors))
	}
}

// tests/vectors/hints.tsv through the RetryAfter path: each failure carries
// its server hint, and the library applies the one hint rule.
func TestSharedHintVectors(t *testing.T) {
	vectors := readVectors(t, "../../tests/vectors/hints.tsv", true)
	for _, v := range vectors {
		v.check(t)
	}
	if len(vectors) < 100 {
		t.Fatalf("only %d vectors checked", len(vectors))
	}
}

func TestWithSpecRejectsMalformedSpecs(t *testing.T) {
	_, err := New(WithSpec("expo(base=2) jitter=sometimes"))
	if err == nil || !strings.Contains(err.Error(), "at byte 20") {
		t.Fatalf("got %v, want a parse error at byte 20", err)
	}
}

// C strings end at the first NUL: a spec holding one must be refused, not
// read as its part before the NUL.
func TestWithSpecRefusesNUL(t *testing.T) {
	for _, spec := range []string{"tries=2\x00tries=3", "\x00expo(base=nan)", "tries=2\x00"} {
		p, err := New(WithSpec(spec))
		if p != nil || err == nil || err.Error() != "backoff: WithSpec: invalid argument" {
			t.Fatalf("WithSpec(%q) = %v, %v; want it refused", spec, p, err)
		}
	}
}

// The sentinel errors are written as Go values for go doc: each must carry
// the library's description of its status.
func TestSentinelsCarryTheLibrarysMessages(t *testing.T) {
	for err, msg := range sentinels() {
		if err.Error() != "backoff: "+msg {
			t.Errorf("%q, want %q", err, "backoff: "+msg)
		}
	}
}
