// The system's monotonic clock and sleep, used unless a policy injects its
// own (tests drive time with injected ones).
#pragma once

#include <chrono>

namespace backoff {

double monotonic_seconds() noexcept;

// Sleeps the full `seconds` on the monotonic clock, resuming after signals.
void monotonic_sleep(double seconds) noexcept;

// Seconds as a duration for waiting APIs, clamped so that huge waits (up to
// DBL_MAX) cannot overflow the conversion: 100 years is forever enough.
std::chrono::nanoseconds to_duration(double seconds) noexcept;

} // namespace backoff
