//! What the blocking and the async drivers share: report each attempt to the
//! state machine and turn its answer into "sleep this long" or the run's
//! result. No decision is made here: the classifier only labels the error,
//! the library decides.

use backoff_sys as sys;

use crate::error::internal;
use crate::outcome::{GiveUp, Reason, Success};
pub(crate) use crate::state::SuccessStats;
use crate::state::{Next, State};
use crate::verdict::{Classify, Verdict, RC_SUCCESS};

/// The library's answer after an attempt: retry after `wait` seconds (then
/// begin the next attempt, unless it has `begun` already), or done.
pub(crate) enum Step<T, E> {
    Retry { wait: f64, begun: bool },
    Done(Result<T, GiveUp<E>>),
}

pub(crate) struct Driver<'a, E> {
    state: State<'a>,
    /// The last attempt's error, handed back when the run gives up.
    last: Option<E>,
    ended: bool,
}

impl<'a, E> Driver<'a, E> {
    /// A run whose first attempt has begun (State::start), or its end when
    /// it was cancelled before that attempt.
    #[inline]
    pub(crate) fn start((state, begun): (State<'a>, Result<(), i32>)) -> Result<Self, GiveUp<E>> {
        let mut driver = Driver { state, last: None, ended: false };
        match begun {
            Ok(()) => Ok(driver),
            Err(status) => Err(driver.give_up(status)),
        }
    }

    /// Call before each attempt after a wait; an error means do not attempt
    /// (cancelled).
    #[inline]
    pub(crate) fn begin(&mut self) -> Result<(), GiveUp<E>> {
        self.state.begin().map_err(|status| self.give_up(status))
    }

    /// Reports an attempt to the library; see [`State::next`] for
    /// `begin_after_zero_wait`.
    #[inline(always)] // the hot path of every attempt
    pub(crate) fn judge<T, C: Classify<E>>(
        &mut self,
        result: Result<T, E>,
        classify: &mut C,
        begin_after_zero_wait: bool,
    ) -> Step<T, E> {
        match result {
            Ok(value) => match self.state.next(RC_SUCCESS, begin_after_zero_wait) {
                Next::Done(sys::BACKOFF_OK) => {
                    self.ended = true;
                    Step::Done(Ok(value))
                }
                Next::Done(other) => internal("backoff_state_next after success", other),
                Next::Retry { .. } => internal("backoff_state_next after success", sys::BACKOFF_RETRY),
            },
            Err(error) => {
                let verdict = classify.classify(&error);
                if let Verdict::RetryAfter(wait) = verdict {
                    self.state.retry_after(wait);
                }
                self.last = Some(error);
                match self.state.next(verdict.code(), begin_after_zero_wait) {
                    Next::Retry { wait, begun } => Step::Retry { wait, begun },
                    Next::Done(status) => Step::Done(Err(self.give_up(status))),
                }
            }
        }
    }

    /// The blocking sleep between attempts, through the core
    /// (backoff_state_sleep); an error means the run was cancelled.
    #[inline]
    pub(crate) fn sleep(&mut self, seconds: f64) -> Result<(), GiveUp<E>> {
        self.state.sleep(seconds).map_err(|status| self.give_up(status))
    }

    /// The run's statistics: read only when asked for, as it may read the
    /// clock.
    pub(crate) fn success<T>(&self, value: T) -> Success<T> {
        Success { value, stats: self.state.stats() }
    }

    fn give_up(&mut self, status: i32) -> GiveUp<E> {
        self.ended = true;
        GiveUp { error: self.last.take(), reason: Reason::from_status(status), stats: self.state.stats() }
    }

    /// Ends a run its caller abandoned (an async run dropped while pending)
    /// as cancelled, so its on_giveup hooks and log still see the end.
    #[cfg(feature = "tokio")]
    pub(crate) fn abandon(&mut self) {
        if !self.ended && !std::thread::panicking() {
            self.ended = true;
            self.state.cancel();
        }
    }
}
