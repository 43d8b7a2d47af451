"""A table's preamble: the lines above its column headings, read from the bottom up as unit notes
("(In millions)", "(Unaudited)"), a period line ("For the Three Months Ended March 31, 2022",
"At March 31, 2022"), the statement's title (one line, or two when it is split: "... STATEMENTS
OF" / "COMPREHENSIVE LOSS"), and above it a page banner or the company's name, which are never
the title. "(CONTINUED)" marks the rest of a statement begun in the table before."""
from __future__ import annotations

import re
from typing import NamedTuple

from .filing import MONTH, MONTH_ABBR
from .layout import Grid
from .units import is_unit_note

_LOOK = 12  # lines above the headings a preamble may take
_PERIOD_LINE = re.compile(
    rf"^(?:for\s+the\s+)?(?:(?:three|six|nine|twelve|\d{{1,2}})[- ]months?|(?:fiscal\s+)?years?|quarters?"
    rf"|(?:thirteen|twenty-six|thirty-nine|fifty-two|fifty-three|\d{{2}})[- ]weeks?|periods?)"
    rf"\s+ended\b.*\b(?:19|20)\d\d\W*$"
    rf"|^(?:as\s+(?:of|at)|at)\s+(?:{MONTH}|{MONTH_ABBR})\s+\d{{1,2}},?\s+(?:19|20)\d\d\W*$",
    re.IGNORECASE)
_PAGE = re.compile(r"^\W*(?:page\s+)?\d{1,3}\W*$|^\(?(?:more|continued on next page)\)?$|^#+(?:\s+#+)*$",
                   re.IGNORECASE)
_COMPANY = re.compile(
    r"^(?:the\s+)?[A-Z0-9][\w&.,'’ -]{0,60}?\s(?:Inc\.?|Incorporated|Corporation|Corp\.?|Company|Co\.|"
    r"Co\.,\s*Ltd\.?|Ltd\.?|Limited|plc|N\.V\.|S\.A\.|LLC|L\.P\.|AG|SE|Holdings?)$",
    re.IGNORECASE)
_CONTINUED = re.compile(r"\s*[(\[]\s*continued\s*[)\]]\s*$|\s*[-–—]\s*continued\s*$", re.IGNORECASE)
_CONTINUED_WORD = re.compile(r"\(\s*continued\s*\)", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^\s*(?:\(\d{1,2}\)|\*{1,3}|\^\{\d{1,2}\}|\d{1,2}\))\s*\S")
_JOIN_AFTER = re.compile(r"\b(?:of|and|for|to|in|the|on|from|&|with|consolidated|condensed|interim|unaudited|combined"
                         r"|selected|summary)\s*$|,\s*$", re.IGNORECASE)
_JOIN_BEFORE = re.compile(r"^(?:and|of|&|for|to|in|from|with)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.:;!?]\s*$")
_ABBREVIATION_END = re.compile(r"\b[A-Z][a-z]{0,3}\.$")
_CURRENCY_TAIL = re.compile(r"(?:\s+(?:USD|RMB|US\$|HK\$|\$))+$")


class Preamble(NamedTuple):
    """What the lines above a table's headings say of it."""

    title: tuple[int, str]  # (line, text); text "" when the table has no title of its own
    note: str  # the unit note lines, joined
    used: set[int]  # 1-based lines taken
    period: str  # a period line that dates every column ("For the Three Months Ended ...")
    continued: bool  # the title or a note says "(CONTINUED)"
    footnote: bool = False  # the line above the headings is a footnote ("(3) ... as follows:")


def is_company(text: str) -> bool:
    """A line that is only a company's name ("XPENG INC.", "Caterpillar Inc.")."""
    return bool(_COMPANY.match(text.strip())) and not text.strip().endswith(":")


def _title_like(text: str) -> bool:
    if len(text) > 160 or is_company(text) or _PAGE.match(text):
        return False
    return not _SENTENCE_END.search(text) or _ABBREVIATION_END.search(text) is not None


def read_preamble(lines: list[str], head_start: int) -> Preamble:
    """Walk up from the first heading row (0-based ``head_start``) over blanks, unit notes and a
    period line to the title, and join a title split over two lines."""
    notes: list[str] = []
    used: set[int] = set()
    period = ""
    j = head_start - 1
    while j >= 0 and head_start - j <= _LOOK:
        text = lines[j].strip()
        if not text:
            j -= 1
            continue
        if "\t" in lines[j]:
            break
        if is_unit_note(text) or (notes and text.endswith(")") and not _title_like(text)):
            notes.insert(0, text)
        elif _PERIOD_LINE.match(text) and not period:
            period = text
        else:
            break
        used.add(j + 1)
        j -= 1
    note = " ".join(notes)
    noted = bool(_CONTINUED_WORD.search(note))
    if j < 0 or head_start - j > _LOOK or "\t" in lines[j] or not _title_like(lines[j].strip()):
        footnote = j >= 0 and head_start - j <= _LOOK and bool(_FOOTNOTE.match(lines[j]))
        return Preamble((head_start + 1, ""), note, used, period, noted, footnote)
    line, title = j + 1, lines[j].strip()
    used.add(line)
    k = j - 1
    while k >= 0 and not lines[k].strip() and j - k <= 2:
        k -= 1
    if k >= 0 and "\t" not in lines[k]:
        upper = lines[k].strip()
        if _title_like(upper) and (_JOIN_AFTER.search(upper) or _JOIN_BEFORE.match(title)):
            title, line = f"{upper} {title}", k + 1
            used.add(line)
    continued = bool(_CONTINUED.search(title))
    if continued:
        title = _CONTINUED.sub("", title).strip()
    return Preamble((line, title), note, used, period, continued or noted, bool(_FOOTNOTE.match(title)))


_LETTERS = re.compile(r"[^\W\d_]{2}")
_YEAR_CELL = re.compile(r"\(?(?:19|20)\d\d\)?")


def _heading_line(grid: Grid, k: int) -> bool:
    """A row of column headings inside a table: no label, and text but no figure in its cells."""
    line = grid.lines[k]
    if "\t" not in line or not line[0].isspace():  # (no tab, or a label: its first cell is not blank)
        return False
    cells, read = grid.cells(k), grid.read
    if cells[0]:
        return False
    values = [c for c in cells[1:] if c]
    return bool(values) and all((read(c) is None and _LETTERS.search(c)) or _YEAR_CELL.fullmatch(c) for c in values)


def _figures(grid: Grid, k: int) -> bool:
    read = grid.read
    return any(read(c) is not None for c in grid.cells(k)[1:])


def _label_only(grid: Grid, k: int) -> str:
    cells = grid.cells(k)
    return cells[0] if cells[0] and not any(cells[1:]) else ""


def parts(grid: Grid, pre: Preamble, head_start: int, body_start: int, end: int):
    """The tables one block of rows holds: a row of headings inside the body starts another (a
    segment's "Segment Sales", "Sales by Geographic Region" and "Segment Profit" under one banner),
    titled by the label row above it and under the block's title and unit note. Yields
    (preamble, (heading start, body start, end), lines used) for each part with figures."""
    cuts = []
    k = body_start
    while k < end:
        if k > body_start and _heading_line(grid, k) and not _heading_line(grid, k - 1):
            cuts.append(k)
        k += 1
    if not cuts:
        yield pre, (head_start, body_start, end), set()
        return
    heads = {_CURRENCY_TAIL.sub("", c) for c in grid.cells(head_start)[1:] if c}
    banner = pre.title[1] or (heads.pop() if len(heads) == 1 else "")
    note = pre.note
    starts = [head_start] + cuts
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else end
        title_line = stop - 1 if n + 1 < len(starts) and _label_only(grid, stop - 1) else None
        last = title_line if title_line is not None else stop
        body = body_start if n == 0 else start
        while body < last and _heading_line(grid, body):
            body += 1
        if not any(_figures(grid, j) for j in range(body, last)):
            for j in range(body, last):  # a part of no figures may hold the unit note of all
                label = _label_only(grid, j)
                if label and is_unit_note(label):
                    note = " ".join(filter(None, (note, label)))
            continue
        if n == 0:
            yield pre._replace(note=note), (start, body, last), set()
            continue
        above = start - 1
        label = _label_only(grid, above) if above >= 0 else ""
        title = f"{banner}: {label}" if banner and label else label or banner
        part = Preamble((above + 1, title), note, {above + 1} if label else set(), pre.period, False)
        yield part, (start, body, last), set()


_MARKED = re.compile(r"^\s*(?:\((\d{1,2})\)|\^\{(\d{1,2})\}|(\d{1,2})\)|(\*{1,3}))\s*(\S.*)$")


def _marks(text: str, number: str, stars: str) -> bool:
    if stars:
        return stars in text
    return any(m in text for m in (f"({number})", f"^{{{number}}}"))


def footnote_unit(lines: list[str], head_start: int, body_start: int, end: int, title: str) -> str:
    """A unit note printed only in a footnote below the table ("(1) In millions of U.S. dollars"),
    of a marker its title or headings carry: a footnote of another mark is never taken."""
    marked = " ".join([title, *lines[max(0, head_start - 1):body_start]])
    for j in range(end, min(end + 12, len(lines))):
        text = lines[j].strip()
        if not text:
            continue
        match = _MARKED.match(text) if "\t" not in lines[j] else None
        if match is None:
            break
        number = match.group(1) or match.group(2) or match.group(3) or ""
        if _marks(marked, number, match.group(4) or "") and is_unit_note(match.group(5)):
            return match.group(5).strip()
    return ""
