//! Strings that cross into C: the library reads them up to their first NUL,
//! so a Rust string holding one would be cut short without a word. Each is
//! refused instead, with the offending byte's position.

use std::ffi::CString;

use backoff_sys as sys;

use crate::error::Error;

/// `text` as a C string, or the refusal of `function` for its first NUL.
pub(crate) fn c_string(function: &'static str, text: &str) -> Result<CString, Error> {
    CString::new(text).map_err(|nul| {
        Error::new(function, sys::BACKOFF_E_INVALID)
            .with_detail(format!("the text holds a NUL byte at byte {}", nul.nul_position()))
    })
}
