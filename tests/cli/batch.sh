#!/bin/bash
# CLI tests for fixtext's batch mode: directory and archive inputs and
# outputs, resume after kill -9 / SIGINT / SIGTERM / disk full / a removed
# output directory, in-place replacement, exit codes and the JSON report.
# Every output is compared byte for byte with one uninterrupted run.
# Usage: batch.sh TOOLS_DIR TESTDATA_DIR [FILES] [PASSES]
set -u
tools=$(cd "$1" && pwd)
data=$(cd "$2" && pwd)
count=${3:-2000}
passes=${4:-decode,normalize}
here=$(cd "$(dirname "$0")" && pwd)
fixtext=$tools/fixtext
tmp=$(mktemp -d)
[ -n "${KEEP_TMP:-}" ] || trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
fx() { "$fixtext" -p "$passes" "$@"; }
# The runs after the reference skip fsync: a killed process loses nothing
# either way (rename is atomic), and syncing 2,000 files dominates the time.
fxn() { "$fixtext" -p "$passes" --no-fsync "$@"; }
# wait_started DIR: until the run writing to DIR has finished some files
wait_started() {
    local i
    for i in $(seq 100); do
        [ -f "$1/.fixtext-manifest" ] && [ "$(wc -l <"$1/.fixtext-manifest")" -gt 20 ] && return
        sleep 0.05
    done
}
# expect_status WANT DESCRIPTION -- command...
expect_status() {
    local want=$1 what=$2
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, want $want ($(head -c 400 "$tmp/err"))"; fi
}
expect_grep() { # PATTERN FILE DESCRIPTION
    if grep -q -- "$1" "$2"; then ok; else bad "$3: no '$1' in $(head -c 300 "$2")"; fi
}
# same_tree REF DIR DESCRIPTION: same files, same bytes (the manifest aside)
same_tree() {
    if diff -r -x .fixtext-manifest "$1" "$2" >"$tmp/diff" 2>&1; then ok; else bad "$3: $(head -c 400 "$tmp/diff")"; fi
}
# no_partial REF DIR DESCRIPTION: every file under a final name equals the
# reference; temporary files are allowed (they are removed on resume).
no_partial() {
    local n=0 f
    while IFS= read -r -d '' f; do
        case $f in *.fixtext-tmp.*|*/.fixtext-manifest) continue ;; esac
        if ! cmp -s "$f" "$1/${f#"$2"/}"; then n=$((n + 1)); echo "partial or wrong: $f" >&2; fi
    done < <(find "$2" -type f -print0)
    if [ "$n" -eq 0 ]; then ok; else bad "$3: $n files under final names differ from the reference"; fi
}
no_tmp() {
    if [ -z "$(find "$1" -name '*.fixtext-tmp.*' -print -quit)" ]; then ok; else bad "$2: temporary files left"; fi
}

python3 "$here/make_tree.py" "$data" "$tmp/in" "$count" || { echo "cannot build the tree" >&2; exit 1; }
nin=$(find "$tmp/in" -type f | wc -l)

# the reference: one uninterrupted run
expect_status 0 "reference run" -- fx -q -j 2 --input-dir "$tmp/in" --output-dir "$tmp/ref" --report "$tmp/ref.json"
nout=$(find "$tmp/ref" -type f ! -name .fixtext-manifest | wc -l)
[ "$nout" -eq "$nin" ] && ok || bad "reference has $nout files for $nin inputs"
no_tmp "$tmp/ref" "reference"
python3 - "$tmp/ref.json" "$nin" <<'PY' && ok || bad "--report JSON"
import json, sys
r = json.load(open(sys.argv[1]))
files = r["files"]
assert len(files) == int(sys.argv[2]), len(files)
assert all(f["status"] == "done" and "encoding" in f and "counts" in f for f in files)
named = [f for f in files if "name_encoding" in f]
assert named and all(f["name_encoding"] in ("GB18030", "Big5") for f in named), named[:3]
PY
# legacy names were decoded on output, not written as raw bytes
[ -n "$(find "$tmp/ref" -name '北京市新闻报道*.txt' -print -quit)" ] && ok || bad "GBK file name not decoded"
[ -n "$(find "$tmp/ref" -name '臺灣新聞報導*.txt' -print -quit)" ] && ok || bad "Big5 file name not decoded"

# each output equals fixtext on that file alone (a sample)
for f in $(cd "$tmp/in" && find . -type f -name 'f*' | sort | awk 'NR % 97 == 1'); do
    fx "$tmp/in/$f" >"$tmp/one" 2>/dev/null
    cmp -s "$tmp/one" "$tmp/ref/$f" && ok || bad "batch output of $f differs from a single-file run"
done

# -j 1 gives the same tree as -j 2; a rerun skips everything
expect_status 0 "-j 1" -- fxn -q -j 1 --input-dir "$tmp/in" --output-dir "$tmp/j1"
same_tree "$tmp/ref" "$tmp/j1" "-j 1 vs -j 2"
expect_status 0 "rerun" -- fxn -j 2 --input-dir "$tmp/in" --output-dir "$tmp/j1"
expect_grep "already done (resume) *$nin" "$tmp/err" "rerun skips every file"

# kill -9 at random points, five times, then resume
rm -rf "$tmp/k"
for i in 1 2 3 4 5; do
    # (the tool itself in the background, not a function: $! must be its pid)
    "$fixtext" -p "$passes" -q -j 2 --input-dir "$tmp/in" --output-dir "$tmp/k" 2>/dev/null &
    pid=$!
    sleep "0.$((RANDOM % 9 + 1))$((RANDOM % 10))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    no_partial "$tmp/ref" "$tmp/k" "after kill -9 number $i"
done
expect_status 0 "resume after five kills" -- fxn -j 2 --input-dir "$tmp/in" --output-dir "$tmp/k"
expect_grep "resuming" "$tmp/err" "resume announced"
same_tree "$tmp/ref" "$tmp/k" "resumed after kill -9"
no_tmp "$tmp/k" "resumed after kill -9"

# SIGINT and SIGTERM: files under way finish, the rest waits for a rerun
for sig in INT TERM; do
    rm -rf "$tmp/s"
    "$fixtext" -p "$passes" --no-fsync -j 2 --input-dir "$tmp/in" --output-dir "$tmp/s" 2>"$tmp/err" &
    pid=$!
    wait_started "$tmp/s"
    kill -"$sig" "$pid"
    wait "$pid"
    st=$?
    if [ "$st" -eq 1 ] || [ "$st" -eq 3 ]; then ok; else bad "SIG$sig: exit $st, want 1 or 3"; fi
    expect_grep "interrupted" "$tmp/err" "SIG$sig announced"
    no_partial "$tmp/ref" "$tmp/s" "after SIG$sig"
    no_tmp "$tmp/s" "after SIG$sig"
    expect_status 0 "resume after SIG$sig" -- fxn -q --input-dir "$tmp/in" --output-dir "$tmp/s"
    same_tree "$tmp/ref" "$tmp/s" "resumed after SIG$sig"
done

# disk full, as a file size limit: big outputs fail, small ones are written
rm -rf "$tmp/full"
(ulimit -f 8; fxn -q --input-dir "$tmp/in" --output-dir "$tmp/full") 2>"$tmp/err"
st=$?
[ "$st" -eq 1 ] && ok || bad "file size limit: exit $st, want 1"
expect_grep "File too large" "$tmp/err" "file size limit is reported"
no_partial "$tmp/ref" "$tmp/full" "under a file size limit"
no_tmp "$tmp/full" "under a file size limit"
expect_status 0 "resume after the limit" -- fxn -q --input-dir "$tmp/in" --output-dir "$tmp/full"
same_tree "$tmp/ref" "$tmp/full" "resumed after the file size limit"
# a real full file system, when this machine lets us mount one
mkdir -p "$tmp/mnt"
if mount -t tmpfs -o size=1m tmpfs "$tmp/mnt" 2>/dev/null; then
    fxn -q --input-dir "$tmp/in" --output-dir "$tmp/mnt/o" 2>"$tmp/err"
    st=$?
    [ "$st" -eq 1 ] && ok || bad "full tmpfs: exit $st, want 1"
    expect_grep "No space left" "$tmp/err" "full disk is reported"
    no_partial "$tmp/ref" "$tmp/mnt/o" "on a full disk"
    no_tmp "$tmp/mnt/o" "on a full disk"
    umount "$tmp/mnt"
fi

# the output directory removed midway: the run goes on or fails cleanly;
# a rerun finishes the tree
rm -rf "$tmp/gone"
"$fixtext" -p "$passes" --no-fsync -q -j 2 --input-dir "$tmp/in" --output-dir "$tmp/gone" 2>/dev/null &
pid=$!
wait_started "$tmp/gone"
rm -rf "$tmp/gone" 2>/dev/null
wait "$pid"
[ -d "$tmp/gone" ] && no_partial "$tmp/ref" "$tmp/gone" "output directory removed midway"
expect_status 0 "rerun after the output directory was removed" -- fxn -q --input-dir "$tmp/in" --output-dir "$tmp/gone"
same_tree "$tmp/ref" "$tmp/gone" "rerun after removal"

# archives out and back in: tar, tar.gz, tar.zst, zip
mkdir -p "$tmp/small"
cp -r "$tmp/in/d00" "$tmp/in/d01" "$tmp/small/"
expect_status 0 "small tree" -- fxn -q --input-dir "$tmp/small" --output-dir "$tmp/small_ref"
for ext in tar tar.gz tar.zst zip; do
    expect_status 0 "to .$ext" -- fxn -q -j 2 --input-dir "$tmp/small" --output-dir "$tmp/a.$ext"
    expect_status 0 "from .$ext" -- fxn -q -p decode --input-dir "$tmp/a.$ext" --output-dir "$tmp/back_$ext"
    same_tree "$tmp/small_ref" "$tmp/back_$ext" "through .$ext"
done
expect_status 0 "-j 1 archive" -- fxn -q -j 1 --input-dir "$tmp/small" --output-dir "$tmp/a1.tar"
cmp -s "$tmp/a.tar" "$tmp/a1.tar" && ok || bad "output archive differs between -j 1 and -j 2"
# archive to archive, and an input archive made by another tool
(cd "$tmp/small" && tar czf "$tmp/by-tar.tar.gz" .)
expect_status 0 "archive to archive" -- fxn -q --input-dir "$tmp/by-tar.tar.gz" --output-dir "$tmp/b.zip"
expect_status 0 "and back" -- fxn -q -p decode --input-dir "$tmp/b.zip" --output-dir "$tmp/back_b"
same_tree "$tmp/small_ref" "$tmp/back_b" "tar.gz made by tar, through zip"

# kill -9 while writing an output archive: no archive under its name; the
# next run removes the temporary twin and writes it whole
"$fixtext" -p "$passes" -q --input-dir "$tmp/in" --output-dir "$tmp/killed.tar.gz" 2>/dev/null &
pid=$!
for i in $(seq 100); do
    [ -n "$(find "$tmp" -maxdepth 1 -name 'killed.tar.gz.fixtext-tmp.*' -size +8k -print -quit)" ] && break
    sleep 0.05
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ -e "$tmp/killed.tar.gz" ] && bad "an archive stands under its final name after kill -9" || ok
expect_status 0 "archive after kill -9" -- fxn -q --input-dir "$tmp/small" --output-dir "$tmp/killed.tar.gz"
[ -z "$(find "$tmp" -maxdepth 1 -name 'killed.tar.gz.fixtext-tmp.*' -print -quit)" ] && ok || bad "stale temporary archive left"

# --in-place with a backup suffix; a second run changes nothing
cp -r "$tmp/small" "$tmp/ip"
expect_status 0 "--in-place" -- fxn -q --input-dir "$tmp/ip" --in-place --backup-suffix .orig
(cd "$tmp/ip" && find . -name '*.orig' | while read -r f; do cmp -s "$f" "$tmp/small/${f%.orig}" || echo "$f"; done) >"$tmp/diff"
[ -s "$tmp/diff" ] && bad "backups differ from originals: $(head -3 "$tmp/diff")" || ok
# each replaced file equals fixtext's output on its original (kept as .orig)
(cd "$tmp/ip" && find . -name '*.orig' | while read -r f; do
    "$fixtext" -p "$passes" "$f" >"$tmp/one" 2>/dev/null; cmp -s "$tmp/one" "${f%.orig}" || echo "$f"; done) >"$tmp/diff"
[ -s "$tmp/diff" ] && bad "in-place results differ: $(head -3 "$tmp/diff")" || ok
[ "$(find "$tmp/ip" -name '*.orig' | wc -l)" -eq "$(find "$tmp/small" -type f | wc -l)" ] && ok || bad "a backup is missing"
expect_status 0 "--in-place again" -- fxn --input-dir "$tmp/ip" --in-place --backup-suffix .orig
expect_grep "already done (resume) *$(find "$tmp/small" -type f | wc -l)" "$tmp/err" "in-place rerun skips"

# progress: on a terminal only, and not with -q
if command -v script >/dev/null; then
    script -qc "'$fixtext' -p $passes --no-fsync --input-dir '$tmp/small' --output-dir '$tmp/tty1'" /dev/null >"$tmp/tty.log"
    grep -q "files/s" "$tmp/tty.log" && ok || bad "no progress line on a terminal"
    script -qc "'$fixtext' -q -p $passes --no-fsync --input-dir '$tmp/small' --output-dir '$tmp/tty2'" /dev/null >"$tmp/tty.log"
    grep -q "files/s" "$tmp/tty.log" && bad "progress line despite -q" || ok
fi
fxn --input-dir "$tmp/small" --output-dir "$tmp/notty" 2>"$tmp/err"
grep -q "files/s" "$tmp/err" && bad "progress line when not on a terminal" || ok
expect_grep "files processed" "$tmp/err" "summary table"
expect_grep "encodings detected" "$tmp/err" "summary lists encodings"

# one file over 64 MiB is streamed: memory stays flat, output as fixtext's
mkdir -p "$tmp/huge"
python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "wb") as f:
    for _ in range(70 * 1024 * 1024 // len(d) + 1):
        f.write(d)' "$data/encoded/000_2c2c842a2fec32c3.gb18030" "$tmp/huge/huge.gb18030"
kb=$(ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$fixtext" -q -p "$passes" --no-fsync --input-dir "$tmp/huge" --output-dir "$tmp/huge_out")
[ "$kb" -lt 65536 ] && ok || bad "a 70 MB file took ${kb} KB of memory"
"$fixtext" -p "$passes" "$tmp/huge/huge.gb18030" 2>/dev/null | cmp -s - "$tmp/huge_out/huge.gb18030" && ok || bad "streamed batch output differs from fixtext's"
rm -rf "$tmp/huge" "$tmp/huge_out"

# exit codes and usage
expect_status 2 "--output-dir without --input-dir" -- fxn --output-dir "$tmp/x"
expect_status 2 "--in-place with --output-dir" -- fxn --input-dir "$tmp/small" --in-place --output-dir "$tmp/x"
expect_status 2 "--in-place on an archive" -- fxn --input-dir "$tmp/a.zip" --in-place
expect_status 2 "-j 0" -- fxn -j 0 --input-dir "$tmp/small" --output-dir "$tmp/x"
expect_status 2 "--max-ratio 0" -- fxn --input-dir "$tmp/small" --output-dir "$tmp/x" --max-ratio 0
expect_status 3 "missing input directory" -- fxn -q --input-dir "$tmp/nope" --output-dir "$tmp/x"
cp -r "$tmp/small" "$tmp/same"
expect_status 2 "output directory = input directory" -- fxn -q --input-dir "$tmp/same" --output-dir "$tmp/same/."
expect_status 2 "output directory holds the input" -- fxn -q --input-dir "$tmp/same/d00" --output-dir "$tmp/same"
diff -r "$tmp/small" "$tmp/same" >/dev/null && ok || bad "an input was changed without --in-place"
mkdir -p "$tmp/mixed"
cp "$tmp/small/d00/"f* "$tmp/mixed/"
printf 'ok\n\xff\xfe\xfd\x80 not text\n' >"$tmp/mixed/bad.txt"
expect_status 1 "some fail (--strict)" -- "$fixtext" -q -p decode --strict -f UTF-8 --input-dir "$tmp/mixed" --output-dir "$tmp/mo"
expect_grep "bad.txt" "$tmp/err" "failed file is named"
[ -e "$tmp/mo/bad.txt" ] && bad "failed file has an output" || ok
mkdir -p "$tmp/allbad"
cp "$tmp/mixed/bad.txt" "$tmp/allbad/"
expect_status 3 "all fail" -- "$fixtext" -q -p decode --strict -f UTF-8 --input-dir "$tmp/allbad" --output-dir "$tmp/ao"
mkdir -p "$tmp/empty"
expect_status 0 "empty directory" -- fxn -q --input-dir "$tmp/empty" --output-dir "$tmp/eo"
# the output inside the input is not read back as input
cp -r "$tmp/small" "$tmp/nest"
expect_status 0 "output inside input" -- fxn -q --input-dir "$tmp/nest" --output-dir "$tmp/nest/out"
expect_status 0 "output inside input, again" -- fxn -q --input-dir "$tmp/nest" --output-dir "$tmp/nest/out"
[ -e "$tmp/nest/out/out" ] && bad "output directory was read as input" || ok

# a file over 1 MiB is streamed, in a batch as alone: same output both ways
mkdir -p "$tmp/big"
for i in $(seq 40); do cat "$data"/seeds/00[0124]*.txt; done >"$tmp/big/page.txt"
fxn -q --input-dir "$tmp/big" --output-dir "$tmp/bigout" 2>"$tmp/err" && ok || bad "batch of a big file: $(head -c 300 "$tmp/err")"
fx -q "$tmp/big/page.txt" >"$tmp/big-alone.txt" 2>"$tmp/err" && ok || bad "big file alone: $(head -c 300 "$tmp/err")"
cmp -s "$tmp/bigout/page.txt" "$tmp/big-alone.txt" && ok || bad "a file over 1 MiB differs between a batch and a run alone"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
