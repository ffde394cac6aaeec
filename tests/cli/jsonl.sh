#!/bin/bash
# CLI tests for fixtext --jsonl: every line out for every line in, in order;
# other fields kept; malformed lines passed through; the same output whole
# or split into chunks by GNU parallel --pipe (the Hadoop Streaming / Spark
# RDD.pipe contract); memory flat in the input size; and the embedding
# example agrees with the tool.
# Usage: jsonl.sh TOOLS_DIR TESTDATA_DIR EMBED_EXAMPLE [MEGABYTES] [PASSES]
set -u
fixtext=$(cd "$1" && pwd)/fixtext
data=$(cd "$2" && pwd)
embed=$3
mb=${4:-20}
passes=${5:-decode,normalize}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

python3 "$here/make_jsonl.py" "$data" "$tmp/in.jsonl" "$mb" || exit 1
"$fixtext" -p "$passes" --jsonl --field text <"$tmp/in.jsonl" >"$tmp/single.jsonl" 2>"$tmp/err"
st=$?
[ "$st" -eq 0 ] && ok || bad "single run: exit $st"
grep -q "passed through unchanged" "$tmp/err" && ok || bad "malformed lines not reported"
grep -q "no field 'text'" "$tmp/err" && ok || bad "missing field not reported"
[ "$(wc -l <"$tmp/in.jsonl")" -eq "$(wc -l <"$tmp/single.jsonl")" ] && ok || bad "line count changed"

# record by record: same order, every other field and its value kept,
# malformed lines byte for byte, text as fixtext makes of it alone (a sample)
python3 - "$tmp/in.jsonl" "$tmp/single.jsonl" "$tmp" <<'PY' && ok || bad "records not kept"
import json, sys
ins = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
outs = open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]
assert len(ins) == len(outs)
sample = []
for n, (a, b) in enumerate(zip(ins, outs)):
    try:
        src = json.loads(a)
    except ValueError:
        assert a == b, "malformed line %d changed" % (n + 1)
        continue
    dst = json.loads(b)
    assert list(dst)[:len(src)] == list(src) and list(dst)[-1] == "libfix", n
    for k, v in src.items():
        if k != "text":
            assert dst[k] == v, (n, k)
    if "text" in src:
        assert dst["libfix"]["encoding"] == "UTF-8" and "counts" in dst["libfix"], n
        # byte for byte outside the text value: only it and libfix differ
        dec = json.JSONDecoder()
        at = a.index('"text":') + 7
        _, a_end = dec.raw_decode(a, at)
        _, b_end = dec.raw_decode(b, at)
        assert b[:at] == a[:at], n
        rest = a[a_end:-1]
        assert b[b_end:b_end + len(rest)] == rest and b[b_end + len(rest):].startswith(',"libfix":{'), n
        if n % 997 == 0:
            sample.append((src["text"], dst["text"]))
    else:
        assert dst["libfix"] == {"error": "no field 'text'"}, n
for i, (src, dst) in enumerate(sample):
    open("%s/sample%d.in" % (sys.argv[3], i), "w", encoding="utf-8", newline="").write(src)
    open("%s/sample%d.want" % (sys.argv[3], i), "w", encoding="utf-8", newline="").write(dst)
PY
for f in "$tmp"/sample*.in; do
    "$fixtext" -p "$passes" "$f" >"$tmp/one" 2>/dev/null
    cmp -s "$tmp/one" "${f%.in}.want" && ok || bad "text of $(basename "$f") differs from fixtext on that text"
done

# --out-field keeps the original text
head -n 50 "$tmp/in.jsonl" | "$fixtext" -q -p "$passes" --jsonl --field text --out-field clean >"$tmp/of.jsonl"
python3 - "$tmp/in.jsonl" "$tmp/of.jsonl" <<'PY' && ok || bad "--out-field"
import json, sys
for a, b in zip(open(sys.argv[1], encoding="utf-8"), open(sys.argv[2], encoding="utf-8")):
    s, d = json.loads(a), json.loads(b)
    assert d["text"] == s["text"] and "clean" in d
PY

# usage errors
for bad_opts in "--field libfix" "--out-field libfix" "--field ''" "--jsonl --report $tmp/r.json"; do
    eval "\"\$fixtext\" --jsonl $bad_opts" </dev/null >/dev/null 2>&1
    st=$?
    [ "$st" -eq 2 ] && ok || bad "--jsonl $bad_opts: exit $st, want 2"
done

# GNU parallel --pipe: chunks of whole lines, several processes, output in
# order; the concatenation equals the single-process output
parallel --will-cite --pipe --block 1M -k -j 2 "$fixtext" -q -p "$passes" --jsonl --field text \
    <"$tmp/in.jsonl" >"$tmp/parallel.jsonl"
cmp -s "$tmp/single.jsonl" "$tmp/parallel.jsonl" && ok || bad "output under parallel --pipe differs"
chunks=$(( $(stat -c %s "$tmp/in.jsonl") / 1048576 ))
[ "$chunks" -ge 4 ] && ok || bad "input too small to be split ($chunks chunks)"

# memory: peak RSS on the whole file is within a few MB of that on a tenth
# (ASan keeps freed memory in quarantine; without it the peak is the program's own)
peak() {
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 \
    python3 -c '
import resource, subprocess, sys
with open(sys.argv[1], "rb") as f:
    subprocess.run(sys.argv[2:], stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}
head -c $(( $(stat -c %s "$tmp/in.jsonl") / 10 )) "$tmp/in.jsonl" >"$tmp/tenth.jsonl"
small=$(peak "$tmp/tenth.jsonl" "$fixtext" -q -p "$passes" --jsonl)
big=$(peak "$tmp/in.jsonl" "$fixtext" -q -p "$passes" --jsonl)
[ $((big - small)) -lt 8192 ] && ok || bad "memory grows with the input: ${small} KB on a tenth, ${big} KB on all"
[ "$big" -lt 102400 ] && ok || bad "peak RSS ${big} KB, over 100 MB"

# the embedding example: the same text as fixtext --jsonl, record by record
head -n 2000 "$tmp/in.jsonl" | python3 -c '
import json, sys
for line in sys.stdin:
    try:
        t = json.loads(line).get("text")
    except ValueError:
        continue
    if t is not None:
        t = t.replace("\r", "").replace("\n", " ")
        print(json.dumps({"text": t + "\n"}, ensure_ascii=False))' >"$tmp/records.jsonl"
python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    sys.stdout.write(json.loads(line)["text"])' "$tmp/records.jsonl" >"$tmp/records.txt"
"$embed" "$passes" <"$tmp/records.txt" >"$tmp/embed.txt"
st=$?
[ "$st" -eq 0 ] && ok || bad "embed_example: exit $st"
"$fixtext" -q -p "$passes" --jsonl <"$tmp/records.jsonl" | python3 -c '
import json, sys
for line in sys.stdin:
    sys.stdout.write(json.loads(line)["text"])' >"$tmp/tool.txt"
[ -s "$tmp/embed.txt" ] && cmp -s "$tmp/embed.txt" "$tmp/tool.txt" && ok || bad "embed_example output differs from fixtext --jsonl"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
