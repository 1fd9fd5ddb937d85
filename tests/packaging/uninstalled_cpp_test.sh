#!/usr/bin/env bash
# Usage: uninstalled_cpp_test.sh BUILD_DIR SOURCE CXX
# A C++ program built against a Meson build tree with nothing but
# `pkg-config --cflags --libs backoff-cpp`, as a binding's build would.
set -euo pipefail
build=$1 source=$2 cxx=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export PKG_CONFIG_PATH=$build/meson-uninstalled PKG_CONFIG_LIBDIR=$build/meson-uninstalled
flags=$(pkg-config --cflags --libs backoff-cpp)
# shellcheck disable=SC2086 # the flags are meant to be split
"$cxx" -std=c++17 -pedantic -Wall -Wextra -Werror "$source" $flags -o "$out/consumer"
LD_LIBRARY_PATH="$build/src" "$out/consumer" >/dev/null
