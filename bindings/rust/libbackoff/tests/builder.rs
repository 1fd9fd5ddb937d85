//! Every setter: accepted values build, refused ones name the setter and
//! carry the library's message.

use libbackoff::{Error, Jitter, Policy, PolicyBuilder};

fn refused(builder: PolicyBuilder) -> Error {
    builder.build().expect_err("the library should refuse this")
}

#[test]
fn accepted_values_build() {
    let policies = [
        Policy::builder().wait_expo(3.0, 0.5, 10.0),
        Policy::builder().wait_fibo(0.0),
        Policy::builder().wait_constant(0.0),
        Policy::builder().wait_sequence(&[0.1, 0.2]),
        Policy::builder().wait_decay(5.0, 0.5, 0.1),
        Policy::builder().wait_linear(1.0, 2.0, 0.0),
        Policy::builder().wait_custom(|_| None),
        Policy::builder().jitter_custom(|w, _| w),
        Policy::builder().max_tries(0).max_time(0.0),
        Policy::builder().on_try(|_| {}).on_backoff(|_| {}).on_success(|_| {}).on_giveup(|_| {}),
        Policy::builder().clock(Default::default).sleep(|_| {}).seed(7),
        Policy::builder().spec("expo(base=2,factor=0.5,max=30) jitter=full tries=5 time=60 seed=7"),
    ];
    for builder in policies {
        builder.build().unwrap();
    }
    for jitter in [
        Jitter::None,
        Jitter::Full,
        Jitter::Random,
        Jitter::Equal,
        Jitter::Decorrelated,
        Jitter::Proportional(0.25),
    ] {
        Policy::builder().jitter(jitter).build().unwrap();
    }
}

#[test]
fn each_refusal_names_its_setter() {
    let cases = [
        (Policy::builder().wait_expo(f64::NAN, 1.0, 0.0), "wait_expo"),
        (Policy::builder().wait_fibo(-1.0), "wait_fibo"),
        (Policy::builder().wait_constant(f64::INFINITY), "wait_constant"),
        (Policy::builder().wait_sequence(&[]), "wait_sequence"),
        (Policy::builder().wait_decay(0.0, 1.0, 0.0), "wait_decay"),
        (Policy::builder().wait_linear(-1.0, 1.0, 0.0), "wait_linear"),
        (Policy::builder().jitter(Jitter::Proportional(2.0)), "jitter"),
        (Policy::builder().max_time(f64::NAN), "max_time"),
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
    let error = refused(Policy::builder().max_time(-1.0).wait_constant(-1.0).on_try(move |_| {
        let _ = &tracked;
    }));
    assert_eq!(error.setter(), "max_time");
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

    let error = refused(Policy::builder().spec("tries=1\0"));
    assert_eq!((error.setter(), error.status()), ("spec", backoff_sys::BACKOFF_E_INVALID));
}

#[test]
fn policies_and_tokens_cross_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Policy>();
    shareable::<libbackoff::Cancel>();
    let policy = std::sync::Arc::new(Policy::builder().jitter(Jitter::None).sleep(|_| {}).build().unwrap());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let policy = policy.clone();
            std::thread::spawn(move || {
                let mut calls = 0;
                policy.retry(|| {
                    calls += 1;
                    if calls < 3 {
                        Err(())
                    } else {
                        Ok(calls)
                    }
                })
            })
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

mod common;
