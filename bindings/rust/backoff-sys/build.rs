//! Finds libbackoff with pkg-config and generates the bindings from the very
//! header that pkg-config points at, so an installed library and a Meson
//! build tree (`<builddir>/meson-uninstalled`, through PKG_CONFIG_PATH) are
//! handled alike, and the bindings always match the library linked.

use std::env;
use std::path::PathBuf;

const HEADER: &str = "backoff/backoff.h";

/// The source tree's default Meson build directory, used when pkg-config
/// finds no libbackoff otherwise (a checkout built with `meson setup build`).
const IN_TREE_BUILD: &str = "../../../build/meson-uninstalled";

fn main() {
    // pkg-config prefers `backoff-uninstalled.pc` when one is on the path,
    // which is what a Meson build tree provides.
    let probe = || pkg_config::Config::new().atleast_version("1.0").probe("backoff");
    let library = probe()
        .or_else(|first| {
            let in_tree =
                PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it")).join(IN_TREE_BUILD);
            if !in_tree.join("backoff-uninstalled.pc").is_file() {
                return Err(first);
            }
            println!("cargo:rerun-if-changed={}", in_tree.display());
            env::set_var("PKG_CONFIG_PATH", &in_tree);
            probe()
        })
        .unwrap_or_else(|e| {
            panic!(
                "libbackoff not found with pkg-config ({e}).\n\
                 Install it, or point PKG_CONFIG_PATH at a Meson build tree's \
                 meson-uninstalled directory."
            )
        });

    let header =
        library.include_paths.iter().map(|dir| dir.join(HEADER)).find(|path| path.is_file()).unwrap_or_else(
            || panic!("{HEADER} is in none of pkg-config's include paths {:?}", library.include_paths),
        );
    println!("cargo:rerun-if-changed={}", header.display());
    println!("cargo:include={}", header.parent().unwrap().parent().unwrap().display());

    let bindings = bindgen::Builder::default()
        .header(header.to_string_lossy())
        .clang_args(library.include_paths.iter().map(|dir| format!("-I{}", dir.display())))
        .allowlist_function("backoff_.*")
        .allowlist_type("backoff_.*")
        .allowlist_var("BACKOFF_.*")
        // C enums stay integers: a value the library adds later must never be
        // an invalid Rust enum.
        .default_enum_style(bindgen::EnumVariation::Consts)
        .prepend_enum_name(false)
        .parse_callbacks(Box::new(bindgen::CargoCallbacks::new()))
        .generate()
        .expect("bindgen could not process backoff.h");

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    bindings.write_to_file(out.join("bindings.rs")).expect("could not write the bindings");
}
