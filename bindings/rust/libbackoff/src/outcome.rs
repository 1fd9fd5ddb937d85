//! What a run ends with: the value and its statistics, or the reason the
//! library gave up and the last error.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use backoff_sys as sys;

use crate::error::internal;

/// Why a run ended without success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// `max_tries` attempts failed.
    Tries,
    /// `max_time` elapsed, or a server's hint asked for longer than the
    /// time left or than `hint_max` ([`Stats::hint`] holds it).
    Time,
    /// The classifier called the failure permanent ([`Verdict::GiveUp`](crate::Verdict::GiveUp)).
    Permanent,
    /// The wait sequence ran out, or a custom wait asked to stop.
    Exhausted,
    /// The run's [`Cancel`](crate::Cancel) token was triggered.
    Cancelled,
    /// The classifier said [`Verdict::PassThrough`](crate::Verdict::PassThrough).
    PassedThrough,
    /// The policy's [`Budget`](crate::Budget) refused the retry: too many
    /// retries lately for the first attempts it has seen.
    Budget,
}

impl Reason {
    /// The reason a run's outcome (a `backoff_status`) stands for, if it
    /// is one. Statuses are matched, never transmuted.
    pub(crate) fn from_outcome(status: i32) -> Option<Reason> {
        Some(match status {
            sys::BACKOFF_GAVE_UP_TRIES => Reason::Tries,
            sys::BACKOFF_GAVE_UP_TIME => Reason::Time,
            sys::BACKOFF_GAVE_UP_FATAL => Reason::Permanent,
            sys::BACKOFF_GAVE_UP_EXHAUSTED => Reason::Exhausted,
            sys::BACKOFF_CANCELLED => Reason::Cancelled,
            sys::BACKOFF_PASSED_THROUGH => Reason::PassedThrough,
            sys::BACKOFF_GAVE_UP_BUDGET => Reason::Budget,
            _ => return None,
        })
    }

    /// A final status of the library: one this binding does not know is a
    /// bug report.
    pub(crate) fn from_status(status: i32) -> Reason {
        Reason::from_outcome(status).unwrap_or_else(|| internal("backoff_state_next", status))
    }
}

/// A run's statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Attempts made, counting from 1 (0 if cancelled before the first).
    pub tries: u32,
    /// Time from the start of the run to its end, on the policy's clock.
    pub elapsed: Duration,
    /// The sum of the waits between attempts.
    pub total_wait: Duration,
    /// The server's hint carried by the last failed attempt
    /// ([`Verdict::RetryAfter`](crate::Verdict::RetryAfter)), as the core
    /// read it: after a give-up on time, the hint that ended the run
    /// (`Duration::MAX` for "never"). `None` when that failure carried none,
    /// and when the run stopped before reading it (the tries and time limits
    /// and the token are checked first).
    pub hint: Option<Duration>,
}

/// A successful run: the value and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Success<T> {
    /// What the operation returned.
    pub value: T,
    /// The run's statistics.
    pub stats: Stats,
}

/// A run that ended without success: why, after how much effort, and the
/// last attempt's error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GiveUp<E> {
    pub(crate) error: Option<E>,
    pub(crate) reason: Reason,
    pub(crate) stats: Stats,
}

impl<E> GiveUp<E> {
    /// Why the run ended.
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// Attempts made.
    pub fn tries(&self) -> u32 {
        self.stats.tries
    }

    /// Time from the start of the run to its end.
    pub fn elapsed(&self) -> Duration {
        self.stats.elapsed
    }

    /// The run's statistics.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The last attempt's error; `None` only when the run was cancelled
    /// before its first attempt.
    pub fn error(&self) -> Option<&E> {
        self.error.as_ref()
    }

    /// Takes the last attempt's error (see [`GiveUp::error`]).
    pub fn into_error(self) -> Option<E> {
        self.error
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::Tries => "tries limit reached",
            Reason::Time => "time limit reached",
            Reason::Permanent => "permanent failure",
            Reason::Exhausted => "waits exhausted",
            Reason::Cancelled => "cancelled",
            Reason::PassedThrough => "passed through",
            Reason::Budget => "retry budget exhausted",
        })
    }
}

impl<E: fmt::Display> fmt::Display for GiveUp<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gave up after {} tries ({})", self.stats.tries, self.reason)?;
        if let Some(error) = &self.error {
            write!(f, ": {error}")?;
        }
        Ok(())
    }
}

impl<E: StdError + 'static> StdError for GiveUp<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.error.as_ref().map(|e| e as &(dyn StdError + 'static))
    }
}
