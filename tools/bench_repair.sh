#!/bin/sh
# bench_repair.sh — time libfix's repair pass against ftfy.fix_text on the
# same damaged input, in one run, and print the ratios.
#
#   tools/bench_repair.sh BUILD_DIR FTFY_DIR
#
# BUILD_DIR holds tests/bench_repair (cmake --build BUILD_DIR); FTFY_DIR is an
# unpacked python-ftfy source tree outside the repository (its package is put
# on PYTHONPATH; python3-wcwidth must be installed). Build in Release mode for
# meaningful numbers. Exit status: 0, 1 when a step failed, 2 usage error.
set -eu
if [ $# -ne 2 ]; then
    echo "usage: tools/bench_repair.sh BUILD_DIR FTFY_DIR" >&2
    exit 2
fi
build=$1
ftfy=$2
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$build/tests/bench_repair" "$root/testdata" "$tmp/damaged.txt" | tee "$tmp/libfix.txt"

PYTHONPATH="$ftfy" python3 - "$tmp/damaged.txt" > "$tmp/ftfy.txt" <<'EOF'
import sys, time
import ftfy
text = open(sys.argv[1], encoding="utf-8").read()
lines = text.split("\n")
best = None
for _ in range(3):
    t0 = time.process_time()
    for line in lines:
        ftfy.fix_text(line)
    t = time.process_time() - t0
    best = t if best is None or t < best else best
print(f"ftfy.fix_text(damaged) {best:.4f} s  {len(text.encode('utf-8')) / best / 1e6:.1f} MB/s")
EOF
cat "$tmp/ftfy.txt"

awk '
    FNR == 1 && FILENAME ~ /ftfy/ { ftfy = $2 }
    /^repair\(damaged\)/ { dmg = $2 }
    /^repair\(clean\)/ { clean = $2 }
    /^fast-path\(/ { fast = $2 }
    END {
        if (dmg > 0) printf "damaged: libfix repair is %.1fx faster than ftfy.fix_text (target >= 20x)\n", ftfy / dmg
        if (fast > 0) printf "clean: repair costs %.0f%% of the clean fast path (target <= 25%%)\n", 100 * clean / fast
        else print "clean: no fast-path baseline in this build (decode/normalize not built)"
    }' "$tmp/libfix.txt" "$tmp/ftfy.txt"
