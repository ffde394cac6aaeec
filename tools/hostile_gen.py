#!/usr/bin/env python3
"""Writes one hostile input to standard output, for tools/hostile.sh and
by hand. Usage: hostile_gen.py CASE [MB] [SCALE]

SCALE (default 1) divides the repeat counts, for quick runs."""
import sys

UNIT = "互联网治理网络空间abcd，".encode()  # Chinese text with a comma, no newline


def repeat(unit, total):
    """Writes unit repeatedly until total bytes, in 1 MiB writes."""
    out = sys.stdout.buffer
    block = unit * max(1, (1 << 20) // len(unit))
    written = 0
    while written + len(block) <= total:
        out.write(block)
        written += len(block)
    out.write((unit * (1 + (total - written) // len(unit)))[: total - written])


def main():
    case = sys.argv[1]
    mb = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    scale = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    n = 10_000_000 // scale
    out = sys.stdout.buffer
    if case == "nonl":
        repeat(UNIT, mb << 20)
    elif case == "ascii":
        repeat(b"a", mb << 20)
    elif case == "marks":
        out.write(b"a" + "\u0301".encode() * n + b"\n")
    elif case == "marks-mixed":
        out.write(b"a" + "\u0301\u0316".encode() * (n // 2) + b"\n")
    elif case == "nest":
        d = 100_000 // scale
        out.write(b"<html><body>" + b"<div>" * d + "正文".encode() + b"</div>" * d + b"</body></html>\n")
    elif case == "unclosed":
        out.write(b"<html><body>" + "<p><b><i>文".encode() * (1_000_000 // scale) + b"\n")
    elif case == "entities":
        out.write(b"&amp;&#x4E2D;&nbsp;&lt;&#20013;&copy;&#0;&#x110000;&bogus;&" * (n // 20) + b"\n")
    elif case == "entity-long":
        out.write(b"&" + b"a" * n + b"\n&#" + b"9" * n + b"\n")
    elif case == "mojibake":
        # UTF-8 Chinese read as GBK: what repair looks for, 10 MB, no newline.
        text = "互联网治理网络空间，".encode("utf-8").decode("gbk", errors="replace")
        repeat(text.encode("utf-8"), (10 << 20) // scale)
    elif case == "ambiguous":
        # Lead and trail bytes valid in GBK, Big5, Shift_JIS and EUC-KR.
        repeat(bytes([0xB0, 0xA1, 0xC4, 0xE3, 0xE9, 0xAB]), (10 << 20) // scale)
    else:
        sys.exit("unknown case " + case)


main()
