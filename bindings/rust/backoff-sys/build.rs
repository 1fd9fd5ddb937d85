//! Links libbackoff into backoff-sys, as zstd-sys and libgit2-sys do:
//!
//! - a system libbackoff found with pkg-config, when the feature "pkg-config"
//!   or `BACKOFF_SYS_USE_PKG_CONFIG=1` asks for it: an installed library, or a
//!   Meson build tree through `PKG_CONFIG_PATH=<builddir>/meson-uninstalled`;
//! - otherwise the C++ core this package carries (`core/`, `include/`),
//!   compiled with `cc` and linked statically (feature "bundled", the
//!   default), so a program needs no libbackoff.so when it runs.
//!
//! The bindings are checked in (src/bindings.rs), so no libclang is needed.
//! The feature "bindgen" regenerates them from the header in use into
//! OUT_DIR; tests/bindings.rs checks that both are the same.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

const HEADER: &str = "backoff/backoff.h";

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let bundled_include = manifest_dir.join("include");
    println!("cargo::rerun-if-changed={}", bundled_include.join(HEADER).display());
    println!("cargo::rerun-if-env-changed=BACKOFF_SYS_USE_PKG_CONFIG");
    println!("cargo::rustc-check-cfg=cfg(backoff_sys_bundled)");

    // docs.rs only documents the checked-in bindings: nothing to compile or link.
    if env::var_os("DOCS_RS").is_some() {
        return;
    }

    let include_dir = match system_library(&bundled_include) {
        Some(dir) => dir,
        None => {
            build_bundled(&manifest_dir.join("core"), &bundled_include);
            println!("cargo::rustc-cfg=backoff_sys_bundled");
            bundled_include
        }
    };
    // For dependents' build scripts (DEP_BACKOFF_INCLUDE), e.g. to compile C
    // that uses the same header.
    println!("cargo::metadata=include={}", include_dir.display());

    #[cfg(feature = "bindgen")]
    generate_bindings(&include_dir.join(HEADER));
}

fn wants_pkg_config() -> bool {
    cfg!(feature = "pkg-config") || env::var("BACKOFF_SYS_USE_PKG_CONFIG").is_ok_and(|v| v == "1")
}

/// Links the system library when it is asked for and pkg-config finds it;
/// returns the directory that holds its `backoff/backoff.h`.
fn system_library(bundled_include: &Path) -> Option<PathBuf> {
    if !wants_pkg_config() {
        return None;
    }
    // The checked-in bindings declare this package's header: an older library
    // would lack some of its functions.
    let (major, minor) = header_version(&bundled_include.join(HEADER));
    let probed = pkg_config::Config::new().atleast_version(&format!("{major}.{minor}")).probe("backoff");
    match probed {
        Ok(library) => Some(
            library
                .include_paths
                .iter()
                .find(|dir| dir.join(HEADER).is_file())
                .unwrap_or_else(|| {
                    panic!("{HEADER} is in none of pkg-config's include paths {:?}", library.include_paths)
                })
                .clone(),
        ),
        Err(error) if cfg!(feature = "bundled") => {
            println!(
                "cargo::warning=no system libbackoff >= {major}.{minor} ({error}); using the bundled one"
            );
            None
        }
        Err(error) => panic!(
            "no system libbackoff >= {major}.{minor} found with pkg-config, and the feature \"bundled\" \
             is off: {error}"
        ),
    }
}

/// BACKOFF_VERSION_MAJOR and _MINOR from the header: the one place that
/// states the version the bindings describe.
fn header_version(header: &Path) -> (u32, u32) {
    let text = fs::read_to_string(header).unwrap_or_else(|e| panic!("cannot read {}: {e}", header.display()));
    let define = |name: &str| -> u32 {
        text.lines()
            .find_map(|line| line.strip_prefix("#define ")?.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("{} defines no {name}", header.display()))
    };
    (define("BACKOFF_VERSION_MAJOR "), define("BACKOFF_VERSION_MINOR "))
}

/// Compiles every C++ file of the core (each `.cpp` directly in src/, as
/// src/meson.build lists them) into a static library, with the Meson build's
/// flags: C++17, and hidden visibility so that only the `backoff_*`
/// functions are visible outside it.
#[cfg(feature = "bundled")]
fn build_bundled(core: &Path, include: &Path) {
    let listing = fs::read_dir(core).unwrap_or_else(|e| panic!("cannot list {}: {e}", core.display()));
    let mut sources = Vec::new();
    for entry in listing {
        let path = entry.expect("a directory entry").path();
        match path.extension().and_then(|ext| ext.to_str()) {
            Some("cpp") | Some("hpp") => println!("cargo::rerun-if-changed={}", path.display()),
            _ => continue,
        }
        if path.extension().is_some_and(|ext| ext == "cpp") {
            sources.push(path);
        }
    }
    assert!(!sources.is_empty(), "no C++ sources in {}", core.display());
    sources.sort();

    cc::Build::new()
        .cpp(true)
        .std("c++17")
        .include(include)
        .define("BACKOFF_BUILDING_LIBRARY", None)
        .flag_if_supported("-fvisibility=hidden")
        .flag_if_supported("-fvisibility-inlines-hidden")
        .files(&sources)
        .compile("backoff");
    // cc links the C++ runtime (libstdc++ or libc++, shared); the core also
    // uses libm.
    println!("cargo::rustc-link-lib=m");
}

#[cfg(not(feature = "bundled"))]
fn build_bundled(_core: &Path, _include: &Path) {
    panic!(
        "backoff-sys: the feature \"bundled\" is off and no system library was asked for: \
         enable the feature \"pkg-config\" or set BACKOFF_SYS_USE_PKG_CONFIG=1"
    );
}

#[cfg(feature = "bindgen")]
fn generate_bindings(header: &Path) {
    // The oldest Rust this package supports decides the syntax bindgen emits.
    let rust_version = env::var("CARGO_PKG_RUST_VERSION").expect("rust-version is set in Cargo.toml");
    let minor = rust_version.split('.').nth(1).and_then(|m| m.parse().ok()).expect("rust-version is 1.N");
    let bindings = bindgen::Builder::default()
        .header(header.to_string_lossy())
        .clang_arg(format!("-I{}", header.parent().unwrap().parent().unwrap().display()))
        .rust_target(bindgen::RustTarget::stable(minor, 0).expect("a Rust version bindgen knows"))
        .raw_line("// Generated by bindgen from include/backoff/backoff.h: do not edit. To update, run")
        .raw_line("// BACKOFF_SYS_BLESS=1 cargo test -p backoff-sys --features bindgen --test bindings")
        .allowlist_function("backoff_.*")
        .allowlist_type("backoff_.*")
        .allowlist_var("BACKOFF_.*")
        // C enums stay integers: a value a newer library adds must never be
        // an invalid Rust enum.
        .default_enum_style(bindgen::EnumVariation::Consts)
        .prepend_enum_name(false)
        // Sizes differ between targets; the checked-in file serves them all.
        .layout_tests(false)
        .merge_extern_blocks(true)
        .parse_callbacks(Box::new(bindgen::CargoCallbacks::new()))
        .generate()
        .expect("bindgen could not process backoff.h");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    bindings.write_to_file(out.join("bindings.rs")).expect("could not write the bindings");
}
