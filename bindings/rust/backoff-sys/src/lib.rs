//! Raw bindings to libbackoff's C API (`backoff/backoff.h`). Everything here
//! is `unsafe` and documented by the header; the safe API is the `libbackoff`
//! crate.
//!
//! C enums are plain integer constants (`BACKOFF_OK`, `BACKOFF_RETRY` …), so
//! a status added by a newer library is still a valid value.
//!
//! # Linking
//!
//! By default (feature `bundled`) the build script compiles the C++ core that
//! this crate carries and links it statically: a program needs no
//! libbackoff.so at run time, only the C++ runtime. With the feature
//! `pkg-config`, or `BACKOFF_SYS_USE_PKG_CONFIG=1` in the environment, a
//! system libbackoff found with pkg-config is linked instead (the bundled
//! core is the fallback while `bundled` is on). The bindings are checked in,
//! so no libclang is needed; the feature `bindgen` regenerates them from the
//! header in use.

#![allow(non_upper_case_globals, non_camel_case_types, non_snake_case)]
#![allow(clippy::all)]

#[cfg(not(feature = "bindgen"))]
include!("bindings.rs");
#[cfg(feature = "bindgen")]
include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
