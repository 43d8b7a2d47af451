"""Helper for writing the reader's truth files (benchmarks/truth/<stem>.json) by hand.

It reads a filing's raw bytes on its own (no import from audit/: the truth must not depend on the
reader it measures) and

* ``candidates STEM``  lists the numeric tokens of the release's documents in a fixed random order
  (``random.Random(STEM)``), each with its byte offset, printed text and context (for a table cell:
  the table's preceding lines, its heading rows and the cell's row), so that the first N real
  figures can be read and recorded by eye;
* ``tables STEM``      lists every <table> (HTML) with its byte range, rows and numeric cells, and
  the text just above it, to pick the financial statements and read their titles;
* ``build STEM``       merges the hand-written annotation ``notes/STEM.ann`` with the offsets and
  printed texts found here into ``STEM.json``.

Offsets are byte offsets in the file as given: the file is decoded as latin-1, so that a character
offset is a byte offset. Printed text is the number as it stands contiguously in the raw bytes
(with a touching ``(``, ``$``, ``-`` before it and ``)``, ``%`` after it).

Annotation format (``notes/STEM.ann``), one item per line, ``#`` comments:

    file NAME                         the filing in ../shared/filings
    documents TYPE[,TYPE...]          the submission documents sampled (omit for a bare exhibit)
    current START END MONTHS          the period the release reports (for prose "this quarter")
    period ALIAS START END MONTHS     a duration; ``instant ALIAS DATE`` a balance-sheet date
    need N                            figures to record (default 30)
    fig N | VALUE | UNIT | SCALE | PERIOD | KIND [| NOTE]
                                      candidate number N (from ``candidates``), read by eye;
                                      PERIOD is an alias or ``-`` (no period applies)
    skip N | REASON                   candidate N is not a figure (a date, a footnote marker, ...)
    table IDX[+IDX...] | TITLE [| NOTE]
                                      an HTML statement: table indexes from ``tables``
    texttable START-END | HEAD | TITLE [| NOTE]
                                      a plain-text statement: lines START..END of the file (1-based),
                                      its first HEAD lines being title, unit note and column headings
    note TEXT                         a file-level note
"""
from __future__ import annotations

import html
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FILINGS = ROOT.parent / "shared" / "filings"

_DOC = re.compile(r"<DOCUMENT>(.*?)</DOCUMENT>", re.S | re.I)
_TYPE = re.compile(r"<TYPE>([^\r\n<]*)", re.I)
_TEXT = re.compile(r"<TEXT>\r?\n?(.*?)</TEXT>", re.S | re.I)
_TAG = re.compile(r"<!--.*?-->|<![^>]*>|<\?[^>]*>|<(/?)([A-Za-z][A-Za-z0-9:]*)[^>]*>", re.S)
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
_SKIP = {"script", "style", "head", "title", "xml"}
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "center", "hr", "tr", "table"}
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?(?![\w])")
_NOTE_REF = re.compile(r"\d{1,2}(?:\s*,\s*\d{1,2})*")
_MONTH = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|"
                    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s*$", re.I)


def documents(text: str) -> list[tuple[str, int, int]]:
    """(type, start, end) of each document's <TEXT> body, or the whole file for a bare exhibit."""
    docs = []
    for match in _DOC.finditer(text):
        block = match.group(1)
        kind = _TYPE.search(block)
        body = _TEXT.search(block)
        if body:
            start = match.start(1) + body.start(1)
            docs.append(((kind.group(1).strip() if kind else ""), start, start + len(body.group(1))))
    return docs or [("", 0, len(text))]


def is_html(body: str) -> bool:
    return re.search(r"<(?:html|body|table|div|p|font)\b", body[:4096], re.I) is not None


class Chunk:
    """Visible text with the offset of each character: a paragraph, or a table cell."""

    def __init__(self):
        self.attrs = ""  # a table cell's opening tag
        self.chars: list[str] = []
        self.offsets: list[int] = []

    def add(self, char: str, offset: int):
        self.chars.append(char)
        self.offsets.append(offset)

    @property
    def text(self) -> str:
        return "".join(self.chars)


def walk_html(text: str, start: int, end: int):
    """The visible text of an HTML body: paragraphs and tables (rows of cells), each a Chunk."""
    items: list = []  # ("p", Chunk) or ("table", table dict)
    para = Chunk()
    stack: list[dict] = []  # open tables
    skip = 0
    pos = start

    def flush():
        nonlocal para
        if para.text.strip():
            items.append(("p", para))
        para = Chunk()

    def target() -> Chunk:
        if stack and stack[-1]["cell"] is not None:
            return stack[-1]["cell"]
        return para

    def visible(segment_start: int, segment_end: int):
        if skip:
            return
        chunk = target()
        i = segment_start
        while i < segment_end:
            ch = text[i]
            if ch == "&":
                m = _ENTITY.match(text, i, segment_end)
                if m:
                    rep = html.unescape(m.group(0) if m.group(0).endswith(";") else m.group(0) + ";")
                    for r in rep:
                        chunk.add(" " if r in "\xa0\u2009\u202f" else r, i)
                    i = m.end()
                    continue
            if ch in "\r\n\t\xa0":
                ch = " "
            chunk.add(ch, i)
            i += 1

    for m in _TAG.finditer(text, start, end):
        visible(pos, m.start())
        pos = m.end()
        if m.group(2) is None:
            continue
        closing, name = m.group(1) == "/", m.group(2).lower()
        if name in _SKIP:
            skip = max(0, skip + (-1 if closing else 1))
            continue
        if name == "table":
            if not closing:
                if not stack:
                    flush()
                stack.append({"start": m.start(), "rows": [], "row": None, "cell": None})
            elif stack:
                table = stack.pop()
                _close_row(table)
                table["end"] = m.end()
                if not stack:
                    items.append(("table", table))
            continue
        if stack:
            table = stack[-1]
            if name == "tr":
                _close_row(table)
                if not closing:
                    table["row"] = []
            elif name in ("td", "th"):
                if table["cell"] is not None and table["row"] is not None:
                    table["row"].append(table["cell"])
                table["cell"] = None
                if not closing:
                    if table["row"] is None:
                        table["row"] = []
                    table["cell"] = Chunk()
                    table["cell"].attrs = m.group(0)
            elif name in _BLOCK and table["cell"] is not None:
                table["cell"].add(" ", m.start())
        elif name in _BLOCK:
            flush()
    visible(pos, end)
    flush()
    return items


def _close_row(table: dict):
    if table["cell"] is not None and table["row"] is not None:
        table["row"].append(table["cell"])
    table["cell"] = None
    if table["row"] is not None:
        table["rows"].append(table["row"])
    table["row"] = None


def walk_text(text: str, start: int, end: int):
    """A plain-text body: each line a paragraph."""
    items = []
    for m in re.finditer(r"[^\r\n]*", text[start:end]):
        if m.group(0).strip():
            chunk = Chunk()
            for i, ch in enumerate(m.group(0)):
                chunk.add(ch, start + m.start() + i)
            items.append(("p", chunk))
    return items


def tokens(chunk: Chunk, raw: str):
    """(offset, printed text, digits) for each number in a chunk."""
    visible = chunk.text
    for m in _NUMBER.finditer(visible):
        digits = m.group(0)
        first = chunk.offsets[m.start()]
        last = chunk.offsets[m.end() - 1] + 1
        if raw[first:last] != digits:  # an entity or markup inside the number: take the raw span
            if re.sub(r"<[^>]*>", "", raw[first:last]) != digits:
                continue
        left, right = first, last
        while left > 0 and raw[left - 1] in "($-":
            left -= 1
        while right < len(raw) and raw[right] in ")%":
            right += 1
        before = visible[:m.start()]
        yield left, raw[left:right], digits, before, visible[m.end():]


def is_candidate(digits: str, before: str, after: str) -> bool:
    """Leave out what is plainly no figure: years, days after a month name, numbers glued to words."""
    if re.fullmatch(r"(?:19|20)\d\d", digits) and not before.rstrip().endswith("$"):
        return False
    if _MONTH.search(before[-12:]) and re.fullmatch(r"\d{1,2}", digits):
        return False
    if re.search(r"[A-Za-z]-?$", before[-2:]) or re.match(r"[A-Za-z]", after[:1]):
        return False
    return True


def load(stem: str, doc_types=None):
    ann = read_ann(stem) if (HERE / "notes" / f"{stem}.ann").exists() else {}
    name = ann.get("file") or next(p.name for p in FILINGS.iterdir() if p.name.startswith(stem))
    raw = (FILINGS / name).read_bytes().decode("latin-1")
    types = doc_types or ann.get("documents")
    items = []
    for kind, start, end in documents(raw):
        if types and kind.upper() not in types:
            continue
        if not types and kind and not kind.upper().startswith("EX-99"):
            continue
        body = raw[start:end]
        items += walk_html(raw, start, end) if is_html(body) else walk_text(raw, start, end)
    return name, raw, items, ann


def candidates(stem: str, raw: str, items) -> list[dict]:
    found = []
    tables = [it for kind, it in items if kind == "table"]
    paras = []
    for kind, it in items:
        if kind == "p":
            paras.append(it)
    index = 0
    for kind, it in items:
        if kind == "p":
            for off, printed, digits, before, after in tokens(it, raw):
                if is_candidate(digits, before, after):
                    found.append({"offset": off, "text": printed, "where": "prose",
                                  "context": it.text.strip()[:600]})
        else:
            t = tables.index(it)
            for r, row in enumerate(it["rows"]):
                for c, cell in enumerate(row):
                    for off, printed, digits, before, after in tokens(cell, raw):
                        if is_candidate(digits, before, after):
                            found.append({"offset": off, "text": printed, "where": f"table {t} row {r} cell {c}", "digits": digits,
                                          "table": t, "row": r})
        index += 1
    found.sort(key=lambda f: f["offset"])
    random.Random(stem).shuffle(found)
    return found


def table_summary(raw: str, items):
    out = []
    tables = [it for kind, it in items if kind == "table"]
    last_paras: list[str] = []
    for kind, it in items:
        if kind == "p":
            last_paras = (last_paras + [it.text.strip()])[-3:]
            continue
        rows = [[c.text.strip() for c in row] for row in it["rows"]]
        cells = table_cells(it, raw)
        heading = 0
        for r in rows:
            if any(r) and not _heading_row(r):
                break
            heading += 1
        out.append({"index": tables.index(it), "start": it["start"], "end": it["end"], "above": list(last_paras),
                    "rows": rows, "cells_of": it["rows"], "cells": cells, "body_rows": sum(1 for r in rows[heading:] if any(r))})
        last_paras = []
    return out


def _heading_row(texts: list[str]) -> bool:
    joined = " ".join(texts)
    nums = [m.group(0) for m in _NUMBER.finditer(joined)]
    return all(re.fullmatch(r"(?:19|20)\d\d|\d{1,2}", n) for n in nums)


def _grid(row: list) -> list[tuple[int, int]]:
    """Each cell's first and past-last grid column, from the colspans."""
    out, left = [], 0
    for cell in row:
        span = re.search(r"colspan\s*=\s*[\"']?(\d+)", cell.attrs, re.I)
        width = int(span.group(1)) if span else 1
        out.append((left, left + width))
        left += width
    return out


def table_cells(table: dict, raw: str) -> list[int]:
    """Byte offsets of the first digit of every numeric cell below the heading rows (years, dates,
    note references in the heading are not cells, nor numbers inside a row's label; a cell is one
    number)."""
    offsets = []
    data_seen = False
    note_column = None  # the place of a "Note" column in the heading rows: its numbers are references
    for row in table["rows"]:
        texts = [c.text for c in row]
        if not data_seen and _heading_row(texts):
            for cell, (left, right) in zip(row, _grid(row)):
                if re.fullmatch(r"\s*(?:Note|Notes|Ref\.?)\s*", cell.text, re.I):
                    note_column = (left, right)
            continue
        data_seen = True
        filled = [cell for cell in row if cell.text.strip()]
        for cell, (left, _) in zip(row, _grid(row)):
            if filled and cell is filled[0] and re.search(r"[A-Za-z]{2}", cell.text):
                continue  # the row's label: numbers in it ("$.01 par value", "(1)") are not cells
            if _NOTE_REF.fullmatch(cell.text.strip()) and (
                    re.search(r"text-align:\s*left", cell.attrs, re.I)
                    or (note_column is not None and note_column[0] <= left < note_column[1])):
                continue  # a note-reference column ("1", "2,3" set left in a column of its own)
            for m in _NUMBER.finditer(cell.text):
                offsets.append(cell.offsets[m.start()])
    return offsets


def text_table(raw: str, start_line: int, end_line: int, head: int) -> dict:
    """A plain-text statement: lines start..end (1-based), the first `head` of them headings.
    Its rows are the lines that hold value cells (a label wrapped over several lines is one row)."""
    lines = raw.split("\n")
    base = sum(len(x) + 1 for x in lines[:start_line - 1])
    rows, cells = 0, []
    offset = base
    for number in range(start_line, end_line + 1):
        line = lines[number - 1]
        if number - start_line >= head and line.strip() and not re.fullmatch(r"[\s\-=_]*", line):
            found = []
            if not re.fullmatch(r"\s*</?(?:TABLE|S|C|CAPTION|PAGE|FN)>.*", line.strip(), re.I):
                found = [m for m in _NUMBER.finditer(line, _label_end(line))]
            if found and not _date_line(line):  # a sub-heading of years or dates is not a row
                rows += 1
                cells += [offset + m.start() for m in found]
        offset += len(line) + 1
    return {"start": base, "end": offset, "rows": rows, "cells": cells}


def _date_line(line: str) -> bool:
    """A plain-text heading line of years or dates ("2004     2003", "July 3,  June 28, January 3,")."""
    nums = [m.group(0) for m in _NUMBER.finditer(line)]
    if all(re.fullmatch(r"(?:19|20)\d\d", n) for n in nums):
        return True
    months = re.search(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
                       r"December)\b", line)
    return bool(months) and all(re.fullmatch(r"(?:19|20)\d\d|\d{1,2}", n) for n in nums)


def _label_end(line: str) -> int:
    """Where the label of a plain-text row ends: at the first run of two spaces (or a dot leader)
    followed by a value column, or at a single space before a "$")."""
    m = re.search(r"(?:\s{2,}|\.{2,}\s*|\s(?=\$))(?=[\$\(\-\d])", line)
    return m.start() if m else len(line)


def read_ann(stem: str) -> dict:
    ann: dict = {"figs": [], "skips": [], "tables": [], "periods": {}, "notes": [], "need": 30}
    for line in (HERE / "notes" / f"{stem}.ann").read_text().splitlines():
        line = line.split(" #")[0].strip() if not line.startswith("note ") else line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word == "file":
            ann["file"] = rest
        elif word == "documents":
            ann["documents"] = [t.strip().upper() for t in rest.split(",")]
        elif word == "need":
            ann["need"] = int(rest)
        elif word == "current":
            s, e, n = rest.split()
            ann["current"] = {"start": s, "end": e, "months": int(n)}
        elif word == "period":
            a, s, e, n = rest.split()
            ann["periods"][a] = {"start": s, "end": e, "months": int(n)}
        elif word == "instant":
            a, d = rest.split()
            ann["periods"][a] = {"instant": d}
        elif word == "fig":
            parts = [p.strip() for p in rest.split("|")]
            ann["figs"].append(parts)
        elif word == "skip":
            n, _, why = rest.partition("|")
            ann["skips"].append((int(n), why.strip()))
        elif word == "table":
            parts = [p.strip() for p in rest.split("|")]
            ann["tables"].append(("html", parts))
        elif word == "texttable":
            parts = [p.strip() for p in rest.split("|")]
            ann["tables"].append(("text", parts))
        elif word == "note":
            ann["notes"].append(rest)
        else:
            raise SystemExit(f"{stem}.ann: unknown line {line!r}")
    return ann


def build(stem: str):
    name, raw, items, ann = load(stem)
    cands = candidates(stem, raw, items)
    summary = table_summary(raw, items)
    figures = []
    for parts in ann["figs"]:
        n, value, unit, scale, period, kind = parts[:6]
        note = parts[6] if len(parts) > 6 else ""
        c = cands[int(n)]
        sign = "negative" if value.startswith("-") else ("zero" if float(value) == 0 else "positive")
        figures.append({
            "n": int(n), "text": c["text"], "offset": c["offset"],
            "digit_offset": c["offset"] + next(i for i, ch in enumerate(c["text"]) if ch.isdigit()),
            "where": c["where"], "value": value, "sign": sign, "unit": unit, "scale": int(scale),
            "period": None if period == "-" else dict(ann["periods"][period]),
            "kind": kind, "notes": note})
    tables = []
    for kind, parts in ann["tables"]:
        if kind == "html":
            idx = [int(i) for i in parts[0].split("+")]
            ranges = [[summary[i]["start"], summary[i]["end"]] for i in idx]
            rows = sum(summary[i]["body_rows"] for i in idx)
            cells = [o for i in idx for o in summary[i]["cells"]]
            tables.append({"title": parts[1], "html_tables": idx, "ranges": ranges, "rows": rows,
                           "numeric_cells": len(cells), "cell_offsets": cells,
                           "notes": parts[2] if len(parts) > 2 else ""})
        else:
            a, b = (int(x) for x in parts[0].split("-"))
            t = text_table(raw, a, b, int(parts[1]))
            tables.append({"title": parts[2], "lines": [a, b], "ranges": [[t["start"], t["end"]]],
                           "rows": t["rows"], "numeric_cells": len(t["cells"]), "cell_offsets": t["cells"],
                           "notes": parts[3] if len(parts) > 3 else ""})
    skipped = [{"n": n, "text": cands[n]["text"], "offset": cands[n]["offset"], "reason": why}
               for n, why in ann["skips"]]
    used = sorted([f["n"] for f in figures] + [s["n"] for s in skipped])
    if used != list(range(len(used))):
        print(f"warning: {stem}: candidates not taken in order: {used}", file=sys.stderr)
    doc = {
        "file": name, "documents": ann.get("documents"), "seed": stem,
        "sampling": "random.Random(seed).shuffle of the numeric tokens of the release's documents (make_sample.py "
                    "candidates), taken in order; candidates that are not figures are listed in 'skipped'",
        "current_period": ann.get("current"),
        "notes": " ".join(ann["notes"]),
        "statement_tables": tables, "figures": figures, "skipped": skipped,
    }
    text = json.dumps(doc, indent=1, ensure_ascii=False)
    text = re.sub(r"\[\s*(\d+(?:,\s*\d+)*)\s*\]", lambda m: "[" + re.sub(r"\s+", " ", m.group(1)) + "]", text)
    (HERE / f"{stem}.json").write_text(text + "\n", encoding="utf-8")
    print(f"{stem}: {len(figures)} figures, {len(skipped)} skipped, {len(tables)} statement tables")


def main(argv):
    cmd, stem = argv[1], argv[2]
    name, raw, items, ann = load(stem)
    if cmd == "candidates":
        count = int(argv[3]) if len(argv) > 3 else 50
        summary = {s["index"]: s for s in table_summary(raw, items)}
        for n, c in enumerate(candidates(stem, raw, items)[:count]):
            print(f"[{n}] {c['text']!r} @{c['offset']} {c['where']}")
            if "table" in c:
                s = summary[c["table"]]
                print("    above:", " // ".join(a[:120] for a in s["above"]))
                for h in [r for r in s["rows"] if any(r)][:6]:
                    if not _heading_row(h) and not any(re.search(r"(?i)ended|quarter|months|year|as of", x) for x in h):
                        break
                    print("    head:", " | ".join(x for x in h if x)[:250])
                row = s["rows"][c["row"]]
                starts = [cell.offsets[m.start()] for cell in s["cells_of"][c["row"]]
                          for m in _NUMBER.finditer(cell.text)]
                values = starts
                k = next((i for i, v in enumerate(starts) if c["offset"] <= v <= c["offset"] + 2), None)
                print(f"    ROW (value #{'?' if k is None else k + 1} of {len(values)}):",
                      " | ".join(x for x in row if x)[:250])
            else:
                i = c["context"]
                line_start = raw.rfind("\n", 0, c["offset"]) + 1
                line = raw[line_start:raw.find("\n", c["offset"])]
                found = [line_start + m.start() for m in _NUMBER.finditer(line, _label_end(line))]
                k = next((j for j, v in enumerate(found) if c["offset"] <= v <= c["offset"] + 2), None)
                where = f"(value #{k + 1} of {len(found)} on its line) " if k is not None and len(found) > 1 else ""
                print("    ", where + i[:600])
    elif cmd == "tables":
        for s in table_summary(raw, items):
            if not s["cells"]:
                continue
            print(f"== table {s['index']} @{s['start']}-{s['end']} rows={sum(1 for r in s['rows'] if any(r))} "
                  f"cells={len(s['cells'])}")
            print("   above:", " // ".join(a[:150] for a in s["above"]))
            for r in [r for r in s["rows"] if any(r)][:int(argv[3]) if len(argv) > 3 else 4]:
                print("   |", " | ".join(x for x in r if x)[:200])
    elif cmd == "build":
        build(stem)


if __name__ == "__main__":
    main(sys.argv)
