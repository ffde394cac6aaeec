#!/bin/bash
# Benchmark of fixtext's batch and JSON Lines modes (not a test: figures
# depend on the machine). From the repository root, after a build:
#   tools/bench_batch.sh [BUILD_DIR] [FILES] [JSONL_MEGABYTES] [PASSES]
# Prints, each with the command that produced it:
#   1. files/s at -j 1 and -j 2 on a FILES-file tree (default 10,000), with
#      and without per-file fsync, and the -j 2 / -j 1 ratio (target 1.7);
#   2. the same tree killed with SIGKILL at five random points and resumed:
#      every output checked byte for byte against the uninterrupted run;
#   3. JSONL over a JSONL_MEGABYTES file (default 1024): throughput and peak
#      RSS (target under 100 MB), and GNU parallel --pipe output compared
#      with the single-process output.
set -u
build=${1:-build}
files=${2:-10000}
mb=${3:-1024}
passes=${4:-decode,normalize}
fixtext=$(cd "$build/tools" && pwd)/fixtext
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
rate() { python3 -c "import sys; print('%.1f' % (float(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2]))))" "$@"; }

echo "== tree: $files files (tests/cli/make_tree.py testdata DIR $files)"
python3 tests/cli/make_tree.py testdata "$tmp/in" "$files"
echo "   $(du -sb "$tmp/in" | cut -f1) bytes"
# files/s of one run: run_fps J SYNC_OPTION
run_fps() {
    rm -rf "$tmp/out"
    local t0 t1
    t0=$(now)
    "$fixtext" -q -p "$passes" $2 -j "$1" --input-dir "$tmp/in" --output-dir "$tmp/out" || echo "   exit $?" >&2
    t1=$(now)
    rate "$files" "$t0" "$t1"
}
# -j 1 and -j 2 alternate, so that load from other users of the machine
# hits both alike; each pair gives a ratio, and the median is the figure.
for sync in "" "--no-fsync"; do
    pairs=$([ -z "$sync" ] && echo 1 || echo 3)
    ratios=""
    for p in $(seq "$pairs"); do
        f1=$(run_fps 1 "$sync")
        f2=$(run_fps 2 "$sync")
        r=$(python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) / float(sys.argv[1])))" "$f1" "$f2")
        ratios="$ratios $r"
        echo "   fixtext -q -p $passes $sync -j 1 / -j 2 --input-dir IN --output-dir OUT: $f1 / $f2 files/s, ratio $r (load $(cut -d' ' -f1 /proc/loadavg))"
    done
    echo "   -j 2 / -j 1 ${sync:-(with fsync)}: median ratio $(printf '%s\n' $ratios | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')x"
done
mv "$tmp/out" "$tmp/ref"

echo "== kill -9 at five random points, then resume (-j 2)"
for i in 1 2 3 4 5; do
    "$fixtext" -q -p "$passes" -j 2 --input-dir "$tmp/in" --output-dir "$tmp/k" 2>/dev/null &
    pid=$!
    sleep "$(python3 -c 'import random; print(round(random.uniform(0.2, 4.0), 2))')"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    echo "   kill $i: $(($(wc -l <"$tmp/k/.fixtext-manifest") - 1)) manifest lines"
done
"$fixtext" -q -p "$passes" -j 2 --input-dir "$tmp/in" --output-dir "$tmp/k"
echo "   resume exit status $?"
if diff -r -x .fixtext-manifest "$tmp/ref" "$tmp/k" >/dev/null; then
    echo "   all $files outputs identical to the uninterrupted run; temporary files left: $(find "$tmp/k" -name '*.fixtext-tmp.*' | wc -l)"
else
    echo "   MISMATCH: $(diff -rq -x .fixtext-manifest "$tmp/ref" "$tmp/k" | head -5)"
fi
rm -rf "$tmp/in" "$tmp/ref" "$tmp/k"

echo "== JSONL: $mb MB (tests/cli/make_jsonl.py testdata FILE $mb)"
python3 tests/cli/make_jsonl.py testdata "$tmp/in.jsonl" "$mb"
size=$(stat -c %s "$tmp/in.jsonl")
peak_run() { # OUT CMD...: runs CMD < in.jsonl > OUT, prints "seconds peak_kb"
    python3 -c '
import resource, subprocess, sys, time
t = time.monotonic()
with open(sys.argv[1], "rb") as i, open(sys.argv[2], "wb") as o:
    rc = subprocess.run(sys.argv[3:], stdin=i, stdout=o, stderr=subprocess.DEVNULL).returncode
print("%.2f %d %d" % (time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc))' "$tmp/in.jsonl" "$@"
}
read -r secs kb rc < <(peak_run "$tmp/single.jsonl" "$fixtext" -q -p "$passes" --jsonl --field text)
echo "   fixtext -q -p $passes --jsonl --field text < IN > OUT: exit $rc, $secs s, $(python3 -c "print('%.1f' % ($size / 1e6 / $secs))") MB/s, peak RSS $((kb / 1024)) MB"
read -r secs kb rc < <(peak_run "$tmp/parallel.jsonl" parallel --will-cite --pipe --block 10M -k -j 2 "$fixtext" -q -p "$passes" --jsonl --field text)
echo "   parallel --pipe --block 10M -k -j 2 fixtext ... : exit $rc, $secs s, $(python3 -c "print('%.1f' % ($size / 1e6 / $secs))") MB/s, $((size / 10485760 + 1)) chunks"
if cmp -s "$tmp/single.jsonl" "$tmp/parallel.jsonl"; then
    echo "   concatenated chunk outputs identical to the single-process output ($(wc -l <"$tmp/single.jsonl") lines)"
else
    echo "   MISMATCH between parallel and single-process output"
fi
