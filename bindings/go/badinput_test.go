//go:build cgo

package backoff

import (
	"bufio"
	"log/slog"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// The Go column of the bad-input table (tests/bad_input/cases.tsv): each
// row's option must make New (or NewBudget, ParseRetryAfter) fail with the
// error text the table gives.

// badInputArg is a literal of a call: a number, a string or a list.
type badInputArg struct {
	number float64
	text   string
	list   []float64
}

func isWord(c byte) bool {
	return c == '_' || c == ':' || unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))
}

// readNumber reads a number (or nan, inf) at s[at:]; returns its end.
func readNumber(s string, at int) (float64, int, bool) {
	p := at
	if p < len(s) && s[p] == '-' {
		p++
	}
	for word, value := range map[string]float64{"nan": math.NaN(), "inf": math.Inf(1)} {
		if strings.HasPrefix(s[p:], word) && (p+3 == len(s) || !isWord(s[p+3])) {
			if p > at {
				value = -value
			}
			return value, p + 3, true
		}
	}
	end := p
	for end < len(s) && strings.IndexByte("0123456789.e", s[end]) >= 0 {
		end++
	}
	if end == p {
		return 0, at, false
	}
	v, err := strconv.ParseFloat(s[at:end], 64)
	return v, end, err == nil
}

// parseBadInputCall reads a call as its shape (each literal replaced by
// "_") and its literals, as tests/bad_input/call.c reads the C column.
func parseBadInputCall(t *testing.T, s string) (string, []badInputArg) {
	var shape strings.Builder
	var args []badInputArg
	for at := 0; at < len(s); {
		var arg badInputArg
		switch {
		case s[at] == '"':
			var text strings.Builder
			for at++; s[at] != '"'; at++ {
				c := s[at]
				if c == '\\' {
					at++
					if c = s[at]; c == '0' {
						c = 0
					}
				}
				text.WriteByte(c)
			}
			at++
			arg.text = text.String()
		case s[at] == '[':
			arg.list = []float64{}
			for at++; s[at] != ']'; {
				if s[at] == ' ' || s[at] == ',' {
					at++
					continue
				}
				v, end, ok := readNumber(s, at)
				if !ok {
					t.Fatalf("a bad list in %q", s)
				}
				arg.list, at = append(arg.list, v), end
			}
			at++
		default:
			v, end, ok := 0.0, at, false
			if at == 0 || !isWord(s[at-1]) {
				v, end, ok = readNumber(s, at)
			}
			if !ok {
				shape.WriteByte(s[at])
				at++
				continue
			}
			arg.number, at = v, end
		}
		shape.WriteByte('_')
		args = append(args, arg)
	}
	return shape.String(), args
}

func secs(v float64) time.Duration { return time.Duration(v * float64(time.Second)) }

func durations(vs ...float64) []time.Duration {
	out := make([]time.Duration, len(vs))
	for i, v := range vs {
		out[i] = secs(v)
	}
	return out
}

// withOption is New with one option; its error.
func withOption(opt Option) error {
	p, err := New(opt)
	if err == nil {
		p.Close()
	}
	return err
}

// badInputCalls maps each shape of the Go column to the real call.
var badInputCalls = map[string]func(a []badInputArg) error{
	"WithExpo(_, _, _)": func(a []badInputArg) error {
		return withOption(WithExpo(a[0].number, secs(a[1].number), secs(a[2].number)))
	},
	"WithConstant(Unlimited)": func([]badInputArg) error { return withOption(WithConstant(Unlimited)) },
	"WithDecay(_, _, _)": func(a []badInputArg) error {
		return withOption(WithDecay(secs(a[0].number), a[1].number, secs(a[2].number)))
	},
	"WithLinear(_, _, _)": func(a []badInputArg) error {
		return withOption(WithLinear(secs(a[0].number), secs(a[1].number), secs(a[2].number)))
	},
	"WithSequence()": func([]badInputArg) error { return withOption(WithSequence()) },
	"WithSequence(_, _)": func(a []badInputArg) error {
		return withOption(WithSequence(durations(a[0].number, a[1].number)...))
	},
	"WithProportionalJitter(_)": func(a []badInputArg) error { return withOption(WithProportionalJitter(a[0].number)) },
	"WithJitter(_)":             func(a []badInputArg) error { return withOption(WithJitter(Jitter(a[0].number))) },
	"WithMaxTries(_)":           func(a []badInputArg) error { return withOption(WithMaxTries(int(a[0].number))) },
	"WithMaxTime(_)":            func(a []badInputArg) error { return withOption(WithMaxTime(secs(a[0].number))) },
	"WithHintMax(_)":            func(a []badInputArg) error { return withOption(WithHintMax(secs(a[0].number))) },
	"WithLogLevels(_, _)": func(a []badInputArg) error {
		return withOption(WithLogLevels(slog.Level(a[0].number), slog.Level(a[1].number)))
	},
	"NewBudget(_, _, _)": func(a []badInputArg) error {
		b, err := NewBudget(a[0].number, a[1].number, secs(a[2].number))
		if err == nil {
			b.Close()
		}
		return err
	},
	"WithSpec(_)":  func(a []badInputArg) error { return withOption(WithSpec(a[0].text)) },
	"WithLabel(_)": func(a []badInputArg) error { return withOption(WithLabel(a[0].text)) },
	"ParseRetryAfter(_, now)": func(a []badInputArg) error {
		_, err := ParseRetryAfter(a[0].text, time.Now())
		return err
	},
}

func TestBadInputTable(t *testing.T) {
	f, err := os.Open("../../tests/bad_input/cases.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	lines.Scan()
	header := strings.Split(lines.Text(), "\t")
	column := map[string]int{}
	for i, name := range header {
		column[name] = i
	}
	checked := 0
	for lines.Scan() {
		row := strings.Split(lines.Text(), "\t")
		if len(row) != len(header) {
			t.Fatalf("a row without %d fields: %q", len(header), row)
		}
		id, text, want := row[column["id"]], row[column["go"]], row[column["go_error"]]
		if text == "–" {
			continue
		}
		shape, args := parseBadInputCall(t, text)
		call, ok := badInputCalls[shape]
		if !ok {
			t.Errorf("cases.tsv %s: no Go call of the shape %q", id, shape)
			continue
		}
		got := "ok"
		if err := call(args); err != nil {
			got = "error: " + err.Error()
		}
		if got != want {
			t.Errorf("cases.tsv %s, %s: the table says %q, got %q", id, text, want, got)
		}
		checked++
	}
	if err := lines.Err(); err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("no Go call in the table")
	}
}
