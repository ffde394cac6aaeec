#!/bin/sh
# Speed and round-trip behaviour of jansson and cJSON on a JSONL file.
# Usage: tools/bench_json_libs.sh [MEGABYTES]   (from the repository root;
# needs libcjson-dev, which the build itself does not)
set -eu
mb=${1:-100}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/bench" tools/bench_json_libs.c $(pkg-config --cflags --libs jansson libcjson)
python3 tests/cli/make_jsonl.py testdata "$tmp/in.jsonl" "$mb"
"$tmp/bench" "$tmp/in.jsonl"
