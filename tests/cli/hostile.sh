#!/bin/bash
# Hostile archives: nothing is ever written outside the output directory,
# every refusal is reported, the ordinary file in each archive comes through.
# The archives are built by make_hostile.py (see there for each case).
# Usage: hostile.sh TOOLS_DIR
set -u
fixtext=$(cd "$1" && pwd)/fixtext
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

box=$tmp/box      # everything the runs may touch lives here
victim=$box/victim
mkdir -p "$box/arch" "$victim"
python3 "$here/make_hostile.py" "$box/arch" "$victim" || { echo "cannot build the archives" >&2; exit 1; }
# snapshot of the box outside the output directories
outside() { (cd "$box" && find . -path ./arch -prune -o -path './out_*' -prune -o -print | sort); }
before=$(outside)

# run NAME WANT_STATUS [OPTIONS...]: fixtext over archive NAME into out_NAME
run() {
    local name=$1 want=$2
    shift 2
    "$fixtext" -p decode,normalize "$@" --input-dir "$box/arch/$name" --output-dir "$box/out_${name%%.*}" \
        --report "$tmp/$name.json" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    [ "$got" -eq "$want" ] && ok || bad "$name: exit $got, want $want ($(head -c 300 "$tmp/err"))"
    [ "$(outside)" = "$before" ] && ok || bad "$name: something was written outside the output directory"
    [ -z "$(find "$box/out_${name%%.*}" -type l -print -quit 2>/dev/null)" ] && ok || bad "$name: a link was created"
}
refused() { # NAME PATTERN: the refusal is reported, on stderr and in the report
    grep -q -- "$2" "$tmp/err" && ok || bad "$1: no '$2' on stderr"
    python3 - "$tmp/$1.json" "$2" <<'PY' && ok || bad "$1: '$2' is not a refusal in the report"
import json, sys
files = json.load(open(sys.argv[1]))["files"]
assert any(f["status"] == "refused" and sys.argv[2] in f["reason"] for f in files)
PY
}
good_out() { # NAME: the ordinary member came through intact
    cmp -s "$box/out_${1%%.*}/good.txt" <(printf '北京，2024年3月5日。这是一段正常的新闻文字。\n') && ok || bad "$1: good.txt missing or wrong"
}

run dotdot.tar 1;      refused dotdot.tar "'..' in path"; good_out dotdot.tar
[ -e "$box/escaped.txt" ] || [ -e "$tmp/escaped.txt" ] && bad "../ escaped" || ok
run absolute.tar 1;    refused absolute.tar "absolute path"; good_out absolute.tar
[ -e "$victim/abs.txt" ] && bad "absolute path written" || ok
run symlink.tar 1;     refused symlink.tar "symbolic link not extracted"; good_out symlink.tar
[ -e "$victim/through.txt" ] && bad "written through a symbolic link" || ok
run hardlink.tar 1;    refused hardlink.tar "hard link not extracted"; good_out hardlink.tar
run devices.tar 1;     refused devices.tar "device file not extracted"; refused devices.tar "FIFO not extracted"
good_out devices.tar
run duplicate.tar 1;   refused duplicate.tar "duplicate name"; good_out duplicate.tar
run badnames.tar 1;    refused badnames.tar "control character"; refused badnames.tar "too long"
refused badnames.tar "empty name"; refused badnames.tar "reserved"; good_out badnames.tar
run legacy.zip 1;      refused legacy.zip "'..' in path"; good_out legacy.zip
[ -f "$box/out_legacy/新聞報導與評論.txt" ] && ok || bad "Big5 member name not decoded"
grep -q "decoded from Big5" "$tmp/err" && ok || bad "decoded member name not reported"
run nested.zip 1;      refused nested.zip "nested archive"; good_out nested.zip
# a zip bomb stops at the ratio limit, long before its 64 MiB
run bomb.zip 1
grep -q -- "--max-ratio" "$tmp/err" && ok || bad "bomb: ratio limit not reported"
[ -e "$box/out_bomb/zeros.txt" ] && bad "bomb member written" || ok
run bomb.zip 1 --max-ratio 100000 --max-member-size 1000000
refused bomb.zip "larger than --max-member-size"
run bomb.zip 1 --max-ratio 100000 --max-total-size 2000000
grep -q -- "--max-total-size" "$tmp/err" && ok || bad "bomb: total limit not reported"
run members.zip 0
run members.zip 1 --max-member-size 10000
refused members.zip "larger than --max-member-size"
run corrupt.tar.gz 3
grep -q "cannot read archive" "$tmp/err" && ok || bad "corrupt archive not reported"
# to an archive: the refusals are the same, and no partial archive remains
"$fixtext" -q -p decode --input-dir "$box/arch/bomb.zip" --output-dir "$tmp/bomb_out.zip" 2>"$tmp/err"
[ -e "$tmp/bomb_out.zip" ] && bad "partial output archive after a bomb" || ok
[ -z "$(find "$tmp" -name '*.fixtext-tmp.*' -print -quit)" ] && ok || bad "temporary archive left"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
