//! Every setter: each accepted value takes effect (observed in the waits,
//! limits and hooks of a run on a fake clock), refused ones name the setter
//! and carry the library's message, and strings holding a NUL byte are
//! refused before they reach C.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use common::{secs, FakeTime, Waits};
use libbackoff::{Budget, Error, Jitter, Policy, PolicyBuilder, Reason, Verdict};

fn refused(builder: PolicyBuilder) -> Error {
    builder.build().expect_err("the library should refuse this")
}

/// Runs `builder`'s policy on a fake clock with an operation that always
/// fails: why it gave up, after how many tries, and the waits decided (as
/// on_backoff saw them: the core sleeps no zero wait).
fn always_failing(builder: PolicyBuilder) -> (Reason, u32, Vec<Duration>) {
    let (time, waits) = (FakeTime::default(), Waits::default());
    let policy = waits.install(time.install(builder)).build().unwrap();
    let failed = policy.retry(|| Err::<(), _>(())).unwrap_err();
    let waits = waits.seen();
    let nonzero: Vec<_> = waits.iter().copied().filter(|w| !w.is_zero()).collect();
    assert_eq!(time.slept(), nonzero, "the injected sleep slept every wait decided");
    (failed.reason(), failed.tries(), waits)
}

fn no_jitter() -> PolicyBuilder {
    Policy::builder().jitter(Jitter::None)
}

fn all_secs(waits: &[f64]) -> Vec<Duration> {
    waits.iter().map(|&w| secs(w)).collect()
}

#[test]
fn each_wait_setter_gives_its_waits() {
    let cases: [(PolicyBuilder, Reason, u32, Vec<Duration>); 9] = [
        (
            no_jitter().max_tries(6).wait_expo(3.0, secs(0.5), secs(10.0)),
            Reason::Tries,
            6,
            all_secs(&[0.5, 1.5, 4.5, 10.0, 10.0]),
        ),
        (
            no_jitter().max_tries(6).wait_fibo(Duration::ZERO),
            Reason::Tries,
            6,
            all_secs(&[1.0, 1.0, 2.0, 3.0, 5.0]),
        ),
        (
            no_jitter().max_tries(6).wait_fibo(secs(2.5)),
            Reason::Tries,
            6,
            all_secs(&[1.0, 1.0, 2.0, 2.5, 2.5]),
        ),
        (no_jitter().max_tries(3).wait_constant(Duration::ZERO), Reason::Tries, 3, vec![Duration::ZERO; 2]),
        (no_jitter().max_tries(3).wait_constant(secs(0.25)), Reason::Tries, 3, all_secs(&[0.25, 0.25])),
        (no_jitter().wait_sequence(&[secs(0.1), secs(0.2)]), Reason::Exhausted, 3, all_secs(&[0.1, 0.2])),
        (
            no_jitter().max_tries(5).wait_decay(secs(5.0), 1.0, secs(1.0)),
            Reason::Tries,
            5,
            all_secs(&[5.0, 5.0 * (-1.0f64).exp(), 1.0, 1.0]),
        ),
        (
            no_jitter().max_tries(5).wait_linear(secs(1.0), secs(2.0), Duration::ZERO),
            Reason::Tries,
            5,
            all_secs(&[1.0, 3.0, 5.0, 7.0]),
        ),
        (
            no_jitter().max_tries(5).wait_linear(secs(1.0), secs(2.0), secs(4.0)),
            Reason::Tries,
            5,
            all_secs(&[1.0, 3.0, 4.0, 4.0]),
        ),
    ];
    for (n, (builder, reason, tries, waits)) in cases.into_iter().enumerate() {
        let (seen_reason, seen_tries, slept) = always_failing(builder);
        assert_eq!((seen_reason, seen_tries), (reason, tries), "case {n}");
        assert_eq!(slept.len(), waits.len(), "case {n}");
        for (seen, expected) in slept.iter().zip(&waits) {
            assert!(seen.abs_diff(*expected) <= Duration::from_nanos(1), "case {n}: {slept:?} != {waits:?}");
        }
    }
}

#[test]
fn caps_given_as_duration_max_mean_no_cap() {
    let capped = |max| always_failing(no_jitter().max_tries(4).wait_expo(10.0, secs(1.0), max)).2;
    assert_eq!(capped(Duration::MAX), all_secs(&[1.0, 10.0, 100.0]));
    assert_eq!(capped(Duration::ZERO), all_secs(&[1.0, 10.0, 100.0]));
    assert_eq!(capped(secs(50.0)), all_secs(&[1.0, 10.0, 50.0]));
}

#[test]
fn custom_waits_and_jitter_take_effect() {
    assert_eq!(always_failing(no_jitter().wait_custom(|_| None)), (Reason::Exhausted, 1, vec![]));
    // Some(Duration::MAX) is an infinite wait: the core stops the run.
    assert_eq!(
        always_failing(no_jitter().wait_custom(|_| Some(Duration::MAX))),
        (Reason::Exhausted, 1, vec![])
    );
    let quartered = always_failing(Policy::builder().max_tries(4).jitter_custom(|w, _| w / 4));
    assert_eq!(quartered, (Reason::Tries, 4, all_secs(&[0.25, 0.5, 1.0])));
}

#[test]
fn limits_take_effect_and_zero_or_max_is_unlimited() {
    assert_eq!(always_failing(no_jitter().max_tries(3)).1, 3);
    let (reason, tries, slept) = always_failing(no_jitter().wait_constant(secs(4.0)).max_time(secs(10.0)));
    assert_eq!((reason, tries, slept), (Reason::Time, 4, all_secs(&[4.0, 4.0, 2.0])));
    for unlimited in [
        no_jitter().wait_constant(Duration::ZERO).max_tries(0).max_time(Duration::ZERO),
        no_jitter().wait_constant(Duration::ZERO).max_time(Duration::MAX),
    ] {
        let time = FakeTime::default();
        let policy = time.install(unlimited).build().unwrap();
        assert_eq!(policy.retry(common::failing(200)), Ok(201), "no limit stops 200 failures");
    }
}

#[test]
fn hooks_clock_and_sleep_take_effect() {
    let counts: Arc<[AtomicU32; 4]> = Arc::default();
    let count = |i: usize| {
        let counts = counts.clone();
        move |_: &libbackoff::Details<'_>| {
            counts[i].fetch_add(1, Ordering::SeqCst);
        }
    };
    let time = FakeTime::default();
    let policy = time
        .install(no_jitter().max_tries(3))
        .on_try(count(0))
        .on_backoff(count(1))
        .on_success(count(2))
        .on_giveup(count(3))
        .build()
        .unwrap();
    let success = policy.retry_with_stats(common::failing(1)).unwrap();
    let _ = policy.retry(common::failing(5));
    let seen: Vec<u32> = counts.iter().map(|c| c.load(Ordering::SeqCst)).collect();
    assert_eq!(seen, [5, 3, 1, 1], "on_try, on_backoff, on_success, on_giveup");
    // The injected clock measured the injected sleep: 1 s on the first run.
    assert_eq!((success.stats.elapsed, time.slept()[0]), (secs(1.0), secs(1.0)));
    assert_eq!(time.now(), secs(4.0));
}

#[test]
fn seed_and_every_jitter_match_the_spec_s() {
    fn waits(builder: PolicyBuilder) -> Vec<Duration> {
        always_failing(builder.max_tries(6)).2
    }
    let jitters = [
        (Jitter::None, "none"),
        (Jitter::Full, "full"),
        (Jitter::Random, "random"),
        (Jitter::Equal, "equal"),
        (Jitter::Decorrelated, "decorrelated"),
        (Jitter::Proportional(0.25), "proportional(0.25)"),
    ];
    let mut all = Vec::new();
    for (jitter, name) in jitters {
        let ours = waits(Policy::builder().jitter(jitter).seed(7));
        assert_eq!(ours, waits(Policy::builder().jitter(jitter).seed(7)), "{name}: seeded waits repeat");
        assert_eq!(ours, waits(Policy::builder().spec(&format!("jitter={name} seed=7"))), "{name}");
        all.push(ours);
    }
    for (i, a) in all.iter().enumerate() {
        assert!(all[i + 1..].iter().all(|b| a != b), "jitter {i} is unlike every other");
    }
    assert_ne!(waits(Policy::builder().seed(7)), waits(Policy::builder().seed(8)));
}

#[test]
fn a_spec_sets_everything_it_names() {
    let spec = "expo(base=2,factor=0.5,max=3) jitter=none tries=6 time=60 hint-max=100";
    assert_eq!(
        always_failing(Policy::builder().spec(spec)),
        (Reason::Tries, 6, all_secs(&[0.5, 1.0, 2.0, 3.0, 3.0]))
    );
    let (reason, tries, _) =
        always_failing(Policy::builder().spec("constant(interval=7) jitter=none time=20"));
    assert_eq!((reason, tries), (Reason::Time, 4));
}

#[test]
fn hint_max_and_budget_take_effect() {
    let run = |builder: PolicyBuilder| {
        let time = FakeTime::default();
        let policy = time.install(builder.jitter(Jitter::None).max_tries(3)).build().unwrap();
        let failed = policy
            .run()
            .classify(|_: &()| Verdict::RetryAfter(secs(6.0)))
            .retry(|| Err::<(), _>(()))
            .unwrap_err();
        (failed.reason(), failed.tries(), time.slept())
    };
    assert_eq!(run(Policy::builder()), (Reason::Tries, 3, all_secs(&[6.0, 6.0])));
    assert_eq!(run(Policy::builder().hint_max(secs(6.0))), (Reason::Tries, 3, all_secs(&[6.0, 6.0])));
    assert_eq!(run(Policy::builder().hint_max(secs(5.0))), (Reason::Time, 1, vec![]));
    assert_eq!(run(Policy::builder().hint_max(Duration::ZERO)).0, Reason::Tries);
    let no_retries = Budget::with_clock(0.0, 0.0, secs(1.0), Duration::default).unwrap();
    assert_eq!(run(Policy::builder().budget(&no_retries)), (Reason::Budget, 1, vec![]));
}

#[test]
fn each_refusal_names_its_setter() {
    let cases = [
        (Policy::builder().wait_expo(f64::NAN, secs(1.0), Duration::ZERO), "wait_expo"),
        (Policy::builder().wait_expo(2.0, Duration::ZERO, Duration::ZERO), "wait_expo"),
        (Policy::builder().wait_constant(Duration::MAX), "wait_constant"),
        (Policy::builder().wait_sequence(&[]), "wait_sequence"),
        (Policy::builder().wait_sequence(&[secs(1.0), Duration::MAX]), "wait_sequence"),
        (Policy::builder().wait_decay(Duration::ZERO, 1.0, Duration::ZERO), "wait_decay"),
        (Policy::builder().wait_decay(secs(1.0), -1.0, Duration::ZERO), "wait_decay"),
        (Policy::builder().wait_linear(Duration::MAX, secs(1.0), Duration::ZERO), "wait_linear"),
        (Policy::builder().jitter(Jitter::Proportional(2.0)), "jitter"),
        (Policy::builder().log_levels(-1, 40), "log_levels"),
    ];
    for (builder, setter) in cases {
        let error = refused(builder);
        assert_eq!(error.setter(), setter);
        assert_eq!(error.status(), backoff_sys::BACKOFF_E_INVALID);
        assert!(error.message().contains("invalid"), "{}", error.message());
        assert!(error.to_string().starts_with(&format!("{setter}: ")));
        assert_eq!(error.detail(), None);
    }
}

#[test]
fn the_first_refusal_wins_and_later_closures_are_dropped() {
    let drops = common::Drops::default();
    let tracked = drops.track();
    let error = refused(
        Policy::builder().wait_constant(Duration::MAX).wait_sequence(&[]).spec("bad\0").on_try(move |_| {
            let _ = &tracked;
        }),
    );
    assert_eq!(error.setter(), "wait_constant");
    assert_eq!(drops.count(), 1);
}

#[test]
fn a_bad_spec_says_where() {
    let error = refused(Policy::builder().spec("expo(base=2) tries=lots"));
    assert_eq!(error.setter(), "spec");
    assert_eq!(error.status(), backoff_sys::BACKOFF_E_PARSE);
    let detail = error.detail().expect("the parser explains");
    assert!(detail.starts_with("at byte 19"), "{detail}");
    assert!(error.to_string().contains(detail));
}

#[test]
fn strings_holding_a_nul_byte_are_refused_before_c() {
    // C would read "tries=2" and ignore the rest.
    let error = refused(Policy::builder().spec("tries=2\0tries=3"));
    assert_eq!((error.setter(), error.status()), ("spec", backoff_sys::BACKOFF_E_INVALID));
    assert_eq!(error.detail(), Some("the text holds a NUL byte at byte 7"));
    assert_eq!(error.to_string(), format!("spec: {} (the text holds a NUL byte at byte 7)", error.message()));
    let error = refused(Policy::builder().spec("\0expo(base=nan)"));
    assert_eq!(error.detail(), Some("the text holds a NUL byte at byte 0"));

    let policy = Policy::builder().build().unwrap();
    let error = policy.run().label("fetch\0users").unwrap_err();
    assert_eq!((error.setter(), error.status()), ("label", backoff_sys::BACKOFF_E_INVALID));
    assert_eq!(error.detail(), Some("the text holds a NUL byte at byte 5"));

    let error = libbackoff::parse_retry_after("120\0junk", SystemTime::now()).unwrap_err();
    assert_eq!((error.setter(), error.status()), ("parse_retry_after", backoff_sys::BACKOFF_E_INVALID));
    assert_eq!(error.detail(), Some("the text holds a NUL byte at byte 3"));
}

#[test]
fn policies_and_tokens_cross_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Policy>();
    shareable::<libbackoff::Cancel>();
    shareable::<Budget>();
    let policy = Arc::new(no_jitter().sleep(|_| {}).build().unwrap());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let policy = policy.clone();
            std::thread::spawn(move || policy.retry(common::failing(2)))
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap().unwrap(), 3);
    }
}

#[test]
fn version_is_the_library_s() {
    assert_eq!(libbackoff::version(), "1.1.0");
    assert!(format!("{:?}", Policy::builder().build().unwrap()).starts_with("Policy"));
}
