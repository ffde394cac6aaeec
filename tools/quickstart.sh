#!/bin/sh
# Quick start: install what is missing, build, and run the main job (fixtext
# with decode, repair, normalize and strip over the five seed pages in
# testdata/seeds) printing the cleaned main text.
set -eu
cd "$(dirname "$0")/.."
sh tools/install_deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
for f in testdata/seeds/*.txt; do
    echo "==> $f" >&2
    build/tools/fixtext --passes decode,repair,normalize,strip "$f"
done
