//! Retry budgets from Rust: the core's rule, counted over runs, policies and
//! threads, with a refusal surfacing as `Reason::Budget`. Every budget here
//! has its own fake clock, frozen unless a test moves it; runs use the
//! policy's fake clock and sleep. Nothing really waits.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{secs, Drops, FakeTime};
use libbackoff::{Budget, BudgetStats, Jitter, Policy, PolicyBuilder, Reason, Verdict};

/// A clock the test moves by hand, in nanoseconds.
#[derive(Clone, Default)]
struct Hand(Arc<AtomicU64>);

impl Hand {
    fn budget(&self, ratio: f64, min_per_second: f64, window: Duration) -> Budget {
        let now = self.0.clone();
        Budget::with_clock(ratio, min_per_second, window, move || {
            Duration::from_nanos(now.load(Ordering::SeqCst))
        })
        .unwrap()
    }

    fn advance(&self, by: Duration) {
        self.0.fetch_add(by.as_nanos() as u64, Ordering::SeqCst);
    }
}

fn policy(builder: PolicyBuilder) -> Policy {
    FakeTime::default().install(builder.jitter(Jitter::None)).build().unwrap()
}

/// Runs that always fail, each counting its attempts into `attempts`.
fn failing_runs(policy: &Policy, runs: usize, attempts: &mut u64) -> Vec<Reason> {
    (0..runs)
        .map(|_| {
            policy
                .retry(|| {
                    *attempts += 1;
                    Err::<(), _>(())
                })
                .unwrap_err()
                .reason()
        })
        .collect()
}

#[test]
fn the_rule_holds_exactly_on_a_frozen_clock() {
    // ratio 0.2, no floor: 100 runs of up to 5 tries make 100 first attempts
    // and 20 retries, not 500 attempts.
    let budget = Hand::default().budget(0.2, 0.0, secs(10.0));
    let policy = policy(Policy::builder().max_tries(5).budget(&budget));
    let mut attempts = 0;
    let reasons = failing_runs(&policy, 100, &mut attempts);
    assert_eq!(attempts, 120);
    assert!(reasons.iter().all(|r| *r == Reason::Budget), "every run ends refused: {reasons:?}");
    let stats = budget.stats();
    assert_eq!((stats.first_attempts, stats.retries, stats.refusals), (100, 20, 100));
    assert_eq!((stats.total_first_attempts, stats.total_retries, stats.total_refusals), (100, 20, 100));
    assert_eq!(stats.available, 0.0);
    assert_eq!((stats.ratio, stats.min_per_second, stats.window), (0.2, 0.0, secs(10.0)));
}

#[test]
fn the_floor_lets_a_lone_client_retry_min_times_window() {
    // 2 per second over 5 s: 10 retries, then the run is refused.
    let budget = Hand::default().budget(0.0, 2.0, secs(5.0));
    assert_eq!(budget.stats().available, 10.0);
    let policy = policy(Policy::builder().wait_constant(Duration::ZERO).budget(&budget));
    let mut attempts = 0;
    assert_eq!(failing_runs(&policy, 1, &mut attempts), [Reason::Budget]);
    assert_eq!(attempts, 11);
    assert_eq!(budget.stats().available, 0.0);
}

#[test]
fn old_attempts_and_retries_stop_counting_after_the_window() {
    let hand = Hand::default();
    let budget = hand.budget(0.5, 0.0, secs(10.0));
    let policy = policy(Policy::builder().max_tries(2).budget(&budget));
    let mut attempts = 0;
    // Two runs: one retry allowed (0.5 * 2), the first run's refused.
    assert_eq!(failing_runs(&policy, 2, &mut attempts), [Reason::Budget, Reason::Tries]);
    assert_eq!(budget.stats().available, 0.0);
    hand.advance(secs(11.0));
    let stats = budget.stats();
    assert_eq!((stats.first_attempts, stats.retries, stats.refusals), (0, 0, 0));
    assert_eq!((stats.total_first_attempts, stats.total_retries, stats.total_refusals), (2, 1, 1));
    // A new window: the same two runs behave the same again.
    assert_eq!(failing_runs(&policy, 2, &mut attempts), [Reason::Budget, Reason::Tries]);
    assert_eq!(attempts, 6);
}

#[test]
fn one_budget_is_shared_by_policies_and_threads() {
    let budget = Hand::default().budget(0.2, 0.0, secs(60.0));
    let quiet = policy(Policy::builder().budget(&budget));
    let noisy = Arc::new(policy(Policy::builder().max_tries(5).budget(&budget)));
    // The quiet policy's successes are first attempts the noisy one may
    // retry against.
    for _ in 0..10 {
        quiet.retry(|| Ok::<_, ()>(())).unwrap();
    }
    assert_eq!(budget.stats().available, 2.0);
    let mut attempts = 0;
    assert_eq!(failing_runs(&noisy, 1, &mut attempts), [Reason::Budget]);
    assert_eq!(attempts, 3, "two retries from the quiet policy's deposits");

    // 8 threads × 250 failing runs: the bound holds over all of them.
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let noisy = noisy.clone();
            std::thread::spawn(move || {
                let mut attempts = 0;
                failing_runs(&noisy, 250, &mut attempts);
                attempts
            })
        })
        .collect();
    let attempts: u64 = threads.into_iter().map(|t| t.join().unwrap()).sum();
    let stats = budget.stats();
    assert_eq!(stats.total_first_attempts, 10 + 1 + 2000);
    assert!(stats.total_retries as f64 <= 0.2 * stats.total_first_attempts as f64, "{stats:?}");
    assert_eq!(attempts, 2000 + stats.total_retries - 2);
}

#[test]
fn hinted_retries_ask_the_budget_too() {
    let budget = Hand::default().budget(0.0, 0.2, secs(10.0)); // 2 retries
    let time = FakeTime::default();
    let policy = time.install(Policy::builder().budget(&budget)).build().unwrap();
    let failed = policy
        .run()
        .classify(|_: &()| Verdict::RetryAfter(secs(3.0)))
        .retry(|| Err::<(), _>(()))
        .unwrap_err();
    assert_eq!((failed.reason(), failed.tries()), (Reason::Budget, 3));
    assert_eq!(time.slept(), [secs(3.0), secs(3.0)]);
    assert_eq!(failed.stats().hint, Some(secs(3.0)), "the refused retry's hint");
}

#[test]
fn a_refusal_runs_on_giveup_and_logs_it() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (hook, log) = (seen.clone(), seen.clone());
    let budget = Hand::default().budget(0.0, 0.0, secs(1.0));
    let policy = policy(
        Policy::builder()
            .budget(&budget)
            .on_giveup(move |d| hook.lock().unwrap().push(format!("{:?}", d.reason())))
            .log(move |_, message, _| log.lock().unwrap().push(message.to_string())),
    );
    let failed = policy.run().label("fetch").unwrap().retry(|| Err::<(), _>("down")).unwrap_err();
    assert_eq!(failed.to_string(), "gave up after 1 tries (retry budget exhausted): down");
    assert_eq!(
        *seen.lock().unwrap(),
        ["Some(Budget)", "Giving up fetch(...) after 1 try (rc=1: gave up: retry budget exhausted)"]
    );
}

#[test]
fn a_spec_budget_is_private_and_an_attached_one_replaces_it() {
    let mut attempts = 0;
    let none_left = policy(Policy::builder().spec("budget(ratio=0,min=0,window=1) tries=3"));
    assert_eq!(failing_runs(&none_left, 2, &mut attempts), [Reason::Budget, Reason::Budget]);
    // Defaults: ratio 0.2, 10 per second over 10 s, so 100 retries at first.
    let defaults = policy(Policy::builder().spec("budget tries=3"));
    assert_eq!(failing_runs(&defaults, 2, &mut attempts), [Reason::Tries, Reason::Tries]);
    let generous = Hand::default().budget(1.0, 1.0, secs(10.0));
    let replaced = policy(Policy::builder().spec("budget(ratio=0,min=0,window=1) tries=3").budget(&generous));
    assert_eq!(failing_runs(&replaced, 1, &mut attempts), [Reason::Tries]);
    assert_eq!(generous.stats().total_retries, 2);
    assert!(Policy::builder().spec("budget(ratio=-1)").build().is_err());
}

#[test]
fn the_policy_keeps_the_budget_alive_and_frees_its_clock_last() {
    let drops = Drops::default();
    let tracked = drops.track();
    let budget = Budget::with_clock(0.0, 1.0, secs(10.0), move || {
        let _ = &tracked;
        Duration::ZERO
    })
    .unwrap();
    let clone = budget.clone();
    let policy = policy(Policy::builder().max_tries(3).budget(&budget));
    drop((budget, clone));
    assert_eq!(drops.count(), 0, "the policy still holds the budget");
    let mut attempts = 0;
    assert_eq!(failing_runs(&policy, 1, &mut attempts), [Reason::Tries]);
    drop(policy);
    assert_eq!(drops.count(), 1, "the clock goes with the last reference");
}

#[test]
fn bad_parameters_are_refused() {
    for (ratio, min, window) in [
        (f64::NAN, 1.0, secs(1.0)),
        (-0.5, 1.0, secs(1.0)),
        (f64::INFINITY, 1.0, secs(1.0)),
        (0.2, -1.0, secs(1.0)),
        (0.2, 1.0, Duration::ZERO),
        (0.2, 1.0, Duration::MAX),
    ] {
        let error = Budget::new(ratio, min, window).unwrap_err();
        assert_eq!((error.setter(), error.status()), ("Budget::new", backoff_sys::BACKOFF_E_INVALID));
        assert_eq!(error.to_string(), format!("Budget::new: {}", error.message()));
    }
    let budget = Budget::new(0.2, 10.0, secs(10.0)).unwrap();
    let stats: BudgetStats = budget.stats();
    assert_eq!((stats.available, stats.window), (100.0, secs(10.0)));
    assert_eq!(format!("{budget:?}"), "Budget { .. }");
}

#[cfg(feature = "tokio")]
#[tokio::test(start_paused = true)]
async fn async_runs_surface_a_refusal_too() {
    let budget = Hand::default().budget(0.0, 0.1, secs(10.0)); // 1 retry
    let policy = Policy::builder().jitter(Jitter::None).budget(&budget).build().unwrap();
    let failed = policy.retry_async(|| async { Err::<(), _>("down") }).await.unwrap_err();
    assert_eq!((failed.reason(), failed.tries()), (Reason::Budget, 2));
}
