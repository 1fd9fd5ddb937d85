//! Configuring a policy. Each setter passes its values to the library, which
//! validates them; the first refusal is kept and returned by `build`.

use std::ffi::CStr;
use std::os::raw::c_char;
use std::ptr;
use std::time::Duration;

use backoff_sys as sys;

use crate::budget::Budget;
use crate::callback::{self, own};
use crate::details::Details;
use crate::duration::to_seconds;
use crate::error::Error;
use crate::panic;
use crate::policy::Policy;
use crate::text::c_string;

/// The built-in jitters, applied to each generated wait `w`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Jitter {
    /// Exactly `w`.
    None,
    /// Uniform in `[0, w]` (the default).
    Full,
    /// `w` plus uniform in `[0, 1)` seconds.
    Random,
    /// `w/2` plus uniform in `[0, w/2]`.
    Equal,
    /// `min(cap, uniform in [base, 3 * previous wait])`.
    Decorrelated,
    /// `w` times uniform in `[1 - f, 1 + f]`, `0 <= f <= 1`.
    Proportional(f64),
}

/// Builds a [`Policy`]; start with [`Policy::builder`]. Every time is a
/// [`Duration`]; where the C API takes 0 or infinity for "no limit" / "no
/// cap", `Duration::ZERO` and `Duration::MAX` both mean it. Dimensionless
/// numbers (expo's base, decay's factor, a jitter's spread) are `f64`. The
/// library checks every value; the first refusal is returned by `build`.
#[must_use = "a PolicyBuilder does nothing until build() is called"]
pub struct PolicyBuilder {
    /// NULL only when allocating the policy failed (then `error` says so).
    raw: *mut sys::backoff_policy,
    error: Option<Error>,
}

impl PolicyBuilder {
    pub(crate) fn new() -> PolicyBuilder {
        let mut raw = ptr::null_mut();
        // SAFETY: `raw` is a valid out pointer.
        let status = unsafe { sys::backoff_policy_new(&mut raw) };
        let error = (status != sys::BACKOFF_OK).then(|| Error::new("new", status));
        PolicyBuilder { raw, error }
    }

    /// Calls one C setter unless an earlier one failed. Closures are boxed
    /// inside `call`, so a skipped setter drops its closure normally.
    fn set(
        mut self,
        setter: &'static str,
        call: impl FnOnce(*mut sys::backoff_policy) -> sys::backoff_status,
    ) -> Self {
        if self.error.is_none() {
            let status = call(self.raw);
            // A failed setter frees the closure it was given; its drop may
            // have panicked.
            panic::resume();
            if status != sys::BACKOFF_OK {
                self.error = Some(Error::new(setter, status));
            }
        } else {
            // Dropped here, not after `self` is moved out to be returned: if
            // the drop panics, the unwinding still frees the builder.
            drop(call);
        }
        self
    }

    /// Keeps the first refusal, made by the binding itself.
    fn refuse(mut self, error: Error) -> Self {
        self.error.get_or_insert(error);
        self
    }

    /// Exponential waits: `factor * base^n` for n = 0, 1, 2 … (1, 2, 4, 8 …
    /// seconds by default), capped at `max` (`ZERO` or `MAX`: no cap).
    pub fn wait_expo(self, base: f64, factor: Duration, max: Duration) -> Self {
        let (factor, max) = (to_seconds(factor), to_seconds(max));
        // SAFETY (every setter): `p` is the live policy this builder owns.
        self.set("wait_expo", |p| unsafe { sys::backoff_policy_wait_expo(p, base, factor, max) })
    }

    /// Fibonacci waits: 1, 1, 2, 3, 5 … seconds, capped at `max` (`ZERO` or
    /// `MAX`: no cap).
    pub fn wait_fibo(self, max: Duration) -> Self {
        let max = to_seconds(max);
        self.set("wait_fibo", |p| unsafe { sys::backoff_policy_wait_fibo(p, max) })
    }

    /// The same wait every time (finite: `Duration::MAX` is refused).
    pub fn wait_constant(self, interval: Duration) -> Self {
        let interval = to_seconds(interval);
        self.set("wait_constant", |p| unsafe { sys::backoff_policy_wait_constant(p, interval) })
    }

    /// These waits in order, then give up with [`Reason::Exhausted`](crate::Reason::Exhausted).
    pub fn wait_sequence(self, waits: &[Duration]) -> Self {
        let seconds: Vec<f64> = waits.iter().copied().map(to_seconds).collect();
        self.set("wait_sequence", |p| unsafe {
            sys::backoff_policy_wait_sequence(p, seconds.as_ptr(), seconds.len())
        })
    }

    /// Decaying waits: `initial * e^(-n * factor)`, never below `min`
    /// (`ZERO`: no floor).
    pub fn wait_decay(self, initial: Duration, factor: f64, min: Duration) -> Self {
        let (initial, min) = (to_seconds(initial), to_seconds(min));
        self.set("wait_decay", |p| unsafe { sys::backoff_policy_wait_decay(p, initial, factor, min) })
    }

    /// Linear waits: `start + n * increment`, capped at `max` (`ZERO` or
    /// `MAX`: no cap).
    pub fn wait_linear(self, start: Duration, increment: Duration, max: Duration) -> Self {
        let (start, increment, max) = (to_seconds(start), to_seconds(increment), to_seconds(max));
        self.set("wait_linear", |p| unsafe { sys::backoff_policy_wait_linear(p, start, increment, max) })
    }

    /// Each wait computed by `wait` from the run's details; `None` ends the
    /// run with [`Reason::Exhausted`](crate::Reason::Exhausted).
    pub fn wait_custom<F>(self, wait: F) -> Self
    where
        F: Fn(&Details<'_>) -> Option<Duration> + Send + Sync + 'static,
    {
        self.set("wait_custom", |p| {
            let c = own(wait);
            unsafe { sys::backoff_policy_wait_custom(p, Some(callback::wait::<F>), c.data, c.destroy) }
        })
    }

    /// One of the built-in jitters.
    pub fn jitter(self, jitter: Jitter) -> Self {
        let kind = match jitter {
            Jitter::None => sys::BACKOFF_JITTER_NONE,
            Jitter::Full => sys::BACKOFF_JITTER_FULL,
            Jitter::Random => sys::BACKOFF_JITTER_RANDOM,
            Jitter::Equal => sys::BACKOFF_JITTER_EQUAL,
            Jitter::Decorrelated => sys::BACKOFF_JITTER_DECORRELATED,
            Jitter::Proportional(f) => {
                return self.set("jitter", |p| unsafe { sys::backoff_policy_jitter_proportional(p, f) })
            }
        };
        self.set("jitter", |p| unsafe { sys::backoff_policy_jitter(p, kind as i32) })
    }

    /// A custom jitter: `jitter(wait, uniform)` gives the real wait, with
    /// `uniform` in `[0, 1)` from the run's (seedable) random generator.
    pub fn jitter_custom<F>(self, jitter: F) -> Self
    where
        F: Fn(Duration, f64) -> Duration + Send + Sync + 'static,
    {
        self.set("jitter_custom", |p| {
            let c = own(jitter);
            unsafe { sys::backoff_policy_jitter_custom(p, Some(callback::jitter::<F>), c.data, c.destroy) }
        })
    }

    /// Total attempts, the first included; 0 is unlimited.
    pub fn max_tries(self, tries: u32) -> Self {
        self.set("max_tries", |p| unsafe { sys::backoff_policy_max_tries(p, tries) })
    }

    /// Give up once this long has elapsed since the run started, measured
    /// after each attempt (`ZERO` or `MAX`: unlimited); the last generated
    /// wait is shortened to the time left, and a server hint longer than the
    /// time left gives up at once ([`Reason::Time`](crate::Reason::Time)).
    pub fn max_time(self, limit: Duration) -> Self {
        let seconds = to_seconds(limit);
        self.set("max_time", |p| unsafe { sys::backoff_policy_max_time(p, seconds) })
    }

    /// The longest server hint ([`Verdict::RetryAfter`](crate::Verdict::RetryAfter))
    /// a run will honour: a longer one ends the run at once with
    /// [`Reason::Time`](crate::Reason::Time) rather than sleeping it.
    /// `ZERO` or `MAX`: no cap (the default), so only `max_time` bounds a hint.
    pub fn hint_max(self, max: Duration) -> Self {
        let seconds = to_seconds(max);
        self.set("hint_max", |p| unsafe { sys::backoff_policy_hint_max(p, seconds) })
    }

    /// Counts every run's first attempt in `budget` and asks it before each
    /// retry; a refused retry ends the run with
    /// [`Reason::Budget`](crate::Reason::Budget). The policy keeps its own
    /// reference: `budget` (and its clones) may be dropped. Replaces a budget
    /// set before, also one from a [`spec`](Self::spec).
    pub fn budget(self, budget: &Budget) -> Self {
        let raw = budget.as_ptr();
        // SAFETY: raw is a live budget; the policy takes its own reference.
        self.set("budget", |p| unsafe { sys::backoff_policy_budget(p, raw) })
    }

    /// Adds a hook run before every attempt.
    pub fn on_try<F: Fn(&Details<'_>) + Send + Sync + 'static>(self, hook: F) -> Self {
        self.hook("on_try", sys::backoff_policy_on_try, hook)
    }

    /// Adds a hook run after each failed attempt that will be retried, with
    /// the wait about to be slept.
    pub fn on_backoff<F: Fn(&Details<'_>) + Send + Sync + 'static>(self, hook: F) -> Self {
        self.hook("on_backoff", sys::backoff_policy_on_backoff, hook)
    }

    /// Adds a hook run once after the successful attempt.
    pub fn on_success<F: Fn(&Details<'_>) + Send + Sync + 'static>(self, hook: F) -> Self {
        self.hook("on_success", sys::backoff_policy_on_success, hook)
    }

    /// Adds a hook run once when a run gives up (not after a pass-through).
    pub fn on_giveup<F: Fn(&Details<'_>) + Send + Sync + 'static>(self, hook: F) -> Self {
        self.hook("on_giveup", sys::backoff_policy_on_giveup, hook)
    }

    fn hook<F: Fn(&Details<'_>) + Send + Sync + 'static>(
        self,
        setter: &'static str,
        add: unsafe extern "C" fn(
            *mut sys::backoff_policy,
            sys::backoff_hook_fn,
            *mut std::os::raw::c_void,
            sys::backoff_destroy_fn,
        ) -> sys::backoff_status,
        hook: F,
    ) -> Self {
        self.set(setter, |p| {
            let c = own(hook);
            unsafe { add(p, Some(callback::hook::<F>), c.data, c.destroy) }
        })
    }

    /// Sends the library's log lines to `log(level, message, details)`, one
    /// per backoff and per give-up, e.g. `"Backing off fetch(...) for 0.2s
    /// (rc=1)"`. Levels are Python's logging levels: 20 (INFO) for a backoff
    /// and 40 (ERROR) for a give-up unless changed with
    /// [`log_levels`](Self::log_levels). Silent by default. (The `rc` in the
    /// lines is the binding's verdict code: 1 retry, 2 give up.)
    pub fn log<F: Fn(i32, &str, &Details<'_>) + Send + Sync + 'static>(self, log: F) -> Self {
        self.set("log", |p| {
            let c = own(log);
            unsafe { sys::backoff_policy_log(p, Some(callback::log::<F>), c.data, c.destroy) }
        })
    }

    /// Sends the library's log lines to stderr as "backoff: LEVEL: message".
    pub fn log_stderr(self) -> Self {
        self.set("log_stderr", |p| unsafe {
            sys::backoff_policy_log(p, Some(sys::backoff_log_stderr), ptr::null_mut(), None)
        })
    }

    /// The levels given to the log for a backoff and a give-up (>= 0).
    pub fn log_levels(self, backoff: i32, giveup: i32) -> Self {
        self.set("log_levels", |p| unsafe { sys::backoff_policy_log_levels(p, backoff, giveup) })
    }

    /// Replaces the monotonic clock the library reads (for tests): any origin.
    pub fn clock<F: Fn() -> Duration + Send + Sync + 'static>(self, clock: F) -> Self {
        self.set("clock", |p| {
            let c = own(clock);
            unsafe { sys::backoff_policy_clock(p, Some(callback::clock::<F>), c.data, c.destroy) }
        })
    }

    /// Replaces the sleep between attempts of blocking runs (for tests: record
    /// the waits instead of sleeping). A replaced sleep is not woken by a
    /// [`Cancel`](crate::Cancel); the token is still checked before and after
    /// it. Async runs always sleep on tokio's timer.
    pub fn sleep<F: Fn(Duration) + Send + Sync + 'static>(self, sleep: F) -> Self {
        self.set("sleep", |p| {
            let c = own(sleep);
            unsafe { sys::backoff_policy_sleep(p, Some(callback::sleep::<F>), c.data, c.destroy) }
        })
    }

    /// Seeds the jitter: every run then draws the same random numbers, the
    /// same as in every other language binding.
    pub fn seed(self, seed: u64) -> Self {
        self.set("seed", |p| unsafe { sys::backoff_policy_seed(p, seed) })
    }

    /// Applies a policy spec such as `"expo(base=2,factor=0.5,max=30)
    /// jitter=full tries=5 time=60 seed=7 hint-max=120
    /// budget(ratio=0.2,min=10,window=10)"` (see the C header). All or
    /// nothing. A `budget(...)` there is private to this policy, shared by
    /// all its runs. `retry-on`/`giveup-on` are codes of the C API; in Rust
    /// the run's [`Classify`](crate::Classify) replaces them. A spec holding
    /// a NUL byte is refused.
    pub fn spec(self, spec: &str) -> Self {
        let text = match c_string("spec", spec) {
            Ok(text) => text,
            Err(error) => return self.refuse(error),
        };
        let mut offset = 0usize;
        let mut message = [0 as c_char; 128];
        let mut built = self.set("spec", |p| unsafe {
            sys::backoff_policy_parse(p, text.as_ptr(), &mut offset, message.as_mut_ptr(), message.len())
        });
        if let Some(error) =
            built.error.take_if(|e| e.setter() == "spec" && e.status() == sys::BACKOFF_E_PARSE)
        {
            // SAFETY: the parser always NUL-terminates errmsg.
            let why = unsafe { CStr::from_ptr(message.as_ptr()) }.to_string_lossy();
            built.error = Some(error.with_detail(format!("at byte {offset}: {why}")));
        }
        built
    }

    /// The policy, or the first setter's refusal.
    pub fn build(mut self) -> Result<Policy, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let raw = std::mem::replace(&mut self.raw, ptr::null_mut());
        // SAFETY: from here the Policy owns raw and frees it.
        Ok(unsafe { Policy::from_raw(raw) })
    }
}

impl Drop for PolicyBuilder {
    fn drop(&mut self) {
        // SAFETY: an unbuilt policy is ours alone; free(NULL) is a no-op.
        unsafe { sys::backoff_policy_free(self.raw) };
        panic::resume_unless_panicking();
    }
}

impl std::fmt::Debug for PolicyBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicyBuilder").field("error", &self.error).finish_non_exhaustive()
    }
}
