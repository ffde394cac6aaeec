#!/bin/sh
# Runs every libFuzzer target until it has used SECONDS of CPU time (not wall
# time: on a shared machine a wall-clock limit gives a target less than it
# was promised) and prints the CPU seconds used, executions, coverage and
# crashes per target.
# Usage: tools/fuzz.sh SECONDS [TARGET...]
# FUZZ_NO_BUILD=1 skips the build (for a second run beside a first one).
#
# Builds build-fuzz (clang, -DLIBFIX_FUZZ=ON) when needed. Each target keeps
# its growing corpus in build-fuzz/corpus/<target> (seeded from testdata/seeds,
# testdata/encoded, testdata/fuzz-seeds and testdata/fuzz-regressions/<target>);
# crashes land in build-fuzz/artifacts/<target>/. A crash input belongs in
# testdata/fuzz-regressions/<target>/ once understood: ctest replays it.
# Exit status: 0 no crash, 1 some target crashed, 2 usage error.
set -eu
cd "$(dirname "$0")/.."
case "${1:-}" in
    ''|*[!0-9]*) echo "usage: tools/fuzz.sh SECONDS [TARGET...]" >&2; exit 2 ;;
esac
secs=$1
shift
dir=build-fuzz
if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIBFIX_FUZZ=ON >/dev/null
fi
[ -n "${FUZZ_NO_BUILD:-}" ] || cmake --build "$dir" -j2 >/dev/null
ticks=$(getconf CLK_TCK)
# cpu_seconds PID: user + system CPU seconds of a running process
cpu_seconds() {
    awk -v t="$ticks" '{ printf "%d", ($14 + $15) / t }' "/proc/$1/stat" 2>/dev/null
}
targets=${*:-"decode normalize pipeline stream pass_decode pass_repair pass_normalize pass_convert pass_strip jsonl archive"}
crashed=0
printf '%-16s %8s %10s %8s %8s  %s\n' target cpu-s execs cov ft result
for t in $targets; do
    bin=$dir/tests/fuzz_$t
    corpus=$dir/corpus/$t
    art=$dir/artifacts/$t
    mkdir -p "$corpus" "$art"
    log=$dir/fuzz_$t.log
    seeds="testdata/seeds testdata/encoded testdata/fuzz-seeds"
    [ -d testdata/fuzz-regressions/"$t" ] && seeds="$seeds testdata/fuzz-regressions/$t"
    set +e
    # The wall-clock limit is only a backstop; the CPU budget stops the run
    # with SIGINT, on which libFuzzer prints its stats and exits 72.
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin" -max_total_time="$((secs * 10))" ${FUZZ_SEED:+-seed="$FUZZ_SEED"} -timeout=20 -rss_limit_mb=4096 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$art/" "$corpus" $seeds >"$log" 2>&1 &
    pid=$!
    cpu=0
    while kill -0 "$pid" 2>/dev/null; do
        cpu=$(cpu_seconds "$pid")
        if [ "${cpu:-0}" -ge "$secs" ]; then
            kill -INT "$pid"
            break
        fi
        sleep 1
    done
    wait "$pid"
    rc=$?
    [ "$rc" -eq 72 ] && rc=0
    set -e
    if grep -q "is not built: nothing to fuzz" "$log"; then
        printf '%-16s %8s %10s %8s %8s  %s\n' "$t" - - - - "skipped (pass not built)"
        continue
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    result=ok
    if [ "$rc" -ne 0 ]; then
        result="CRASH (exit $rc): see $log and $art/"
        crashed=1
    fi
    printf '%-16s %8s %10s %8s %8s  %s\n' "$t" "${cpu:-?}" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$result"
done
exit $crashed
