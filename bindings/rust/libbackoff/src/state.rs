//! One run of a policy as the library's state machine (`backoff_state_*`):
//! it makes every decision, the drivers only attempt and sleep. The state
//! lives in the driver's memory (backoff_state_init): nothing to free.

use std::ffi::CStr;
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::ptr::{self, NonNull};
use std::time::Duration;

use backoff_sys as sys;

use crate::cancel::Cancel;
use crate::duration::from_seconds;
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
    pub(crate) fn new() -> Self {
        StateMemory { inline: [MaybeUninit::uninit(); INLINE_WORDS], heap: Vec::new() }
    }

    /// 8-byte aligned memory of at least backoff_state_size() bytes.
    fn get(&mut self) -> (*mut std::os::raw::c_void, usize) {
        // SAFETY: a pure function of the library.
        let size = unsafe { sys::backoff_state_size() };
        if size <= std::mem::size_of_val(&self.inline) {
            (self.inline.as_mut_ptr().cast(), std::mem::size_of_val(&self.inline))
        } else {
            self.heap.resize(size.div_ceil(8), 0);
            (self.heap.as_mut_ptr().cast(), self.heap.len() * 8)
        }
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

/// What the library answered after an attempt.
pub(crate) enum Next {
    Retry(Duration),
    Done(i32),
}

impl<'a> State<'a> {
    pub(crate) fn new(
        memory: &'a mut StateMemory,
        policy: &'a Policy,
        label: Option<&'a CStr>,
        cancel: Option<&'a Cancel>,
    ) -> State<'a> {
        let options = sys::backoff_run_options {
            size: std::mem::size_of::<sys::backoff_run_options>(),
            cancel: cancel.map_or(ptr::null_mut(), Cancel::as_ptr),
            label: label.map_or(ptr::null(), CStr::as_ptr),
        };
        let (mem, size) = memory.get();
        let mut raw = ptr::null_mut();
        // SAFETY: the memory, policy, label and token outlive 'a, hence the
        // state; the options are read during the call only.
        let status = unsafe {
            sys::backoff_state_init(mem, size, policy.as_ptr(), &options, ptr::null_mut(), &mut raw)
        };
        match NonNull::new(raw) {
            Some(raw) if status == sys::BACKOFF_OK => State { raw, _borrows: PhantomData },
            _ => internal("backoff_state_init", status),
        }
    }

    /// Before an attempt: `Ok` to go on, or the final status (cancelled).
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

    /// Makes the next wait exactly `wait` (a Retry-After).
    pub(crate) fn retry_after(&mut self, wait: Duration) {
        // SAFETY: raw is live and ours alone.
        let status = unsafe { sys::backoff_state_retry_after(self.raw.as_ptr(), wait.as_secs_f64()) };
        if status != sys::BACKOFF_OK {
            internal("backoff_state_retry_after", status);
        }
    }

    /// After an attempt, with its return code.
    pub(crate) fn next(&mut self, rc: i32) -> Next {
        let mut wait = 0.0;
        // SAFETY: raw is live and ours alone; wait is a valid out pointer.
        let status = unsafe { sys::backoff_state_next(self.raw.as_ptr(), rc, &mut wait) };
        panic::resume();
        match status {
            sys::BACKOFF_RETRY => Next::Retry(from_seconds(wait)),
            done if done >= 0 => Next::Done(done),
            error => internal("backoff_state_next", error),
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
        Stats { tries: d.tries, elapsed: from_seconds(d.elapsed), total_wait: from_seconds(d.total_wait) }
    }
}
