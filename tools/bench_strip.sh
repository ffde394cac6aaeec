#!/bin/sh
# bench_strip.sh — strip pass throughput, and the ratio to the peers on the
# same HTML pages when a peer can be imported here: trafilatura (not in
# Debian bookworm) and Readability's Python port readability-lxml (Debian
# package python3-readability).
# Both sides are timed in process CPU time (the machine is shared).
# Usage: tools/bench_strip.sh [BUILD_DIR]   (configure it with -DCMAKE_BUILD_TYPE=Release)
set -eu
build=${1:-build-release}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$("$build/tests/bench_strip" "$root/testdata")
echo "$out"
ours=$(echo "$out" | sed -n 's/^html:.* \([0-9.]*\) pages\/s$/\1/p')

# peer_pps PYTHON MODULE EXPR: pages per second of EXPR(html) over the pages, or nothing.
peer_pps() {
    "$1" - "$root/testdata/strip/peers" "$2" "$3" 2>/dev/null <<'PY' || true
import importlib, sys, time
base, module, expr = sys.argv[1:4]
mod = importlib.import_module(module)
pages = ["readability/test/test-pages/qq/source.html",
         "trafilatura/tests/eval/xinhuanet.com.c_1125597921.html",
         "trafilatura/tests/eval/banyuetan.org.1000200033136171577956287380194268_1.html",
         "trafilatura/tests/eval/baike.baidu.com.tanya.html",
         "trafilatura/tests/eval/nhk.or.jp.k100.html",
         "trafilatura/tests/cache/chineselyrics4u.com.zhineng.html"]
docs = [open(f"{base}/{p}", encoding="utf-8").read() for p in pages]
run = eval(expr, {"m": mod})
n, start = 0, time.process_time()
while time.process_time() - start < 2.0:
    for d in docs:
        run(d)
        n += 1
print(f"{n / (time.process_time() - start):.1f}")
PY
}

for py in python3 /usr/bin/python3; do
    command -v "$py" >/dev/null 2>&1 || continue
    for peer in "trafilatura|lambda d: m.extract(d)" "readability|lambda d: m.Document(d).summary()"; do
        name=${peer%%|*}
        pps=$(peer_pps "$py" "$name" "${peer#*|}")
        if [ -n "$pps" ]; then
            echo "$name ($py): $pps pages/s"
            "$py" -c "print('ratio libfix/$name (HTML pages/s): %.1fx' % ($ours / $pps))"
        fi
    done
done
