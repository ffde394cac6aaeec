#!/bin/sh
# bench_convert.sh — libfix's convert pass against `opencc` on the same input,
# in one run, printing both throughputs and their ratio.
#
# Usage: tools/bench_convert.sh [BUILD_DIR] [MEGABYTES]
#   BUILD_DIR  where zhconv and bench_convert were built (default: build)
#   MEGABYTES  size of each input (default: 100)
#
# Inputs are made from testdata/seeds by repetition:
#   simplified  the Simplified seeds (000-002, 004): s2t converts most lines
#   traditional the same text after `opencc -c s2t.json`: already in the
#               target script for --to-script traditional
#   latin       the seeds with every non-ASCII character removed: no Han
# Each case times the whole command (read, convert, write) for
#   opencc -c s2t.json -i IN -o OUT
#   zhconv  -c s2t      -i IN -o OUT   (or -t traditional)
# and bench_convert's in-process time for the library call alone.
set -eu
build=${1:-build}
mb=${2:-100}
root=$(cd "$(dirname "$0")/.." && pwd)
zhconv=$build/tools/zhconv
bench=$build/tests/bench_convert
work=$(mktemp -d /tmp/bench_convert.XXXXXX)
trap 'rm -rf "$work"' EXIT

seeds="$root/testdata/seeds/000_2c2c842a2fec32c3.txt $root/testdata/seeds/001_74ed674026e8a210.txt
       $root/testdata/seeds/002_d6a4e868b2ae8101.txt $root/testdata/seeds/004_be795c9853c9171b.txt"
cat $seeds > "$work/unit.txt"
repeat() { # repeat FILE to $mb megabytes into OUT
    python3 - "$1" "$2" "$mb" <<'EOF'
import sys
unit = open(sys.argv[1], 'rb').read()
size = int(sys.argv[3]) * 1000 * 1000
with open(sys.argv[2], 'wb') as f:
    f.write(unit * (size // len(unit)))
EOF
}
repeat "$work/unit.txt" "$work/simplified.txt"
opencc -c s2t.json -i "$work/unit.txt" -o "$work/unit_t.txt"
repeat "$work/unit_t.txt" "$work/traditional.txt"
LC_ALL=C tr -cd '\11\12\15\40-\176' < "$work/unit.txt" > "$work/unit_l.txt"
repeat "$work/unit_l.txt" "$work/latin.txt"

seconds() { # seconds COMMAND...: wall time of one run
    s=$(date +%s.%N)
    "$@"
    e=$(date +%s.%N)
    echo "$e - $s" | bc
}

row() { # row CASE FILE ZHCONV-ARGS...
    name=$1 file=$2
    shift 2
    bytes=$(stat -c %s "$file")
    o=$(seconds opencc -c s2t.json -i "$file" -o "$work/o.txt")
    z=$(seconds "$zhconv" "$@" -i "$file" -o "$work/z.txt")
    lib=$("$bench" "$@" "$file" | awk '{print $5}')
    same=no
    cmp -s "$work/o.txt" "$work/z.txt" && same=yes
    printf '%-12s %6.1f MB  opencc %7.2f MB/s  zhconv %7.2f MB/s  ratio %6.2fx  (library alone %7.2f MB/s; output identical: %s)\n' \
        "$name" "$(echo "$bytes / 1000000" | bc -l)" \
        "$(echo "$bytes / 1000000 / $o" | bc -l)" "$(echo "$bytes / 1000000 / $z" | bc -l)" \
        "$(echo "$o / $z" | bc -l)" "$lib" "$same"
}

echo "opencc $(opencc --version 2>&1 | awk '/Version/{print $2}'), input ${mb} MB per case, $(date -u +%FT%TZ)"
row simplified "$work/simplified.txt" -c s2t
row traditional "$work/traditional.txt" -t traditional
row latin "$work/latin.txt" -c s2t
