#!/usr/bin/env python3
"""Restore rate of ftfy on the repair corpus, per chain, to set beside
test_repair_corpus's figures for libfix.

  PYTHONPATH=FTFY_DIR python3 tools/ftfy_corpus_rates.py [testdata/repair/corpus.tsv]

FTFY_DIR is an unpacked python-ftfy source tree outside the repository.
Uses ftfy.fix_encoding (its mojibake repair alone, the same job as the
repair pass). Prints "chain restored/lossless (percent)" for every chain,
then the total, then how many clean controls (clean.tsv beside the corpus)
ftfy changes. Exit status 0, or 2 on a usage error.
"""
import os
import sys

try:
    import ftfy
except ImportError:
    sys.exit("ftfy_corpus_rates.py: put an unpacked python-ftfy tree on PYTHONPATH")


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "repair", "corpus.tsv")
    stats = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            chain, kind, damaged, clean = line.rstrip("\n").split("\t")
            if kind != "lossless":
                continue
            s = stats.setdefault(chain, [0, 0])
            s[1] += 1
            s[0] += ftfy.fix_encoding(damaged) == clean
    total = [0, 0]
    for chain, (ok, n) in stats.items():
        print(f"  {chain:36s} restored {ok:3d}/{n:3d} ({100.0 * ok / n:.1f}%)")
        total[0] += ok
        total[1] += n
    print(f"ftfy total: {total[0]}/{total[1]} ({100.0 * total[0] / total[1]:.1f}%)")
    clean_path = os.path.join(os.path.dirname(path), "clean.tsv")
    rows = changed = 0
    with open(clean_path, encoding="utf-8") as f:
        for line in f:
            text = line.rstrip("\n").split("\t", 1)[1]
            rows += 1
            changed += ftfy.fix_encoding(text) != text
    print(f"ftfy on the clean controls: {changed}/{rows} changed")


if __name__ == "__main__":
    main()
