"""Writes a gold page set for the strip pass, in the layout of the seeds'
gold (testdata/strip/gold; POLICY.md there defines what is content): for
each page NAME, NAME.txt (the page), NAME.gold.txt (its content lines) and
NAME.labels.tsv (line number, label, reason).

A page is given as lines of
  C|text            content
  B|reason|text     boilerplate
  -                 a blank line
Used by testdata/strip/pages/make_pages.py and
testdata/strip/heldout/make_pages.py, which hold the pages themselves.
"""
import os


def parse_page(name, body):
    """The page's source lines, gold lines and label rows."""
    src, gold, labels = [], [], []
    for raw in body.strip("\n").split("\n"):
        if raw == "-":
            src.append("")
            labels.append("blank\t")
            continue
        kind, rest = raw.split("|", 1)
        if kind == "C":
            text, label, reason = rest, "content", ""
            gold.append(text)
        elif kind == "B":
            reason, text = rest.split("|", 1)
            label = "boilerplate"
        else:
            raise SystemExit(f"{name}: bad line {raw!r}")
        src.append(text)
        labels.append(f"{label}\t{reason}")
    return src, gold, labels


def write_pages(pages, directory):
    """Writes the three files of every page of `pages` (name -> body)."""
    for name, body in pages.items():
        src, gold, labels = parse_page(name, body)
        with open(os.path.join(directory, name + ".txt"), "w", encoding="utf-8") as fh:
            fh.write("\n".join(src) + "\n")
        with open(os.path.join(directory, name + ".gold.txt"), "w", encoding="utf-8") as fh:
            fh.write("".join(g + "\n" for g in gold))
        with open(os.path.join(directory, name + ".labels.tsv"), "w", encoding="utf-8") as fh:
            fh.write("".join(f"{i}\t{l}\n" for i, l in enumerate(labels, 1)))
