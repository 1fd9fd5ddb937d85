//! The checked-in bindings (src/bindings.rs) must be what bindgen makes from
//! the header today: a function the header gains must reach Rust users who
//! build without libclang. Runs with the feature "bindgen" only.
#![cfg(feature = "bindgen")]

use std::env;
use std::fs;

#[test]
fn checked_in_bindings_equal_bindgen_output() {
    let checked_in_path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/bindings.rs");
    let generated = fs::read_to_string(concat!(env!("OUT_DIR"), "/bindings.rs")).unwrap();
    let checked_in = fs::read_to_string(checked_in_path).unwrap_or_default();
    if generated == checked_in {
        return;
    }
    if env::var_os("BACKOFF_SYS_BLESS").is_some() {
        fs::write(checked_in_path, &generated).unwrap();
        return;
    }
    let first_difference = generated
        .lines()
        .zip(checked_in.lines().chain(std::iter::repeat("<end of file>")))
        .enumerate()
        .find(|(_, (new, old))| new != old)
        .map(|(n, (new, old))| {
            format!("line {}: bindgen gives\n  {new}\nthe checked-in file has\n  {old}", n + 1)
        })
        .unwrap_or_else(|| "the checked-in file is longer".to_owned());
    panic!(
        "src/bindings.rs is stale ({first_difference}).\nRegenerate it: \
         BACKOFF_SYS_BLESS=1 cargo test -p backoff-sys --features bindgen --test bindings"
    );
}
