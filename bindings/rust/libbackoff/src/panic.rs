//! Panics must never unwind into C (since Rust 1.81 that aborts). Every
//! callback the library calls catches its panic here and parks it in a
//! thread-local slot; the driver that made the C call resumes it once the call
//! has returned. Thread-local is right because the library calls back on the
//! thread that called into it, and each C call is followed by `resume`.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    static PENDING: Cell<Option<Box<dyn Any + Send>>> = const { Cell::new(None) };
    /// Whether PENDING holds a panic: a flag that needs no destructor is the
    /// cheapest thread-local to read, and it is read after every C call.
    static PARKED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, or parks its panic and returns `fallback`. Only the first panic
/// of a C call is kept: it is the one the user would have seen.
pub(crate) fn guard<R>(fallback: R, f: impl FnOnce() -> R) -> R {
    match panic::catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => value,
        Err(payload) => {
            PENDING.with(|slot| {
                let first = slot.take().unwrap_or(payload);
                slot.set(Some(first));
            });
            PARKED.set(true);
            fallback
        }
    }
}

/// Resumes the panic a callback parked during the C call that just returned.
#[inline]
pub(crate) fn resume() {
    if PARKED.get() {
        resume_parked();
    }
}

#[cold]
fn resume_parked() {
    PARKED.set(false);
    if let Some(payload) = PENDING.with(Cell::take) {
        panic::resume_unwind(payload);
    }
}

/// For destructors: a second panic while unwinding would abort, so a panic
/// parked then is dropped instead of resumed.
pub(crate) fn resume_unless_panicking() {
    if std::thread::panicking() {
        PARKED.set(false);
        PENDING.with(Cell::take);
    } else {
        resume();
    }
}
