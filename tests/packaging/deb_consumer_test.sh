#!/usr/bin/env bash
# Usage: deb_consumer_test.sh DEB_DIR SOURCE_ROOT
# The three Debian packages unpacked into a scratch root (dpkg -x: no root
# rights, no container): each holds its files, the packages depend on each
# other as the symbols file says, and programs build and run against them
# with pkg-config (C, and C++ through backoff-cpp) and with CMake, as on a
# system where they are installed. The command and its man pages work too.
set -euo pipefail
debs=$1 top=$2

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
lib=$root/usr/lib/$multiarch
version=$(sed -n 's/^#define BACKOFF_VERSION_STRING "\(.*\)"$/\1/p' "$top/include/backoff/backoff.h")

fail() { echo "deb_consumer_test: $*" >&2; exit 1; }
contents() { dpkg-deb --contents "$1" | awk '{print $6}' | sed 's|^\./|/|'; }

for package in libbackoff1 libbackoff-dev backoff; do
  deb=$(ls "$debs/${package}_"*.deb)
  dpkg -x "$deb" "$root"
  case $package in
    libbackoff1) expected=("/usr/lib/$multiarch/libbackoff.so.1") ;;
    libbackoff-dev) expected=(/usr/include/backoff/backoff.h /usr/include/backoff/backoff.hpp
      "/usr/lib/$multiarch/libbackoff.so" "/usr/lib/$multiarch/libbackoff.a"
      "/usr/lib/$multiarch/pkgconfig/backoff.pc" "/usr/lib/$multiarch/pkgconfig/backoff-cpp.pc"
      "/usr/lib/$multiarch/cmake/backoff/backoffConfig.cmake"
      "/usr/lib/$multiarch/cmake/backoff/backoffConfigVersion.cmake"
      /usr/share/man/man3/backoff.3.gz) ;;
    backoff) expected=(/usr/bin/backoff /usr/share/man/man1/backoff.1.gz) ;;
  esac
  listing=$(contents "$deb")
  for file in "${expected[@]}"; do
    grep -qxF "$file" <<<"$listing" || fail "$package lacks $file"
  done
done

# shlibs from the symbols file: users of the library depend on the version
# that introduced what they use.
depends=$(dpkg-deb -f "$(ls "$debs"/backoff_*.deb)" Depends)
grep -qE 'libbackoff1 \(>= [0-9.]+\)' <<<"$depends" || fail "backoff's Depends lacks libbackoff1 (>= …): $depends"
dev_depends=$(dpkg-deb -f "$(ls "$debs"/libbackoff-dev_*.deb)" Depends)
grep -qE 'libbackoff1 \(= ' <<<"$dev_depends" || fail "libbackoff-dev's Depends lacks libbackoff1 (= …): $dev_depends"

pc() { PKG_CONFIG_LIBDIR="$lib/pkgconfig" PKG_CONFIG_PATH='' \
  pkg-config --define-variable=prefix="$root/usr" "$@"; }
[ "$(pc --modversion backoff)" = "$version" ] || fail "backoff.pc says $(pc --modversion backoff), the header $version"

# shellcheck disable=SC2046 # the flags are meant to be split
cc -std=c99 -pedantic -Wall -Wextra -Werror "$top/tests/abi/consumer.c" $(pc --cflags --libs backoff) -o "$root/c_consumer"
# shellcheck disable=SC2046
c++ -std=c++17 -pedantic -Wall -Wextra -Werror "$top/examples/cpp/fetch.cpp" \
  $(pc --cflags --libs backoff-cpp) -o "$root/cpp_consumer"
LD_LIBRARY_PATH=$lib "$root/c_consumer"
LD_LIBRARY_PATH=$lib "$root/cpp_consumer" >/dev/null

cmake -S "$top/tests/packaging/cmake-consumer" -B "$root/cmake" -DCMAKE_PREFIX_PATH="$root/usr" \
  -DBACKOFF_VERSION_WANTED="$version" -DCONSUMER_C="$top/tests/abi/consumer.c" \
  -DCONSUMER_CPP="$top/examples/cpp/fetch.cpp" >"$root/cmake.log" 2>&1 &&
  cmake --build "$root/cmake" >>"$root/cmake.log" 2>&1 || { cat "$root/cmake.log"; fail "the CMake consumer failed"; }
LD_LIBRARY_PATH=$lib "$root/cmake/c_consumer" >/dev/null

[ "$(LD_LIBRARY_PATH=$lib "$root/usr/bin/backoff" --version)" = "backoff (libbackoff) $version" ] ||
  fail "the packaged command does not report version $version"
LD_LIBRARY_PATH=$lib "$root/usr/bin/backoff" --tries 2 -- true
for page in man1/backoff.1.gz man3/backoff.3.gz; do
  warnings=$(zcat "$root/usr/share/man/$page" | groff -man -Tutf8 -ww -z 2>&1)
  [ -z "$warnings" ] || fail "$page: $warnings"
done
echo "deb_consumer_test: the three packages unpacked; C, C++ (pkg-config) and CMake consumers, the command and the man pages work"
