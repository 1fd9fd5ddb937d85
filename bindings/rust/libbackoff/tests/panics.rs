//! A panic in the operation, a classifier or any closure the library calls
//! comes out of the run as a Rust panic: it never crosses the C boundary (the
//! process would abort), and every captured value is still dropped.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use common::{Drops, FakeTime};
use libbackoff::{Jitter, Policy, PolicyBuilder, Verdict};

fn message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Builds a policy with `configure`, runs a failing-twice operation, and
/// returns the panic message; checks the closures' captures were dropped
/// with the policy.
fn panic_of(configure: impl FnOnce(PolicyBuilder, &Drops) -> PolicyBuilder) -> String {
    let drops = Drops::default();
    let policy = configure(FakeTime::default().install(Policy::builder()), &drops).build().unwrap();
    let mut calls = 0;
    let payload = catch_unwind(AssertUnwindSafe(|| {
        policy.retry(|| {
            calls += 1;
            if calls < 3 {
                Err(())
            } else {
                Ok(())
            }
        })
    }))
    .expect_err("the run should panic");
    // The policy survives a panic and can run again.
    let _ = catch_unwind(AssertUnwindSafe(|| policy.retry(|| Ok::<_, ()>(()))));
    let captured = drops.count();
    drop(policy);
    assert_eq!(drops.count(), captured + 1, "the closure's capture is dropped once, with the policy");
    message(payload)
}

#[test]
fn a_panicking_operation_propagates_and_drops_its_captures() {
    let (policy, drops) = (Policy::builder().sleep(|_| {}).build().unwrap(), Drops::default());
    let tracked = drops.track();
    let payload = catch_unwind(AssertUnwindSafe(|| {
        let tracked = tracked;
        policy.retry(move || -> Result<(), ()> {
            let _ = &tracked;
            panic!("operation broke")
        })
    }))
    .unwrap_err();
    assert_eq!(message(payload), "operation broke");
    assert_eq!(drops.count(), 1);
}

#[test]
fn a_panicking_classifier_propagates() {
    let policy = Policy::builder().sleep(|_| {}).build().unwrap();
    let payload = catch_unwind(AssertUnwindSafe(|| {
        policy.run().classify(|_: &()| -> Verdict { panic!("classifier broke") }).retry(|| Err::<(), _>(()))
    }))
    .unwrap_err();
    assert_eq!(message(payload), "classifier broke");
}

#[test]
fn panics_in_each_hook_propagate() {
    for hook in ["on_try", "on_backoff", "on_success", "on_giveup"] {
        let text = panic_of(|b, drops| {
            let tracked = drops.track();
            let f = move |_: &libbackoff::Details<'_>| {
                let _ = &tracked;
                panic!("{hook} broke")
            };
            match hook {
                "on_try" => b.on_try(f),
                "on_backoff" => b.on_backoff(f),
                "on_success" => b.on_success(f),
                _ => b.on_giveup(f).max_tries(1),
            }
        });
        assert_eq!(text, format!("{hook} broke"));
    }
}

#[test]
fn panics_in_custom_waits_jitter_and_clock_propagate() {
    let text = panic_of(|b, drops| {
        let tracked = drops.track();
        b.wait_custom(move |_| {
            let _ = &tracked;
            panic!("wait broke")
        })
    });
    assert_eq!(text, "wait broke");

    let text = panic_of(|b, drops| {
        let tracked = drops.track();
        b.jitter_custom(move |_, _| {
            let _ = &tracked;
            panic!("jitter broke")
        })
    });
    assert_eq!(text, "jitter broke");

    let text = panic_of(|b, drops| {
        let tracked = drops.track();
        b.clock(move || {
            let _ = &tracked;
            panic!("clock broke")
        })
        .on_try(|_| {})
    });
    assert_eq!(text, "clock broke");

    let text = panic_of(|b, drops| {
        let tracked = drops.track();
        b.log(move |_, _, _| {
            let _ = &tracked;
            panic!("log broke")
        })
    });
    assert_eq!(text, "log broke");
}

#[test]
fn panics_in_the_sleep_and_a_budget_s_clock_propagate() {
    // The injected sleep is called by the core (backoff_state_sleep).
    let text = panic_of(|b, drops| {
        let tracked = drops.track();
        b.sleep(move |_| {
            let _ = &tracked;
            panic!("sleep broke")
        })
    });
    assert_eq!(text, "sleep broke");

    let broken_budget = |drops: &Drops| {
        let tracked = drops.track();
        libbackoff::Budget::with_clock(0.2, 10.0, std::time::Duration::from_secs(10), move || {
            let _ = &tracked;
            panic!("budget clock broke")
        })
        .unwrap()
    };
    // The policy holds the budget's last reference, so its clock goes with it.
    let text = panic_of(|b, drops| b.budget(&broken_budget(drops)));
    assert_eq!(text, "budget clock broke");
    let budget = broken_budget(&Drops::default());
    let payload = catch_unwind(AssertUnwindSafe(|| budget.stats())).unwrap_err();
    assert_eq!(message(payload), "budget clock broke");
}

#[test]
fn only_the_first_panic_of_a_call_is_resumed() {
    let text = panic_of(|b, drops| {
        let tracked = drops.track();
        b.on_backoff(move |_| {
            let _ = &tracked;
            panic!("first")
        })
        .on_backoff(|_| panic!("second"))
    });
    assert_eq!(text, "first");
}

struct PanicsOnDrop;

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        panic!("drop broke");
    }
}

#[test]
fn a_capture_that_panics_when_freed_propagates_from_drop() {
    let guard = PanicsOnDrop;
    let policy = Policy::builder()
        .on_try(move |_| {
            let _ = &guard;
        })
        .jitter(Jitter::None)
        .build()
        .unwrap();
    let payload = catch_unwind(AssertUnwindSafe(|| drop(policy))).unwrap_err();
    assert_eq!(message(payload), "drop broke");

    // Dropped by a setter skipped after an earlier refusal.
    let guard = PanicsOnDrop;
    let payload = catch_unwind(AssertUnwindSafe(|| {
        Policy::builder().wait_constant(std::time::Duration::MAX).on_try(move |_| {
            let _ = &guard;
        })
    }))
    .unwrap_err();
    assert_eq!(message(payload), "drop broke");
}
