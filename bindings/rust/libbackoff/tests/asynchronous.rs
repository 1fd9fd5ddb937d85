//! Async runs on tokio's paused clock: the timer sleeps exactly the waits the
//! core decides (rounded up to tokio's millisecond), no thread is blocked,
//! and dropping the future cancels the run. The `tokio` feature is on by
//! default; without it, tests/without_tokio.rs reports these as ignored.
#![cfg(feature = "tokio")]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{secs, Drops};
use libbackoff::{Cancel, Jitter, Policy, Reason, Verdict};
use tokio::time::Instant;

const ATTEMPT: Duration = Duration::from_millis(250);
const TICK: Duration = Duration::from_millis(1);

#[tokio::test(start_paused = true)]
async fn the_timer_sleeps_the_core_s_seeded_waits() {
    // Vectors with a time limit need the vectors' exact clock; tokio's
    // millisecond timer would shift their last wait.
    let vectors: Vec<_> =
        common::vectors().into_iter().filter(|(spec, ..)| !spec.contains("time=")).collect();
    assert!(vectors.len() > 100);
    for (spec, outcome, waits) in vectors {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let policy = Policy::builder()
            .spec(&spec)
            .on_backoff(move |d| record.lock().unwrap().push(d.wait()))
            .build()
            .unwrap();
        let start = Instant::now();
        let failed = policy
            .retry_async(|| async {
                tokio::time::sleep(ATTEMPT).await;
                Err::<(), _>(())
            })
            .await
            .unwrap_err();
        let took = start.elapsed();

        let reason = if outcome == "tries" { Reason::Tries } else { Reason::Exhausted };
        assert_eq!(failed.reason(), reason, "{spec}");
        let expected: Vec<_> = waits.iter().map(|&w| secs(w)).collect();
        assert_eq!(*seen.lock().unwrap(), expected, "{spec}");
        let slept: Duration = expected.iter().sum::<Duration>() + ATTEMPT * failed.tries();
        assert!(
            took >= slept && took <= slept + TICK * (expected.len() as u32 + 1),
            "{spec}: {took:?} vs {slept:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn success_classification_retry_after_and_stats() {
    let policy =
        Policy::builder().jitter(Jitter::None).wait_constant(secs(2.0)).max_tries(5).build().unwrap();
    let mut calls = 0;
    let start = Instant::now();
    let success = policy
        .run()
        .label("async")
        .unwrap()
        .classify(|e: &u32| if *e == 1 { Verdict::RetryAfter(secs(30.0)) } else { Verdict::Retry })
        .retry_async_with_stats(|| {
            calls += 1;
            let n = calls;
            async move {
                if n < 3 {
                    Err(n)
                } else {
                    Ok(n)
                }
            }
        })
        .await
        .unwrap();
    assert_eq!(success.value, 3);
    assert_eq!(success.stats.tries, 3);
    assert_eq!(success.stats.total_wait, secs(32.0));
    assert_eq!(start.elapsed(), secs(32.0));

    let failed = policy
        .run()
        .classify(|_: &&str| Verdict::GiveUp)
        .retry_async(|| async { Err::<(), _>("fatal") })
        .await
        .unwrap_err();
    assert_eq!((failed.reason(), failed.tries(), failed.error()), (Reason::Permanent, 1, Some(&"fatal")));
    assert_eq!(policy.retry_async(|| async { Ok::<_, ()>(7) }).await, Ok(7));
}

#[tokio::test(start_paused = true)]
async fn a_token_wakes_a_sleeping_run() {
    let policy = Policy::builder().wait_constant(secs(3600.0)).jitter(Jitter::None).build().unwrap();
    let cancel = Cancel::new();
    let attempted = Arc::new(tokio::sync::Notify::new());
    let trigger = tokio::spawn({
        let (cancel, attempted) = (cancel.clone(), attempted.clone());
        async move {
            attempted.notified().await;
            cancel.trigger();
        }
    });
    let start = Instant::now();
    let failed = policy
        .run()
        .cancel(&cancel)
        .retry_async(|| {
            attempted.notify_one();
            async { Err::<(), _>("down") }
        })
        .await
        .unwrap_err();
    trigger.await.unwrap();
    assert_eq!((failed.reason(), failed.tries(), failed.error()), (Reason::Cancelled, 1, Some(&"down")));
    assert_eq!(start.elapsed(), Duration::ZERO, "woken at once, not after the hour");
}

#[tokio::test(start_paused = true)]
async fn dropping_the_future_cancels_the_run() {
    let gave_up = Arc::new(Mutex::new(Vec::new()));
    let record = gave_up.clone();
    let policy = Policy::builder()
        .wait_constant(secs(3600.0))
        .on_giveup(move |d| record.lock().unwrap().push((d.tries(), d.reason())))
        .build()
        .unwrap();
    let drops = Drops::default();
    let tracked = drops.track();
    let run = policy.retry_async(move || {
        let _ = &tracked;
        async { Err::<(), _>(()) }
    });
    fn send<T: Send>(value: T) -> T {
        value
    }
    let timed_out = tokio::time::timeout(secs(10.0), send(run)).await;
    assert!(timed_out.is_err());
    assert_eq!(
        *gave_up.lock().unwrap(),
        [(1, Some(Reason::Cancelled))],
        "on_giveup ran once, for the cancellation"
    );
    assert_eq!(drops.count(), 1);
}

async fn broken() -> Result<(), ()> {
    panic!("async operation broke")
}

#[tokio::test(start_paused = true)]
async fn panics_in_async_runs_propagate() {
    let drops = Drops::default();
    let policy = Arc::new(Policy::builder().jitter(Jitter::None).build().unwrap());
    let tracked = drops.track();
    let run = tokio::spawn({
        let policy = policy.clone();
        async move {
            policy
                .retry_async(move || {
                    let _ = &tracked;
                    broken()
                })
                .await
        }
    });
    let payload = run.await.unwrap_err().into_panic();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"async operation broke"));
    assert_eq!(drops.count(), 1);

    let policy = Arc::new(
        Policy::builder().jitter(Jitter::None).on_backoff(|_| panic!("hook broke")).build().unwrap(),
    );
    let payload = tokio::spawn(async move { policy.retry_async(|| async { Err::<(), _>(()) }).await })
        .await
        .unwrap_err()
        .into_panic();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"hook broke"));
}
