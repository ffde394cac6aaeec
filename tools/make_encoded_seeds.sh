#!/bin/sh
# Saves each seed in the encodings it can be written in (testdata/encoded/),
# for the decode round-trip tests: GB18030, UTF-16LE with BOM, and Big5 for
# a Traditional version (the seed through OpenCC's s2tw.json, keeping only
# the lines Big5 can represent: tone-marked pinyin, NBSP and a few
# characters are not in it).
# Source: testdata/seeds/*.txt; converters: glibc iconv, Debian's opencc.
set -eu
cd "$(dirname "$0")/.."
out=testdata/encoded
mkdir -p "$out"
for f in testdata/seeds/*.txt; do
    n=$(basename "$f" .txt)
    iconv -f UTF-8 -t GB18030 "$f" > "$out/$n.gb18030"
    { printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$f"; } > "$out/$n.utf16le"
    opencc -c s2tw.json -i "$f" | while IFS= read -r line; do
        if printf '%s\n' "$line" | iconv -f UTF-8 -t BIG5 >/dev/null 2>&1; then
            printf '%s\n' "$line"
        fi
    done > "$out/$n.trad.txt"
    iconv -f UTF-8 -t BIG5 "$out/$n.trad.txt" > "$out/$n.trad.big5"
done
