//! A retry budget: the library's reference-counted `backoff_budget`, shared
//! by any number of policies, runs and threads. The core counts and decides;
//! this is a handle and a view of its counters.

use std::ptr::{self, NonNull};
use std::sync::Arc;
use std::time::Duration;

use backoff_sys as sys;

use crate::callback::{self, own};
use crate::duration::{from_seconds, to_seconds};
use crate::error::{internal, Error};
use crate::panic;

/// Bounds how many retries a whole process adds to a service's load: a
/// retry is allowed only while, over the last `window`,
/// `retries + 1 <= ratio * first attempts + min_per_second * window`.
/// Backoff spreads retries out in time; a budget caps their number, so a
/// long outage does not multiply the load by `max_tries`.
///
/// Attach it with [`PolicyBuilder::budget`](crate::PolicyBuilder::budget);
/// a refused retry ends the run with [`Reason::Budget`](crate::Reason::Budget).
/// Clones are cheap and share one budget; it is `Send + Sync`, and one
/// budget may serve several policies at once.
///
/// ```
/// use libbackoff::{Budget, Policy, Reason};
/// use std::time::Duration;
///
/// // No floor: only one retry per five first attempts.
/// let budget = Budget::new(0.2, 0.0, Duration::from_secs(10))?;
/// let policy = Policy::builder().budget(&budget).max_tries(3).sleep(|_| {}).build()?;
/// let failed = policy.retry(|| Err::<(), _>("down")).unwrap_err();
/// assert_eq!((failed.reason(), failed.tries()), (Reason::Budget, 1));
/// assert_eq!(budget.stats().refusals, 1);
/// # Ok::<(), libbackoff::Error>(())
/// ```
#[derive(Clone)]
pub struct Budget {
    inner: Arc<Raw>,
}

/// The caller's one reference to the C budget (each policy holds its own).
struct Raw(NonNull<sys::backoff_budget>);

// SAFETY: a backoff_budget is thread-safe (header), its clock closure was
// required Send + Sync, and its clock is only set before the handle exists.
unsafe impl Send for Raw {}
// SAFETY: as for Send.
unsafe impl Sync for Raw {}

impl Budget {
    /// A budget allowing `ratio` retries per first attempt (finite, >= 0)
    /// plus `min_per_second` (finite, >= 0) retries per second, counted over
    /// a sliding `window` (> 0, finite). Finagle's and tower's anchors are
    /// 0.2, 10 and 10 s. Errors: the library's refusal of a value.
    pub fn new(ratio: f64, min_per_second: f64, window: Duration) -> Result<Budget, Error> {
        let mut raw = ptr::null_mut();
        // SAFETY: raw is a valid out pointer.
        let status = unsafe { sys::backoff_budget_new(&mut raw, ratio, min_per_second, to_seconds(window)) };
        match NonNull::new(raw) {
            Some(raw) if status == sys::BACKOFF_OK => Ok(Budget { inner: Arc::new(Raw(raw)) }),
            _ => Err(Error::new("Budget::new", status)),
        }
    }

    /// [`Budget::new`] with its own clock (any origin), for tests and
    /// simulations: the budget's windows then move only when `clock` says so.
    /// A run reads it whenever it counts a first attempt or asks for a retry.
    pub fn with_clock<F>(ratio: f64, min_per_second: f64, window: Duration, clock: F) -> Result<Budget, Error>
    where
        F: Fn() -> Duration + Send + Sync + 'static,
    {
        let budget = Budget::new(ratio, min_per_second, window)?;
        let c = own(clock);
        // SAFETY: the budget is live and not shared yet (the header asks the
        // clock to be set before); it owns the closure from here.
        let status = unsafe {
            sys::backoff_budget_clock(budget.as_ptr(), Some(callback::clock::<F>), c.data, c.destroy)
        };
        if status != sys::BACKOFF_OK {
            internal("backoff_budget_clock", status);
        }
        Ok(budget)
    }

    /// The budget's counters now (on its clock).
    pub fn stats(&self) -> BudgetStats {
        let mut s = sys::backoff_budget_stats {
            size: std::mem::size_of::<sys::backoff_budget_stats>(),
            first_attempts: 0,
            retries: 0,
            refusals: 0,
            available: 0.0,
            total_first_attempts: 0,
            total_retries: 0,
            total_refusals: 0,
            ratio: 0.0,
            min_per_second: 0.0,
            window: 0.0,
        };
        // SAFETY: the budget is live; s.size is set.
        let status = unsafe { sys::backoff_budget_stats_get(self.as_ptr(), &mut s) };
        panic::resume(); // an injected clock was read
        if status != sys::BACKOFF_OK {
            internal("backoff_budget_stats_get", status);
        }
        BudgetStats {
            first_attempts: s.first_attempts,
            retries: s.retries,
            refusals: s.refusals,
            available: s.available,
            total_first_attempts: s.total_first_attempts,
            total_retries: s.total_retries,
            total_refusals: s.total_refusals,
            ratio: s.ratio,
            min_per_second: s.min_per_second,
            window: from_seconds(s.window),
        }
    }

    pub(crate) fn as_ptr(&self) -> *mut sys::backoff_budget {
        self.inner.0.as_ptr()
    }
}

impl std::fmt::Debug for Budget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Budget").finish_non_exhaustive()
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        // SAFETY: the last clone is gone; policies hold references of their
        // own. Freeing the last reference destroys the clock closure, whose
        // drop may park a panic.
        unsafe { sys::backoff_budget_free(self.0.as_ptr()) };
        panic::resume_unless_panicking();
    }
}

/// A budget's counters ([`Budget::stats`]). The window's counts are those
/// the next decision would use: first attempts older than the window no
/// longer count (the core keeps 32 slots per window and may forget one
/// slot's worth early, never late: it refuses slightly early, never late).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct BudgetStats {
    /// First attempts counted in the current window.
    pub first_attempts: u64,
    /// Retries allowed in the current window.
    pub retries: u64,
    /// Retries refused in the current window.
    pub refusals: u64,
    /// Retries the budget would allow now (whole, >= 0).
    pub available: f64,
    /// First attempts since the budget was made.
    pub total_first_attempts: u64,
    /// Retries allowed since the budget was made.
    pub total_retries: u64,
    /// Retries refused since the budget was made.
    pub total_refusals: u64,
    /// Retries allowed per first attempt.
    pub ratio: f64,
    /// Retries allowed per second without any first attempt.
    pub min_per_second: f64,
    /// The sliding window the counts cover.
    pub window: Duration,
}
