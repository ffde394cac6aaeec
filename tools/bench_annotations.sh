#!/bin/sh
# bench_annotations.sh — throughput of the annotation repair (part of the
# repair pass) on seed-003-like input, against the 50 MB/s target.
#
# Usage: tools/bench_annotations.sh [BUILD_DIR] [SECONDS]
#   BUILD_DIR  a Release build directory (default: build-rel, configured and
#              built here if missing)
#   SECONDS    CPU seconds per input (default 2)
# No peer tool strips pinyin annotations or rebuilds their splices, so the
# ratio printed is to the target, not to a peer.
# Exit status: 0 when the benchmark ran, 1 when it failed, 2 on bad usage.
set -eu
case "${1:-}" in -h|--help) sed -n '2,12p' "$0"; exit 0 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-rel}
seconds=${2:-2}
if [ ! -x "$build/tests/bench_annotations" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null || exit 1
    cmake --build "$build" -j2 --target bench_annotations >/dev/null || exit 1
fi
exec "$build/tests/bench_annotations" "$seconds"
