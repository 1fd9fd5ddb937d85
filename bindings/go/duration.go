//go:build cgo

package backoff

import (
	"math"
	"time"
)

// Unlimited is Details.Remaining when the policy has no time limit. Waits too
// long for a time.Duration (an uncapped exponential wait after about 60
// attempts) are also given as Unlimited. Where a time is a limit or a cap
// (WithMaxTime, WithHintMax, the max of WithExpo, WithFibo and WithLinear)
// Unlimited means none, and RetryAfter(Unlimited, err) is a server saying
// "never": the retry gives up with ErrMaxTime at once.
const Unlimited = time.Duration(math.MaxInt64)

// seconds is the library's unit.
func seconds(d time.Duration) float64 { return d.Seconds() }

// limitSeconds is seconds for a limit, a cap or a hint, where the library
// reads +inf as "none" (or, for a hint, "never").
func limitSeconds(d time.Duration) float64 {
	if d == Unlimited {
		return math.Inf(1)
	}
	return seconds(d)
}

// duration converts the library's seconds, saturating instead of overflowing.
func duration(s float64) time.Duration {
	ns := math.Round(s * float64(time.Second))
	if ns >= float64(math.MaxInt64) {
		return Unlimited
	}
	return time.Duration(ns)
}
