#!/usr/bin/env bash
# Usage: cargo_package_test.sh [SOURCE_ROOT]
# The Rust crates as a registry user gets them: `cargo package` of backoff-sys
# and libbackoff on a machine where no libbackoff is installed and libclang
# cannot be found (cargo builds each package from its own tarball), then the
# packaged backoff-sys extracted and built again offline, and its example run
# without LD_LIBRARY_PATH: it must print the header's version.
set -euo pipefail
top=$(cd "${1:-$(dirname "$0")/../..}" && pwd)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# No libbackoff through pkg-config (an empty search path), none through the
# dynamic loader, no libclang.
unset PKG_CONFIG_PATH LD_LIBRARY_PATH BACKOFF_SYS_USE_PKG_CONFIG
export PKG_CONFIG_LIBDIR=$scratch/no-pkgconfig LIBCLANG_PATH=/nonexistent
export CARGO_TARGET_DIR=$scratch/target
mkdir "$PKG_CONFIG_LIBDIR"

version=$(sed -n 's/^#define BACKOFF_VERSION_STRING "\(.*\)"$/\1/p' "$top/include/backoff/backoff.h")
crate_version=$(cd "$top/bindings/rust" && cargo metadata --no-deps --format-version 1 --offline |
  python3 -c 'import json, sys
print({p["name"]: p["version"] for p in json.load(sys.stdin)["packages"]}["backoff-sys"])')

# Everything the lockfile names, fetched now (a no-op when cached): what
# follows must work offline.
(cd "$top/bindings/rust" && cargo fetch --quiet &&
  cargo package --quiet --offline --allow-dirty -p backoff-sys -p libbackoff)

crate=$CARGO_TARGET_DIR/package/backoff-sys-$crate_version.crate
tar -xzf "$crate" -C "$scratch"
for file in core/state.cpp core/capi.cpp include/backoff/backoff.h src/bindings.rs LICENSE; do
  test -f "$scratch/backoff-sys-$crate_version/$file" || { echo "the package lacks $file" >&2; exit 1; }
done

cd "$scratch/backoff-sys-$crate_version"
CARGO_TARGET_DIR=$scratch/extracted-target cargo build --quiet --offline --locked --example version
printed=$("$scratch/extracted-target/debug/examples/version")
if [ "$printed" != "libbackoff $version" ]; then
  echo "the packaged crate's example printed '$printed', expected 'libbackoff $version'" >&2
  exit 1
fi
libraries=$(ldd "$scratch/extracted-target/debug/examples/version")
if grep -q libbackoff <<<"$libraries"; then
  echo "the bundled build links libbackoff.so" >&2
  exit 1
fi
echo "backoff-sys $crate_version and libbackoff packaged; the package builds offline and runs: $printed"
