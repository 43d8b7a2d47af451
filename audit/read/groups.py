"""Subtotals in a statement's rows: a row printed without a label that foots the items above it
(an operating-expenses total), and a group row that carries the subtotal of the items below it
("Credit driven services"): the fewest rows whose sum it equals, within their rounding."""
from __future__ import annotations

import re
from decimal import Decimal

from .numbers import DECIMALS, MAX_DIGITS, NIL, PERCENT, VALUE, half_unit


def unlabeled_total(row, above: list) -> int:
    """How many items right above it a row printed without a label foots (an operating-expenses
    total, property and equipment net): 2 or more make it a subtotal; 0 when it foots none."""
    run = []
    for prev in reversed(above):
        if prev.kind != "amount" or prev.is_total or prev.section != row.section:
            break
        run.append(prev)
    found = _footing_size(_parts(row), [_parts(r)[0] for r in run]) if len(run) >= 2 else 0
    return found if found == len(run) else 0


def _parts(row) -> tuple[tuple, list[int]]:
    """What footing reads of a row (its ``parts``, read when first asked): for each cell None, or
    (value, half its last digit, or 0 for a nil, which is exact); and the columns it could foot
    (a value, not a percentage)."""
    found = row.parts
    if found is not None:
        return found
    cells, cols = [], []
    for c, p in enumerate(row.printed):
        if p is None:
            cells.append(None)
            continue
        if p[NIL]:
            cells.append((p[VALUE], _ZERO))
        else:
            decimals = p[DECIMALS]
            cells.append((p[VALUE], _HALVES[decimals] if 0 <= decimals < len(_HALVES) else half_unit(decimals)))
            if p[PERCENT]:
                continue
        cols.append(c)
    found = row.parts = (tuple(cells), cols)
    return found


_ZERO = Decimal(0)
_HALVES = tuple(half_unit(d) for d in range(MAX_DIGITS + 1))  # half_unit of each number of decimals a figure prints


def _footing_size(head: tuple[tuple, list[int]], run: list[tuple]) -> int:
    """The fewest rows (2 or more) of ``run`` whose sum the head row equals, or 0 if none (the
    head as _parts reads it, each item as its first part).

    The head foots its items when it equals their sum (within the rounding of the printed
    figures) in most of the columns that have all values. Each column's sums grow one row at a
    time, so every prefix of the run is tried in one pass down the column; a column stops at its
    first item without a value.
    """
    cells, cols = head
    if not cols or len(run) < 2:
        return 0
    agree = [0] * (len(run) + 1)  # at each size: the columns where the head equals the sum
    lengths = []  # each column's number of items with a value before the first without
    agreed, full = False, True  # any column so far agrees at some size; each so far has every item
    for done, c in enumerate(cols):
        if full and not agreed and len(cols) - done < done:
            return 0  # at any size, the columns read so far are most of those with items, and none agrees
        target, slack = cells[c]
        total, nonzero, size = _ZERO, False, 0
        for row in run:
            part = row[c]
            if part is None:
                break
            size += 1
            value, half = part
            total += value
            slack += half
            if nonzero or value:
                nonzero = True
                if size > 1 and abs(total - target) <= slack:
                    agree[size] += 1
                    agreed = True
        lengths.append(size)
        full = full and size == len(run)
    for size in range(2, len(run) + 1):
        if agree[size] and agree[size] * 2 >= sum(1 for n in lengths if n >= size):
            return size
    return 0


#: Rows that state a result, never an item of a group: "Gross profit" is sales less cost of
#: sales, not a part of sales, though sales = cost of sales + gross profit.
_RESULT_ROW = re.compile(r"^(?:gross (?:profit|margin|loss)|(?:net|operating) (?:income|loss|profit)\b|income (?:from|before)"
                         r"|loss (?:from|before)|(?:profit|earnings) before)", re.IGNORECASE)


#: The most item rows a group row is tried against (issue 20: a table of n rows costs n x this, not
#: n^2). Statements print a few dozen items under a subtotal; a run of random rows, thousands.
_MOST_ITEMS = 100


def find_groups(rows: list) -> None:
    """Mark group rows that carry a subtotal above their items ('Credit driven services'): each is a
    group, and its items are in a section of its label (``rows``: rows.RawRow, changed in place)."""
    n = len(rows)
    # the rows that may be items (an amount, not a total, no result), and the end of the run of
    # items of one section that each such row starts
    item = [r.kind == "amount" and not r.is_total and _RESULT_ROW.match(r.label) is None for r in rows]
    stop = list(range(1, n + 1))
    for j in range(n - 2, -1, -1):
        if item[j] and item[j + 1] and rows[j + 1].section == rows[j].section:
            stop[j] = stop[j + 1]
    firsts = [(r.parts or _parts(r))[0] if ok else None for r, ok in zip(rows, item)]
    k = 0
    while k < n:
        head = rows[k]
        if head.kind != "amount" or head.is_total:
            k += 1
            continue
        mine = head.parts or _parts(head)
        if not mine[1]:
            k += 1  # no column it could foot
            continue
        first = k + 1
        if first < n and item[first] and rows[first].section == head.section:
            run = firsts[first:min(stop[first], first + _MOST_ITEMS)]  # issue 20: bounded, not O(rows^2)
        else:
            run = []
        found = _footing_size(mine, run) if len(run) >= 2 else 0
        if not found:
            k += 1
            continue
        head.is_group = True
        for j in range(first, first + found):
            rows[j].section = rows[j].section + (head.label,)
        k += found + 1
