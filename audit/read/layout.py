"""Text layout: a line's tab-separated cells, and whether a line is a row of column headings."""
from __future__ import annotations

import re
from typing import Optional

from .filing import MONTH, MONTH_ABBR
from .numbers import cell_fields, read_cell

_HEADER_TOKEN = re.compile(
    rf"""^\(?(?:
        unaudited | audited | as\ (?:of|at) | notes?
      | (?:19|20)\d\d
      | (?:three|six|nine|twelve|3|6|9|12)[-\ ]months?\ ended.*
      | (?:fiscal\ )?(?:year|quarter|period|months?)s?\ ended.*
      | (?:for\ the\ )?(?:three|six|nine|twelve).*ended.*
      | (?:thirteen|twenty-six|thirty-nine|fifty-two|fifty-three|13|26|39|52|53)[-\ ]weeks?\ ended.*
      | (?:{MONTH}|{MONTH_ABBR})\ \d{{1,2}},?(?:\ (?:19|20)\d\d)?
      | (?:{MONTH}|{MONTH_ABBR})\ (?:19|20)\d\d
      | RMB | USD | US\$ | US\\\$ | HK\$ | \$ | CNY | HKD | EUR
    )\)?\.?$""",
    re.IGNORECASE | re.VERBOSE,
)


def split_cells(line: str) -> list[tuple[int, str]]:
    """Split a line on tabs: (1-based column, raw text) for every cell."""
    out, col = [], 1
    for part in line.split("\t"):
        out.append((col, part))
        col += len(part) + 1
    return out


#: Words that make a cell a column heading ("YoY % change", "Q1 2023", "As of December 31, 2022").
_HEADER_WORD = re.compile(
    rf"\b(?:{MONTH[3:-1]}|ended|unaudited|audited|as of|as at|quarter|months?|year|fiscal|change|"
    r"yoy|qoq|q[1-4]|fy|h[12]|rmb|usd|cny|hkd|eur)\b|\b(?:19|20)\d\d\b|\$|%|^\(?notes?\)?$",
    re.IGNORECASE,
)
_UNIT_CELL = re.compile(r"^\(?(?:in |amounts in )?(?:thousands|millions|rmb|usd|us\$)[^)]*\)?$|^RMB'000$", re.I)


_DECIMAL = re.compile(r"\d[\d,]*\.\d")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def header_cells(cells: list[str], read=read_cell) -> bool:
    """Are a line's stripped cells a row of column headings? (``read``: read_cell, or a reader of
    the same results.) Each filled cell is a heading: it names a period, a currency or a
    comparison (_HEADER_TOKEN, or _HEADER_WORD and no amount); and one names a period or a year."""
    if cells[0] and not _UNIT_CELL.match(cells[0]):
        return False
    dated = False  # a cell matches _HEADER_TOKEN or names a year
    for c in cells[1:]:
        if not c:
            continue
        if _HEADER_TOKEN.match(c):
            dated = True
        elif not _HEADER_WORD.search(c) or read(c) is not None or _DECIMAL.search(c):
            return False
        elif not dated and _YEAR.search(c):
            dated = True
    return dated


def is_header_row(line: str) -> bool:
    if "\t" not in line:
        return False
    return header_cells([c.strip() for c in line.split("\t")])


class Readings(dict):
    """cell_fields of each text asked for (``readings[text]``), read when first asked."""

    __slots__ = ()

    def __missing__(self, text: str):
        found = self[text] = cell_fields(text)
        return found


class Grid:
    """A document's lines for the table reader: each tab-separated line's cells, split and stripped
    once, and each cell text read once (``read``: cell_fields, read_cell's reading as a tuple). Made
    anew for every document read: nothing is kept between documents."""

    __slots__ = ("lines", "_cells", "readings", "read")

    def __init__(self, lines: list[str], readings: Optional[Readings] = None):
        self.lines = lines
        self._cells: list = [None] * len(lines)
        self.readings = Readings() if readings is None else readings  # (an HTML rendering's: its cells read)
        self.read = self.readings.__getitem__

    def cells(self, k: int) -> list[str]:
        """The stripped cells of line k (0-based)."""
        found = self._cells[k]
        if found is None:
            found = self._cells[k] = [c.strip() for c in self.lines[k].split("\t")]
        return found

    def header(self, k: int) -> bool:
        """is_header_row of line k."""
        return "\t" in self.lines[k] and header_cells(self.cells(k), self.read)
