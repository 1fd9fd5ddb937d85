//! Server hints (Retry-After) from Rust: `Verdict::RetryAfter` follows the
//! core's one hint rule — the shared vectors prove it — and details, stats
//! and log lines show the hint. Plus `parse_retry_after`. All on fake
//! clocks (tokio's paused clock for the async run).

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{secs, FakeTime, Waits};
use libbackoff::{parse_retry_after, Failure, Jitter, Policy, PolicyBuilder, Reason, Verdict};

fn fake(builder: PolicyBuilder) -> (Policy, FakeTime) {
    let time = FakeTime::default();
    (time.install(builder).build().unwrap(), time)
}

#[test]
fn every_hint_vector_gives_the_same_waits_and_outcome() {
    let vectors = common::hint_vectors();
    assert!(vectors.len() >= 100, "{} hint vectors", vectors.len());
    for vector in vectors {
        let (time, waits) = (FakeTime::default(), Waits::default());
        let policy = waits.install(time.install(Policy::builder().spec(&vector.spec))).build().unwrap();
        let mut tries = 0;
        let failed = policy
            .run()
            .classify(|&n: &u32| vector.verdict(n))
            .retry(|| {
                tries += 1;
                time.advance(secs(0.25));
                Err::<(), _>(tries)
            })
            .unwrap_err();
        let what = format!("{} with hints {:?}", vector.spec, vector.hints);
        assert_eq!(failed.reason(), common::reason(&vector.outcome), "{what}");
        common::assert_waits(&what, &waits.seen(), &vector.waits);
    }
}

#[cfg(feature = "tokio")]
#[tokio::test(start_paused = true)]
async fn async_runs_follow_the_same_hint_rule() {
    // As for waits.tsv: vectors with a time limit need the vectors' exact
    // clock, which tokio's millisecond timer is not.
    let vectors: Vec<_> = common::hint_vectors().into_iter().filter(|v| !v.spec.contains("time=")).collect();
    assert!(vectors.len() >= 30, "{} hint vectors without a time limit", vectors.len());
    for vector in vectors {
        let waits = Waits::default();
        let policy = waits.install(Policy::builder().spec(&vector.spec)).build().unwrap();
        let mut tries = 0;
        let failed = policy
            .run()
            .classify(|&n: &u32| vector.verdict(n))
            .retry_async(|| {
                tries += 1;
                let n = tries;
                async move { Err::<(), _>(n) }
            })
            .await
            .unwrap_err();
        assert_eq!(failed.reason(), common::reason(&vector.outcome), "{}", vector.spec);
        common::assert_waits(&vector.spec, &waits.seen(), &vector.waits);
    }
}

/// Hooks and log lines of one run, as text.
#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<String>>>);

impl Events {
    fn install(&self, builder: PolicyBuilder) -> PolicyBuilder {
        let (backoff, giveup, log) = (self.clone(), self.clone(), self.clone());
        builder
            .on_backoff(move |d| backoff.push(format!("backoff {:?} hint {:?}", d.wait(), d.hint())))
            .on_giveup(move |d| giveup.push(format!("giveup {:?} hint {:?}", d.reason(), d.hint())))
            .log(move |_, message, _| log.push(message.to_string()))
    }

    fn push(&self, event: String) {
        self.0.lock().unwrap().push(event);
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

#[test]
fn a_hint_beyond_max_time_gives_up_at_once_on_time() {
    let events = Events::default();
    let (policy, time) = fake(events.install(Policy::builder().jitter(Jitter::None).max_time(secs(60.0))));
    let failed = policy
        .run()
        .label("fetch")
        .unwrap()
        .classify(
            |&n: &u32| if n == 1 { Verdict::RetryAfter(secs(3.0)) } else { Verdict::RetryAfter(secs(100.0)) },
        )
        .retry(common::failing(10))
        .unwrap_err();
    assert_eq!((failed.reason(), failed.tries(), failed.error()), (Reason::Time, 2, Some(&2)));
    assert_eq!(failed.stats().hint, Some(secs(100.0)));
    assert_eq!(time.slept(), [secs(3.0)], "no sleep towards the deadline");
    assert_eq!(
        events.take(),
        [
            "backoff 3s hint Some(3s)",
            "Backing off fetch(...) for 3.0s (rc=1, server hint)",
            "giveup Some(Time) hint Some(100s)",
            "Giving up fetch(...) after 2 tries (rc=1: gave up: time limit reached; server asked for 100.0s)",
        ]
    );
}

#[test]
fn a_hint_beyond_hint_max_gives_up_and_one_within_is_slept() {
    let (policy, time) = fake(Policy::builder().jitter(Jitter::None).hint_max(secs(30.0)));
    let hints = [secs(30.0), secs(30.5)];
    let failed = policy
        .run()
        .classify(|&n: &u32| Verdict::RetryAfter(hints[n as usize - 1]))
        .retry(common::failing(5));
    let failed = failed.unwrap_err();
    assert_eq!((failed.reason(), failed.tries(), failed.stats().hint), (Reason::Time, 2, Some(secs(30.5))));
    assert_eq!(time.slept(), [secs(30.0)]);
}

#[test]
fn duration_max_means_never_even_without_limits() {
    let events = Events::default();
    let (policy, time) = fake(events.install(Policy::builder()));
    let failed = policy
        .run()
        .classify(|_: &()| Verdict::RetryAfter(Duration::MAX))
        .retry(|| Err::<(), _>(()))
        .unwrap_err();
    assert_eq!(
        (failed.reason(), failed.tries(), failed.stats().hint),
        (Reason::Time, 1, Some(Duration::MAX))
    );
    assert!(time.slept().is_empty());
    let events = events.take();
    assert_eq!(events[0], "giveup Some(Time) hint Some(18446744073709551615.999999999s)");
    assert!(
        events[1].ends_with("(rc=1: gave up: time limit reached; server asked never to retry)"),
        "{}",
        events[1]
    );
}

#[test]
fn a_generated_wait_carries_no_hint_and_a_zero_hint_is_one() {
    let events = Events::default();
    let (policy, _) = fake(events.install(Policy::builder().jitter(Jitter::None).max_tries(3)));
    let failed = policy
        .run()
        .classify(|&n: &u32| if n == 1 { Verdict::Retry } else { Verdict::RetryAfter(Duration::ZERO) })
        .retry(common::failing(10))
        .unwrap_err();
    // The tries limit is checked before the hint: the last failure's hint
    // was never read.
    assert_eq!((failed.reason(), failed.stats().hint), (Reason::Tries, None));
    let events = events.take();
    assert_eq!(events[0], "backoff 1s hint None");
    assert_eq!(events[2], "backoff 0ns hint Some(0ns)");
    assert_eq!(events[4], "giveup Some(Tries) hint None");
}

#[test]
fn failures_marked_retry_after_follow_the_same_rule() {
    let (policy, time) = fake(Policy::builder().jitter(Jitter::None).max_time(secs(10.0)));
    let mut calls = 0;
    let failed = policy
        .run()
        .classify(Failure::verdict)
        .retry(|| -> Result<(), Failure<&str>> {
            calls += 1;
            Err(Failure::retry_after(secs(f64::from(calls) * 4.0), "429"))
        })
        .unwrap_err();
    // 4 s slept; then 8 s asked with 6 s left: give up rather than sleep.
    assert_eq!((failed.reason(), failed.tries()), (Reason::Time, 2));
    assert_eq!(time.slept(), [secs(4.0)]);
    assert_eq!(failed.into_error().map(Failure::into_inner), Some("429"));
}

#[test]
fn success_stats_show_no_hint() {
    let (policy, _) = fake(Policy::builder());
    let success = policy.retry_with_stats(|| Ok::<_, ()>(1)).unwrap();
    assert_eq!(success.stats.hint, None);
}

/// 1994-11-06 08:49:37 GMT, the RFC's example date.
fn rfc_example() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(784_111_777)
}

#[test]
fn parse_retry_after_reads_both_forms() {
    let now = rfc_example() - Duration::from_secs(90);
    assert_eq!(parse_retry_after("120", now), Ok(secs(120.0)));
    assert_eq!(parse_retry_after(" \t0\t ", now), Ok(Duration::ZERO));
    for date in
        ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"]
    {
        assert_eq!(parse_retry_after(date, now), Ok(secs(90.0)), "{date}");
    }
    // A date in the past asks for no wait at all.
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", rfc_example() + secs(5.0)),
        Ok(Duration::ZERO)
    );
    // `now` before the epoch is still a time.
    let before_epoch = UNIX_EPOCH - secs(10.0);
    assert_eq!(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", before_epoch), Ok(secs(10.0)));
    // Too long for a Duration: Duration::MAX, which RetryAfter reads as never.
    assert_eq!(parse_retry_after(&"9".repeat(400), now), Ok(Duration::MAX));
}

#[test]
fn parse_retry_after_refuses_anything_else() {
    for bad in ["", "soon", "-5", "1.5", "Sun, 06 Nov 1994 08:49:37 UTC", "sun, 06 Nov 1994 08:49:37 GMT"] {
        let error = parse_retry_after(bad, rfc_example()).expect_err(bad);
        assert_eq!(
            (error.setter(), error.status()),
            ("parse_retry_after", backoff_sys::BACKOFF_E_PARSE),
            "{bad}"
        );
        assert_eq!(
            error.detail(),
            Some(format!("{bad:?} is neither delay-seconds nor an HTTP-date").as_str())
        );
    }
}

#[test]
fn a_parsed_retry_after_drives_the_run() {
    let (policy, time) = fake(Policy::builder().jitter(Jitter::None).max_tries(4));
    let now = rfc_example() - Duration::from_secs(42);
    let responses = ["Sun, 06 Nov 1994 08:49:37 GMT", "not a header", "7", "8"];
    let mut calls = 0;
    let failed = policy
        .run()
        .classify(|header: &&str| parse_retry_after(header, now).map_or(Verdict::Retry, Verdict::RetryAfter))
        .retry(|| {
            calls += 1;
            Err::<(), _>(responses[calls - 1])
        })
        .unwrap_err();
    assert_eq!((failed.reason(), failed.tries()), (Reason::Tries, 4));
    // The date's 42 s, the generator's first wait (it did not advance), 7 s.
    assert_eq!(time.slept(), [secs(42.0), secs(1.0), secs(7.0)]);
}
