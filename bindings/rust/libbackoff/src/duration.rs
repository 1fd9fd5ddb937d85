//! The C API counts seconds in `double`s; Rust counts in `Duration`s.

use std::time::Duration;

/// Seconds from the library as a Duration: anything not positive (including
/// NaN) is zero, anything too large saturates.
pub(crate) fn from_seconds(seconds: f64) -> Duration {
    if seconds > 0.0 {
        Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX)
    } else {
        Duration::ZERO
    }
}
