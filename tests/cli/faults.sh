#!/bin/bash
# I/O faults in fixtext (single-file mode): a file size limit (ulimit -f),
# a full file system (a 64 KiB tmpfs, when this user may mount one),
# unreadable inputs, the output directory removed midway, and a closed pipe
# on standard output. Each must give a clear message and a non-zero exit,
# leave every input as it was, and never leave a half-written file under
# the output's final name (nor a temporary file beside it).
# Usage: faults.sh TOOLS_DIR TESTDATA_DIR
set -u
fixtext=$1/fixtext
data=$2
tmp=$(mktemp -d)
mnt=$tmp/full
cleanup() {
    mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
    chmod -R u+rwx "$tmp"
    rm -rf "$tmp"
}
trap cleanup EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect_fault() { # WHAT STATUS ERRFILE PATTERN: exit status non-zero and a message
    if [ "$2" -ne 0 ] && [ "$2" -lt 128 ]; then ok; else bad "$1: exit status $2"; fi
    if grep -q -- "$4" "$3"; then ok; else bad "$1: no '$4' in: $(head -c 300 "$3")"; fi
}
expect_absent() { # WHAT PATH: no file under the final name
    if [ -e "$2" ]; then bad "$1: $2 exists"; else ok; fi
}
expect_no_temp() { # WHAT DIR
    if ls "$2"/*.tmp.* >/dev/null 2>&1; then bad "$1: temporary file left in $2"; else ok; fi
}

# Inputs: a seed, and a 1.2 MB file made of it (big enough to fill limits
# and pipe buffers). Their checksums are compared at the end.
seed=$data/seeds/003_3cb92859fe70f893.txt
in=$tmp/in
mkdir "$in"
cp "$seed" "$in/seed.txt"
for i in $(seq 1 250); do cat "$seed"; done >"$in/big.txt"
sums=$(cd "$in" && sha256sum ./*)
out=$tmp/out
mkdir "$out"

# --- file size limit: SIGXFSZ must not kill fixtext half-way
echo previous >"$out/o.txt"
(ulimit -f 64; "$fixtext" -p decode -o "$out/o.txt" "$in/big.txt") 2>"$tmp/err"
expect_fault "ulimit -f, -o" $? "$tmp/err" "File too large"
if [ "$(cat "$out/o.txt")" = previous ]; then ok; else bad "ulimit -f: the previous output was replaced"; fi
expect_no_temp "ulimit -f, -o" "$out"
(ulimit -f 64; "$fixtext" -p decode -o "$out/s.txt" <"$in/big.txt") 2>"$tmp/err"
expect_fault "ulimit -f, stdin streamed to -o" $? "$tmp/err" "File too large"
expect_absent "ulimit -f, stdin streamed to -o" "$out/s.txt"
expect_no_temp "ulimit -f, stdin streamed to -o" "$out"
(ulimit -f 64; "$fixtext" -p decode "$in/big.txt" >"$out/stdout.txt") 2>"$tmp/err"
expect_fault "ulimit -f, standard output" $? "$tmp/err" "File too large"
(ulimit -f 64; "$fixtext" -p decode --report "$out/r.json" -o "$out/r.txt" "$in/big.txt") 2>"$tmp/err"
expect_fault "ulimit -f, --report" $? "$tmp/err" "File too large"
expect_absent "ulimit -f, --report output" "$out/r.txt"
expect_absent "ulimit -f, --report" "$out/r.json"
expect_no_temp "ulimit -f, --report" "$out"

# --- a full file system (skipped where mounting is not allowed)
mkdir "$mnt"
if mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then
    "$fixtext" -p decode -o "$mnt/o.txt" "$in/big.txt" 2>"$tmp/err"
    expect_fault "full tmpfs, -o" $? "$tmp/err" "No space left"
    expect_absent "full tmpfs, -o" "$mnt/o.txt"
    "$fixtext" -p decode -o "$mnt/s.txt" <"$in/big.txt" 2>"$tmp/err"
    expect_fault "full tmpfs, streamed" $? "$tmp/err" "No space left"
    expect_absent "full tmpfs, streamed" "$mnt/s.txt"
    # Small enough to sit in the stdio buffer: the error shows at commit.
    head -c 40000 /dev/zero >"$mnt/filler"
    "$fixtext" -p decode -o "$mnt/small.txt" "$in/seed.txt" 2>"$tmp/err"
    expect_fault "full tmpfs, error at commit" $? "$tmp/err" "No space left"
    expect_absent "full tmpfs, error at commit" "$mnt/small.txt"
    expect_no_temp "full tmpfs" "$mnt"
    umount "$mnt"
else
    echo "note: cannot mount a tmpfs here; the full file system cases are skipped" >&2
fi

# --- unreadable inputs
cp "$seed" "$in/noread.txt"
chmod 000 "$in/noread.txt"
sums_noread=$(sha256sum <"$seed")
as_user=()
if [ "$(id -u)" -eq 0 ]; then
    # root reads anything: run as nobody, who may read the other inputs
    if command -v setpriv >/dev/null; then
        as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
        chmod 755 "$tmp" "$in"
    else
        as_user=(skip)
    fi
fi
if [ "${as_user[0]:-}" != skip ]; then
    "${as_user[@]}" "$fixtext" -p decode "$in/noread.txt" >"$tmp/stdout" 2>"$tmp/err"
    expect_fault "unreadable input" $? "$tmp/err" "noread.txt: Permission denied"
    "${as_user[@]}" "$fixtext" -p decode "$in/seed.txt" "$in/noread.txt" >"$tmp/stdout" 2>"$tmp/err"
    st=$?
    if [ "$st" -eq 1 ]; then ok; else bad "one readable, one unreadable: exit $st, want 1"; fi
    if cmp -s "$tmp/stdout" "$seed"; then ok; else bad "the readable input was not processed"; fi
else
    echo "note: running as root without setpriv; the permission cases are skipped" >&2
fi
chmod 644 "$in/noread.txt"
if [ "$(sha256sum <"$in/noread.txt")" = "$sums_noread" ]; then ok; else bad "unreadable input changed"; fi
rm "$in/noread.txt"
# A file that opens but fails to read (EIO), whatever the user.
"$fixtext" -p decode /proc/self/mem >"$tmp/stdout" 2>"$tmp/err"
expect_fault "read error" $? "$tmp/err" "read error: Input/output error"

# --- a FIFO larger than the whole-file limit is read once, streamed, and
# comes out whole (fixtext once read 2 MiB ahead to learn its size, dropped
# them and blocked forever reopening the FIFO). Every step that could block
# runs under timeout, so a regression fails here instead of hanging.
mkfifo "$tmp/fifo"
timeout -k 5 60 sh -c 'cat "$1" >"$2"' _ "$in/big.txt" "$tmp/fifo" &
writer=$!
timeout -k 5 60 "$fixtext" -p decode "$tmp/fifo" >"$tmp/stdout" 2>"$tmp/err"
st=$?
wait "$writer"
if [ "$st" -eq 0 ]; then ok; else bad "FIFO input: exit $st: $(head -c 300 "$tmp/err")"; fi
if cmp -s "$tmp/stdout" "$in/big.txt"; then ok; else bad "FIFO input: output differs from the input"; fi

# --- output directory removed midway: the input is a FIFO, so fixtext is
# still reading when the directory goes
gone=$tmp/gone
mkdir "$gone"
timeout -k 5 60 "$fixtext" -p decode -o "$gone/o.txt" "$tmp/fifo" 2>"$tmp/err" &
pid=$!
timeout -k 5 60 bash -c '
    exec 3>"$1"
    head -c 100000 "$2" >&3
    for _ in $(seq 1 100); do ls "$3"/o.txt.tmp.* >/dev/null 2>&1 && break; sleep 0.05; done
    rm -rf "$3"
    tail -c +100001 "$2" >&3' _ "$tmp/fifo" "$in/big.txt" "$gone"
wait "$pid"
expect_fault "output directory removed" $? "$tmp/err" "No such file or directory"
expect_absent "output directory removed" "$gone"

# --- a closed pipe on standard output, whole file and streamed
"$fixtext" -p decode "$in/big.txt" 2>"$tmp/err" | head -c 10 >/dev/null
expect_fault "SIGPIPE, whole file" "${PIPESTATUS[0]}" "$tmp/err" "Broken pipe"
"$fixtext" -p decode <"$in/big.txt" 2>"$tmp/err" | head -c 10 >/dev/null
expect_fault "SIGPIPE, streamed" "${PIPESTATUS[0]}" "$tmp/err" "write error: Broken pipe"

# --- every input as it was
if [ "$(cd "$in" && sha256sum ./*)" = "$sums" ]; then ok; else bad "an input file changed"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
