#!/usr/bin/env python3
"""Generate han_bigrams.c: the pairs of adjacent ideographs that occur inside
words of OpenCC's phrase dictionaries (package opencc, /usr/share/opencc).

Named sources, dumped to text with OpenCC's own `opencc_dict` tool:
  STPhrases           Simplified phrases and their Traditional forms
  TSPhrases, TWPhrases, TWPhrasesRev, HKVariantsRevPhrases, JPShinjitaiPhrases

The plausibility cost (libfix/plausibility.c) charges a little for two
adjacent ideographs that never occur together in a word: a right reading of
Chinese text forms many dictionary words, a wrong one (GBK read as Big5,
EUC-KR read as GBK) almost none. Run at build time by CMake:

  python3 gen_han_bigrams.py OPENCC_DICT_PROGRAM OPENCC_DATA_DIR OUTPUT.c
"""
import os
import subprocess
import sys
import tempfile

FIRST, LAST = 0x3400, 0xFAFF  # the ideographs a pair may start with

DICTS = ["STPhrases", "TSPhrases", "TWPhrases", "TWPhrasesRev", "HKVariantsRevPhrases", "JPShinjitaiPhrases"]


def is_han(c):
    o = ord(c)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


def main():
    tool, datadir, output = sys.argv[1:4]
    pairs = set()
    used = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in DICTS:
            src = os.path.join(datadir, name + ".ocd2")
            if not os.path.exists(src):
                continue
            txt = os.path.join(tmp, name + ".txt")
            subprocess.run([tool, "-i", src, "-o", txt, "-f", "ocd2", "-t", "text"], check=True,
                           stdout=subprocess.DEVNULL)
            used.append(name)
            with open(txt, encoding="utf-8") as f:
                for line in f:
                    for word in line.split():
                        for a, b in zip(word, word[1:]):
                            if is_han(a) and is_han(b):
                                pairs.add((ord(a) << 16) | ord(b))
    if not pairs:
        sys.exit("gen_han_bigrams.py: no OpenCC phrase dictionary found in " + datadir)
    keys = sorted(pairs)
    with open(output + ".tmp", "w", encoding="ascii") as w:
        w.write("/* Generated at build time by tools/gen_han_bigrams.py from OpenCC's\n")
        w.write(" * " + ", ".join(used) + ". Do not edit. */\n")
        w.write("#include <stddef.h>\n#include <stdint.h>\n\n")
        w.write(f"const size_t lf_han_bigram_count = {len(keys)};\n")
        w.write("const uint32_t lf_han_bigrams[] = {\n")
        for i in range(0, len(keys), 8):
            w.write("    " + ", ".join(f"0x{k:08x}" for k in keys[i:i + 8]) + ",\n")
        w.write("};\n")
        # start[c]: index of the first pair whose first character is >= c,
        # for c in the ideograph range, so a lookup searches one short slice.
        start, j = [], 0
        for c in range(FIRST, LAST + 2):
            while j < len(keys) and (keys[j] >> 16) < c:
                j += 1
            start.append(j)
        w.write(f"const uint32_t lf_han_bigram_first = 0x{FIRST:04x}, lf_han_bigram_last = 0x{LAST:04x};\n")
        w.write("const uint32_t lf_han_bigram_start[] = {\n")
        for i in range(0, len(start), 12):
            w.write("    " + ", ".join(str(v) for v in start[i:i + 12]) + ",\n")
        w.write("};\n")
    os.replace(output + ".tmp", output)


if __name__ == "__main__":
    main()
