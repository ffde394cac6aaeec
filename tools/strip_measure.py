#!/usr/bin/env python3
"""Measure the line features behind the strip pass's thresholds
(libfix/strip_rules.c, lf_strip_default_rules) on labelled gold sets.

For each gold directory (NAME.txt + NAME.labels.tsv), prints per label the
distribution of line weight (non-blank characters) for lines with and
without sentence punctuation, and the extremes the thresholds rely on.
Usage: python3 tools/strip_measure.py testdata/strip/gold testdata/strip/pages
"""
import os
import sys

PUNCT = set("，。；！？、：…,;!?") | {"\uff1a"}
STRONG = set("。！？；!?;")


def lines_of(d):
    for f in sorted(os.listdir(d)):
        if not f.endswith(".labels.tsv"):
            continue
        name = f[: -len(".labels.tsv")]
        src = open(os.path.join(d, name + ".txt"), encoding="utf-8").read().split("\n")
        for row in open(os.path.join(d, f), encoding="utf-8"):
            n, label, *_ = row.rstrip("\n").split("\t")
            if label == "blank":
                continue
            text = src[int(n) - 1].strip()
            yield name, int(n), label, text


def main():
    rows = [r for d in sys.argv[1:] for r in lines_of(d)]
    for label in ("content", "boilerplate"):
        sel = [r for r in rows if r[2] == label]
        wp = sorted(sum(1 for c in t if not c.isspace()) for *_, t in sel if any(c in PUNCT for c in t))
        wn = sorted(sum(1 for c in t if not c.isspace()) for *_, t in sel if not any(c in PUNCT for c in t))
        print(f"{label}: {len(sel)} lines; with punctuation {len(wp)} (weight min {wp[0] if wp else '-'}, "
              f"median {wp[len(wp)//2] if wp else '-'}); without {len(wn)} (weight max {wn[-1] if wn else '-'})")
    print("content lines without punctuation, weight >= 30:")
    for name, n, label, t in rows:
        w = sum(1 for c in t if not c.isspace())
        if label == "content" and w >= 30 and not any(c in PUNCT for c in t):
            print(f"  {name}:{n} w={w} {t[:40]}")
    print("content lines with punctuation, weight < 10:")
    for name, n, label, t in rows:
        w = sum(1 for c in t if not c.isspace())
        if label == "content" and w < 10 and any(c in PUNCT for c in t):
            print(f"  {name}:{n} w={w} {t[:40]}")


if __name__ == "__main__":
    main()
