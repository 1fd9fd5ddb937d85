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

/// The shared test vectors every language checks: (spec, outcome, waits).
pub fn vectors() -> Vec<(String, String, Vec<f64>)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../tests/vectors/waits.tsv");
    let text = std::fs::read_to_string(path).expect("tests/vectors/waits.tsv");
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let mut fields = line.split('\t');
            let spec = fields.next().unwrap().to_string();
            let outcome = fields.next().unwrap().to_string();
            let waits = fields
                .next()
                .unwrap()
                .split(',')
                .filter(|w| !w.is_empty())
                .map(|w| w.parse().unwrap())
                .collect();
            (spec, outcome, waits)
        })
        .collect()
}
