"""Plain-text tables -> the tab layout that the table reader reads.

Older filings print their statements as text: columns aligned with spaces, or SGML <TABLE>
blocks whose <S> and <C> markers open the stub and each column. ``layout`` rewrites every such
table, in a copy of the lines, as the tab layout HTML renders to: a heading row (an empty first
cell, then each column's heading, joined from the heading lines above it), then one row per line
(the label, then a cell per column). Columns are found from where the figures stand: numbers are
right-aligned, so the last digit of every figure of a column falls in the same place.

Every character keeps its line and column, so each figure's line, column and byte offset are
those of the file: a tab replaces the space before a cell; dot leaders, SGML markers, note markers
after a figure ("1,234(a)") and a "$" that read_cell cannot read ("$ (806)", "$ -") become
spaces; a blank line inside a table becomes a lone tab; heading lines and rules become empty
lines (the heading row is written over the last of them, and a unit note printed beside the
headings over the one above it). A label wrapped over several lines is joined on the last of its
lines above its figures. Lines outside tables, and the title and unit-note lines above a table,
are left as they are: the table reader finds them there.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

from .filing import MONTH, MONTH_ABBR
from .numbers import read_cell

GAP = "\t"  # a blank line inside a table

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NA = r"n/?[am]\.?|N/?[AM]\.?|n\.m\."  # not applicable, not meaningful: a cell, not a figure
_TOKEN = re.compile(rf"(?<!\S)(?:\$\s*)?(?:\((?:\$\s*)?{_NUM}\)%?|[-\u2212]?(?:\$\s*)?{_NUM}%?|-{{1,2}}|[\u2013\u2014]|{_NA})(?!\S)")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_MARKER = re.compile(r"<(?:S|C|FN|F\d{1,2})>", re.IGNORECASE)
_SGML = re.compile(r"^\s*<(/?)(TABLE|CAPTION|PAGE)>\s*$", re.IGNORECASE)
_LEADER = re.compile(r"\.(?:\s?\.){2,}")
_MARK = re.compile(r"(?<=[\d)%])(?:\((?:[a-z]|\d{1,2})\)|\*{1,3})(?!\S)")  # "1,234(a)", "56.7%*": a note marker
_RULE = re.compile(r"^[\s=_-]*[=_-]{3}[\s=_-]*$")
_CHUNK = re.compile(r"\S+(?: \S+)*")
_PERIOD = re.compile(r"\b(?:weeks?|months?|quarters?|years?|periods?)\s+ended\b.*\b(?:19|20)\d\d\b", re.IGNORECASE)
_NOTE = re.compile(r"^\(.*\b(?:thousands?|millions?|billions?|dollars|except)\b", re.IGNORECASE)
_DATE = re.compile(rf"\b(?:{MONTH}|{MONTH_ABBR})\s+\d{{1,2}},?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_SUB = re.compile(r"^[A-Z][^.:]{0,80}:\s*(?:\(\d{1,2}\)|\*{1,3})?$")  # "Domestic Inventories:", "Summary ...:(1)"
_PHRASE = re.compile(rf"(?:for\s+the\s+)?(?:\S+[- ])?(?:weeks?|months?|quarters?|years?|periods?)\s+ended\s+"
                     rf"(?:{MONTH}|{MONTH_ABBR})\s+\d{{1,2}},?\s+(?:19|20)\d\d", re.IGNORECASE)
_JOIN_AFTER = re.compile(r"(?:\b(?:and|or|of|to|for|in|on|the|before|from|with|by|at)|[,&])$", re.IGNORECASE)


class _Token(NamedTuple):  # a figure; anchor: where its last digit (or dash) stands
    start: int
    end: int
    anchor: int
    text: str


class _Line:
    __slots__ = ("clean", "tokens", "strong", "sgml", "marker", "rule", "blank", "cells", "label_end")

    def __init__(self, raw: str, outside: bool = False):
        sgml = None if outside else _SGML.match(raw)
        self.sgml = "OUT" if outside else (sgml.group(1) + sgml.group(2)).upper() if sgml else ""
        text = "" if sgml or outside else raw
        self.marker = bool(_MARKER.search(text))
        text = _MARKER.sub(lambda m: " " * len(m.group()), text)
        text = _LEADER.sub(lambda m: " " * len(m.group()), text)
        text = _MARK.sub(lambda m: " " * len(m.group()), text)
        self.clean = text
        self.blank = not text.strip()
        self.rule = bool(_RULE.match(text))
        self.tokens = [] if self.rule or "\t" in raw else _suffix(text)
        values = [t for t in self.tokens if not _YEAR.match(t.text) and any(c.isdigit() for c in t.text)]
        gaps = all(text[a.end:b.start].startswith("  ") for a, b in zip(self.tokens, self.tokens[1:]))
        self.strong = len(values) >= 3 or (bool(values) and len(self.tokens) >= 2 and gaps)  # dense: 3 figures
        self.cells: dict[int, _Token] = {}
        self.label_end = 0


def _suffix(text: str) -> list[_Token]:
    """The figures that end a line: numbers separated only by white space, up to its end."""
    found = list(_TOKEN.finditer(text))
    out: list[_Token] = []
    stop = len(text.rstrip())
    for match in reversed(found):
        if text[match.end():stop].strip():
            break
        body = match.group().rstrip("%)")
        out.append(_Token(match.start(), match.end(), match.start() + len(body) - 1, match.group()))
        stop = match.start()
    return out[::-1]


def _chunks(text: str) -> list[tuple[int, int, str]]:
    """Runs of text separated by two or more spaces: (start, end, text)."""
    return [(m.start(), m.end(), m.group()) for m in _CHUNK.finditer(text)]


# -- regions and columns --------------------------------------------------------------------

def _regions(info: list[_Line]) -> list[tuple[int, int, bool]]:
    """(first, last, sgml) line ranges that hold a table: an SGML <TABLE> block, or aligned rows
    of figures with no paragraph of prose or two blank lines between them."""
    out: list[tuple[int, int, bool]] = []
    seeds: list[list[int]] = []
    n, i = len(info), 0
    while i < n:
        if info[i].sgml == "TABLE":
            j = next((k for k in range(i + 1, n) if info[k].sgml == "/TABLE"), n - 1)
            if any(info[k].strong for k in range(i, j)):
                out.append((i, j, True))
            seeds.append([])
            i = j
        elif info[i].strong:
            if not seeds or not seeds[-1] or not _close(info, seeds[-1][-1], i):
                seeds.append([])
            seeds[-1].append(i)
        i += 1
    out += [(run[0], run[-1], False) for run in seeds if len(run) >= 2]
    return sorted(out)


def _close(info: list[_Line], a: int, b: int) -> bool:
    if b - a > 14:
        return False
    blanks = 0
    for k in range(a + 1, b):
        blanks = blanks + 1 if info[k].blank else 0
        if blanks >= 2 or info[k].sgml or _prose(info[k]):
            return False
    return True


def _prose(line: _Line) -> bool:
    """A line of a paragraph: a long run of words with no wide gap."""
    return any(end - start > 60 for start, end, _ in _chunks(line.clean))


class _Column(NamedTuple):
    left: int
    right: int  # the rightmost anchor
    lo: int  # where the widest figure's first digit stands


def _columns(info: list[_Line], lines: range) -> list[_Column]:
    """Columns from the anchors of the figures of the block's rows of figures."""
    tokens = [t for k in lines if info[k].strong for t in info[k].tokens]
    groups: list[list[int]] = []
    for a in sorted(t.anchor for t in tokens):
        if groups and a - groups[-1][-1] <= 2:
            groups[-1].append(a)
        else:
            groups.append([a])
    out = []
    for lo, hi in [(g[0], g[-1]) for g in groups if len(g) >= 2]:
        mine = [t for t in tokens if lo <= t.anchor <= hi]
        width = max(t.anchor - t.start - len(t.text) + len(t.text.lstrip("$ (")) for t in mine)
        out.append(_Column(min(t.start for t in mine), hi, hi - width))
    return out


def _place(info: list[_Line], k: int, columns: list[_Column]) -> None:
    """Give each figure of line k its column; the figures left of every column join the label."""
    line = info[k]
    line.cells = {}
    for tok in line.tokens:
        best = min(range(len(columns)), key=lambda c: abs(columns[c].right - tok.anchor))
        col = columns[best]
        if col.left - 3 <= tok.anchor <= col.right + 3 and all(best > c for c in line.cells):
            line.cells[best] = tok
    first = min((t.start for t in line.cells.values()), default=len(line.clean))
    line.label_end = len(line.clean[:first].rstrip())


# -- one table ------------------------------------------------------------------------------

class _Table:
    def __init__(self, columns: list[_Column]):
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

    def headings(self, info: list[_Line]) -> list[str]:
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
    years = [p.rstrip("*") for p in own if _YEAR.match(p.rstrip("*"))]
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


def _heading_cells(line: _Line, columns: list[_Column], left: int, margin: int = 0):
    """(stub text, {column: text}) of a heading line, or None when it is not one (``margin``:
    where the table's labels start)."""
    stub, cells = [], []
    for start, end, text in _split_dates(_chunks(line.clean)):
        if _RULE.match(text):
            continue
        if read_cell(text) is not None and not _YEAR.match(text):
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


def _spread(lines: list[list[tuple[int, int, str, list[int]]]], columns: list[_Column]) -> dict[int, list[str]]:
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


def _header(info: list[_Line], table: _Table, first: int, floor: int, sgml: bool, margin: int) -> int:
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
                     for a, b, _ in _chunks(line.clean)]
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
        cells = _heading_cells(line, columns, left, margin)
        if cells is not None:
            found.append((j, cells[0], cells[1]))
            last = max(last, j)
        elif last < 0:
            pass  # a section label between the headings and the first figures: part of the body
        elif _PERIOD.search(line.clean):
            table.period = " ".join(line.clean.split())
            table.lines.append(j)
        elif found and found[-1][0] == j + 1 and found[-1][2] and (_NOTE.match(line.clean.strip()) or found[-1][1]):
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
            _YEAR.match(p.rstrip("*")) or _DATE.search(p) for _, _, cells in found for _, _, p, _ in cells):
        table.period = _PHRASE.search(text).group()  # "* Domestic segment detail for the 13 weeks ended ..."
    for k, stub, _cells in sorted(found):
        table.lines.append(k)
        if stub and (_NOTE.match(stub) or table.note):
            table.note.append(stub)
    for c, texts in _spread([cells for _, _, cells in sorted(found)], columns).items():
        table.heads[c].extend(texts)
    return last


def _wrapped(info: list[_Line], body: list[int]) -> dict[int, tuple[int, str]]:
    """Labels wrapped over lines: {line of the figures (or the last line): (first line, label)}."""
    out: dict[int, tuple[int, str]] = {}
    k = 0
    while k < len(body):
        i = body[k]
        line = info[i]
        text = line.clean[:line.label_end].strip() if line.cells else line.clean.strip()
        if line.cells or not text or text.endswith((":", "-")) or text.isupper():
            k += 1
            continue
        indent = _indent(line.clean)
        chain, inner, m = [i], None, k + 1
        while m < len(body) and body[m] == body[m - 1] + 1:
            nxt = info[body[m]]
            label = nxt.clean[:nxt.label_end].strip() if nxt.cells else nxt.clean.strip()
            at = _indent(nxt.clean)
            if not label:
                break
            if inner is None:
                if at <= indent or not (label[0].islower() or label[0] == "(" or _JOIN_AFTER.search(text)
                                        or (text.lower().startswith("total ") and nxt.cells)):
                    break
                inner = at
            elif at != inner:
                break
            chain.append(body[m])
            m += 1
            if nxt.cells or label.endswith(":"):
                break
        if len(chain) > 1:
            parts = [(info[c].clean[:info[c].label_end] if info[c].cells else info[c].clean).strip() for c in chain]
            out[chain[-1]] = (chain[0], " ".join(parts))
        k = max(m, k + 1) if len(chain) > 1 else k + 1
    return out


# -- writing the layout ---------------------------------------------------------------------

def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _value_row(line: _Line, width: int, blank_label: bool) -> str:
    chars = list(line.clean)
    if blank_label:
        chars[:line.label_end] = " " * line.label_end
    placed = set(line.cells.values())
    first = min(t.start for t in placed)
    for tok in line.tokens:
        if tok not in placed and tok.start > first:
            chars[tok.start:tok.end] = " " * (tok.end - tok.start)  # a figure in no column
    prev, prev_col = line.label_end, -1
    for c in sorted(line.cells):
        tok = line.cells[c]
        if tok.text.startswith("$") and read_cell(tok.text) is None:
            chars[tok.start] = " "  # "$ (806)", "$ -": the column says the currency
        need = c - prev_col
        spots = [p for p in range(tok.start - 1, prev - 1, -1) if chars[p] == " "][:need]
        if len(spots) < need:
            return ""
        for p in spots:
            chars[p] = "\t"
        prev, prev_col = tok.end, c
    return "".join(chars).rstrip(" ") + "\t" * (width - 1 - prev_col)


def _write(out: list[str], info: list[_Line], table: _Table, head: int, body: list[int]) -> None:
    width = len(table.columns)
    if table.sub >= 0:  # the heading row above the sub-heading, which heads the rows
        head, body = table.sub - 1, [table.sub] + [k for k in body if k > table.sub]
    for k in range(min(table.lines, default=head), head):
        if k in table.lines or info[k].rule or info[k].blank or info[k].sgml:
            out[k] = ""
    if table.note:
        spare = [k for k in table.lines if k < head]
        if spare:
            out[spare[-1]] = " ".join(table.note)
    _title(out, info, min(table.lines + [head]))
    out[head] = "\t" + "\t".join(table.headings(info))
    done: set[int] = set()
    for last, (first, label) in _wrapped(info, body).items():
        holder = last - 1 if info[last].cells else last
        if info[last].cells:
            out[last] = _value_row(info[last], width, True) or GAP
        out[holder] = " " * _indent(info[first].clean) + label + "\t" * width
        for m in range(first, holder):
            out[m] = GAP
        done.update(range(first, last + 1))
    body_set = set(body)
    for k in range(head + 1, body[-1] + 1):
        if k in done:
            continue
        line = info[k]
        if k not in body_set or line.blank or line.rule:
            out[k] = GAP
        elif line.cells:
            out[k] = _value_row(line, width, False) or GAP
        else:
            text = line.clean.strip()
            out[k] = GAP if text.startswith("(") and text.endswith(")") else line.clean.rstrip() + "\t" * width


def _title(out: list[str], info: list[_Line], top: int) -> None:
    """A title printed over two lines with a hanging indent ("... SUMMARY OF CERTAIN" / " SIGNIFICANT
    ITEMS") is joined on its first line, above the unit note."""
    k = top - 1
    while k > 0 and top - k <= 6 and (info[k].blank or _NOTE.match(info[k].clean.strip())):
        k -= 1
    if k < 1 or info[k].blank or info[k - 1].blank or info[k].tokens or info[k - 1].sgml or info[k].sgml:
        return
    upper, lower = info[k - 1].clean, info[k].clean
    if 0 < _indent(lower) - _indent(upper) <= 4 and upper.strip().isupper() and lower.strip().isupper():
        out[k - 1], out[k] = upper.rstrip() + " " + lower.strip(), ""


def layout(lines: list[str], plain: Optional[list[tuple[int, int]]] = None) -> list[str]:
    """The lines with every plain-text table rewritten in the tab layout (see the module's doc).
    Only the lines of the ``plain`` ranges (0-based, end exclusive; default all) are read: the
    rest is an HTML rendering. Lines that hold a tab already (a tab-separated filing) are never
    touched."""
    ranges = [(0, len(lines))] if plain is None else plain
    inside = [False] * len(lines)
    for a, b in ranges:
        inside[a:b] = [True] * (b - a)
    if not any("  " in line for line, keep in zip(lines, inside) if keep):
        return lines
    info = [_Line(line, not keep) for line, keep in zip(lines, inside)]
    out = list(lines)
    floor = -1
    prev: Optional[tuple[_Table, int]] = None
    for first, last, sgml in _regions(info):
        if sgml:
            for k in range(first, last + 1):
                if info[k].sgml:
                    out[k] = ""  # <TABLE>, <CAPTION>: the title stands above them
        columns = _columns(info, range(first, last + 1))
        if not columns:
            continue
        if not sgml:
            last = _extend(info, last, columns)
        for k in range(first, last + 1):
            if info[k].tokens and not all(_YEAR.match(t.text) for t in info[k].tokens):
                _place(info, k, columns)
        for table, head, body in _parts(info, range(first, last + 1), columns, floor, sgml):
            if head < 0 or not body:
                continue
            if prev is not None and table.key() == prev[0].key() and _between(info, prev[0], table):
                # the same headings again: the table goes on (its sub-heading heads the next rows)
                table.body = prev[0].body + ([table.sub] if table.sub >= 0 else []) + body
                table.lines, table.sub, table.note = [], prev[0].sub, prev[0].note
                head = prev[1]
            _write(out, info, table, head, table.body)
            prev = (table, head)
        floor = last
    return out


def _between(info: list[_Line], before: _Table, after: _Table) -> bool:
    """Only blank lines, rules, markers, a sub-heading and headings between two tables."""
    top = min(after.lines + ([after.sub] if after.sub >= 0 else []), default=after.body[0])
    return all(info[k].blank or info[k].rule or info[k].sgml or k == after.sub or k in after.lines
               for k in range(before.body[-1] + 1, top))


def _extend(info: list[_Line], last: int, columns: list[_Column]) -> int:
    """Take in the rows of one figure just below the aligned rows ("Total ... $0.04")."""
    left = min(c.left for c in columns)
    k, blanks = last + 1, 0
    while k < len(info) and blanks < 2 and not info[k].sgml and not _prose(info[k]):
        line = info[k]
        blanks = blanks + 1 if line.blank else 0
        inside = [t for t in line.tokens if t.start >= left - 2]
        if any(c.isdigit() for t in inside for c in t.text) and all(any(abs(c.right - t.anchor) <= 2 for c in columns) for t in inside):
            last = k
        elif not line.blank and not line.tokens and _heading_cells(line, columns, left) is not None:
            break
        k += 1
    return last


def _parts(info: list[_Line], rows: range, columns: list[_Column], floor: int, sgml: bool):
    """Split a region where new heading lines follow rows of figures: each part's table, the
    line of its heading row (-1: none) and its body lines."""
    out, lo = [], floor
    values = [i for i in rows if info[i].cells]
    margin = _margin(info, rows)
    while values:
        first = values[0]
        table = _Table(columns)
        head = _header(info, table, first, lo, sgml, margin)
        end = first
        for i in values:
            if i > first and _has_heading(info, end, i, columns, margin):
                break
            end = i
        table.body = [i for i in range(head + 1 if head >= 0 else first, end + 1) if i not in table.lines
                      and not (info[i].blank or info[i].rule or info[i].sgml)]
        out.append((table, head, table.body))
        values = [i for i in values if i > end]
        lo = end
    return out


def _has_heading(info: list[_Line], a: int, b: int, columns: list[_Column], margin: int) -> bool:
    left = min(c.left for c in columns)
    return any(not (info[k].cells or info[k].blank or info[k].rule)
               and _heading_cells(info[k], columns, left, margin) is not None for k in range(a + 1, b))


def _margin(info: list[_Line], rows: range) -> int:
    """Where the labels of the rows of figures start."""
    labelled = [k for k in rows if info[k].tokens and info[k].clean[:info[k].tokens[0].start].strip()]
    return min((_indent(info[k].clean) for k in labelled), default=0)
