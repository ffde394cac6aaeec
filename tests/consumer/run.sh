#!/bin/sh
# Installs the built libfix into a temporary prefix, then builds and runs the
# consumer project against it twice: through CMake's find_package(libfix) and
# through pkg-config.
# Usage: run.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
cmake -S "$src/tests/consumer" -B "$tmp/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/build" >/dev/null
"$tmp/build/consumer"
libdir=$(find "$tmp/prefix" -name libfix.pc -printf '%h\n' | head -n 1)
PKG_CONFIG_PATH=$libdir cc -o "$tmp/consumer-pc" "$src/tests/consumer/consumer.c" \
    $(PKG_CONFIG_PATH=$libdir pkg-config --cflags libfix) \
    $(PKG_CONFIG_PATH=$libdir pkg-config --libs libfix) -Wl,-rpath,"$(dirname "$libdir")"
"$tmp/consumer-pc"
echo "1 passed, 0 failed"
