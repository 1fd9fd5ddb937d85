//! The library is linked the way the build script says: the bundled core
//! statically (no libbackoff.so in the process), a system library through
//! its shared object. BACKOFF_SYS_EXPECT_LINKAGE ("bundled" or "system"),
//! when set, is the linkage the caller asked for, so that a fallback from
//! pkg-config to the bundled core cannot pass unnoticed.
#![cfg(target_os = "linux")]

use std::env;
use std::fs;

#[test]
fn linked_as_the_build_script_chose() {
    // A call, so that the linker keeps a dependency on the library.
    assert_ne!(unsafe { backoff_sys::backoff_version_number() }, 0);
    let maps = fs::read_to_string("/proc/self/maps").unwrap();
    let shared = maps.lines().any(|line| line.contains("/libbackoff.so"));
    let linkage = if shared { "system" } else { "bundled" };
    assert_eq!(cfg!(backoff_sys_bundled), !shared, "the build script chose otherwise than {linkage}");
    if let Ok(expected) = env::var("BACKOFF_SYS_EXPECT_LINKAGE") {
        assert_eq!(linkage, expected);
    }
}
