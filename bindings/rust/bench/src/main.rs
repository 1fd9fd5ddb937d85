//! Overhead of a retry run around an operation that does nothing, next to
//! calling the operation directly and to the `backon` crate's blocking retry.
//! Prints nanoseconds per call (best of several rounds) and the ratio
//! libbackoff / backon.

use std::hint::black_box;
use std::time::{Duration, Instant};

use backon::{BlockingRetryable, ConstantBuilder, ExponentialBuilder};
use libbackoff::{Jitter, Policy};

const CALLS: u32 = 1_000_000;
const ROUNDS: usize = 7;

/// Best time per call over several rounds: the least disturbed by others.
fn per_call(mut f: impl FnMut()) -> f64 {
    (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..CALLS {
                f();
            }
            start.elapsed().as_nanos() as f64 / f64::from(CALLS)
        })
        .fold(f64::INFINITY, f64::min)
}

fn ok() -> Result<(), ()> {
    black_box(Ok(()))
}

/// Fails every other call, so each run makes one retry.
fn fails_once(state: &mut bool) -> Result<(), ()> {
    *state = !*state;
    black_box(if *state { Err(()) } else { Ok(()) })
}

fn main() {
    let policy = Policy::builder().build().expect("default policy");
    let zero_wait = Policy::builder().wait_constant(0.0).jitter(Jitter::None).build().expect("policy");

    let direct = per_call(|| {
        let _ = black_box(ok());
    });
    let ours = per_call(|| {
        let _ = black_box(policy.retry(ok));
    });
    let theirs = per_call(|| {
        let _ = black_box(ok.retry(ExponentialBuilder::default()).call());
    });
    println!("success at once:   direct {direct:6.1} ns   libbackoff {ours:6.1} ns   backon {theirs:6.1} ns   ratio {:.2}", ours / theirs);

    let mut state = false;
    let ours_retry = per_call(|| {
        let _ = black_box(zero_wait.retry(|| fails_once(&mut state)));
    });
    let constant = ConstantBuilder::default().with_delay(Duration::ZERO).without_max_times();
    let theirs_retry = per_call(|| {
        let _ = black_box((|| fails_once(&mut state)).retry(constant).call());
    });
    println!(
        "one retry, 0 wait:                    libbackoff {ours_retry:6.1} ns   backon {theirs_retry:6.1} ns   ratio {:.2}",
        ours_retry / theirs_retry
    );
}
