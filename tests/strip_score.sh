#!/bin/sh
# strip_score.sh DEBOIL GOLD_DIR MIN_F1 — runs deboil on every page of a gold
# directory and scores the outputs with the gold set's own score.py; fails
# when the micro F1 (score.py's last line) is below MIN_F1.
set -eu
deboil=$1 gold=$2 min=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in "$gold"/*.txt; do
    case $f in *.gold.txt) continue ;; esac
    "$deboil" --format text "$f" > "$out/$(basename "$f")"
done
last=$(python3 "$(dirname "$0")/../testdata/strip/gold/score.py" --gold "$gold" --pred "$out" | tail -n 1)
echo "$last"
f1=$(echo "$last" | sed -n 's/^boiler F1=\([0-9.]*\) .*/\1/p')
python3 -c "import sys; sys.exit(0 if float('$f1') >= float('$min') else 1)"
