#!/usr/bin/env python3
"""Writes a JSON Lines file of scraped-news-like records for the JSONL tests
and benchmark, from the seed pages in testdata/seeds.

Usage: make_jsonl.py TESTDATA_DIR OUT_FILE MEGABYTES [RANDOM_SEED]

Records carry an id (up to 19 digits), a url, a title, nested metadata, and
the text: a few paragraphs of a seed, some with full-width letters and
digits, HTML entities, CRLF line ends or zero-width characters put in, so the
normalize pass has work. Every 1000th line is malformed and every 700th has
no text field; both must come out unchanged or flagged, never dropped.
"""
import json
import os
import random
import sys


def damage(text, rng):
    k = rng.randrange(5)
    if k == 0:
        return text.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})
    if k == 1:
        return text.replace("，", "&#65292;", 2) + " &amp; &lt;b&gt;"
    if k == 2:
        return text.replace("\n", "\r\n")
    if k == 3:
        return text.replace("。", "\u200b。", 3)
    return text


def main():
    testdata, out, megabytes = sys.argv[1], sys.argv[2], float(sys.argv[3])
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 11)
    seeds = []
    d = os.path.join(testdata, "seeds")
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), encoding="utf-8") as f:
            paras = [p for p in f.read().split("\n") if p.strip()]
            seeds.append(paras)
    limit = int(megabytes * 1024 * 1024)
    written = 0
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        i = 0
        while written < limit:
            i += 1
            paras = seeds[i % len(seeds)]
            start = rng.randrange(len(paras))
            text = "\n".join(paras[start:start + rng.randrange(1, 6)])
            rec = {"id": rng.randrange(10**18, 9 * 10**18), "url": "https://news.example.cn/%d.html" % i,
                   "title": paras[0][:40], "meta": {"site": "example", "tags": ["a", "b"], "n": i},
                   "text": damage(text, rng), "score": i % 7}
            if i % 700 == 0:
                del rec["text"]
            line = json.dumps(rec, ensure_ascii=False, separators=(",", ":"))
            if i % 1000 == 0:
                line = line[: len(line) // 2]
            f.write(line + "\n")
            written += len(line.encode()) + 1


if __name__ == "__main__":
    main()
