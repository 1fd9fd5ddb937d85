//! One run: its options (label, cancel token, classification) and the
//! blocking driver.

use std::ffi::CString;

use crate::cancel::Cancel;
use crate::driver::{Driver, Step, SuccessStats};
use crate::error::Error;
use crate::outcome::{GiveUp, Success};
use crate::policy::Policy;
use crate::state::{State, StateMemory};
use crate::text::c_string;
use crate::verdict::{Classify, RetryAny};

/// The options of a run: start with [`Policy::run`], then retry.
#[must_use = "a Run does nothing until one of its retry methods is called"]
pub struct Run<'a, C = RetryAny> {
    pub(crate) policy: &'a Policy,
    pub(crate) label: Option<CString>,
    pub(crate) cancel: Option<&'a Cancel>,
    pub(crate) classify: C,
}

impl Policy {
    /// A run with options; [`Policy::retry`] and friends are this with none.
    pub fn run(&self) -> Run<'_> {
        Run { policy: self, label: None, cancel: None, classify: RetryAny }
    }

    /// Calls `op` until it returns `Ok`, retrying every `Err` as the policy
    /// says, sleeping between attempts on this thread.
    pub fn retry<T, E, F: FnMut() -> Result<T, E>>(&self, op: F) -> Result<T, GiveUp<E>> {
        self.run().retry(op)
    }

    /// [`Policy::retry`], with the run's statistics on success.
    pub fn retry_with_stats<T, E, F>(&self, op: F) -> Result<Success<T>, GiveUp<E>>
    where
        F: FnMut() -> Result<T, E>,
    {
        self.run().retry_with_stats(op)
    }

    /// Calls `op` again as long as `again` holds for its value (polling);
    /// see [`Run::retry_while`].
    pub fn retry_while<T, F, P>(&self, op: F, again: P) -> Result<T, GiveUp<T>>
    where
        F: FnMut() -> T,
        P: FnMut(&T) -> bool,
    {
        self.run().retry_while(op, again)
    }
}

impl<'a, C> Run<'a, C> {
    /// Names the run in hooks' details and in the library's log lines. A
    /// label holding a NUL byte is refused (the library would cut it there).
    pub fn label(mut self, label: &str) -> Result<Self, Error> {
        self.label = Some(c_string("label", label)?);
        Ok(self)
    }

    /// Stops the run when `cancel` is triggered.
    pub fn cancel(mut self, cancel: &'a Cancel) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// Judges each error: transient ([`Verdict::Retry`](crate::Verdict::Retry),
    /// [`Verdict::RetryAfter`](crate::Verdict::RetryAfter)), permanent
    /// ([`Verdict::GiveUp`](crate::Verdict::GiveUp)) or not ours
    /// ([`Verdict::PassThrough`](crate::Verdict::PassThrough)). Without it
    /// every error is transient.
    pub fn classify<K>(self, classify: K) -> Run<'a, K> {
        Run { policy: self.policy, label: self.label, cancel: self.cancel, classify }
    }

    /// Calls `op` until it returns `Ok` or the policy gives up, sleeping
    /// between attempts on this thread (with the policy's injected sleep if
    /// it has one).
    pub fn retry<T, E, F>(self, op: F) -> Result<T, GiveUp<E>>
    where
        F: FnMut() -> Result<T, E>,
        C: Classify<E>,
    {
        self.blocking(op, SuccessStats::Unread, |value, _| value)
    }

    /// [`Run::retry`], with the run's statistics on success.
    pub fn retry_with_stats<T, E, F>(self, op: F) -> Result<Success<T>, GiveUp<E>>
    where
        F: FnMut() -> Result<T, E>,
        C: Classify<E>,
    {
        self.blocking(op, SuccessStats::Read, |value, driver| driver.success(value))
    }

    /// The blocking driver: attempt, report, sleep what the library said
    /// through the library's own sleep.
    #[inline]
    fn blocking<T, E, F, R>(
        self,
        mut op: F,
        stats: SuccessStats,
        success: impl FnOnce(T, &Driver<'_, E>) -> R,
    ) -> Result<R, GiveUp<E>>
    where
        F: FnMut() -> Result<T, E>,
        C: Classify<E>,
    {
        let Run { policy, label, cancel, mut classify } = self;
        let mut memory = StateMemory::new();
        let mut driver = Driver::start(State::start(&mut memory, policy, label.as_deref(), cancel, stats))?;
        loop {
            // After a zero wait the library begins the next attempt at once.
            match driver.judge(op(), &mut classify, true) {
                Step::Retry { begun: true, .. } => {}
                Step::Retry { wait, begun: false } => {
                    driver.sleep(wait)?;
                    driver.begin()?;
                }
                Step::Done(result) => return result.map(|value| success(value, &driver)),
            }
        }
    }
}

impl<'a> Run<'a, RetryAny> {
    /// Polling: calls `op` again as long as `again` holds for its value, as
    /// the policy allows. `Ok` holds the first value for which `again` is
    /// false; when the policy gives up, the [`GiveUp`] holds the last value.
    pub fn retry_while<T, F, P>(self, mut op: F, mut again: P) -> Result<T, GiveUp<T>>
    where
        F: FnMut() -> T,
        P: FnMut(&T) -> bool,
    {
        self.retry(|| {
            let value = op();
            if again(&value) {
                Err(value)
            } else {
                Ok(value)
            }
        })
    }
}

impl<C> std::fmt::Debug for Run<'_, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("label", &self.label)
            .field("cancel", &self.cancel)
            .finish_non_exhaustive()
    }
}
