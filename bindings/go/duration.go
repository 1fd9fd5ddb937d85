package backoff

import (
	"math"
	"time"
)

// Unlimited is Details.Remaining when the policy has no time limit. Waits too
// long for a time.Duration (an uncapped exponential wait after about 60
// attempts) are also given as Unlimited.
const Unlimited = time.Duration(math.MaxInt64)

// seconds is the library's unit.
func seconds(d time.Duration) float64 { return d.Seconds() }

// duration converts the library's seconds, saturating instead of overflowing.
func duration(s float64) time.Duration {
	ns := math.Round(s * float64(time.Second))
	if ns >= float64(math.MaxInt64) {
		return Unlimited
	}
	return time.Duration(ns)
}
