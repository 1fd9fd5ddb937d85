//! Overhead of a Rust retry run around an operation that does nothing, side
//! by side in one process with the C core it binds (`backoff_run` and the
//! state machine path the binding takes) and with the `backon` crate.
//!
//! Run: `cargo run --release` in this directory, with PKG_CONFIG_PATH and
//! LD_LIBRARY_PATH pointing at a libbackoff build (see docs/rust.md).
//!
//! # Output (stable: bench/run parses it)
//!
//! Lines starting with `#` are comments. Every other line has four
//! tab-separated columns: `case`, `variant`, `statistic`, `value`.
//!
//! - `case`: `success` (the first attempt succeeds) or `retry0` (one
//!   failure, then success after a zero wait; no jitter).
//! - `variant`: `direct` (the operation called directly; `success` only),
//!   `c_backoff_run` (`backoff_run`, details NULL), `c_run_details`
//!   (`backoff_run_ex` with `BACKOFF_RUN_RC_IS_VERDICT` and details_out: the
//!   C path a binding would take that ran its closure from a C attempt
//!   function and still reported a give-up's tries and elapsed), `c_state` (the C state
//!   machine driven by hand as the binding drives it: `backoff_state_start`
//!   with `BACKOFF_RUN_UNREAD_SUCCESS` and `BACKOFF_RUN_RC_IS_VERDICT`,
//!   `_next_begin`, and `_sleep` + `_begin` after a non-zero wait, the
//!   attempt's code being its verdict as in the binding), `libbackoff`
//!   (`policy.retry`), `backon` (its blocking
//!   retry); or a comparison `A-B` / `A/B` of two variants.
//! - `statistic`: `median_ns` / `min_ns` over the rounds (nanoseconds per
//!   call) for a variant; `paired_median_ns` (median over rounds of A - B)
//!   or `paired_median_ratio` (median of A / B) for a comparison. Each
//!   round runs every variant of a case back to back, so a comparison pairs
//!   measurements taken under the same load.
//!
//! `libbackoff-bench one CASE VARIANT CALLS` runs only that variant, CALLS
//! times, and prints nothing: for counting instructions per call under
//! `valgrind --tool=callgrind` (the difference between two CALLS, divided),
//! which machine load does not disturb.

use std::hint::black_box;
use std::os::raw::{c_int, c_void};
use std::ptr;
use std::time::{Duration, Instant};

use backoff_sys as sys;
use backon::{BlockingRetryable, ConstantBuilder, ExponentialBuilder};
use libbackoff::{Jitter, Policy};

const CALLS: u32 = 200_000;
const ROUNDS: usize = 21;

fn ok() -> Result<(), ()> {
    black_box(Ok(()))
}

/// Fails every other call, so each run makes one retry.
fn fails_once(state: &mut bool) -> Result<(), ()> {
    *state = !*state;
    black_box(if *state { Err(()) } else { Ok(()) })
}

extern "C" fn c_ok(_: *mut c_void) -> c_int {
    black_box(0)
}

extern "C" fn c_fails_once(data: *mut c_void) -> c_int {
    // SAFETY: data is the bench's own bool.
    let state = unsafe { &mut *data.cast::<bool>() };
    *state = !*state;
    black_box(c_int::from(*state))
}

/// A C policy: the defaults, or a zero constant wait without jitter.
struct CPolicy(*mut sys::backoff_policy);

impl CPolicy {
    fn new(zero_wait: bool) -> CPolicy {
        let mut p = ptr::null_mut();
        // SAFETY: plain setters on a fresh policy.
        unsafe {
            assert_eq!(sys::backoff_policy_new(&mut p), sys::BACKOFF_OK);
            if zero_wait {
                sys::backoff_policy_wait_constant(p, 0.0);
                sys::backoff_policy_jitter(p, sys::BACKOFF_JITTER_NONE as c_int);
            }
        }
        CPolicy(p)
    }

    fn run(&self, f: extern "C" fn(*mut c_void) -> c_int, data: *mut c_void) -> sys::backoff_status {
        // SAFETY: a live policy and a plain function.
        unsafe { sys::backoff_run(self.0, Some(f), data, ptr::null_mut()) }
    }

    /// backoff_run_ex as a binding calling back into its closure would:
    /// the attempt's code is its verdict, and the details are asked for,
    /// since a give-up reports them (which makes the core measure a
    /// success's end as well).
    fn run_details(&self, f: extern "C" fn(*mut c_void) -> c_int, data: *mut c_void) -> sys::backoff_status {
        let options = sys::backoff_run_options {
            size: std::mem::size_of::<sys::backoff_run_options>(),
            cancel: ptr::null_mut(),
            label: ptr::null(),
            flags: sys::BACKOFF_RUN_UNREAD_SUCCESS | sys::BACKOFF_RUN_RC_IS_VERDICT,
        };
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
        // SAFETY: a live policy, a plain function, options and details
        // valid during the call.
        let status = unsafe { sys::backoff_run_ex(self.0, Some(f), data, &options, &mut d) };
        black_box(d.tries);
        status
    }

    /// The state machine loop the binding runs, in caller memory. `f`
    /// returns 0 or 1: the verdicts SUCCESS and RETRY.
    fn drive(&self, f: extern "C" fn(*mut c_void) -> c_int, data: *mut c_void) -> sys::backoff_status {
        let mut mem = [std::mem::MaybeUninit::<u64>::uninit(); 64];
        let options = sys::backoff_run_options {
            size: std::mem::size_of::<sys::backoff_run_options>(),
            cancel: ptr::null_mut(),
            label: ptr::null(),
            flags: sys::BACKOFF_RUN_UNREAD_SUCCESS | sys::BACKOFF_RUN_RC_IS_VERDICT,
        };
        let mut s = ptr::null_mut();
        // SAFETY: 512 aligned bytes (more than backoff_state_size here), a
        // live policy; the state lives in `mem` and needs no free.
        unsafe {
            let mem = mem.as_mut_ptr().cast();
            let mut status = sys::backoff_state_start(mem, 512, self.0, &options, ptr::null_mut(), &mut s);
            while status == sys::BACKOFF_OK {
                let mut wait = 0.0;
                status = sys::backoff_state_next_begin(s, f(data), &mut wait);
                if status != sys::BACKOFF_RETRY {
                    return status;
                }
                // After a zero wait, next_begin began the next attempt.
                status = match wait > 0.0 {
                    true => match sys::backoff_state_sleep(s, wait) {
                        sys::BACKOFF_OK => sys::backoff_state_begin(s),
                        cancelled => cancelled,
                    },
                    false => sys::BACKOFF_OK,
                };
            }
            status
        }
    }
}

impl Drop for CPolicy {
    fn drop(&mut self) {
        // SAFETY: ours, no run left.
        unsafe { sys::backoff_policy_free(self.0) }
    }
}

/// Nanoseconds per call of one round.
fn round(f: &mut dyn FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..CALLS {
        f();
    }
    start.elapsed().as_nanos() as f64 / f64::from(CALLS)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The variants of one case: a name and one call of it.
type Variants<'a> = Vec<(&'static str, Box<dyn FnMut() + 'a>)>;

/// Runs the variants of one case interleaved, round after round, and prints
/// each variant's statistics and the comparisons (`A-B` and `A/B` by name).
fn case(name: &str, variants: &mut Variants<'_>, comparisons: &[(&str, &str)]) {
    for (_, f) in variants.iter_mut() {
        round(f); // warm up
    }
    let mut times = vec![Vec::with_capacity(ROUNDS); variants.len()];
    for r in 0..ROUNDS {
        // Rotate the order so that no variant always runs first.
        for i in 0..variants.len() {
            let v = (i + r) % variants.len();
            times[v].push(round(&mut variants[v].1));
        }
    }
    for ((variant, _), t) in variants.iter().zip(&times) {
        println!("{name}\t{variant}\tmedian_ns\t{:.1}", median(t.clone()));
        println!("{name}\t{variant}\tmin_ns\t{:.1}", t.iter().copied().fold(f64::INFINITY, f64::min));
    }
    let of = |variant: &str| &times[variants.iter().position(|(n, _)| *n == variant).expect("a variant")];
    for (a, b) in comparisons {
        let pairs = || of(a).iter().zip(of(b));
        println!("{name}\t{a}-{b}\tpaired_median_ns\t{:.1}", median(pairs().map(|(x, y)| x - y).collect()));
        println!(
            "{name}\t{a}/{b}\tpaired_median_ratio\t{:.2}",
            median(pairs().map(|(x, y)| x / y).collect())
        );
    }
}

/// Keeps a result from being optimised away.
fn consume<T>(value: T) {
    let _ = black_box(value);
}

fn variant<'a>(name: &'static str, f: impl FnMut() + 'a) -> (&'static str, Box<dyn FnMut() + 'a>) {
    (name, Box::new(f))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Everything the variants borrow, before the variants.
    let policy = Policy::builder().build().expect("default policy");
    let zero_wait =
        Policy::builder().wait_constant(Duration::ZERO).jitter(Jitter::None).build().expect("policy");
    let (c_default, c_zero) = (CPolicy::new(false), CPolicy::new(true));
    let constant = ConstantBuilder::default().with_delay(Duration::ZERO).without_max_times();
    let (mut a, mut b, mut c, mut d, mut e) = (false, false, false, false, false);

    let mut success: Variants<'_> = vec![
        variant("direct", || consume(ok())),
        variant("c_backoff_run", || consume(c_default.run(c_ok, ptr::null_mut()))),
        variant("c_run_details", || consume(c_default.run_details(c_ok, ptr::null_mut()))),
        variant("c_state", || consume(c_default.drive(c_ok, ptr::null_mut()))),
        variant("libbackoff", || consume(policy.retry(ok))),
        variant("backon", || consume(ok.retry(ExponentialBuilder::default()).call())),
    ];
    let mut retry0: Variants<'_> = vec![
        variant("c_backoff_run", || consume(c_zero.run(c_fails_once, ptr::from_mut(&mut a).cast()))),
        variant("c_run_details", || consume(c_zero.run_details(c_fails_once, ptr::from_mut(&mut e).cast()))),
        variant("c_state", || {
            consume(c_zero.drive(c_fails_once, ptr::from_mut(&mut b).cast()));
        }),
        variant("libbackoff", || consume(zero_wait.retry(|| fails_once(&mut c)))),
        variant("backon", || consume((|| fails_once(&mut d)).retry(constant).call())),
    ];

    if let [one, case, name, calls] = &args[..] {
        assert_eq!(one, "one", "usage: libbackoff-bench [one CASE VARIANT CALLS]");
        let variants = match case.as_str() {
            "success" => &mut success,
            "retry0" => &mut retry0,
            other => panic!("no case {other}"),
        };
        let f = &mut variants.iter_mut().find(|(n, _)| n == name).expect("no such variant").1;
        for _ in 0..calls.parse::<u64>().expect("CALLS is a number") {
            f();
        }
        return;
    }
    assert!(args.is_empty(), "usage: libbackoff-bench [one CASE VARIANT CALLS]");

    println!("# libbackoff Rust bench: ns per call, {ROUNDS} interleaved rounds of {CALLS} calls");
    println!("# library {}", libbackoff::version());
    println!("# case\tvariant\tstatistic\tvalue");
    // SAFETY: a pure function; c_state's memory is 512 bytes.
    assert!(unsafe { sys::backoff_state_size() } <= 512, "c_state needs more memory");
    let comparisons = [
        ("libbackoff", "c_backoff_run"),
        ("libbackoff", "c_state"),
        ("libbackoff", "backon"),
        ("c_run_details", "c_state"),
    ];
    case("success", &mut success, &comparisons);
    case("retry0", &mut retry0, &comparisons);
}
