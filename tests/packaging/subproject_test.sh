#!/usr/bin/env bash
# Usage: subproject_test.sh SOURCE_ROOT CONSUMER_C CONSUMER_CPP
# A parent Meson project that uses libbackoff as a subproject, on a machine
# where pkg-config finds neither cmocka nor Catch2 (an empty search path):
# its setup must not look them up, it must build only the libraries, and its
# C consumer (dependency('backoff')) and C++ consumer
# (dependency('backoff-cpp')) must build and run.
set -euo pipefail
source_root=$1 consumer_c=$2 consumer_cpp=$3

parent=$(mktemp -d)
trap 'rm -rf "$parent"' EXIT
mkdir "$parent/subprojects" "$parent/no-pkgconfig"
ln -s "$source_root" "$parent/subprojects/libbackoff"
cp "$consumer_c" "$parent/consumer.c"
cp "$consumer_cpp" "$parent/consumer.cpp"
cat > "$parent/meson.build" <<'MESON'
project('parent', ['c', 'cpp'], default_options : ['c_std=c99', 'cpp_std=c++17'])
executable('c_consumer', 'consumer.c',
  dependencies : dependency('backoff', fallback : 'libbackoff'))
executable('cpp_consumer', 'consumer.cpp',
  dependencies : dependency('backoff-cpp', fallback : 'libbackoff'))
MESON

export PKG_CONFIG_LIBDIR=$parent/no-pkgconfig
unset PKG_CONFIG_PATH
# forcefallback: the subproject even where a libbackoff is installed.
meson setup "$parent/build" "$parent" --wrap-mode=forcefallback >"$parent/setup.log" 2>&1 ||
  { cat "$parent/setup.log"; exit 1; }
log=$parent/build/meson-logs/meson-log.txt
if grep -iE 'cmocka|catch2' "$log"; then
  echo "the parent's setup looked up a test framework (lines above, from meson-log.txt)" >&2
  exit 1
fi

# Only the parent's programs and the subproject's libraries are targets.
targets=$(meson introspect --targets "$parent/build" |
  python3 -c 'import json, sys
print(" ".join(sorted(t["name"] for t in json.load(sys.stdin))))')
if [ "$targets" != "backoff backoff c_consumer cpp_consumer" ]; then
  echo "the parent builds more than the library (shared and static) and its own programs: $targets" >&2
  exit 1
fi
# Nothing but the library, its headers (C, and the C++ wrapper's) and its
# .pc files is installed.
installed=$(meson introspect --installed "$parent/build" |
  python3 -c 'import json, sys
print("\n".join(sorted(json.load(sys.stdin).values())))')
if grep -vE '/libbackoff\.(a|so[.0-9]*)$|/include/backoff/(backoff\.h(pp)?|cpp/\w+\.hpp)$|/pkgconfig/backoff(-cpp)?\.pc$' <<<"$installed"; then
  echo "the parent installs more than the library (lines above)" >&2
  exit 1
fi

ninja -C "$parent/build" >"$parent/build.log" 2>&1 || { cat "$parent/build.log"; exit 1; }
"$parent/build/c_consumer"
"$parent/build/cpp_consumer"
