"""The table reader's faster steps (issue 21) give what the plain ones they replace give: a row of
column headings (layout.header_cells, one loop) against the rule as first written (all() of each
cell, then any()), and footing (groups: a nil's half as 0, and no more columns read once those
read can no longer make a majority) against footing as first written."""
from __future__ import annotations

import random
from decimal import Decimal

from audit.read.groups import _footing_size, _parts
from audit.read.layout import _DECIMAL, _HEADER_TOKEN, _HEADER_WORD, _UNIT_CELL, _YEAR, header_cells
from audit.read.numbers import cell_fields, read_cell
from audit.read.rows import RawRow

CELLS = ["", "2023", "(2022)", "RMB", "USD", "US$", "December 31, 2022", "March 31, 2023 RMB", "Three months ended",
         "Q1 2023", "YoY % change", "% change", "1,234", "(56.7)", "-", "12.5%", "Notes", "Note", "As of",
         "Unaudited", "in thousands", "RMB'000", "Total", "Assets", "FY2024", "June 30, 2025", "2.5 pts", "Fiscal",
         "Six months ended June 30,", "5", "Year ended 2024", "Change", "$", "Adj.", "GAAP", "(in millions)"]


def _plain_header_cells(cells: list[str], read=read_cell) -> bool:
    def heading(cell: str) -> bool:
        if _HEADER_TOKEN.match(cell):
            return True
        return bool(_HEADER_WORD.search(cell)) and read(cell) is None and not _DECIMAL.search(cell)

    if cells[0] and not _UNIT_CELL.match(cells[0]):
        return False
    values = [c for c in cells[1:] if c]
    return bool(values) and all(heading(c) for c in values) and any(
        _HEADER_TOKEN.match(c) or _YEAR.search(c) for c in values)


def test_header_cells_is_the_rule_as_first_written():
    rnd = random.Random(21)
    seen = set()
    for _ in range(20000):
        cells = [rnd.choice(CELLS) for _ in range(rnd.randint(1, 5))]
        if rnd.random() < 0.6:
            cells[0] = rnd.choice(["", "", "(in thousands)", "RMB'000"])
        found = header_cells(cells)
        assert found == _plain_header_cells(cells), cells
        seen.add(found)
    assert seen == {True, False}


def _row(texts: list[str]) -> RawRow:
    row = RawRow(1, "x", 1, [1] * len(texts), texts)
    row.printed = [cell_fields(t) for t in texts]
    return row


def _plain_footing(head: RawRow, run: list[RawRow]) -> int:
    """_footing_size with a nil's half as None, tested for, as first written."""
    cells = [None if p is None else (p[0], None if p[3] else Decimal(5).scaleb(-p[1] - 1)) for p in head.printed]
    cols = [c for c, p in enumerate(head.printed) if p is not None and (p[3] or not p[2])]
    items = [[None if p is None else (p[0], None if p[3] else Decimal(5).scaleb(-p[1] - 1)) for p in r.printed]
             for r in run]
    if not cols or len(items) < 2:
        return 0
    agree, lengths = [0] * (len(items) + 1), []
    for c in cols:
        target, half = cells[c]
        total, slack, nonzero, size = Decimal(0), Decimal(0) if half is None else half, False, 0
        for item in items:
            part = item[c]
            if part is None:
                break
            size += 1
            value, half = part
            total += value
            if half is not None:
                slack += half
            if value:
                nonzero = True
            if size > 1 and nonzero and abs(total - target) <= slack:
                agree[size] += 1
        lengths.append(size)
    for size in range(2, len(items) + 1):
        if agree[size] and agree[size] * 2 >= sum(1 for n in lengths if n >= size):
            return size
    return 0


def test_footing_with_nil_halves_as_zero_is_the_footing_as_first_written():
    rnd = random.Random(7)
    values = ["-", "0", "1", "2", "3", "5", "(2)", "1.5", "0.5", "10", "12", "", "7.25", "(0.5)", "2.0", "-", "4"]
    found = set()
    for _ in range(6000):
        width = rnd.randint(1, 5)
        rows = [_row([rnd.choice(values) for _ in range(width)]) for _ in range(rnd.randint(3, 6))]
        head, run = rows[0], rows[1:]
        size = _footing_size(_parts(head), [_parts(r)[0] for r in run])
        assert size == _plain_footing(head, run), [r.texts for r in rows]
        found.add(size)
    assert len(found) > 2  # footings of several sizes, and none
