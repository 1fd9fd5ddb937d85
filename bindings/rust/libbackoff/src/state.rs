//! One run of a policy as the library's state machine (`backoff_state_*`):
//! it makes every decision, the drivers only attempt and sleep. The state
//! lives in the driver's memory (backoff_state_start): nothing to free.

use std::ffi::CStr;
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use backoff_sys as sys;

use crate::cancel::Cancel;
use crate::duration::{from_seconds, hint_from_seconds, to_seconds};
use crate::error::internal;
use crate::outcome::Stats;
use crate::panic;
use crate::policy::Policy;

/// Memory for a state, so that a run never allocates: inline for the
/// library's current size, on the heap only if a newer library needs more.
pub(crate) struct StateMemory {
    inline: [MaybeUninit<u64>; INLINE_WORDS],
    heap: Vec<u64>,
}

const INLINE_WORDS: usize = 64;

impl StateMemory {
    #[inline]
    pub(crate) fn new() -> Self {
        StateMemory { inline: [MaybeUninit::uninit(); INLINE_WORDS], heap: Vec::new() }
    }

    /// 8-byte aligned memory of at least backoff_state_size() bytes.
    #[inline]
    fn get(&mut self) -> (*mut std::os::raw::c_void, usize) {
        let size = state_size();
        if size <= std::mem::size_of_val(&self.inline) {
            (self.inline.as_mut_ptr().cast(), std::mem::size_of_val(&self.inline))
        } else {
            self.heap.resize(size.div_ceil(8), 0);
            (self.heap.as_mut_ptr().cast(), self.heap.len() * 8)
        }
    }
}

/// backoff_state_size(), asked once: the loaded library's constant, and a
/// call saved on every run.
#[inline]
fn state_size() -> usize {
    static SIZE: AtomicUsize = AtomicUsize::new(0);
    match SIZE.load(Ordering::Relaxed) {
        0 => {
            // SAFETY: a pure function of the library.
            let size = unsafe { sys::backoff_state_size() };
            SIZE.store(size, Ordering::Relaxed);
            size
        }
        size => size,
    }
}

pub(crate) struct State<'a> {
    raw: NonNull<sys::backoff_state>,
    /// The state lives in borrowed memory and borrows the policy, the label
    /// and the token.
    _borrows: PhantomData<(&'a mut StateMemory, &'a Policy)>,
}

// SAFETY: a state is used by one thread at a time (&mut self here) and has no
// thread affinity: it holds no lock or thread-local between calls. What it
// borrows is thread-safe: the policy is Sync, the token's functions are
// thread-safe, the label is immutable. So an async run may move to another
// worker thread between polls.
unsafe impl Send for State<'_> {}

/// What the library answered after an attempt: retry after `wait` (the
/// library's seconds: the blocking driver hands them straight back to
/// backoff_state_sleep, only the async one needs a Duration), the next
/// attempt already `begun` or not; or the run's final status.
pub(crate) enum Next {
    Retry { wait: f64, begun: bool },
    Done(i32),
}

/// Whether the driver reads a successful run's statistics: when it does
/// not, the library may skip measuring the successful attempt's end.
#[derive(Clone, Copy)]
pub(crate) enum SuccessStats {
    Read,
    Unread,
}

impl<'a> State<'a> {
    /// Starts a run and begins its first attempt, in one call
    /// (backoff_state_start). The status is `Err` when the run has already
    /// ended (cancelled before the first attempt).
    #[inline(always)] // once per run, from the generic drivers
    pub(crate) fn start(
        memory: &'a mut StateMemory,
        policy: &'a Policy,
        label: Option<&'a CStr>,
        cancel: Option<&'a Cancel>,
        success: SuccessStats,
    ) -> (State<'a>, Result<(), i32>) {
        let options = sys::backoff_run_options {
            size: std::mem::size_of::<sys::backoff_run_options>(),
            cancel: cancel.map_or(ptr::null_mut(), Cancel::as_ptr),
            label: label.map_or(ptr::null(), CStr::as_ptr),
            // The attempt's code is the driver's verdict (see verdict.rs):
            // no classifier runs, and the clock is not read to judge it.
            flags: sys::BACKOFF_RUN_RC_IS_VERDICT
                | match success {
                    SuccessStats::Read => 0,
                    SuccessStats::Unread => sys::BACKOFF_RUN_UNREAD_SUCCESS,
                },
        };
        let (mem, size) = memory.get();
        let mut raw = ptr::null_mut();
        // SAFETY: the memory, policy, label and token outlive 'a, hence the
        // state; the options are read during the call only.
        let status = unsafe {
            sys::backoff_state_start(mem, size, policy.as_ptr(), &options, ptr::null_mut(), &mut raw)
        };
        panic::resume(); // on_try hooks ran
        match NonNull::new(raw) {
            Some(raw) if status == sys::BACKOFF_OK => (State { raw, _borrows: PhantomData }, Ok(())),
            Some(raw) if status == sys::BACKOFF_CANCELLED => {
                (State { raw, _borrows: PhantomData }, Err(status))
            }
            _ => internal("backoff_state_start", status),
        }
    }

    /// Before an attempt: `Ok` to go on, or the final status (cancelled).
    #[inline]
    pub(crate) fn begin(&mut self) -> Result<(), i32> {
        // SAFETY: raw is live and ours alone.
        let status = unsafe { sys::backoff_state_begin(self.raw.as_ptr()) };
        panic::resume();
        match status {
            sys::BACKOFF_OK => Ok(()),
            sys::BACKOFF_CANCELLED => Err(status),
            other => internal("backoff_state_begin", other),
        }
    }

    /// Gives the current attempt the server's hint `wait` (a Retry-After;
    /// `Duration::MAX`: never). What follows is the core's hint rule.
    #[inline]
    pub(crate) fn retry_after(&mut self, wait: Duration) {
        // SAFETY: raw is live and ours alone.
        let status = unsafe { sys::backoff_state_retry_after(self.raw.as_ptr(), to_seconds(wait)) };
        if status != sys::BACKOFF_OK {
            internal("backoff_state_retry_after", status);
        }
    }

    /// After an attempt, with its return code. With `begin_after_zero_wait`
    /// (backoff_state_next_begin), a zero wait also begins the next attempt
    /// in the same call: `Retry { begun: true }`.
    #[inline]
    pub(crate) fn next(&mut self, rc: i32, begin_after_zero_wait: bool) -> Next {
        let mut wait = 0.0;
        // SAFETY: raw is live and ours alone; wait is a valid out pointer.
        let status = unsafe {
            if begin_after_zero_wait {
                sys::backoff_state_next_begin(self.raw.as_ptr(), rc, &mut wait)
            } else {
                sys::backoff_state_next(self.raw.as_ptr(), rc, &mut wait)
            }
        };
        panic::resume();
        match status {
            sys::BACKOFF_RETRY => Next::Retry { wait, begun: begin_after_zero_wait && wait == 0.0 },
            done if done >= 0 => Next::Done(done),
            error => internal("backoff_state_next", error),
        }
    }

    /// Sleeps the wait `next` returned, the way the core's own runs do: the
    /// policy's injected sleep, or the system's, which the run's token
    /// wakes. `Err` is the final status (cancelled).
    #[inline]
    pub(crate) fn sleep(&mut self, seconds: f64) -> Result<(), i32> {
        // SAFETY: raw is live and ours alone; `seconds` came from next.
        let status = unsafe { sys::backoff_state_sleep(self.raw.as_ptr(), seconds) };
        panic::resume(); // the injected sleep may have panicked
        match status {
            sys::BACKOFF_OK => Ok(()),
            sys::BACKOFF_CANCELLED => Err(status),
            other => internal("backoff_state_sleep", other),
        }
    }

    /// Ends the run as cancelled, running the on_giveup hooks. Used when the
    /// run is abandoned while it waits, so the caller cannot take a panic.
    #[cfg(feature = "tokio")]
    pub(crate) fn cancel(&mut self) {
        // SAFETY: raw is live and ours alone.
        unsafe { sys::backoff_state_cancel(self.raw.as_ptr()) };
        panic::resume_unless_panicking();
    }

    pub(crate) fn stats(&self) -> Stats {
        let mut d = sys::backoff_details {
            size: std::mem::size_of::<sys::backoff_details>(),
            label: ptr::null(),
            user_data: ptr::null_mut(),
            tries: 0,
            elapsed: 0.0,
            wait: 0.0,
            total_wait: 0.0,
            last_rc: 0,
            outcome: 0,
            remaining: 0.0,
            hint: -1.0,
        };
        // SAFETY: raw is live; d.size is set.
        let status = unsafe { sys::backoff_state_details(self.raw.as_ptr(), &mut d) };
        panic::resume(); // an injected clock may be read
        if status != sys::BACKOFF_OK {
            internal("backoff_state_details", status);
        }
        Stats {
            tries: d.tries,
            elapsed: from_seconds(d.elapsed),
            total_wait: from_seconds(d.total_wait),
            hint: hint_from_seconds(d.hint),
        }
    }
}
