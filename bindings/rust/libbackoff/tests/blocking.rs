//! Blocking runs on a fake clock: the injected sleep records the waits the
//! core decided, and nothing really sleeps — except in the two tests of the
//! library's own sleep (a 20 ms sleep, and an hour's sleep a token wakes).

mod common;

use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use common::{failing, secs, FakeTime};
use libbackoff::{Cancel, Failure, Jitter, Policy, PolicyBuilder, Reason, Verdict};

fn fake(builder: PolicyBuilder) -> (Policy, FakeTime) {
    let time = FakeTime::default();
    (time.install(builder).build().unwrap(), time)
}

#[test]
fn retries_until_success_with_the_core_s_waits() {
    let (policy, time) = fake(Policy::builder().jitter(Jitter::None));
    assert_eq!(policy.retry(failing(3)), Ok(4));
    assert_eq!(time.slept(), [secs(1.0), secs(2.0), secs(4.0)]);
}

#[test]
fn every_shared_vector_gives_the_same_waits_and_outcome() {
    let vectors = common::vectors();
    assert!(vectors.len() > 300);
    for (spec, outcome, waits) in vectors {
        let time = FakeTime::default();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let policy = time
            .install(Policy::builder().spec(&spec))
            .on_backoff(move |d| record.lock().unwrap().push(d.wait()))
            .build()
            .unwrap();
        let failed = policy
            .retry(|| {
                time.advance(secs(0.25));
                Err::<(), _>(())
            })
            .unwrap_err();
        assert_eq!(failed.reason(), common::reason(&outcome), "{spec}");
        common::assert_waits(&spec, &seen.lock().unwrap(), &waits);
        // The injected sleep sleeps every wait but the zero ones.
        let nonzero: Vec<f64> = waits.iter().copied().filter(|&w| w > 0.0).collect();
        common::assert_waits(&spec, &time.slept(), &nonzero);
    }
}

#[test]
fn a_seed_makes_jittered_waits_repeat() {
    let (policy, time) = fake(Policy::builder().jitter(Jitter::Full).seed(42).max_tries(6));
    let _ = policy.retry(|| Err::<(), _>(()));
    let _ = policy.retry(|| Err::<(), _>(()));
    let slept = time.slept();
    assert_eq!(slept.len(), 10);
    assert_eq!(slept[..5], slept[5..]);
    assert!(slept[..5].iter().zip([1.0, 2.0, 4.0, 8.0, 16.0]).all(|(w, max)| *w <= secs(max)));
    assert_ne!(slept[..5], [secs(1.0), secs(2.0), secs(4.0), secs(8.0), secs(16.0)]);
}

#[test]
fn giving_up_on_tries_returns_the_last_error_and_statistics() {
    let (policy, time) = fake(Policy::builder().jitter(Jitter::None).max_tries(3));
    let failed = policy.retry(failing(10)).unwrap_err();
    assert_eq!(failed.reason(), Reason::Tries);
    assert_eq!(failed.tries(), 3);
    assert_eq!(failed.error(), Some(&3));
    assert_eq!(failed.elapsed(), time.now());
    assert_eq!(failed.elapsed(), secs(3.0));
    assert_eq!(failed.stats().total_wait, secs(3.0));
    assert_eq!(failed.to_string(), "gave up after 3 tries (tries limit reached): 3");
    assert_eq!(failed.into_error(), Some(3));
}

#[test]
fn giving_up_on_time_cuts_the_last_wait() {
    let (policy, time) =
        fake(Policy::builder().jitter(Jitter::None).wait_constant(secs(4.0)).max_time(secs(10.0)));
    let failed = policy.retry(failing(10)).unwrap_err();
    assert_eq!(failed.reason(), Reason::Time);
    assert_eq!(time.slept(), [secs(4.0), secs(4.0), secs(2.0)]);
    assert_eq!(failed.tries(), 4);
}

#[test]
fn an_exhausted_sequence_gives_up() {
    let (policy, time) = fake(Policy::builder().wait_sequence(&[secs(0.5), secs(1.5)]).jitter(Jitter::None));
    let failed = policy.retry(failing(10)).unwrap_err();
    assert_eq!((failed.reason(), failed.tries()), (Reason::Exhausted, 3));
    assert_eq!(time.slept(), [secs(0.5), secs(1.5)]);
}

#[test]
fn success_reports_statistics() {
    let (policy, time) = fake(Policy::builder().jitter(Jitter::None).wait_constant(secs(0.5)));
    let success = policy
        .retry_with_stats(|| {
            time.advance(secs(0.25));
            if time.now() < secs(1.5) {
                Err(())
            } else {
                Ok("done")
            }
        })
        .unwrap();
    assert_eq!(success.value, "done");
    assert_eq!(success.stats.tries, 3);
    assert_eq!(success.stats.total_wait, secs(1.0));
    assert_eq!(success.stats.elapsed, secs(1.75));
}

#[test]
fn classification_decides_permanent_and_passed_through_errors() {
    let giveups = Arc::new(Mutex::new(0));
    let counter = giveups.clone();
    let (policy, time) = fake(Policy::builder().on_giveup(move |_| *counter.lock().unwrap() += 1));
    let classify = |e: &u32| match e {
        1 => Verdict::Retry,
        2 => Verdict::GiveUp,
        _ => Verdict::PassThrough,
    };

    let failed = policy.run().classify(classify).retry(failing(10)).unwrap_err();
    assert_eq!((failed.reason(), failed.tries(), failed.error()), (Reason::Permanent, 2, Some(&2)));
    assert_eq!(*giveups.lock().unwrap(), 1);

    let failed = policy.run().classify(classify).retry(|| Err::<(), u32>(3)).unwrap_err();
    assert_eq!((failed.reason(), failed.tries()), (Reason::PassedThrough, 1));
    assert_eq!(*giveups.lock().unwrap(), 1, "no hook after a pass-through");
    assert_eq!(time.slept().len(), 1);
}

#[test]
fn retry_after_replaces_one_wait_exactly() {
    let (policy, time) = fake(Policy::builder().jitter(Jitter::None));
    let value = policy
        .run()
        .classify(|e: &u32| if *e == 2 { Verdict::RetryAfter(secs(7.5)) } else { Verdict::Retry })
        .retry(failing(3))
        .unwrap();
    assert_eq!(value, 4);
    // The generator did not advance for the server's wait.
    assert_eq!(time.slept(), [secs(1.0), secs(7.5), secs(2.0)]);
}

#[test]
fn retry_while_polls_until_the_predicate_is_false() {
    let (policy, time) = fake(Policy::builder().jitter(Jitter::None).max_tries(5));
    let mut polls = 0;
    let ready = policy.retry_while(
        || {
            polls += 1;
            polls
        },
        |&n| n < 3,
    );
    assert_eq!(ready.unwrap(), 3);
    assert_eq!(time.slept().len(), 2);

    let failed = policy.retry_while(|| "pending", |s| *s == "pending").unwrap_err();
    assert_eq!((failed.reason(), failed.into_error()), (Reason::Tries, Some("pending")));
}

#[test]
fn hooks_see_each_step() {
    let events = Arc::new(Mutex::new(Vec::new()));
    let log = |name: &'static str| {
        let events = events.clone();
        move |d: &libbackoff::Details<'_>| {
            events.lock().unwrap().push(format!(
                "{name} {} {} {:?} {:?} {:?} {:?}",
                d.label(),
                d.tries(),
                d.elapsed(),
                d.wait(),
                d.total_wait(),
                d.remaining()
            ))
        }
    };
    let (policy, _) = fake(
        Policy::builder()
            .jitter(Jitter::None)
            .max_time(secs(100.0))
            .on_try(log("try"))
            .on_backoff(log("backoff"))
            .on_success(log("success"))
            .on_giveup(log("giveup")),
    );
    policy.run().label("fetch").unwrap().retry(failing(1)).unwrap();
    let rem = |s: f64| format!("{:?}", Some(secs(s)));
    assert_eq!(
        *events.lock().unwrap(),
        [
            format!("try fetch 1 0ns 0ns 0ns {}", rem(100.0)),
            format!("backoff fetch 1 0ns 1s 1s {}", rem(100.0)),
            format!("try fetch 2 1s 1s 1s {}", rem(99.0)),
            format!("success fetch 2 1s 1s 1s {}", rem(99.0)),
        ]
    );
    events.lock().unwrap().clear();
    let _ = policy.run().label("a").unwrap().retry(|| Err::<(), _>(()));
    // Waits 1, 2 … 32, then the last one cut to the 37 s left: the 8th
    // attempt ends at 100 s and the run gives up on time.
    let events = events.lock().unwrap();
    assert_eq!(events.last().unwrap(), &format!("giveup a 8 100s 37s 100s {}", rem(0.0)));
}

#[test]
fn details_debug_shows_the_fields() {
    let seen = Arc::new(Mutex::new(String::new()));
    let out = seen.clone();
    let (policy, _) = fake(Policy::builder().on_try(move |d| *out.lock().unwrap() = format!("{d:?}")));
    policy.retry(|| Ok::<_, ()>(())).unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        "Details { label: \"operation\", tries: 1, elapsed: 0ns, wait: 0ns, total_wait: 0ns, remaining: None, hint: None, reason: None }"
    );
}

#[test]
fn custom_waits_see_the_run_and_can_stop_it() {
    let (policy, time) = fake(
        Policy::builder()
            .wait_custom(|d| (d.tries() < 3).then(|| secs(f64::from(d.tries()) * 10.0)))
            .jitter(Jitter::None),
    );
    let failed = policy.retry(failing(10)).unwrap_err();
    assert_eq!(failed.reason(), Reason::Exhausted);
    assert_eq!(time.slept(), [secs(10.0), secs(20.0)]);
}

#[test]
fn custom_jitter_gets_the_wait_and_a_seeded_uniform() {
    let uniforms = Arc::new(Mutex::new(Vec::new()));
    let record = uniforms.clone();
    let (policy, time) = fake(Policy::builder().seed(3).max_tries(3).jitter_custom(move |wait, u| {
        record.lock().unwrap().push(u);
        wait / 2
    }));
    let _ = policy.retry(failing(10));
    let _ = policy.retry(failing(10));
    assert_eq!(time.slept(), [secs(0.5), secs(1.0), secs(0.5), secs(1.0)]);
    let uniforms = uniforms.lock().unwrap();
    assert!(uniforms.iter().all(|u| (0.0..1.0).contains(u)));
    assert_eq!(uniforms[..2], uniforms[2..]);
}

#[test]
fn a_triggered_token_stops_a_run_before_its_first_attempt() {
    let (policy, _) = fake(Policy::builder());
    let cancel = Cancel::new();
    assert!(!cancel.is_triggered());
    cancel.trigger();
    cancel.trigger();
    assert!(cancel.is_triggered());
    let mut calls = 0;
    let failed = policy
        .run()
        .cancel(&cancel)
        .retry(|| {
            calls += 1;
            Err::<(), _>(())
        })
        .unwrap_err();
    assert_eq!((failed.reason(), failed.tries(), failed.error()), (Reason::Cancelled, 0, None));
    assert_eq!(calls, 0);
    cancel.reset();
    assert!(!cancel.is_triggered());
    assert_eq!(policy.run().cancel(&cancel).retry(failing(1)), Ok(2));
    assert_eq!(format!("{cancel:?}"), "Cancel { triggered: false }");
}

#[test]
fn a_token_triggered_after_a_zero_wait_stops_the_next_attempt() {
    // After a zero wait the core begins the next attempt in the same call
    // that judged this one; a token triggered in between (here by
    // on_backoff, after the core checked it) must still stop that attempt.
    let cancel = Cancel::new();
    let tries = Arc::new(Mutex::new(Vec::new()));
    let (record, trigger) = (tries.clone(), cancel.clone());
    let (policy, time) = fake(
        Policy::builder()
            .wait_constant(Duration::ZERO)
            .on_try(move |d| record.lock().unwrap().push(d.tries()))
            .on_backoff(move |d| {
                if d.tries() == 2 {
                    trigger.trigger();
                }
            }),
    );
    let failed = policy.run().cancel(&cancel).retry(failing(10)).unwrap_err();
    assert_eq!((failed.reason(), failed.tries(), failed.error()), (Reason::Cancelled, 2, Some(&2)));
    assert_eq!(*tries.lock().unwrap(), [1, 2], "the third attempt never began");
    assert!(time.slept().is_empty());
}

/// How long a sleeping run may take to notice its token before the test
/// calls the wake-up broken: far below the hour the run would sleep, far
/// above the millisecond the library promises.
const WAKE_UP_LIMIT: Duration = Duration::from_secs(10);

#[test]
fn triggering_wakes_a_sleeping_run() {
    // No injected sleep: the run sleeps in the library, an hour unless the
    // token wakes it. The run goes on a thread of its own so that a broken
    // wake-up fails this test with a message instead of hanging it.
    let policy =
        Arc::new(Policy::builder().wait_constant(secs(3600.0)).jitter(Jitter::None).build().unwrap());
    let cancel = Cancel::default();
    let (attempted, first_attempt) = mpsc::channel();
    let (ended, end) = mpsc::channel();
    let run = {
        let (policy, cancel) = (policy.clone(), cancel.clone());
        std::thread::spawn(move || {
            let failed = policy
                .run()
                .cancel(&cancel)
                .retry(|| {
                    let _ = attempted.send(());
                    Err::<(), _>("down")
                })
                .unwrap_err();
            let _ = ended.send((failed.reason(), failed.tries(), failed.error().copied()));
        })
    };
    first_attempt.recv_timeout(WAKE_UP_LIMIT).expect("the run made its first attempt");
    // The run is now in (or about to enter) its hour-long sleep.
    let triggered = Instant::now();
    cancel.trigger();
    let outcome = end
        .recv_timeout(WAKE_UP_LIMIT)
        .unwrap_or_else(|_| panic!("the token did not wake the run's 3600 s sleep within {WAKE_UP_LIMIT:?}"));
    let woken_after = triggered.elapsed();
    run.join().unwrap();
    assert_eq!(outcome, (Reason::Cancelled, 1, Some("down")));
    assert!(woken_after < WAKE_UP_LIMIT, "woken after {woken_after:?}");
}

#[test]
fn real_sleeps_without_a_token_still_happen() {
    // The library's own sleep, without a token: 20 ms really pass. Only the
    // lower bound is asserted, the one a busy machine cannot break.
    const WAIT: Duration = Duration::from_millis(20);
    let policy = Policy::builder().wait_constant(WAIT).jitter(Jitter::None).build().unwrap();
    let start = Instant::now();
    let success = policy.retry_with_stats(failing(1)).unwrap();
    let took = start.elapsed();
    assert_eq!((success.value, success.stats.total_wait), (2, WAIT));
    assert!(took >= WAIT, "slept {took:?}, expected at least {WAIT:?}");
    assert!(success.stats.elapsed >= WAIT, "the core's clock saw {:?}", success.stats.elapsed);
}

#[test]
fn giveup_hooks_see_the_reason() {
    let reasons = Arc::new(Mutex::new(Vec::new()));
    let record = reasons.clone();
    let (policy, _) = fake(
        Policy::builder()
            .max_tries(2)
            .on_backoff({
                let record = reasons.clone();
                move |d| record.lock().unwrap().push(d.reason())
            })
            .on_giveup(move |d| record.lock().unwrap().push(d.reason())),
    );
    let _ = policy.retry(failing(5));
    let _ = policy.run().classify(|_: &u32| Verdict::GiveUp).retry(failing(5));
    assert_eq!(*reasons.lock().unwrap(), [None, Some(Reason::Tries), Some(Reason::Permanent)]);
}

#[test]
fn log_lines_come_from_the_core() {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let record = lines.clone();
    let (policy, _) = fake(Policy::builder().jitter(Jitter::None).max_tries(2).log_levels(25, 45).log(
        move |level, message, d| record.lock().unwrap().push(format!("{level} {} {message}", d.tries())),
    ));
    let _ = policy.run().label("fetch").unwrap().retry(failing(5));
    let lines = lines.lock().unwrap();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("25 1 Backing off fetch(...) for 1"), "{}", lines[0]);
    assert!(lines[1].starts_with("45 2 Giving up fetch(...) after 2 tries"), "{}", lines[1]);

    let error = Policy::builder().log_levels(-1, 40).build().unwrap_err();
    assert_eq!(error.setter(), "log_levels");
    // The ready stderr logger: a run with it works (its output goes to stderr).
    let (policy, _) = fake(Policy::builder().log_stderr().max_tries(2));
    assert_eq!(policy.retry(failing(1)), Ok(2));
}

#[test]
fn failures_carry_their_own_verdict() {
    let (policy, time) = fake(Policy::builder().jitter(Jitter::None));
    let mut calls = 0;
    let value = policy
        .run()
        .classify(Failure::verdict)
        .retry(|| -> Result<u32, Failure<std::io::Error>> {
            calls += 1;
            match calls {
                1 => Err(Failure::transient(std::io::Error::other("reset"))),
                2 => Err(Failure::retry_after(secs(3.0), std::io::Error::other("429"))),
                3 => Err(std::io::Error::other("reset"))?,
                _ => Ok(calls),
            }
        })
        .unwrap();
    assert_eq!(value, 4);
    assert_eq!(time.slept(), [secs(1.0), secs(3.0), secs(2.0)]);

    let failure = Failure::permanent(std::io::Error::other("forbidden"));
    assert_eq!(failure.verdict(), Verdict::GiveUp);
    assert_eq!(failure.to_string(), "forbidden");
    assert_eq!(std::error::Error::source(&failure).unwrap().to_string(), "forbidden");
    assert_eq!(failure.inner().kind(), std::io::ErrorKind::Other);
    assert_eq!(Failure::from(5).into_inner(), 5);
}

#[test]
fn give_ups_chain_their_error() {
    let (policy, _) = fake(Policy::builder().max_tries(1));
    let failed = policy.retry(|| Err::<(), _>(std::io::Error::other("down"))).unwrap_err();
    let source = std::error::Error::source(&failed).expect("the last error is the source");
    assert_eq!(source.to_string(), "down");

    let cancel = Cancel::new();
    cancel.trigger();
    let cancelled =
        policy.run().cancel(&cancel).retry(|| Err::<(), _>(std::io::Error::other("down"))).unwrap_err();
    assert_eq!(cancelled.to_string(), "gave up after 0 tries (cancelled)");
    assert!(std::error::Error::source(&cancelled).is_none());
}
