#!/usr/bin/env python3
"""Make the short-snippet detection corpus (testdata/detect/snippets.tsv).

Source: the five seeds (testdata/seeds/). Simplified snippets are saved as GBK,
Traditional ones (the seeds through OpenCC's s2t.json, Debian's `opencc`
command, plus seed 003 which is Traditional already) as Big5. Encoding is
done by glibc's `iconv`; a snippet that is not representable is skipped.

Each line: ENCODING<TAB>hex bytes. 1,000 snippets per encoding, 10-40
characters each, taken at deterministic pseudo-random offsets.

Usage: python3 tools/make_detect_corpus.py > testdata/detect/snippets.tsv
"""
import glob
import os
import random
import re
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PER_ENCODING = 1000


def iconv(text, enc):
    r = subprocess.run(["iconv", "-f", "UTF-8", "-t", enc], input=text.encode(), capture_output=True)
    return r.stdout if r.returncode == 0 else None


def lines_of(text):
    # Paragraphs with some Han; pinyin annotations of seed 003 removed so that
    # the snippets are plain Chinese.
    text = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)", "", text)
    return [l.strip() for l in text.split("\n") if len(re.findall(r"[\u4e00-\u9fff]", l)) >= 10]


def snippets(paragraphs, enc, rng):
    out, tries = [], 0
    while len(out) < PER_ENCODING and tries < PER_ENCODING * 50:
        tries += 1
        p = rng.choice(paragraphs)
        n = rng.randint(10, 40)
        if len(p) < n:
            continue
        start = rng.randint(0, len(p) - n)
        raw = iconv(p[start:start + n], enc)
        if raw and any(b >= 0x80 for b in raw):
            out.append(raw)
    return out


def main():
    rng = random.Random(20261123)
    seeds = sorted(glob.glob(os.path.join(ROOT, "testdata", "seeds", "*.txt")))
    simplified, traditional = [], []
    for path in seeds:
        text = open(path, encoding="utf-8").read()
        if "003_" in path:
            traditional += lines_of(text)
            continue
        simplified += lines_of(text)
        t = subprocess.run(["opencc", "-c", "s2t.json"], input=text.encode(), capture_output=True, check=True)
        traditional += lines_of(t.stdout.decode())
    for enc, paragraphs in (("GBK", simplified), ("Big5", traditional)):
        for raw in snippets(paragraphs, "GBK" if enc == "GBK" else "BIG5", rng):
            sys.stdout.write(f"{enc}\t{raw.hex()}\n")


if __name__ == "__main__":
    main()
