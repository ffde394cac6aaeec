#!/usr/bin/env python3
"""Builds a tree of text files in mixed encodings for the batch tests and
benchmark, from the seeds and their saved encodings in testdata/.

Usage: make_tree.py TESTDATA_DIR OUT_DIR COUNT [RANDOM_SEED]

File i is a slice of one of the sources (cut at a line end, so every file is
text a person could have saved), in subdirectory d<i % 37>/, and every 97th
file gets a name in GBK or Big5 bytes, as Chinese Windows tools write them.
The same arguments always give the same tree.
"""
import os
import random
import sys


def sources(testdata):
    out = []
    for sub in ("seeds", "encoded"):
        d = os.path.join(testdata, sub)
        for name in sorted(os.listdir(d)):
            with open(os.path.join(d, name), "rb") as f:
                out.append((name, f.read()))
    return out


def line_cut(data, name, rng):
    """A prefix of data ending at a line end (2-byte units for UTF-16)."""
    nl = b"\n\x00" if name.endswith("utf16le") else b"\n"
    ends = [i + len(nl) for i in range(0, len(data), 2 if len(nl) == 2 else 1)
            if data[i:i + len(nl)] == nl]
    if not ends or rng.random() < 0.5:
        return data
    return data[:rng.choice(ends)]


def main():
    testdata, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
    src = sources(testdata)
    legacy = [("北京市新闻报道", "gbk"), ("臺灣新聞報導", "big5")]
    for i in range(count):
        name, data = src[i % len(src)]
        d = os.path.join(out.encode(), b"d%02d" % (i % 37))
        os.makedirs(d, exist_ok=True)
        if i % 97 == 0:
            word, enc = legacy[(i // 97) % 2]
            fname = ("%s%05d.txt" % (word, i)).encode(enc)
        else:
            fname = b"f%05d_%s" % (i, name.encode())
        with open(os.path.join(d, fname), "wb") as f:
            f.write(line_cut(data, name, rng))


if __name__ == "__main__":
    main()
