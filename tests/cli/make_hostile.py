#!/usr/bin/env python3
"""Builds the hostile archives the batch safety test feeds to fixtext.

Usage: make_hostile.py OUT_DIR VICTIM_DIR

VICTIM_DIR is a directory outside the output directory that absolute names
and links point into; the test checks nothing appears there. Each archive
also holds one ordinary file, good.txt, which must come through.
"""
import io
import os
import sys
import tarfile
import zipfile

GOOD = "北京，2024年3月5日。这是一段正常的新闻文字。\n".encode("utf-8")


def tar(path, members, fmt=tarfile.GNU_FORMAT):
    """members: (TarInfo-making function, data or None)."""
    with tarfile.open(path, "w", format=fmt) as t:
        for make, data in members:
            info = make()
            if data is not None:
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            else:
                t.addfile(info)


def reg(name):
    return lambda: tarfile.TarInfo(name)


def special(name, kind, target=""):
    def make():
        i = tarfile.TarInfo(name)
        i.type = kind
        i.linkname = target
        i.devmajor, i.devminor = 1, 3
        return i
    return make


def raw_name_zip(path, entries):
    """A zip whose names are raw bytes (no UTF-8 flag), as old tools write:
    written with ASCII stand-ins of the same length, then patched."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        subs = []
        for i, (raw, data) in enumerate(entries):
            stand_in = (chr(ord("A") + i) * len(raw)).encode()
            subs.append((stand_in, raw))
            z.writestr(stand_in.decode(), data)
    out = buf.getvalue()
    for stand_in, raw in subs:
        out = out.replace(stand_in, raw)
    with open(path, "wb") as f:
        f.write(out)


def main():
    out, victim = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    good = (reg("good.txt"), GOOD)
    tar(os.path.join(out, "dotdot.tar"), [(reg("../escaped.txt"), GOOD), (reg("a/../../escaped2.txt"), GOOD), good])
    tar(os.path.join(out, "absolute.tar"), [(reg(os.path.join(victim, "abs.txt")), GOOD), good])
    tar(os.path.join(out, "symlink.tar"), [
        (special("link", tarfile.SYMTYPE, victim), None),
        (reg("link/through.txt"), GOOD),
        (special("up", tarfile.SYMTYPE, "../.."), None),
        good])
    tar(os.path.join(out, "hardlink.tar"), [
        (special("hard", tarfile.LNKTYPE, os.path.join(victim, "target.txt")), None),
        (special("hard2", tarfile.LNKTYPE, "../outside.txt"), None),
        good])
    tar(os.path.join(out, "devices.tar"), [
        (special("null", tarfile.CHRTYPE), None),
        (special("disk", tarfile.BLKTYPE), None),
        (special("fifo", tarfile.FIFOTYPE), None),
        good])
    tar(os.path.join(out, "duplicate.tar"), [good, (reg("good.txt"), b"second copy\n")])
    tar(os.path.join(out, "badnames.tar"), [
        (reg("ctl\x01name.txt"), GOOD),
        (reg("x" * 300 + ".txt"), GOOD),
        (reg("./."), GOOD),
        (reg(".fixtext-manifest"), GOOD),
        good], fmt=tarfile.PAX_FORMAT)
    raw_name_zip(os.path.join(out, "legacy.zip"), [
        ("新聞報導與評論.txt".encode("big5"), GOOD),
        (b"..\\..\\windows.txt", GOOD),
        (b"good.txt", GOOD)])
    with zipfile.ZipFile(os.path.join(out, "bomb.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("good.txt", GOOD)
        z.writestr("zeros.txt", b"0" * (64 << 20))
    with zipfile.ZipFile(os.path.join(out, "members.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("good.txt", GOOD)
        z.writestr("big.txt", GOOD * 2000)
    inner = io.BytesIO()
    with tarfile.open(fileobj=inner, mode="w:gz") as t:
        i = tarfile.TarInfo("deep.txt")
        i.size = len(GOOD)
        t.addfile(i, io.BytesIO(GOOD))
    nested = inner.getvalue()
    for depth in range(3):
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w") as z:
            z.writestr("level%d.zip" % depth if depth else "level0.tar.gz", nested)
        nested = b.getvalue()
    with zipfile.ZipFile(os.path.join(out, "nested.zip"), "w") as z:
        z.writestr("inner.zip", nested)
        z.writestr("good.txt", GOOD)
    with open(os.path.join(out, "corrupt.tar.gz"), "wb") as f:
        f.write(b"\x1f\x8b\x08\x00" + os.urandom(200))


if __name__ == "__main__":
    main()
