//! The C API counts seconds in `double`s; Rust counts in `Duration`s.
//! `Duration::MAX` stands for infinity in both directions: a `+inf` from the
//! library (a server's "never") reads as `Duration::MAX`, and
//! `Duration::MAX` given to the library is `+inf` (no limit, no cap, never).

use std::time::Duration;

/// Seconds from the library as a Duration: anything not positive (including
/// NaN) is zero, anything too large (and +inf) saturates at `Duration::MAX`.
#[inline]
pub(crate) fn from_seconds(seconds: f64) -> Duration {
    if seconds > 0.0 {
        Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX)
    } else {
        Duration::ZERO
    }
}

/// A Duration as the library's seconds; `Duration::MAX` is `+inf`.
#[inline]
pub(crate) fn to_seconds(duration: Duration) -> f64 {
    if duration == Duration::MAX {
        f64::INFINITY
    } else {
        duration.as_secs_f64()
    }
}

/// A server hint from the library's details: negative means none.
pub(crate) fn hint_from_seconds(seconds: f64) -> Option<Duration> {
    (seconds >= 0.0).then(|| from_seconds(seconds))
}
