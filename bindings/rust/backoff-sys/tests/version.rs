//! The library loaded at run time must be the one the bindings were
//! generated from.

use std::ffi::CStr;

use backoff_sys::*;

#[test]
fn runtime_version_matches_the_header() {
    assert_eq!(unsafe { backoff_version_number() }, BACKOFF_VERSION_NUMBER);
    let runtime = unsafe { CStr::from_ptr(backoff_version_string()) };
    let header = CStr::from_bytes_with_nul(BACKOFF_VERSION_STRING).unwrap();
    assert_eq!(runtime, header);
}

#[test]
fn statuses_are_the_header_values() {
    assert_eq!(BACKOFF_OK, 0);
    assert_eq!(BACKOFF_PASSED_THROUGH, 7);
    assert_eq!(BACKOFF_E_INTERNAL, -6);
    let text = unsafe { CStr::from_ptr(backoff_strerror(BACKOFF_GAVE_UP_TRIES)) };
    assert!(text.to_str().unwrap().contains("tries"));
}
