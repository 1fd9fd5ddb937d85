//! Closures handed to the library: each is boxed, its pointer becomes the
//! callback's `data`, and a generic `destroy` frees it when the policy is
//! freed (or when a setter fails: ownership always passes to the library).
//! Every trampoline catches panics (see `panic`), so none crosses into C.

use std::ffi::CStr;
use std::os::raw::{c_char, c_int, c_void};
use std::time::Duration;

use backoff_sys as sys;

use crate::details::Details;
use crate::duration::{from_seconds, to_seconds};
use crate::panic::guard;

/// A closure ready to be given to the library: `(data, destroy)`.
pub(crate) struct Owned {
    pub(crate) data: *mut c_void,
    pub(crate) destroy: sys::backoff_destroy_fn,
}

pub(crate) fn own<F: Send + Sync + 'static>(f: F) -> Owned {
    Owned { data: Box::into_raw(Box::new(f)).cast(), destroy: Some(destroy::<F>) }
}

unsafe extern "C" fn destroy<F>(data: *mut c_void) {
    // SAFETY: `data` came from `own::<F>` and the library calls destroy once.
    guard((), || drop(unsafe { Box::from_raw(data.cast::<F>()) }));
}

/// # Safety (all trampolines)
/// `data` is the pointer `own::<F>` made, alive until `destroy`; `d` is the
/// details the library passes, valid during the call.
unsafe fn closure<'a, F>(data: *mut c_void) -> &'a F {
    &*data.cast::<F>()
}

pub(crate) unsafe extern "C" fn hook<F: Fn(&Details<'_>)>(d: *const sys::backoff_details, data: *mut c_void) {
    let f = closure::<F>(data);
    let details = Details::from_raw(d);
    guard((), || f(&details));
}

/// A panicking custom wait ends the run (a negative wait) and is resumed by
/// the driver.
pub(crate) unsafe extern "C" fn wait<F: Fn(&Details<'_>) -> Option<Duration>>(
    d: *const sys::backoff_details,
    data: *mut c_void,
) -> f64 {
    let f = closure::<F>(data);
    let details = Details::from_raw(d);
    guard(-1.0, || f(&details).map_or(-1.0, to_seconds))
}

pub(crate) unsafe extern "C" fn jitter<F: Fn(Duration, f64) -> Duration>(
    wait: f64,
    uniform: f64,
    data: *mut c_void,
) -> f64 {
    let f = closure::<F>(data);
    guard(wait, || f(from_seconds(wait), uniform).as_secs_f64())
}

/// Also the budget's clock.
pub(crate) unsafe extern "C" fn clock<F: Fn() -> Duration>(data: *mut c_void) -> f64 {
    let f = closure::<F>(data);
    guard(0.0, || f().as_secs_f64())
}

/// A panicking sleep returns at once; the driver resumes the panic after
/// `backoff_state_sleep`.
pub(crate) unsafe extern "C" fn sleep<F: Fn(Duration)>(seconds: f64, data: *mut c_void) {
    let f = closure::<F>(data);
    guard((), || f(from_seconds(seconds)));
}

pub(crate) unsafe extern "C" fn log<F: Fn(i32, &str, &Details<'_>)>(
    level: c_int,
    message: *const c_char,
    d: *const sys::backoff_details,
    data: *mut c_void,
) {
    let f = closure::<F>(data);
    let details = Details::from_raw(d);
    // SAFETY: the message is a NUL-terminated line valid during the call.
    let message = CStr::from_ptr(message).to_string_lossy();
    guard((), || f(level, &message, &details));
}
