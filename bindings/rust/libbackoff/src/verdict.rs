//! How a failed attempt is judged. The judgement is the caller's (a
//! [`Classify`]); the decision that follows (limits, waits, jitter, hooks) is
//! the library's. The driver passes the verdict to the library as the
//! attempt's return code, which the library takes as its verdict
//! (`BACKOFF_RUN_RC_IS_VERDICT`): no classifier is called back.

use std::os::raw::c_int;
use std::time::Duration;

use backoff_sys as sys;

/// What to do about a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Transient: retry after the policy's next wait, if its limits allow.
    Retry,
    /// Transient, and the failure itself says how long to wait (a server's
    /// `Retry-After`, see [`parse_retry_after`](crate::parse_retry_after)):
    /// retry after exactly this long, if the limits and the budget allow. No
    /// jitter, and the policy's waits do not advance. A hint longer than the
    /// time left before `max_time`, or than the policy's `hint_max`, ends
    /// the run at once with [`Reason::Time`](crate::Reason::Time) instead of
    /// sleeping towards a deadline the server says will pass;
    /// `Duration::MAX` means "never". The core decides all of it.
    RetryAfter(Duration),
    /// Permanent: give up now (`on_giveup` hooks run), reason
    /// [`Reason::Permanent`](crate::Reason::Permanent).
    GiveUp,
    /// Not a failure this policy handles: return it at once, no hook runs,
    /// reason [`Reason::PassedThrough`](crate::Reason::PassedThrough).
    PassThrough,
}

/// Judges failed attempts. Implemented by every `FnMut(&E) -> Verdict`
/// closure, and by [`RetryAny`], the default.
pub trait Classify<E> {
    /// The verdict on one failed attempt's error.
    fn classify(&mut self, error: &E) -> Verdict;
}

impl<E, F: FnMut(&E) -> Verdict> Classify<E> for F {
    fn classify(&mut self, error: &E) -> Verdict {
        self(error)
    }
}

/// The default classification: every error is transient.
#[derive(Debug, Clone, Copy, Default)]
pub struct RetryAny;

impl<E> Classify<E> for RetryAny {
    fn classify(&mut self, _: &E) -> Verdict {
        Verdict::Retry
    }
}

/// Return codes the driver reports to the library: the library's verdicts.
pub(crate) const RC_SUCCESS: c_int = sys::BACKOFF_VERDICT_SUCCESS as c_int;
pub(crate) const RC_RETRY: c_int = sys::BACKOFF_VERDICT_RETRY as c_int;
pub(crate) const RC_GIVE_UP: c_int = sys::BACKOFF_VERDICT_GIVE_UP as c_int;
pub(crate) const RC_PASS_THROUGH: c_int = sys::BACKOFF_VERDICT_PASS_THROUGH as c_int;

impl Verdict {
    #[inline]
    pub(crate) fn code(self) -> c_int {
        match self {
            Verdict::Retry | Verdict::RetryAfter(_) => RC_RETRY,
            Verdict::GiveUp => RC_GIVE_UP,
            Verdict::PassThrough => RC_PASS_THROUGH,
        }
    }
}
