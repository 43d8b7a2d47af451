"""Plain-text lines for the text-table layout (text_tables): each line cleaned of dot leaders,
SGML markers and note markers after figures, the figures that end it (each with the place of its
last digit), whether it is a dense row of figures; the regions of aligned rows, their columns and
the column of each figure."""
from __future__ import annotations

import re
from typing import NamedTuple

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_NA = r"n/?[am]\.?|N/?[AM]\.?|n\.m\."  # not applicable, not meaningful: a cell, not a figure
_TOKEN = re.compile(rf"(?<!\S)(?:\$\s*)?(?:\((?:\$\s*)?{_NUM}\)%?|[-\u2212]?(?:\$\s*)?{_NUM}%?|-{{1,2}}|[\u2013\u2014]|{_NA})(?!\S)")
YEAR = re.compile(r"^(?:19|20)\d\d$")
_MARKER = re.compile(r"<(?:S|C|FN|F\d{1,2})>", re.IGNORECASE)
_SGML = re.compile(r"^\s*<(/?)(TABLE|CAPTION|PAGE)>\s*$", re.IGNORECASE)
_LEADER = re.compile(r"\.(?:\s?\.){2,}")
_MARK = re.compile(r"(?<=[\d)%])(?:\((?:[a-z]|\d{1,2})\)|\*{1,3})(?!\S)")  # "1,234(a)", "56.7%*": a note marker
RULE = re.compile(r"^[\s=_-]*[=_-]{3}[\s=_-]*$")
_CHUNK = re.compile(r"\S+(?: \S+)*")
#: What a _TOKEN can end with besides a digit: ")", "%", a dash, "n/a", "NM"; and before a final ".".
_LAST = frozenset(")%-\u2013\u2014amAM")
_BEFORE_DOT = frozenset("amAM")


class Token(NamedTuple):  # a figure; anchor: where its last digit (or dash) stands
    start: int
    end: int
    anchor: int
    text: str


class Line:
    __slots__ = ("clean", "tokens", "strong", "sgml", "marker", "rule", "blank", "cells", "label_end")

    def __init__(self, raw: str, outside: bool = False):
        self.cells: dict[int, Token] = {}
        self.label_end = 0
        if outside or not raw.strip():  # a line not read, or a blank one
            self.sgml, self.clean = ("OUT", "") if outside else ("", raw)
            self.marker = self.rule = self.strong = False
            self.blank, self.tokens = True, []
            return
        sgml = _SGML.match(raw)
        self.sgml = (sgml.group(1) + sgml.group(2)).upper() if sgml else ""
        text = "" if sgml else raw
        self.marker = bool(_MARKER.search(text))
        if self.marker:
            text = _MARKER.sub(_spaces, text)
        if "." in text:
            text = _LEADER.sub(_spaces, text)
        if "(" in text or "*" in text:
            text = _MARK.sub(_spaces, text)
        self.clean = text
        self.blank = not text.strip()
        self.rule = bool(RULE.match(text))
        self.tokens = [] if self.rule or "\t" in raw else _suffix(text)
        values = [t for t in self.tokens if not YEAR.match(t.text) and any(c.isdigit() for c in t.text)]
        gaps = all(text[a.end:b.start].startswith("  ") for a, b in zip(self.tokens, self.tokens[1:]))
        self.strong = len(values) >= 3 or (bool(values) and len(self.tokens) >= 2 and gaps)  # dense: 3 figures


def _spaces(match) -> str:
    return " " * len(match.group())


def _suffix(text: str) -> list[Token]:
    """The figures that end a line: numbers separated only by white space, up to its end."""
    end = text.rstrip()
    last = end[-1:]
    if not (last.isdecimal() or (last and last in _LAST) or (last == "." and end[-2:-1] in _BEFORE_DOT)):
        return []  # no figure ends with its last character
    found = list(_TOKEN.finditer(text))
    out: list[Token] = []
    stop = len(end)
    for match in reversed(found):
        if text[match.end():stop].strip():
            break
        body = match.group().rstrip("%)")
        out.append(Token(match.start(), match.end(), match.start() + len(body) - 1, match.group()))
        stop = match.start()
    return out[::-1]


def text_chunks(text: str) -> list[tuple[int, int, str]]:
    """Runs of text separated by two or more spaces: (start, end, text)."""
    return [(m.start(), m.end(), m.group()) for m in _CHUNK.finditer(text)]


# -- regions and columns --------------------------------------------------------------------

def regions(info: list[Line]) -> list[tuple[int, int, bool]]:
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


def _close(info: list[Line], a: int, b: int) -> bool:
    if b - a > 14:
        return False
    blanks = 0
    for k in range(a + 1, b):
        blanks = blanks + 1 if info[k].blank else 0
        if blanks >= 2 or info[k].sgml or is_prose(info[k]):
            return False
    return True


def is_prose(line: Line) -> bool:
    """A line of a paragraph: a long run of words with no wide gap."""
    return any(end - start > 60 for start, end, _ in text_chunks(line.clean))


class TextColumn(NamedTuple):
    left: int
    right: int  # the rightmost anchor
    lo: int  # where the widest figure's first digit stands


def find_columns(info: list[Line], lines: range) -> list[TextColumn]:
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
        out.append(TextColumn(min(t.start for t in mine), hi, hi - width))
    return out


def place(info: list[Line], k: int, columns: list[TextColumn]) -> None:
    """Give each figure of line k its column; the figures left of every column join the label."""
    line = info[k]
    line.cells = {}
    last = -1  # the column of the figure placed last: each one is placed right of it
    for tok in line.tokens:
        anchor = tok.anchor
        best, near = 0, None
        for c, column in enumerate(columns):  # the nearest column (the first of equals)
            gap = abs(column.right - anchor)
            if near is None or gap < near:
                best, near = c, gap
        col = columns[best]
        if col.left - 3 <= anchor <= col.right + 3 and best > last:
            line.cells[best] = tok
            last = best
    first = min((t.start for t in line.cells.values()), default=len(line.clean))
    line.label_end = len(line.clean[:first].rstrip())


def indent_of(text: str) -> int:
    return len(text) - len(text.lstrip())
