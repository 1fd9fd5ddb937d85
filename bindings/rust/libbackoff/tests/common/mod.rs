//! Test helpers: a fake clock the injected sleep advances, and values that
//! count their drops.
#![allow(dead_code)] // each test file uses its own part

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use libbackoff::PolicyBuilder;

/// Fake time: the policy's clock reads it, its sleep advances it and records
/// each wait, attempts may advance it too.
#[derive(Clone, Default)]
pub struct FakeTime {
    now: Arc<Mutex<Duration>>,
    slept: Arc<Mutex<Vec<Duration>>>,
}

impl FakeTime {
    pub fn install(&self, builder: PolicyBuilder) -> PolicyBuilder {
        let (clock, sleep) = (self.clone(), self.clone());
        builder.clock(move || clock.now()).sleep(move |wait| {
            sleep.slept.lock().unwrap().push(wait);
            sleep.advance(wait);
        })
    }

    pub fn now(&self) -> Duration {
        *self.now.lock().unwrap()
    }

    pub fn advance(&self, by: Duration) {
        *self.now.lock().unwrap() += by;
    }

    pub fn slept(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

/// The waits a policy's on_backoff hook saw, as the core decided them.
#[derive(Clone, Default)]
pub struct Waits(Arc<Mutex<Vec<Duration>>>);

impl Waits {
    pub fn install(&self, builder: PolicyBuilder) -> PolicyBuilder {
        let record = self.0.clone();
        builder.on_backoff(move |d| record.lock().unwrap().push(d.wait()))
    }

    pub fn seen(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

/// Counts how many times values made by it were dropped.
#[derive(Clone, Default)]
pub struct Drops(Arc<AtomicUsize>);

pub struct Tracked(Arc<AtomicUsize>);

impl Drops {
    pub fn track(&self) -> Tracked {
        Tracked(self.0.clone())
    }

    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

pub fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

/// An operation that fails `failures` times with its attempt number, then
/// returns it.
pub fn failing(failures: u32) -> impl FnMut() -> Result<u32, u32> {
    let mut calls = 0;
    move || {
        calls += 1;
        if calls <= failures {
            Err(calls)
        } else {
            Ok(calls)
        }
    }
}

/// The lines of a shared test vector file, split into columns.
fn vector_lines(name: &str) -> Vec<Vec<String>> {
    let path = format!("{}/../../../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.split('\t').map(str::to_string).collect())
        .collect()
}

/// "1.0,2.5" as numbers ("" is none).
fn numbers(list: &str) -> Vec<f64> {
    list.split(',').filter(|w| !w.is_empty()).map(|w| w.parse().unwrap()).collect()
}

/// The shared test vectors every language checks: (spec, outcome, waits).
pub fn vectors() -> Vec<(String, String, Vec<f64>)> {
    vector_lines("waits.tsv")
        .into_iter()
        .map(|fields| (fields[0].clone(), fields[1].clone(), numbers(&fields[2])))
        .collect()
}

/// One line of tests/vectors/hints.tsv: attempt i's failure carries
/// `hints[i - 1]` (`None`: no hint; `Duration::MAX`: "never", the file's
/// `inf`); attempts past the list carry none.
pub struct HintVector {
    pub spec: String,
    pub hints: Vec<Option<Duration>>,
    pub outcome: String,
    pub waits: Vec<f64>,
}

impl HintVector {
    /// The verdict on attempt `tries`'s failure.
    pub fn verdict(&self, tries: u32) -> libbackoff::Verdict {
        match self.hints.get(tries as usize - 1).copied().flatten() {
            Some(hint) => libbackoff::Verdict::RetryAfter(hint),
            None => libbackoff::Verdict::Retry,
        }
    }
}

pub fn hint_vectors() -> Vec<HintVector> {
    vector_lines("hints.tsv")
        .into_iter()
        .map(|fields| HintVector {
            spec: fields[0].clone(),
            hints: fields[1]
                .split(',')
                .map(|hint| match hint {
                    "-" => None,
                    "inf" => Some(Duration::MAX),
                    seconds => Some(secs(seconds.parse().unwrap())),
                })
                .collect(),
            outcome: fields[2].clone(),
            waits: numbers(&fields[3]),
        })
        .collect()
}

/// A vector file's outcome column as a Reason.
pub fn reason(outcome: &str) -> libbackoff::Reason {
    match outcome {
        "tries" => libbackoff::Reason::Tries,
        "time" => libbackoff::Reason::Time,
        "exhausted" => libbackoff::Reason::Exhausted,
        other => panic!("unknown outcome {other}"),
    }
}

/// Waits seen by Rust against a vector's: Rust sees time as Durations
/// (whole nanoseconds), so each wait the fake clock adds is rounded, and a
/// wait cut to the time left may differ from the core's double by a
/// nanosecond per wait before it.
pub fn assert_waits(what: &str, seen: &[Duration], expected: &[f64]) {
    assert_eq!(seen.len(), expected.len(), "{what}: {seen:?} != {expected:?}");
    for (n, (seen, &expected)) in (1..).zip(seen.iter().zip(expected)) {
        assert!(seen.abs_diff(secs(expected)) <= Duration::from_nanos(n), "{what}: {seen:?} != {expected:?}");
    }
}
