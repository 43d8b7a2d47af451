"""Tables whose headings name no period ("Consolidated | Machinery | Financial Products", "GAAP |
Adj. | Non-GAAP", "Q1 | Q2 | Q3 | Q4 | TOTAL"), and tables with no heading row at all: a run of
tab-separated lines whose first lines, with an empty label cell and no figure, are its headings,
and whose other lines hold figures."""
from __future__ import annotations

import re
from typing import Optional

from .layout import Grid
from .text_tables import GAP

_YEAR = re.compile(r"^\(?(?:19|20)\d\d\)?$")


def _heading(cells: list[str], read) -> bool:
    values = [c for c in cells[1:] if c]
    return not cells[0] and bool(values) and all(_YEAR.match(c) or read(c) is None for c in values)


def _figures(cells: list[str], read) -> bool:
    return any(read(c) is not None and not _YEAR.match(c) for c in cells[1:])


def headed_block(grid: Grid, start: int) -> Optional[tuple[int, int, int]]:
    """The table that starts at line ``start`` (0-based) though its headings are not read as
    period headings: (first heading row, first body row, end), or None when no row holds a figure.
    A table without heading rows has its first body row as its first heading row."""
    lines, cells, read = grid.lines, grid.cells, grid.read
    n, i = len(lines), start
    while i < n and "\t" in lines[i] and lines[i].strip() and _heading(cells(i), read):
        i += 1
    body = i
    while i < n and "\t" in lines[i] and (lines[i].strip() or lines[i] == GAP):  # GAP: a blank line of a text table
        i += 1
    if body == i or not any(_figures(cells(k), read) for k in range(body, i)):
        return None
    return start, body, i
