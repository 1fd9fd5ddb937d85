// Overhead of a Go retry around an operation that does nothing: libbackoff's
// Go binding next to github.com/cenkalti/backoff/v5 and
// github.com/avast/retry-go/v4, in one process, on the same operations.
//
// Run by bench/run; by hand: PKG_CONFIG_PATH and LD_LIBRARY_PATH pointing
// at a libbackoff build, then `go run .` in this directory.
//
// Output (bench/run parses it): lines starting with '#' are comments; every
// other line is "case<TAB>variant<TAB>statistic<TAB>value".
//   - case: success (the first attempt succeeds) or retry0 (one failure,
//     then success after a zero wait).
//   - variant: direct (success only), libbackoff, cenkalti, retry-go; or a
//     comparison "A/B" (paired_median_ratio: the median over rounds of A/B)
//     or "A-B" (paired_median_ns).
//   - median_ns: the median over rounds of the process CPU time per call, in
//     nanoseconds. CPU time, not wall time: on a shared machine wall time
//     also counts the time other processes held the CPU; process time also
//     counts the garbage collector's threads, which allocation costs.
//
// Each round runs every variant of a case in turn (rotated), so paired
// figures compare measurements taken under the same conditions.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"syscall"
	"time"
	"unsafe"

	retrygo "github.com/avast/retry-go/v4"
	cenkalti "github.com/cenkalti/backoff/v5"

	backoff "github.com/libbackoff/libbackoff/bindings/go"
)

var errTransient = errors.New("transient")

var sink int

//go:noinline
func succeed() (int, error) {
	sink++
	return 1, nil
}

// flaky fails every other call: each run fails once, then succeeds.
type flaky struct{ calls int }

func (f *flaky) op() (int, error) {
	f.calls++
	if f.calls%2 == 1 {
		return 0, errTransient
	}
	return f.calls, nil
}

// processCPU is the CPU time of the whole process (all its threads).
func processCPU() time.Duration {
	var ts syscall.Timespec
	const clockProcessCPUTimeID = 2
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTimeID,
		uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		panic(errno)
	}
	return time.Duration(ts.Nano())
}

type variant struct {
	name string
	call func()
}

func roundNs(call func(), calls int) float64 {
	start := processCPU()
	for i := 0; i < calls; i++ {
		call()
	}
	return float64(processCPU()-start) / float64(calls)
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func runCase(name string, variants []variant, rounds, calls int, pairs [][2]string) {
	times := make([][]float64, len(variants))
	for _, v := range variants {
		roundNs(v.call, calls/10) // warm up
	}
	for r := 0; r < rounds; r++ {
		for i := range variants {
			k := (i + r) % len(variants)
			times[k] = append(times[k], roundNs(variants[k].call, calls))
		}
	}
	index := map[string]int{}
	for i, v := range variants {
		index[v.name] = i
		fmt.Printf("%s\t%s\tmedian_ns\t%.2f\n", name, v.name, median(times[i]))
	}
	for _, p := range pairs {
		a, b := times[index[p[0]]], times[index[p[1]]]
		diff := make([]float64, rounds)
		ratio := make([]float64, rounds)
		for r := range diff {
			diff[r] = a[r] - b[r]
			ratio[r] = a[r] / b[r]
		}
		fmt.Printf("%s\t%s-%s\tpaired_median_ns\t%.2f\n", name, p[0], p[1], median(diff))
		fmt.Printf("%s\t%s/%s\tpaired_median_ratio\t%.3f\n", name, p[0], p[1], median(ratio))
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	return v
}

func main() {
	rounds := flag.Int("rounds", 21, "interleaved rounds per case")
	calls := flag.Int("calls", 100000, "calls per variant per round")
	flag.Parse()

	ctx := context.Background()
	defaults := must(backoff.New())
	zero := must(backoff.New(backoff.WithConstant(0), backoff.WithJitter(backoff.JitterNone)))
	defer defaults.Close()
	defer zero.Close()
	op := func(context.Context) (int, error) { return succeed() }
	fail := func(err error) {
		if err != nil {
			panic(err)
		}
	}

	fmt.Printf("# libbackoff Go bench: CPU ns per call, %d interleaved rounds of %d calls\n", *rounds, *calls)
	fmt.Printf("# case\tvariant\tstatistic\tvalue\n")
	pairs := [][2]string{{"libbackoff", "cenkalti"}, {"libbackoff", "retry-go"}}

	// A user's first call of each: the library's defaults.
	runCase("success", []variant{
		{"direct", func() { _, err := succeed(); fail(err) }},
		{"libbackoff", func() { _, err := backoff.RetryValue(ctx, defaults, op); fail(err) }},
		{"cenkalti", func() { _, err := cenkalti.Retry(ctx, succeed); fail(err) }},
		{"retry-go", func() { _, err := retrygo.DoWithData(succeed, retrygo.Context(ctx)); fail(err) }},
	}, *rounds, *calls, pairs)

	// Zero waits, so that the figures compare the retry machinery alone.
	var a, b, c flaky
	runCase("retry0", []variant{
		{"libbackoff", func() {
			_, err := backoff.RetryValue(ctx, zero, func(context.Context) (int, error) { return a.op() })
			fail(err)
		}},
		{"cenkalti", func() {
			_, err := cenkalti.Retry(ctx, b.op, cenkalti.WithBackOff(&cenkalti.ZeroBackOff{}))
			fail(err)
		}},
		{"retry-go", func() {
			_, err := retrygo.DoWithData(c.op, retrygo.Context(ctx), retrygo.Delay(0),
				retrygo.DelayType(retrygo.FixedDelay))
			fail(err)
		}},
	}, *rounds, *calls/4, pairs)
}
