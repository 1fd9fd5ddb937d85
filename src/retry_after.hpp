// HTTP Retry-After (RFC 9110 section 10.2.3): delay-seconds or an HTTP-date,
// turned into seconds to wait. Independent of the locale and of TZ: dates
// are converted with our own days-from-civil arithmetic.
#pragma once

#include <string_view>

namespace backoff {

// Seconds to wait for Retry-After `value` received at `now` (seconds since
// the Unix epoch, finite); a date at or before `now` gives 0. False when the
// value is malformed.
bool parse_retry_after(std::string_view value, double now, double *seconds);

} // namespace backoff
