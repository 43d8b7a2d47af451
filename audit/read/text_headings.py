"""The headings of a plain-text table (text_tables): the heading lines above its first row of
figures, read from the bottom up, each chunk of text given the columns it stands over (a heading
spanning columns, a rule under it, dates printed over two columns), a period line and a unit note
beside them."""
from __future__ import annotations

import re

from .filing import MONTH, MONTH_ABBR
from .numbers import read_cell
from .text_lines import RULE, YEAR, Line, TextColumn, text_chunks

_PERIOD = re.compile(r"\b(?:weeks?|months?|quarters?|years?|periods?)\s+ended\b.*\b(?:19|20)\d\d\b", re.IGNORECASE)
NOTE = re.compile(r"^\(.*\b(?:thousands?|millions?|billions?|dollars|except)\b", re.IGNORECASE)
_DATE = re.compile(rf"\b(?:{MONTH}|{MONTH_ABBR})\s+\d{{1,2}},?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_SUB = re.compile(r"^[A-Z][^.:]{0,80}:\s*(?:\(\d{1,2}\)|\*{1,3})?$")  # "Domestic Inventories:", "Summary ...:(1)"
_PHRASE = re.compile(rf"(?:for\s+the\s+)?(?:\S+[- ])?(?:weeks?|months?|quarters?|years?|periods?)\s+ended\s+"
                     rf"(?:{MONTH}|{MONTH_ABBR})\s+\d{{1,2}},?\s+(?:19|20)\d\d", re.IGNORECASE)


class TextTable:
    def __init__(self, columns: list[TextColumn]):
        self.columns = columns
        self.heads: list[list[str]] = [[] for _ in columns]
        self.period = ""
        self.note: list[str] = []
        self.lines: list[int] = []  # heading lines, top to bottom
        self.body: list[int] = []
        self.sub = -1  # a sub-heading above the headings ("Domestic Inventories:"): the first row

    def key(self) -> list[str]:
        """The headings without notes such as "(Notes)": the same key again is the same table."""
        return [" ".join(p for p in ([self.period] if self.period else []) + parts
                         if not (p.startswith("(") and p.endswith(")"))) for parts in self.heads]

    def headings(self, info: list[Line]) -> list[str]:
        out = []
        for c, parts in enumerate(self.heads):
            text = " ".join(([self.period] if self.period else []) + parts)
            text = _one_date(text, parts)
            if "USD" not in text and any("$" in info[k].cells[c].text
                                         for k in self.body if c in info[k].cells):
                text = f"{text} USD".strip()
            out.append(text)
        return out


def _one_date(text: str, own: list[str]) -> str:
    """A heading spanning two columns names both dates ("July 3, 2004 and June 28, 2003"): each
    column keeps the one of the year its own heading names."""
    dates = list(_DATE.finditer(text))
    years = [p.rstrip("*") for p in own if YEAR.match(p.rstrip("*"))]
    if len(dates) < 2 or not years:
        return text
    keep = [d for d in dates if d.group(1) == years[-1]]
    if len(keep) != 1:
        return text
    for d in reversed(dates):
        if d is not keep[0]:
            before = re.sub(r"\s*\band\s*$", "", text[:d.start()])
            after = re.sub(r"^\s*and\b", "", text[d.end():])
            text = before + " " + after
    return " ".join(text.split())


_DATES_APART = re.compile(rf"(?<=\d,) (?=(?:{MONTH}|{MONTH_ABBR})\s+\d)", re.IGNORECASE)


def _split_dates(chunks):
    """"June 28, January 3," over two columns: a date heading per column."""
    for start, end, text in chunks:
        at = 0
        for match in _DATES_APART.finditer(text):
            yield start + at, start + match.start(), text[at:match.start()]
            at = match.end()
        yield start + at, end, text[at:]


def heading_cells(line: Line, columns: list[TextColumn], left: int, margin: int = 0):
    """(stub text, {column: text}) of a heading line, or None when it is not one (``margin``:
    where the table's labels start)."""
    stub, cells = [], []
    for start, end, text in _split_dates(text_chunks(line.clean)):
        if RULE.match(text):
            continue
        if read_cell(text) is not None and not YEAR.match(text):
            return None  # a figure: a row, not a heading
        if start < left - 2 and (end <= left + 2 or start < left - 6 or start <= margin + 8):
            if end > left + 2:
                return None  # text across the columns from the labels' margin: prose, not a heading
            stub.append(text)
            continue
        hit = [c for c, col in enumerate(columns) if start <= col.right and end > col.lo]
        if not hit:  # a heading narrower than its figures, or off their middle
            hit = [min(range(len(columns)), key=lambda c: abs(columns[c].right + 1 - end))]
        cells.append((start, end, text, hit))
    return (" ".join(stub), cells) if cells else None


def _spread(lines: list[list[tuple[int, int, str, list[int]]]], columns: list[TextColumn]) -> dict[int, list[str]]:
    """Heading chunks top to bottom -> each column's texts. A rule under a heading ("Fiscal Year
    Ended" / "--------------") spans the columns it is drawn over; a chunk centred under a heading
    that spans columns ("June 30," under "Three Months Ended") spans the same columns."""
    out: dict[int, list[str]] = {}
    above: list[tuple[int, int, list[int]]] = []
    words = [k for k, chunks in enumerate(lines) if any(text for _, _, text, _ in chunks)]
    for k, chunks in enumerate(lines):
        over = max((w for w in words if w < k), default=-1)
        for start, end, text, hit in chunks:
            if not text and over >= 0:  # a rule: the heading above it spans the columns under it
                lines[over] = [(a, b, t, sorted(set(h) | set(hit)) if start <= (a + b) / 2 <= end else h)
                               for a, b, t, h in lines[over]]
    for chunks in lines:
        here = []
        for start, end, text, hit in chunks:
            if not text:
                continue
            middle = (start + end) / 2
            for lo, hi, wide in above:
                left, right = min(columns[c].left for c in wide) - 2, max(columns[c].right for c in wide) + 3
                alone = sum(1 for a, b, t, _ in chunks if t and left <= (a + b) / 2 <= right) == 1
                if alone and len(wide) > len(hit) and set(hit) <= set(wide) and abs((lo + hi) / 2 - middle) <= 2:
                    hit = wide
                    break
            here.append((start, end, hit))
            for c in hit:
                out.setdefault(c, []).append(text)
        above = here + [a for a in above if len(a[2]) > 1]
    return out


def read_header(info: list[Line], table: TextTable, first: int, floor: int, sgml: bool, margin: int) -> int:
    """Read the heading lines above line ``first`` (not above ``floor``); returns the index of
    the last heading line, or -1 when there is none."""
    columns = table.columns
    left = min(c.left for c in columns)
    j, last, blanks = first - 1, -1, 0
    found: list[tuple[int, str, dict]] = []
    while j > floor and first - j <= 16:
        line = info[j]
        if line.sgml in ("TABLE", "CAPTION", "OUT"):
            break
        if line.rule:
            rules = [(a, b, "", [c for c, col in enumerate(columns) if a <= col.right and b > col.lo])
                     for a, b, _ in text_chunks(line.clean)]
            found.append((j, "", [r for r in rules if r[3]]))
        if line.blank or line.rule:
            blanks = blanks + 1 if line.blank else 0
            if blanks >= 2 and not sgml and last >= 0:
                break
            j -= 1
            continue
        if line.strong or line.cells or table.period:
            break  # figures, or anything above the period line
        blanks = 0
        cells = heading_cells(line, columns, left, margin)
        if cells is not None:
            found.append((j, cells[0], cells[1]))
            last = max(last, j)
        elif last < 0:
            pass  # a section label between the headings and the first figures: part of the body
        elif _PERIOD.search(line.clean):
            table.period = " ".join(line.clean.split())
            table.lines.append(j)
        elif found and found[-1][0] == j + 1 and found[-1][2] and (NOTE.match(line.clean.strip()) or found[-1][1]):
            found.append((j, line.clean.strip(), []))  # a unit note beside the headings, over two lines
        else:
            break
        j -= 1
    while j > floor and first - j <= 20 and info[j].blank:
        j -= 1
    text = info[j].clean.strip() if j > floor and last >= 0 and not info[j].sgml else ""
    if _SUB.match(text) and j > 0 and info[j - 1].blank and min(k for k, _, _ in found) - j <= 2:
        table.sub = j
    elif not table.period and _PHRASE.search(text) and not any(
            YEAR.match(p.rstrip("*")) or _DATE.search(p) for _, _, cells in found for _, _, p, _ in cells):
        table.period = _PHRASE.search(text).group()  # "* Domestic segment detail for the 13 weeks ended ..."
    for k, stub, _cells in sorted(found):
        table.lines.append(k)
        if stub and (NOTE.match(stub) or table.note):
            table.note.append(stub)
    for c, texts in _spread([cells for _, _, cells in sorted(found)], columns).items():
        table.heads[c].extend(texts)
    return last
