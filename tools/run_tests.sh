#!/bin/sh
# The whole test suite: installs what is missing, then builds and runs every
# ctest test twice, in a plain build and under AddressSanitizer +
# UndefinedBehaviorSanitizer; then, when clang is there, the thread-safety
# test under ThreadSanitizer and a fuzz smoke (every libFuzzer target for
# FUZZ_SECONDS, default 20).
set -eu
cd "$(dirname "$0")/.."
sh tools/install_deps.sh
jobs=$(nproc)
for mode in plain asan; do
    dir=build-test-$mode
    san=OFF
    [ "$mode" = asan ] && san=ON
    echo "== $mode build" >&2
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIBFIX_SANITIZE=$san >/dev/null
    cmake --build "$dir" -j"$jobs" >/dev/null
    (cd "$dir" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --output-on-failure -j"$jobs")
done
if command -v clang >/dev/null 2>&1; then
    echo "== tsan build (test_threads)" >&2
    cmake -S . -B build-test-tsan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIBFIX_TSAN=ON >/dev/null
    cmake --build build-test-tsan -j"$jobs" --target test_threads >/dev/null
    (cd build-test-tsan && ctest --output-on-failure -R '^test_threads$')
    echo "== fuzz smoke" >&2
    # A fixed seed makes the smoke repeatable: a failure seen in CI replays here.
    FUZZ_SEED=${FUZZ_SEED:-1} sh tools/fuzz.sh "${FUZZ_SECONDS:-20}"
fi
