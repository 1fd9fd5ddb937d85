//! Errors in configuring a policy or a budget, and in reading a
//! Retry-After: which function refused, and the library's own explanation.

use std::ffi::CStr;
use std::fmt;

use backoff_sys as sys;

/// A setter of [`PolicyBuilder`](crate::PolicyBuilder), [`Run::label`](crate::Run::label),
/// [`Budget::new`](crate::Budget::new) or [`parse_retry_after`](crate::parse_retry_after)
/// refused a value. Carries that function's name and the library's status and
/// message (`backoff_strerror`), plus an explanation where there is one: the
/// parser's for a spec, the position of a NUL byte in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    setter: &'static str,
    status: i32,
    detail: Option<String>,
}

impl Error {
    pub(crate) fn new(setter: &'static str, status: i32) -> Self {
        Error { setter, status, detail: None }
    }

    pub(crate) fn with_detail(mut self, detail: String) -> Self {
        self.detail = Some(detail);
        self
    }

    /// The function that refused, e.g. `"wait_expo"`, `"label"`,
    /// `"Budget::new"` or `"parse_retry_after"`.
    pub fn setter(&self) -> &'static str {
        self.setter
    }

    /// The library's status code (a negative `backoff_status`).
    pub fn status(&self) -> i32 {
        self.status
    }

    /// The library's description of the status (`backoff_strerror`).
    pub fn message(&self) -> &'static str {
        strerror(self.status)
    }

    /// More about the failure when there is more: a spec's bad token, the
    /// position of a NUL byte.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.setter, self.message())?;
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The library's static description of a status.
pub(crate) fn strerror(status: i32) -> &'static str {
    // SAFETY: backoff_strerror returns a static, NUL-terminated, never-NULL
    // string for every value.
    let text = unsafe { CStr::from_ptr(sys::backoff_strerror(status)) };
    text.to_str().unwrap_or("unknown status")
}

/// A status the binding's own use of the API can never produce: a bug in the
/// binding or the library, not something a caller could handle.
pub(crate) fn internal(call: &str, status: i32) -> ! {
    panic!("libbackoff: {call} returned {status} ({}): please report this bug", strerror(status))
}
