#!/bin/sh
# bench_strip.sh — strip pass throughput, and the ratio to trafilatura on the
# same HTML pages when trafilatura can be imported here.
# Usage: tools/bench_strip.sh [BUILD_DIR]   (build with -DCMAKE_BUILD_TYPE=Release)
set -eu
build=${1:-build-release}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$("$build/tests/bench_strip" "$root/testdata")
echo "$out"
html_pps=$(echo "$out" | sed -n 's/^html:.* \([0-9.]*\) pages\/s$/\1/p')
if python3 -c "import trafilatura" 2>/dev/null; then
    peer=$(python3 - "$root/testdata/strip/peers" <<'PY'
import sys, time, trafilatura
base = sys.argv[1]
pages = ["readability/test/test-pages/qq/source.html",
         "trafilatura/tests/eval/xinhuanet.com.c_1125597921.html",
         "trafilatura/tests/eval/banyuetan.org.1000200033136171577956287380194268_1.html",
         "trafilatura/tests/eval/baike.baidu.com.tanya.html",
         "trafilatura/tests/eval/nhk.or.jp.k100.html",
         "trafilatura/tests/cache/chineselyrics4u.com.zhineng.html"]
docs = [open(f"{base}/{p}", encoding="utf-8").read() for p in pages]
n, start = 0, time.perf_counter()
while time.perf_counter() - start < 2.0:
    for d in docs:
        trafilatura.extract(d)
        n += 1
print(f"{n / (time.perf_counter() - start):.1f}")
PY
)
    echo "trafilatura: $peer pages/s"
    python3 -c "print(f'ratio libfix/trafilatura (HTML pages/s): {float(\"$html_pps\") / float(\"$peer\"):.1f}x')"
else
    echo "trafilatura: not importable here (no PyPI access); no ratio"
fi
