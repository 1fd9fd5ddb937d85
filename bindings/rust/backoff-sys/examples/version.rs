//! Prints the version of the libbackoff linked in: with the default bundled
//! build, `cargo run --example version` works without LD_LIBRARY_PATH or an
//! installed libbackoff.

use std::ffi::CStr;

fn main() {
    // SAFETY: backoff_version_string returns a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr(backoff_sys::backoff_version_string()) };
    println!("libbackoff {}", version.to_str().expect("the version is ASCII"));
}
