#!/bin/bash
# CLI tests for fixtext and encdetect: golden outputs, exit codes, bad input,
# and that no original or output is ever left truncated.
# Usage: fixtext.sh TOOLS_DIR TESTDATA_DIR
set -u
tools=$1
data=$2
fixtext=$tools/fixtext
encdetect=$tools/encdetect
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# expect_status WANT DESCRIPTION -- command...
expect_status() {
    local want=$1 what=$2
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, want $want ($(head -c 300 "$tmp/err"))"; fi
}
expect_same() { # FILE1 FILE2 DESCRIPTION
    if cmp -s "$1" "$2"; then ok; else bad "$3: $1 and $2 differ"; fi
}
expect_grep() { # PATTERN FILE DESCRIPTION
    if grep -q -- "$1" "$2"; then ok; else bad "$3: no '$1' in $(head -c 300 "$2")"; fi
}

seed=$data/seeds/003_3cb92859fe70f893.txt
gb=$data/encoded/003_3cb92859fe70f893.gb18030

# usage and help
expect_status 0 "--help" -- "$fixtext" --help
expect_grep "Exit status" "$tmp/out" "--help documents exit codes"
expect_status 2 "unknown option" -- "$fixtext" --no-such-option
expect_status 2 "unknown pass" -- "$fixtext" --passes decode,bogus
expect_grep "bogus" "$tmp/err" "unknown pass is named"
expect_status 2 "decode not first" -- "$fixtext" --passes normalize,decode
expect_status 2 "unknown encoding" -- "$fixtext" --from no-such-enc "$seed"
expect_status 2 "bad --form" -- "$fixtext" --form nfd "$seed"

# golden: every saved encoding of the seeds decodes to the UTF-8 original
for f in "$data"/encoded/*.gb18030 "$data"/encoded/*.utf16le; do
    n=$(basename "$f"); n=${n%%.*}
    expect_status 0 "decode $f" -- "$fixtext" -p decode,normalize --no-fold-width "$f"
    expect_same "$tmp/out" "$data/seeds/$n.txt" "decode $(basename "$f")"
done
for f in "$data"/encoded/*.big5; do
    expect_status 0 "decode $f" -- "$fixtext" -p decode "$f"
    expect_same "$tmp/out" "${f%.big5}.txt" "decode $(basename "$f")"
done
expect_status 0 "forced --from" -- "$fixtext" -p decode -f GB18030 "$gb"
expect_same "$tmp/out" "$seed" "forced --from GB18030"

# -o writes atomically and never overwrites an input
cp "$seed" "$tmp/in.txt"
expect_status 0 "-o" -- "$fixtext" -p decode,normalize -o "$tmp/o.txt" "$gb"
expect_same "$tmp/o.txt" "$seed" "-o output"
if ls "$tmp"/o.txt.tmp.* >/dev/null 2>&1; then bad "temporary file left behind"; else ok; fi
expect_status 3 "-o onto the input" -- "$fixtext" -p decode -o "$tmp/in.txt" "$tmp/in.txt"
expect_grep "refusing to overwrite" "$tmp/err" "-o onto input is refused"
expect_same "$tmp/in.txt" "$seed" "input intact after refused -o"

# bad input: empty, missing, unreadable, directory, binary, NUL, invalid, truncated
: >"$tmp/empty"
expect_status 0 "empty input" -- "$fixtext" -p decode,normalize "$tmp/empty"
[ -s "$tmp/out" ] && bad "empty input gave output" || ok
expect_status 3 "missing file" -- "$fixtext" -p decode "$tmp/does-not-exist"
expect_grep "does-not-exist" "$tmp/err" "missing file is named"
expect_status 1 "one good, one missing" -- "$fixtext" -p decode "$seed" "$tmp/does-not-exist"
expect_same "$tmp/out" "$seed" "good file still processed"
if [ "$(id -u)" -ne 0 ]; then
    cp "$seed" "$tmp/noread"; chmod 000 "$tmp/noread"
    expect_status 3 "unreadable file" -- "$fixtext" -p decode "$tmp/noread"
fi
expect_status 3 "directory" -- "$fixtext" -p decode "$tmp"
expect_grep "directory" "$tmp/err" "directory is named"
head -c 65536 /dev/urandom >"$tmp/binary" 2>/dev/null || dd if=/dev/urandom of="$tmp/binary" bs=1024 count=64 2>/dev/null
expect_status 0 "binary input" -- "$fixtext" -p decode,normalize "$tmp/binary"
printf 'a\0b\n' >"$tmp/nul"
expect_status 0 "NUL bytes" -- "$fixtext" -p decode,normalize -f UTF-8 "$tmp/nul"
printf 'ab\n' >"$tmp/ab"
expect_same "$tmp/out" "$tmp/ab" "NUL removed by normalize"
printf 'abc\xe4\xb8' >"$tmp/trunc"
expect_status 3 "truncated, strict" -- "$fixtext" -p decode -f UTF-8 --strict "$tmp/trunc"
expect_grep "offset 3" "$tmp/err" "strict names the offset"
expect_status 0 "truncated, replace" -- "$fixtext" -p decode -f UTF-8 --explain "$tmp/trunc"
expect_grep "truncated" "$tmp/err" "--explain lists the truncation"
printf 'ok\xff\n' >"$tmp/invalid"
expect_status 3 "invalid UTF-8 without decode" -- "$fixtext" -p normalize "$tmp/invalid"
expect_grep "byte 2" "$tmp/err" "invalid UTF-8 offset"

# stdin, --report JSON, --dry-run
expect_status 0 "stdin" -- sh -c "'$fixtext' -p decode < '$gb'"
expect_same "$tmp/out" "$seed" "stdin streamed"
expect_status 0 "--report" -- "$fixtext" -p decode,normalize --report "$tmp/r.json" "$gb" "$tmp/trunc"
expect_status 0 "report is JSON" -- python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['files'])==2; assert d['files'][0]['report']['encoding']=='GB18030'" "$tmp/r.json"
expect_status 0 "--dry-run" -- "$fixtext" -p decode --dry-run -o "$tmp/dry.txt" "$gb"
[ -e "$tmp/dry.txt" ] && bad "--dry-run wrote output" || ok

# a closed pipe is reported, not a silent death
big=$tmp/big.txt
for i in $(seq 1 200); do cat "$seed"; done >"$big"
"$fixtext" -p decode "$big" 2>"$tmp/err" | head -c 10 >/dev/null
st=${PIPESTATUS[0]}
if [ "$st" -ne 0 ]; then ok; else bad "SIGPIPE: exit 0"; fi
expect_grep "write error" "$tmp/err" "SIGPIPE reported"

# the default pipeline (decode, repair, normalize): seed 003's spliced pinyin
# and damaged sites repaired, the other seeds untouched, and every saved
# encoding of them back to the UTF-8 original
expect_status 0 "default pipeline, seed 003" -- "$fixtext" "$seed"
expect_same "$tmp/out" "$data/annotations/seed003_clean.txt" "seed 003 repaired"
expect_status 0 "default pipeline, GB18030 seed 003" -- "$fixtext" "$gb"
expect_same "$tmp/out" "$data/annotations/seed003_clean.txt" "GB18030 seed 003 decoded and repaired"
for n in 000_2c2c842a2fec32c3 001_74ed674026e8a210 002_d6a4e868b2ae8101 004_be795c9853c9171b; do
    expect_status 0 "default pipeline $n" -- "$fixtext" "$data/seeds/$n.txt"
    expect_same "$tmp/out" "$data/seeds/$n.txt" "clean seed $n unchanged"
    expect_status 0 "default pipeline $n.gb18030" -- "$fixtext" "$data/encoded/$n.gb18030"
    expect_same "$tmp/out" "$data/seeds/$n.txt" "seed $n from GB18030"
done
expect_status 0 "default pipeline, empty" -- "$fixtext" "$tmp/empty"
expect_status 0 "default pipeline, binary" -- "$fixtext" "$tmp/binary"
expect_status 0 "--explain names the repairs" -- "$fixtext" --explain "$seed"
expect_grep "repair/annotation-splice" "$tmp/err" "--explain lists splice repairs"
expect_grep "repair/pinyin-annotation" "$tmp/err" "--explain lists stripped annotations"
expect_status 0 "--dry-run on seed 003" -- "$fixtext" --dry-run --report "$tmp/dry.json" "$seed"
expect_grep "annotation-splice" "$tmp/dry.json" "--dry-run reports"

# strip through fixtext: the seeds' gold, and a GB18030 HTML page whose
# declared charset is missing (detection decides)
strip=$data/strip/gold
mkdir -p "$tmp/pred"
for f in "$strip"/*.txt; do
    case $f in *.gold.txt) continue ;; esac
    "$fixtext" -p decode,strip "$f" >"$tmp/pred/$(basename "$f")" || bad "strip $(basename "$f")"
done
expect_status 0 "strip gold score" -- python3 "$strip/score.py" --gold "$strip" --pred "$tmp/pred" --quiet
expect_grep "F1=1.0000" "$tmp/out" "strip F1 on the seeds through fixtext"
page=$data/strip/peers/trafilatura/tests/eval/archive.org.he.xinhuanet.com.25340717.html
expect_status 0 "GB18030 HTML page" -- "$fixtext" -p decode,normalize,strip --format html --explain "$page"
expect_grep "约定无期限" "$tmp/out" "HTML article text extracted"
expect_grep "encoding GB18030" "$tmp/err" "HTML page detected as GB18030"
qq=$data/strip/peers/readability/test/test-pages/qq/source.html
expect_status 0 "qq page (declares gb2312, is UTF-8)" -- "$fixtext" -p decode,strip --explain "$qq"
expect_grep "encoding UTF-8" "$tmp/err" "qq page decoded as UTF-8"

# encdetect
expect_status 0 "encdetect" -- "$encdetect" "$gb" "$data/encoded/002_d6a4e868b2ae8101.trad.big5" "$data/encoded/000_2c2c842a2fec32c3.utf16le" "$seed"
expect_grep "gb18030: GB18030" "$tmp/out" "encdetect GB18030"
expect_grep "big5: Big5" "$tmp/out" "encdetect Big5"
expect_grep "utf16le: UTF-16LE" "$tmp/out" "encdetect UTF-16LE"
expect_grep "txt: UTF-8" "$tmp/out" "encdetect UTF-8"
expect_status 1 "encdetect missing file" -- "$encdetect" "$seed" "$tmp/nope"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
