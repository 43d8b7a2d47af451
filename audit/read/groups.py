"""Subtotals in a statement's rows: a row printed without a label that foots the items above it
(an operating-expenses total), and a group row that carries the subtotal of the items below it
("Credit driven services"): the fewest rows whose sum it equals, within their rounding."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from .filing import Figure, Row
from .numbers import half_unit


def unlabeled_total(row: Row, above: list[Row]) -> int:
    """How many items right above it a row printed without a label foots (an operating-expenses
    total, property and equipment net): 2 or more make it a subtotal; 0 when it foots none."""
    run = []
    for prev in reversed(above):
        if prev.is_header or prev.is_total or prev.section != row.section or prev.kind != "amount":
            break
        run.append(prev)
    found = _footing_size(row, run) if len(run) >= 2 else 0
    return found if found == len(run) else 0


def _half(fig: Figure) -> Decimal:
    return Decimal(0) if fig.exact else half_unit(fig.decimals)


def _footing_size(head: Row, run: list[Row]) -> int:
    """The fewest rows (2 or more) of ``run`` whose sum the head row equals, or 0 if none.

    The head foots its items when it equals their sum (within the rounding of the printed
    figures) in most of the columns that have all values. Sums grow one row at a time, so
    every prefix of the run is tried in one pass.
    """
    cols = [c for c, cell in enumerate(head.cells) if cell is not None and cell.kind != "percent"]
    if not cols:
        return 0
    heads = [head.cells[c].value for c in cols]
    totals = [Decimal(0)] * len(cols)
    slack = [_half(head.cells[c]) for c in cols]
    nonzero = [False] * len(cols)
    complete = range(len(cols))  # (indexes of cols) the columns where every item so far has a value
    for size, row in enumerate(run, start=1):
        if not complete:
            return 0  # no column has all its items: no longer run can foot either
        cells = row.cells
        kept = []
        for i in complete:
            part = cells[cols[i]]
            if part is None:
                continue
            value = part.value
            totals[i] += value
            if part.kind != "nil":  # a nil is exact: no rounding to allow for
                slack[i] += half_unit(part.decimals)
            if value:
                nonzero[i] = True
            kept.append(i)
        complete = kept
        if size < 2:
            continue
        agree = 0
        for i in complete:
            if nonzero[i] and abs(totals[i] - heads[i]) <= slack[i]:
                agree += 1
        if complete and agree * 2 >= len(complete) and agree >= 1:
            return size
    return 0


#: Rows that state a result, never an item of a group: "Gross profit" is sales less cost of
#: sales, not a part of sales, though sales = cost of sales + gross profit.
_RESULT_ROW = re.compile(r"^(?:gross (?:profit|margin|loss)|(?:net|operating) (?:income|loss|profit)\b|income (?:from|before)"
                         r"|loss (?:from|before)|(?:profit|earnings) before)", re.IGNORECASE)


#: The most item rows a group row is tried against (issue 20: a table of n rows costs n x this, not
#: n^2). Statements print a few dozen items under a subtotal; a run of random rows, thousands.
_MOST_ITEMS = 100


def find_groups(rows: list[Row]) -> list[Row]:
    """Mark group rows that carry a subtotal above their items ('Credit driven services')."""
    out = list(rows)
    k = 0
    while k < len(out):
        head = out[k]
        if head.is_header or head.is_total or head.kind not in ("amount",):
            k += 1
            continue
        run = []
        for j in range(k + 1, min(len(out), k + 1 + _MOST_ITEMS)):  # issue 20: bounded, not O(rows^2)
            nxt = out[j]
            if (nxt.is_header or nxt.is_total or nxt.section != head.section or nxt.kind != head.kind
                    or _RESULT_ROW.match(nxt.label)):
                break
            run.append(nxt)
        found = _footing_size(head, run)
        if not found:
            k += 1
            continue
        out[k] = replace(head, is_group=True)
        for j in range(k + 1, k + 1 + found):
            row = out[j]
            section = row.section + (head.label,)
            cells = tuple(None if c is None else _with_section(c, section) for c in row.cells)
            out[j] = replace(row, section=section, cells=cells)
        k += found + 1
    return out


def _with_section(fig: Figure, section: tuple[str, ...]) -> Figure:
    return replace(fig, section=section)
