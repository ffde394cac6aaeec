#!/usr/bin/env python3
"""Generate testdata/strip/peers/trafilatura/snippets.tsv from the
trafilatura evaluation annotations (testdata/strip/peers/trafilatura/tests/
evaldata_cjk.json, the entries of upstream tests/evaldata.json whose pages
are copied here), so that the C test needs no JSON parser.

Each row: FILE<TAB>with|without<TAB>SNIPPET, FILE relative to tests/.
Usage: python3 tools/gen_peer_snippets.py > testdata/strip/peers/trafilatura/snippets.tsv
"""
import json
import os
import sys

BASE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "strip", "peers", "trafilatura", "tests")


def main():
    with open(os.path.join(BASE, "evaldata_cjk.json"), encoding="utf-8") as fh:
        data = json.load(fh)
    for url in sorted(data):
        entry = data[url]
        name = entry["file"]
        rel = "eval/" + name if os.path.exists(os.path.join(BASE, "eval", name)) else "cache/" + name
        for kind in ("with", "without"):
            for snippet in entry[kind]:
                clean = " ".join(snippet.split())
                if "\t" in clean:
                    sys.exit(f"tab in snippet of {name}")
                print(f"{rel}\t{kind}\t{clean}")


if __name__ == "__main__":
    main()
