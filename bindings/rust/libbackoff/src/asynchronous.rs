//! The async driver (feature `tokio`): the same state machine as blocking
//! runs, but the waits are slept on tokio's timer, so no thread is blocked.
//! Dropping the future ends the run as cancelled and frees its state.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use crate::cancel::Cancel;
use crate::driver::{Driver, Step, SuccessStats};
use crate::duration::from_seconds;
use crate::outcome::{GiveUp, Success};
use crate::policy::Policy;
use crate::run::Run;
use crate::state::{State, StateMemory};
use crate::verdict::Classify;

impl Policy {
    /// Awaits `op()` until it returns `Ok`, retrying every `Err` as the
    /// policy says, sleeping on tokio's timer between attempts.
    pub async fn retry_async<T, E, F, Fut>(&self, op: F) -> Result<T, GiveUp<E>>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        self.run().retry_async(op).await
    }
}

impl<C> Run<'_, C> {
    /// [`Run::retry`] for async operations; the policy's injected sleep is
    /// not used: tokio's timer is (pause it in tests).
    pub async fn retry_async<T, E, F, Fut>(self, op: F) -> Result<T, GiveUp<E>>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        C: Classify<E>,
    {
        self.drive_async(op, SuccessStats::Unread, |value, _| value).await
    }

    /// [`Run::retry_async`], with the run's statistics on success.
    pub async fn retry_async_with_stats<T, E, F, Fut>(self, op: F) -> Result<Success<T>, GiveUp<E>>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        C: Classify<E>,
    {
        self.drive_async(op, SuccessStats::Read, |value, driver| driver.success(value)).await
    }

    /// The async driver: attempt, report, sleep on tokio's timer.
    async fn drive_async<T, E, F, Fut, R>(
        self,
        mut op: F,
        stats: SuccessStats,
        success: impl FnOnce(T, &Driver<'_, E>) -> R,
    ) -> Result<R, GiveUp<E>>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        C: Classify<E>,
    {
        let Run { policy, label, cancel, mut classify } = self;
        // In the future's own (pinned) memory: the run allocates nothing.
        let mut memory = StateMemory::new();
        let mut run =
            Abandon(Driver::start(State::start(&mut memory, policy, label.as_deref(), cancel, stats))?);
        loop {
            let result = op().await;
            // Every wait, a zero one too, goes through tokio's timer (and its
            // cooperative budget), so a zero-wait loop cannot hog a worker.
            match run.0.judge(result, &mut classify, false) {
                Step::Retry { wait, begun } => {
                    sleep(from_seconds(wait), cancel).await;
                    if !begun {
                        run.0.begin()?;
                    }
                }
                Step::Done(result) => return result.map(|value| success(value, &run.0)),
            }
        }
    }
}

/// Sleeps `wait`, or less if the token is triggered; the next `begin` then
/// ends the run as cancelled.
async fn sleep(wait: Duration, cancel: Option<&Cancel>) {
    let mut timer = pin!(tokio::time::sleep(wait));
    let Some(cancel) = cancel else {
        return timer.await;
    };
    let mut cancelled = pin!(cancel.triggered());
    poll_fn(|cx| {
        if timer.as_mut().poll(cx).is_ready() || cancelled.as_mut().poll(cx).is_ready() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await
}

/// A run dropped before its end (its future was dropped) is cancelled.
struct Abandon<'a, E>(Driver<'a, E>);

impl<E> Drop for Abandon<'_, E> {
    fn drop(&mut self) {
        self.0.abandon();
    }
}
