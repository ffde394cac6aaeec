#!/bin/bash
# Benchmarks fixtext against its peers in one run on the same generated
# corpus (the seeds repeated to 100 MB, as UTF-8 and as GB18030), printing
# MB/s, peak memory and the ratios. Best of 3 runs per command.
#   fixtext -p decode,normalize  vs  iconv -f GB18030 -t UTF-8  and  uconv  (GB18030 input)
#   fixtext -p decode,normalize  vs  iconv -f UTF-8 -t UTF-8                 (clean UTF-8 input)
# Usage: tools/bench.sh [BUILD_DIR]   (default: build-bench, a Release build made here)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-bench}
if [ ! -x "$build/tools/fixtext" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DLIBFIX_TESTS=OFF >/dev/null
    cmake --build "$build" -j"$(nproc)" >/dev/null
fi
fixtext=$(realpath "$build/tools/fixtext")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
size=$((100 * 1000 * 1000))
while [ "$(stat -c %s "$work/clean.txt" 2>/dev/null || echo 0)" -lt "$size" ]; do
    cat testdata/seeds/*.txt >>"$work/clean.txt"
done
head -c "$size" "$work/clean.txt" | iconv -c -f UTF-8 -t UTF-8 >"$work/c" && mv "$work/c" "$work/clean.txt"
iconv -f UTF-8 -t GB18030 "$work/clean.txt" >"$work/gb18030.txt"

# run NAME INPUT CMD... : prints "seconds max_rss_kb" of the best of 3 runs
run() {
    local best="" rss=""
    for _ in 1 2 3; do
        /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null
        read -r s m <"$work/t"
        if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; rss=$m; fi
    done
    echo "$best $rss"
}
row() { # LABEL INPUT SECONDS RSS
    awk -v l="$1" -v b="$(stat -c %s "$2")" -v s="$3" -v m="$4" \
        'BEGIN{printf "%-44s %8.1f MB/s %8.1f MiB peak\n", l, b/1e6/(s>0?s:0.001), m/1024}'
}
ratio() { awk -v a="$2" -v b="$3" -v l="$1" 'BEGIN{printf "%-44s %8.2fx\n", l, b/(a>0?a:0.001)}'; }

echo "corpus: $(stat -c %s "$work/clean.txt") bytes UTF-8, $(stat -c %s "$work/gb18030.txt") bytes GB18030"
read -r t_fx_gb m_fx_gb < <(run "$fixtext" -p decode,normalize "$work/gb18030.txt")
read -r t_fx_gb_in m_fx_gb_in < <(run sh -c "'$fixtext' -p decode,normalize < '$work/gb18030.txt'")
read -r t_iconv_gb m_iconv_gb < <(run iconv -f GB18030 -t UTF-8 "$work/gb18030.txt")
read -r t_uconv_gb m_uconv_gb < <(run uconv -f GB18030 -t UTF-8 "$work/gb18030.txt")
read -r t_fx_u8 m_fx_u8 < <(run "$fixtext" -p decode,normalize "$work/clean.txt")
read -r t_iconv_u8 m_iconv_u8 < <(run iconv -f UTF-8 -t UTF-8 "$work/clean.txt")
row "fixtext -p decode,normalize (GB18030 file)" "$work/gb18030.txt" "$t_fx_gb" "$m_fx_gb"
row "fixtext -p decode,normalize (GB18030 stdin)" "$work/gb18030.txt" "$t_fx_gb_in" "$m_fx_gb_in"
row "iconv -f GB18030 -t UTF-8" "$work/gb18030.txt" "$t_iconv_gb" "$m_iconv_gb"
row "uconv -f GB18030 -t UTF-8" "$work/gb18030.txt" "$t_uconv_gb" "$m_uconv_gb"
row "fixtext -p decode,normalize (clean UTF-8)" "$work/clean.txt" "$t_fx_u8" "$m_fx_u8"
row "iconv -f UTF-8 -t UTF-8" "$work/clean.txt" "$t_iconv_u8" "$m_iconv_u8"
echo "ratios (fixtext throughput / peer throughput):"
ratio "GB18030: fixtext / iconv" "$t_fx_gb" "$t_iconv_gb"
ratio "GB18030: fixtext / uconv" "$t_fx_gb" "$t_uconv_gb"
ratio "clean UTF-8: fixtext / iconv" "$t_fx_u8" "$t_iconv_u8"
