//! A safe, borrowed view of the library's `backoff_details`: what hooks and
//! custom waits see of a run.

use std::ffi::CStr;
use std::fmt;
use std::time::Duration;

use backoff_sys as sys;

use crate::duration::{from_seconds, hint_from_seconds};
use crate::outcome::Reason;

/// The state of a run, as the library reports it to a hook or a custom wait.
/// Valid only during the callback.
#[derive(Clone, Copy)]
pub struct Details<'a> {
    raw: &'a sys::backoff_details,
}

impl<'a> Details<'a> {
    /// # Safety
    /// `raw` must be a details struct the library handed to a callback, valid
    /// for `'a`.
    pub(crate) unsafe fn from_raw(raw: *const sys::backoff_details) -> Self {
        Details { raw: &*raw }
    }

    /// The run's label (`"operation"` unless set with [`Run::label`](crate::Run::label)).
    pub fn label(&self) -> &'a str {
        if self.raw.label.is_null() {
            return "operation";
        }
        // SAFETY: a non-NULL label is a NUL-terminated string borrowed for
        // the run; the binding only ever gives it UTF-8.
        unsafe { CStr::from_ptr(self.raw.label) }.to_str().unwrap_or("operation")
    }

    /// Attempts started so far, counting from 1.
    pub fn tries(&self) -> u32 {
        self.raw.tries
    }

    /// Time since the run started, on the policy's clock.
    pub fn elapsed(&self) -> Duration {
        from_seconds(self.raw.elapsed)
    }

    /// The wait about to be slept (in `on_backoff`) or the last one slept.
    pub fn wait(&self) -> Duration {
        from_seconds(self.raw.wait)
    }

    /// The sum of the waits decided so far.
    pub fn total_wait(&self) -> Duration {
        from_seconds(self.raw.total_wait)
    }

    /// Why the run gave up, in `on_giveup` hooks and log lines; `None` while
    /// it goes on and after success.
    pub fn reason(&self) -> Option<Reason> {
        Reason::from_outcome(self.raw.outcome)
    }

    /// Time left before the policy's `max_time`; `None` without a time limit.
    pub fn remaining(&self) -> Option<Duration> {
        self.raw.remaining.is_finite().then(|| from_seconds(self.raw.remaining))
    }

    /// The server's hint carried by the last failed attempt
    /// ([`Verdict::RetryAfter`](crate::Verdict::RetryAfter)); `None` when it
    /// carried none or the run stopped before reading it (see
    /// [`Stats::hint`](crate::Stats::hint)). In `on_backoff` it says the wait
    /// is the server's; in `on_giveup` it shows the hint that ended the run
    /// on time (`Duration::MAX` for "never").
    pub fn hint(&self) -> Option<Duration> {
        hint_from_seconds(self.raw.hint)
    }
}

impl fmt::Debug for Details<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Details")
            .field("label", &self.label())
            .field("tries", &self.tries())
            .field("elapsed", &self.elapsed())
            .field("wait", &self.wait())
            .field("total_wait", &self.total_wait())
            .field("remaining", &self.remaining())
            .field("hint", &self.hint())
            .field("reason", &self.reason())
            .finish()
    }
}
