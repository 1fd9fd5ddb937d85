#!/usr/bin/env bash
# Usage: installed_consumer_test.sh BUILD_DIR PREFIX LIBDIR SOURCE CXX
# Installs into a scratch directory and builds a C++ program with nothing but
# `pkg-config --cflags --libs backoff`: what a distribution user does.
set -euo pipefail
build=$1 prefix=$2 libdir=$3 source=$4 cxx=$5

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

meson install -C "$build" --destdir "$stage" --no-rebuild --quiet
root="$stage$prefix"
case $libdir in /*) lib="$stage$libdir" ;; *) lib="$root/$libdir" ;; esac

test -f "$root/include/backoff/backoff.hpp"

flags=$(PKG_CONFIG_PATH="$lib/pkgconfig" PKG_CONFIG_LIBDIR="$lib/pkgconfig" \
  pkg-config --define-variable=prefix="$root" --cflags --libs backoff)
# shellcheck disable=SC2086 # the flags are meant to be split
"$cxx" -std=c++17 -pedantic -Wall -Wextra -Werror "$source" $flags \
  -o "$stage/consumer"
LD_LIBRARY_PATH="$lib" "$stage/consumer"
