#!/usr/bin/env bash
# Usage: cmake_consumer_test.sh BUILD_DIR PREFIX LIBDIR VERSION CONSUMER_DIR CONSUMER_C CONSUMER_CPP
# Installs into a scratch directory (DESTDIR) and builds a C and a C++
# program with CMake's find_package(backoff VERSION EXACT) and the imported
# target backoff::backoff alone, linked to the shared and then to the static
# library, and runs them. Exit 77 (skipped) when cmake is not installed.
set -euo pipefail
build=$1 prefix=$2 libdir=$3 version=$4 consumer=$5 source_c=$6 source_cpp=$7
command -v cmake >/dev/null || { echo "cmake is not installed" >&2; exit 77; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
meson install -C "$build" --destdir "$stage" --no-rebuild --quiet
root="$stage$prefix"
case $libdir in /*) lib="$stage$libdir" ;; *) lib="$root/$libdir" ;; esac
test -f "$lib/cmake/backoff/backoffConfig.cmake"
test -f "$lib/cmake/backoff/backoffConfigVersion.cmake"

for linkage in shared static; do
  static=OFF
  [ "$linkage" = static ] && static=ON
  out=$stage/consumer-$linkage
  cmake -S "$consumer" -B "$out" -DCMAKE_PREFIX_PATH="$root" -DBACKOFF_USE_STATIC_LIBS=$static \
    -DBACKOFF_VERSION_WANTED="$version" -DCONSUMER_C="$source_c" -DCONSUMER_CPP="$source_cpp" \
    >"$out.log" 2>&1 || { cat "$out.log"; exit 1; }
  cmake --build "$out" >>"$out.log" 2>&1 || { cat "$out.log"; exit 1; }
  for program in c_consumer cpp_consumer; do
    LD_LIBRARY_PATH="$lib" "$out/$program" >/dev/null
    # Not `ldd | grep -q`: grep's early exit can fail ldd (pipefail).
    libraries=$(ldd "$out/$program")
    if grep -q libbackoff <<<"$libraries"; then linked=shared; else linked=static; fi
    if [ "$linked" != "$linkage" ]; then
      echo "$program: asked for the $linkage library, got the $linked one" >&2
      exit 1
    fi
  done
done
echo "cmake consumers (C and C++, shared and static) built against backoff $version and ran"
