//! What the blocking and the async drivers share: report each attempt to the
//! state machine and turn its answer into "sleep this long" or the run's
//! result. No decision is made here: the classifier only labels the error,
//! the library decides.

use backoff_sys as sys;

use crate::error::internal;
use crate::outcome::{GiveUp, Reason, Success};
use crate::state::{Next, State};
use crate::verdict::{Classify, Verdict, RC_SUCCESS};

/// The library's answer after an attempt: sleep this many seconds, or done.
pub(crate) enum Step<T, E> {
    Sleep(f64),
    Done(Result<T, GiveUp<E>>),
}

pub(crate) struct Driver<'a, E> {
    state: State<'a>,
    /// The last attempt's error, handed back when the run gives up.
    last: Option<E>,
    ended: bool,
}

impl<'a, E> Driver<'a, E> {
    #[inline]
    pub(crate) fn new(state: State<'a>) -> Self {
        Driver { state, last: None, ended: false }
    }

    /// Call before each attempt; an error means do not attempt (cancelled).
    #[inline]
    pub(crate) fn begin(&mut self) -> Result<(), GiveUp<E>> {
        self.state.begin().map_err(|status| self.give_up(status))
    }

    pub(crate) fn judge<T, C: Classify<E>>(&mut self, result: Result<T, E>, classify: &mut C) -> Step<T, E> {
        match result {
            Ok(value) => match self.state.next(RC_SUCCESS) {
                Next::Done(sys::BACKOFF_OK) => {
                    self.ended = true;
                    Step::Done(Ok(value))
                }
                Next::Done(other) => internal("backoff_state_next after success", other),
                Next::Retry(_) => internal("backoff_state_next after success", sys::BACKOFF_RETRY),
            },
            Err(error) => {
                let verdict = classify.classify(&error);
                if let Verdict::RetryAfter(wait) = verdict {
                    self.state.retry_after(wait);
                }
                self.last = Some(error);
                match self.state.next(verdict.code()) {
                    Next::Retry(wait) => Step::Sleep(wait),
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
