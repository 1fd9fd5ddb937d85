//! Errors that carry their own verdict, for operations that know best
//! whether a failure is worth retrying (and how soon).

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use crate::verdict::Verdict;

/// An error marked by the operation itself: transient (the default, and what
/// `?` makes of any `E`), transient with a server-given wait, or permanent.
/// Classify with `.classify(Failure::verdict)`:
///
/// ```
/// use libbackoff::{Failure, Policy, Reason};
/// use std::time::Duration;
///
/// let policy = Policy::builder().sleep(|_| {}).build()?;
/// let mut calls = 0;
/// let failed = policy
///     .run()
///     .classify(Failure::verdict)
///     .retry(|| -> Result<(), Failure<&str>> {
///         calls += 1;
///         match calls {
///             1 => Err(Failure::retry_after(Duration::from_secs(30), "429 Too Many Requests")),
///             _ => Err(Failure::permanent("403 Forbidden")),
///         }
///     })
///     .unwrap_err();
/// assert_eq!((failed.reason(), failed.tries()), (Reason::Permanent, 2));
/// assert_eq!(failed.into_error().map(Failure::into_inner), Some("403 Forbidden"));
/// # Ok::<(), libbackoff::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure<E> {
    /// Worth retrying after the policy's next wait.
    Transient(E),
    /// Worth retrying after exactly this long (a server's `Retry-After`),
    /// under the hint rule of [`Verdict::RetryAfter`].
    RetryAfter(Duration, E),
    /// Not worth retrying: give up now.
    Permanent(E),
}

impl<E> Failure<E> {
    /// A failure worth retrying after the policy's next wait.
    pub fn transient(error: E) -> Self {
        Failure::Transient(error)
    }

    /// A failure worth retrying after exactly `wait`.
    pub fn retry_after(wait: Duration, error: E) -> Self {
        Failure::RetryAfter(wait, error)
    }

    /// A failure not worth retrying.
    pub fn permanent(error: E) -> Self {
        Failure::Permanent(error)
    }

    /// The verdict the operation gave: the classifier for `Failure`s.
    pub fn verdict(&self) -> Verdict {
        match self {
            Failure::Transient(_) => Verdict::Retry,
            Failure::RetryAfter(wait, _) => Verdict::RetryAfter(*wait),
            Failure::Permanent(_) => Verdict::GiveUp,
        }
    }

    /// The error, without its mark.
    pub fn into_inner(self) -> E {
        match self {
            Failure::Transient(e) | Failure::RetryAfter(_, e) | Failure::Permanent(e) => e,
        }
    }

    /// The error, without its mark.
    pub fn inner(&self) -> &E {
        match self {
            Failure::Transient(e) | Failure::RetryAfter(_, e) | Failure::Permanent(e) => e,
        }
    }
}

/// `?` turns any error into a transient failure.
impl<E> From<E> for Failure<E> {
    fn from(error: E) -> Self {
        Failure::Transient(error)
    }
}

impl<E: fmt::Display> fmt::Display for Failure<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner().fmt(f)
    }
}

impl<E: StdError + 'static> StdError for Failure<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(self.inner())
    }
}
