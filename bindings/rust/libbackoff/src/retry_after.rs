//! Reading a server's `Retry-After` with the library's RFC 9110 parser.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use backoff_sys as sys;

use crate::duration::from_seconds;
use crate::error::Error;
use crate::text::c_string;

/// The wait an HTTP `Retry-After` value asks for, as of `now` (normally
/// `SystemTime::now()`): delay-seconds (`"120"`) or an HTTP-date
/// (`"Sun, 06 Nov 1994 08:49:37 GMT"`, also the obsolete RFC 850 and asctime
/// forms); a date at or before `now` gives zero. Surrounding spaces and tabs
/// are ignored. A delay too long for a `Duration` is `Duration::MAX`, which
/// [`Verdict::RetryAfter`](crate::Verdict::RetryAfter) reads as "never".
///
/// Errors (function `"parse_retry_after"`): `BACKOFF_E_PARSE` for anything
/// else, `BACKOFF_E_INVALID` for a value holding a NUL byte.
///
/// ```
/// use libbackoff::parse_retry_after;
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
///
/// let now = UNIX_EPOCH + Duration::from_secs(784_111_717); // 08:48:37 GMT
/// assert_eq!(parse_retry_after("120", now)?, Duration::from_secs(120));
/// assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now)?, Duration::from_secs(60));
/// assert!(parse_retry_after("soon", SystemTime::now()).is_err());
/// # Ok::<(), libbackoff::Error>(())
/// ```
pub fn parse_retry_after(value: &str, now: SystemTime) -> Result<Duration, Error> {
    const FUNCTION: &str = "parse_retry_after";
    let text = c_string(FUNCTION, value)?;
    let now = match now.duration_since(UNIX_EPOCH) {
        Ok(since) => since.as_secs_f64(),
        Err(before) => -before.duration().as_secs_f64(),
    };
    let mut seconds = 0.0;
    // SAFETY: text is NUL-terminated; seconds is a valid out pointer.
    let status = unsafe { sys::backoff_parse_retry_after(text.as_ptr(), now, &mut seconds) };
    if status == sys::BACKOFF_OK {
        Ok(from_seconds(seconds))
    } else {
        Err(Error::new(FUNCTION, status)
            .with_detail(format!("{value:?} is neither delay-seconds nor an HTTP-date")))
    }
}
