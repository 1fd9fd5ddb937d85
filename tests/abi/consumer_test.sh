#!/usr/bin/env bash
# Usage: consumer_test.sh BUILD_DIR PREFIX LIBDIR CONSUMER_C CC
set -euo pipefail
build=$1 prefix=$2 libdir=$3 source=$4 cc=$5

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

meson install -C "$build" --destdir "$stage" --no-rebuild --quiet
root="$stage$prefix"
case $libdir in /*) lib="$stage$libdir" ;; *) lib="$root/$libdir" ;; esac

test -f "$root/include/backoff/backoff.h"
test -f "$lib/pkgconfig/backoff.pc"
# The soname is the ABI promise.
readelf -d "$lib/libbackoff.so" | grep -q 'SONAME.*\[libbackoff\.so\.1\]'

pc() { PKG_CONFIG_PATH="$lib/pkgconfig" PKG_CONFIG_LIBDIR="$lib/pkgconfig" \
  pkg-config --define-variable=prefix="$root" "$@" backoff; }

# Shared.
"$cc" -std=c99 -pedantic -Wall -Wextra -Werror "$source" $(pc --cflags --libs) \
  -o "$stage/consumer"
LD_LIBRARY_PATH="$lib" "$stage/consumer"

# Static: Libs.private must carry what the C++ core needs.
"$cc" -std=c99 "$source" $(pc --cflags) -Wl,-Bstatic $(pc --libs-only-l) \
  -Wl,-Bdynamic $(pc --static --libs-only-other) \
  $(pc --static --libs | tr ' ' '\n' | grep -v -- '-lbackoff' | tr '\n' ' ') \
  $(pc --libs-only-L) -o "$stage/consumer-static"
"$stage/consumer-static"
# Read ldd's whole output first: under pipefail, grep -q leaving early
# could fail ldd with SIGPIPE and turn a match into a pass.
linked=$(ldd "$stage/consumer-static")
if grep -q libbackoff <<<"$linked"; then
  echo "static consumer still links libbackoff.so" >&2
  exit 1
fi
