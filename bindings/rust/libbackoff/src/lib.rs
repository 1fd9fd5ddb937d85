#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

#[cfg(feature = "tokio")]
mod asynchronous;
mod budget;
mod builder;
mod callback;
mod cancel;
mod details;
mod driver;
mod duration;
mod error;
mod failure;
mod outcome;
mod panic;
mod policy;
mod retry_after;
mod run;
mod state;
mod text;
mod verdict;

pub use budget::{Budget, BudgetStats};
pub use builder::{Jitter, PolicyBuilder};
pub use cancel::Cancel;
pub use details::Details;
pub use error::Error;
pub use failure::Failure;
pub use outcome::{GiveUp, Reason, Stats, Success};
pub use policy::Policy;
pub use retry_after::parse_retry_after;
pub use run::Run;
pub use verdict::{Classify, RetryAny, Verdict};

/// The version of the libbackoff library loaded at run time, e.g. `"1.1.0"`.
pub fn version() -> &'static str {
    // SAFETY: static, NUL-terminated, never NULL.
    unsafe { std::ffi::CStr::from_ptr(backoff_sys::backoff_version_string()) }.to_str().unwrap_or("unknown")
}
