#!/usr/bin/env python3
"""Generate testdata/repair/corpus.tsv: damaged/clean pairs for the repair
pass, one per line as "chain<TAB>lossless|lossy<TAB>damaged<TAB>clean".

Source: the clean paragraphs of testdata/repair/clean.tsv (made by
gen_repair_clean.py). Every damage is done by ICU's own converters through
the `uconv` command (icu-devtools), the same converters the library uses, so
a pair is restorable exactly when the library's reverse is right:

  bytes  = the clean text encoded in X      (uconv -t X; UTF-8 needs no table)
  damage = those bytes decoded as Y         (uconv -f Y --callback substitute)

Truncated chains cut the UTF-8 bytes inside the last character before the
misreading. A damaged line that received a substitution character (U+FFFD, or U+001A
which is written as U+FFFD like every browser does) lost information: it is
marked "lossy" and must be reported as such, not restored. Lines are
converted in one batch per chain; a newline byte never occurs inside a
multi-byte character of these encodings, so lines stay aligned.

Usage: python3 tools/gen_repair_corpus.py > testdata/repair/corpus.tsv
"""
import os
import random
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RNG = random.Random(7)
PER_CHAIN = 180
LOSSY_PER_CHAIN = 30

CJK = ["zh-Hans", "zh-Hant", "ja", "ko", "zh-mo"]
LATIN = ["latin", "pt-upper", "pinyin"]

# (note as the library writes it, X, Y, times, source categories)
CHAINS = [
    ("UTF-8 read as GBK", "UTF-8", "GBK", 1, CJK + LATIN),
    ("UTF-8 read as Big5", "UTF-8", "Big5", 1, CJK + LATIN),
    ("UTF-8 read as Shift_JIS", "UTF-8", "Shift_JIS", 1, CJK + LATIN),
    ("UTF-8 read as EUC-KR", "UTF-8", "windows-949", 1, CJK + LATIN),
    ("UTF-8 read as windows-1252", "UTF-8", "windows-1252", 1, CJK + LATIN + ["other"]),
    ("UTF-8 read as Latin-1", "UTF-8", "ISO-8859-1", 1, CJK + LATIN + ["other"]),
    ("UTF-8 read as MacRoman", "UTF-8", "macintosh", 1, CJK + LATIN),
    ("UTF-8 read as windows-1252 twice", "UTF-8", "windows-1252", 2, CJK + LATIN),
    ("UTF-8 read as Latin-1 twice", "UTF-8", "ISO-8859-1", 2, CJK + LATIN),
    ("UTF-8 read as windows-1251", "UTF-8", "windows-1251", 1, ["other", "latin"] + CJK),
    ("GBK read as Big5", "GBK", "Big5", 1, ["zh-Hans", "zh-mo"]),
    ("Big5 read as GBK", "Big5", "GBK", 1, ["zh-Hant", "zh-mo"]),
    ("GBK read as windows-1252", "GBK", "windows-1252", 1, ["zh-Hans", "zh-mo"]),
    ("GBK read as Latin-1", "GBK", "ISO-8859-1", 1, ["zh-Hans", "zh-mo"]),
    ("Big5 read as windows-1252", "Big5", "windows-1252", 1, ["zh-Hant", "zh-mo"]),
    ("Big5 read as Latin-1", "Big5", "ISO-8859-1", 1, ["zh-Hant", "zh-mo"]),
    ("Shift_JIS read as windows-1252", "Shift_JIS", "windows-1252", 1, ["ja"]),
    ("Shift_JIS read as Latin-1", "Shift_JIS", "ISO-8859-1", 1, ["ja"]),
    ("EUC-KR read as windows-1252", "windows-949", "windows-1252", 1, ["ko"]),
    ("EUC-KR read as Latin-1", "windows-949", "ISO-8859-1", 1, ["ko"]),
]


def uconv(args, data):
    return subprocess.run(["uconv"] + args, input=data, capture_output=True, check=True).stdout


def encode_lines(lines, enc):
    """Encodes each line in enc; None for a line enc cannot represent exactly."""
    if enc == "UTF-8":
        return [s.encode("utf-8") for s in lines]
    text = "\n".join(lines).encode("utf-8") + b"\n"
    raw = uconv(["-f", "UTF-8", "-t", enc, "--callback", "substitute"], text)
    back = uconv(["-f", enc, "-t", "UTF-8", "--callback", "substitute"], raw).decode("utf-8").split("\n")
    parts = raw.split(b"\n")
    return [p if b == s else None for p, b, s in zip(parts, back, lines)]


def decode_lines(blobs, enc):
    raw = b"\n".join(blobs) + b"\n"
    out = uconv(["-f", enc, "-t", "UTF-8", "--callback", "substitute"], raw).decode("utf-8")
    lines = out.replace("\x1a", "\ufffd").split("\n")[: len(blobs)]
    assert len(lines) == len(blobs)
    return lines


# Truncated damage: the UTF-8 bytes cut inside the last character (a length
# limit) before being misread; always lossy.
TRUNCATED = [
    ("UTF-8 read as GBK, truncated", "GBK", CJK),
    ("UTF-8 read as Big5, truncated", "Big5", ["zh-Hant"]),
    ("UTF-8 read as windows-1252, truncated", "windows-1252", CJK),
]


def truncated(clean, w):
    for note, y, cats in TRUNCATED:
        pool = [t for c in cats for t in clean.get(c, []) if ord(t[-1]) >= 0x800]
        RNG.shuffle(pool)
        cut = [t.encode("utf-8")[:-1] for t in pool[:LOSSY_PER_CHAIN]]
        for src, d in zip(pool, decode_lines(cut, y)):
            w(f"{note}\tlossy\t{d}\t{src}\n")
        print(f"{note}: {len(cut)} lossy", file=sys.stderr)


def main():
    clean = {}
    with open(os.path.join(ROOT, "testdata", "repair", "clean.tsv"), encoding="utf-8") as f:
        for line in f:
            cat, text = line.rstrip("\n").split("\t", 1)
            if len(text) >= 4 and any(ord(c) > 0x7F for c in text):
                clean.setdefault(cat, []).append(text)
    w = sys.stdout.write
    for note, x, y, times, cats in CHAINS:
        pool = [s for c in cats for s in clean.get(c, [])]
        RNG.shuffle(pool)
        pool = pool[: PER_CHAIN * 20]
        blobs = encode_lines(pool, x)
        pairs = [(s, b) for s, b in zip(pool, blobs) if b is not None]
        damaged = [b for _, b in pairs]
        for _ in range(times):
            texts = decode_lines(damaged, y)
            damaged = [t.encode("utf-8") for t in texts]
        lossless = lossy = 0
        for (src, _), d in zip(pairs, texts):
            if d == src:
                continue
            if "\ufffd" in d and "\ufffd" not in src:
                if lossy < LOSSY_PER_CHAIN:
                    w(f"{note}\tlossy\t{d}\t{src}\n")
                    lossy += 1
            elif lossless < PER_CHAIN:
                w(f"{note}\tlossless\t{d}\t{src}\n")
                lossless += 1
        print(f"{note}: {lossless} lossless, {lossy} lossy", file=sys.stderr)
    truncated(clean, w)


if __name__ == "__main__":
    main()
