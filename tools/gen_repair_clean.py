#!/usr/bin/env python3
"""Generate testdata/repair/clean.tsv: clean paragraphs the repair pass must
never change, one per line as "category<TAB>text".

Named sources (all on a Debian bookworm machine with the listed packages):
  zh-Hans     the paragraphs of testdata/seeds/*.txt
  zh-Hant     the same converted by OpenCC (`opencc -c s2t.json`, package opencc)
  pinyin      the same transliterated by ICU (`uconv -x Han-Latin`, icu-devtools):
              pinyin with tone marks
  ja ko zh-mo latin other
              translated messages from the gettext catalogues in
              /usr/share/locale/<lang>/LC_MESSAGES/*.mo of the installed Debian
              packages (iso-codes, coreutils, apt, glib, gtk, ...; GPL/LGPL
              translations, used here only as test input)
  pt-upper    Brazilian Portuguese messages upper-cased: legitimate 'Ã' ("NÃO")
  rare-cjk    seed sentences with characters of CJK Extension A and B inserted
  emoji       sentences of every language with pictographs inserted
  symbols     sentences with Latin-1, math, arrow, currency and CJK symbols inserted
  short       one to four character tokens cut from all of the above

Selection is deterministic (a fixed random seed), so rerunning the script
reproduces the file. Usage: python3 tools/gen_repair_clean.py > testdata/repair/clean.tsv
"""
import gettext
import glob
import os
import random
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RNG = random.Random(20261123)

MO_LANGS = {
    "ja": ["ja"],
    "ko": ["ko"],
    "zh-mo": ["zh_CN", "zh_TW", "zh_HK"],
    "latin": ["pt_BR", "pt", "fr", "de", "es", "vi", "pl", "cs", "tr", "hu", "ro", "sv", "it", "nl", "da", "fi",
              "sk", "sl", "hr", "lt", "lv", "et", "is", "ca", "eo", "ga", "cy", "az"],
    "other": ["ru", "uk", "el", "he", "ar", "th", "ka", "hy", "hi", "bg", "sr", "fa"],
}
PER_CATEGORY = {"ja": 900, "ko": 700, "zh-mo": 700, "latin": 1200, "other": 600}


def clean_line(s):
    return " ".join(s.replace("\t", " ").split())


def mo_strings(lang):
    out = []
    for path in sorted(glob.glob(f"/usr/share/locale/{lang}/LC_MESSAGES/*.mo")):
        try:
            with open(path, "rb") as f:
                cat = gettext.GNUTranslations(f)._catalog
        except Exception:
            continue
        for key in sorted(cat, key=str):
            v = cat[key]
            if isinstance(v, str) and key:
                s = clean_line(v)
                if s and any(ord(c) > 0x7F for c in s):
                    out.append(s)
    return out


ANNOTATION = re.compile("[\u4e00-\u9fff]\\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\\)")


def is_damaged(s):
    """Seed text that is itself damaged is no clean control: private-use
    characters and U+FFFD (seed 003 holds residual damage, "規?;渴鸬捏w"),
    and the tool-inserted pinyin annotations of seed 003 (網(wǎng)), which the
    repair pass removes by design."""
    return any(0xE000 <= ord(c) <= 0xF8FF or c == "\ufffd" for c in s) or len(ANNOTATION.findall(s)) >= 2


def seed_paragraphs():
    paras = []
    for path in sorted(glob.glob(os.path.join(ROOT, "testdata", "seeds", "*.txt"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                s = clean_line(line)
                if s and not is_damaged(s):
                    paras.append(s)
    return paras


def run(cmd, text):
    return subprocess.run(cmd, input=text.encode("utf-8"), capture_output=True, check=True).stdout.decode("utf-8")


def transform_lines(cmd, lines):
    out = run(cmd, "\n".join(lines) + "\n").split("\n")[: len(lines)]
    assert len(out) == len(lines), cmd
    return [clean_line(s) for s in out]


def insert_chars(text, pool, k):
    """Inserts k characters of pool where a writer would put them: between
    words in spaced scripts, anywhere between ideographs and kana."""
    chars = list(text)
    for _ in range(k):
        spots = [i for i in range(len(chars) + 1)
                 if i == 0 or i == len(chars) or chars[i - 1] == " " or ord(chars[i - 1]) >= 0x3000]
        i = RNG.choice(spots)
        spaced = 0 < i < len(chars) and chars[i - 1] == " "
        chars[i:i] = [RNG.choice(pool), " "] if spaced else [RNG.choice(pool)]
    return "".join(chars)


def sentences(paras, limit=60):
    """Cut long paragraphs into sentence-sized pieces."""
    out = []
    for p in paras:
        piece = ""
        for ch in p:
            piece += ch
            if ch in "。！？；" and len(piece) >= 8:
                out.append(piece)
                piece = ""
            elif len(piece) >= limit:
                out.append(piece)
                piece = ""
        if piece.strip():
            out.append(piece)
    return out


def main():
    rows = []
    seeds = seed_paragraphs()
    hans = seeds + sentences(seeds)
    rows += [("zh-Hans", s) for s in hans]
    rows += [("zh-Hant", s) for s in transform_lines(["opencc", "-c", "s2t.json"], hans)]
    rows += [("pinyin", s) for s in transform_lines(["uconv", "-x", "Han-Latin"], sentences(seeds)) if s]
    pools = {}
    for cat, langs in MO_LANGS.items():
        pool = []
        for lang in langs:
            pool += [(lang, s) for s in mo_strings(lang)]
        pools[cat] = pool
        pick = RNG.sample(pool, min(PER_CATEGORY[cat], len(pool)))
        rows += [(cat, s) for _, s in pick]
    pt = [s for lang, s in pools["latin"] if lang == "pt_BR" and "ã" in s.lower()]
    rows += [("pt-upper", s.upper()) for s in RNG.sample(pt, min(300, len(pt)))]
    rare = [chr(c) for c in range(0x3400, 0x4DB6)] + [chr(c) for c in range(0x20000, 0x2A6D7, 7)]
    rows += [("rare-cjk", insert_chars(s, rare, RNG.randint(1, 3))) for s in RNG.sample(sentences(seeds), 300)]
    emoji = [chr(c) for c in list(range(0x1F300, 0x1F650)) + list(range(0x1F900, 0x1FA00)) + list(range(0x2600, 0x2700))]
    everyday = [s for _, s in pools["latin"][:2000]] + [s for _, s in pools["ja"][:500]] + sentences(seeds)
    rows += [("emoji", insert_chars(s, emoji, RNG.randint(1, 3))) for s in RNG.sample(everyday, 300)]
    symbols = list("©®°±×÷§¶µ¼½¾¹²³¤¦¨¬¯´¸«»¡¿£¥€™†‡•…‰‹›‚„“”‘’–—∑∞≠≤≥√∫≈←→↑↓⇒★☆【】《》「」『』※〒〃々〆〇ー・")
    rows += [("symbols", insert_chars(s, symbols, RNG.randint(1, 4))) for s in RNG.sample(everyday, 400)]
    short = []
    for _, s in rows:
        for tok in s.split():
            if 1 <= len(tok) <= 4 and any(ord(c) > 0x7F for c in tok):
                short.append(tok)
    short = sorted(set(short))
    rows += [("short", s) for s in RNG.sample(short, min(600, len(short)))]
    rows += [("short", c) for c in "ÃÂÅÆÇÐØÞßàãéñöüœšžŸ€™中文字한국語日本"]
    w = sys.stdout.write
    for cat, s in rows:
        w(f"{cat}\t{s}\n")
    print(f"{len(rows)} clean rows", file=sys.stderr)


if __name__ == "__main__":
    main()
