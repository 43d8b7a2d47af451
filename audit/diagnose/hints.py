"""Known shapes of a misprint: how a printed figure differs from the value it should have.

A hint names the shape (transposed digits, a sign flip, a scale slip, one digit off, a copy
of the neighbouring row) and carries a strength used to rank equally consistent suspects:
a difference with a known shape is evidence that this figure, not another one in the same
checks, was mistyped.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator, NamedTuple, Optional

from ..read.filing import Figure, Filing

# Strength of each shape, strongest first. A copy of a neighbour says nothing about the
# right value, so it ranks below the shapes that reproduce it digit for digit.
STRENGTH = {
    "sign": 6,
    "scale": 6,
    "transposed": 5,
    "transposed-apart": 4,
    "neighbour": 3,
    "digit": 2,
}


class Hint(NamedTuple):
    kind: str  # a key of STRENGTH
    text: str

    @property
    def strength(self) -> int:
        return STRENGTH.get(self.kind, 0)


def digits(value: Decimal, decimals: int) -> str:
    """The digits of |value| printed with `decimals` places, without separators or point."""
    return format(abs(value), f".{max(decimals, 0)}f").replace(".", "")


def _from_digits(text: str, decimals: int, negative: bool) -> Decimal:
    value = Decimal(text).scaleb(-max(decimals, 0))
    return -value if negative else value


def classify(printed: Decimal, implied: Decimal, decimals: int) -> Optional[Hint]:
    """The shape of the difference between a printed value and the value it should have."""
    if implied == printed:
        return None
    if printed != 0 and implied == -printed:
        return Hint("sign", "sign flip")
    for power in (3, 6):
        if printed != 0 and implied == printed.scaleb(power):
            return Hint("scale", f"scale slip: printed 1/{10 ** power:,} of the value")
        if printed != 0 and implied == printed.scaleb(-power):
            return Hint("scale", f"scale slip: printed {10 ** power:,} times the value")
    if (printed < 0) != (implied < 0) and printed != 0 and implied != 0:
        return None
    s, t = digits(printed, decimals), digits(implied, decimals)
    if len(s) != len(t):
        return None
    diff = [i for i in range(len(s)) if s[i] != t[i]]
    if len(diff) == 2:
        i, j = diff
        if s[i] == t[j] and s[j] == t[i]:
            if j == i + 1:
                return Hint("transposed", "transposed digits")
            return Hint("transposed-apart", "transposed digits (not adjacent)")
    if len(diff) == 1:
        i = diff[0]
        return Hint("digit", f"one digit off ({s[i]} printed for {t[i]})")
    return None


def shaped(printed: Decimal, decimals: int) -> Iterator[Decimal]:
    """Every value that differs from `printed` by a known shape (for picking an implied value)."""
    if printed != 0:
        yield -printed
        q = Decimal(1).scaleb(-max(decimals, 0))
        for power in (3, 6):
            yield printed.scaleb(power)
            small = printed.scaleb(-power)
            if small == small.quantize(q):
                yield small
    negative = printed < 0
    s = digits(printed, decimals)
    for i in range(len(s)):
        for j in range(i + 1, len(s)):
            if s[i] != s[j] and not (i == 0 and s[j] == "0" and len(s) > 1):
                t = s[:i] + s[j] + s[i + 1:j] + s[i] + s[j + 1:]
                yield _from_digits(t, decimals, negative)
    for i in range(len(s)):
        for d in "0123456789":
            if d != s[i] and not (i == 0 and d == "0" and len(s) > 1):
                yield _from_digits(s[:i] + d + s[i + 1:], decimals, negative)


Neighbours = dict  # (table id, column index, span) -> the neighbour hint of that cell, or None


def neighbours(filing: Filing) -> Neighbours:
    """neighbour_copy of every cell of the filing, in one pass over its tables (issue 20: a lookup
    per figure then costs nothing, where a search of the figure's table costs its rows)."""
    out: Neighbours = {}
    seen: set = set()
    for table in filing.tables:
        if table.id in seen:
            continue  # neighbour_copy reads the first table of an id
        seen.add(table.id)
        width = max((len(r.cells) for r in table.rows), default=0)
        for index in range(width):
            rows = [r for r in table.rows if index < len(r.cells) and r.cells[index] is not None]
            for k, row in enumerate(rows):
                key = (table.id, index, row.cells[index].span)
                if key not in out:
                    out[key] = _copied(rows, k, index)
    return out


def _copied(rows: list, k: int, index: int) -> Optional[Hint]:
    row = rows[k]
    value = row.cells[index].value
    for other, where in ((rows[k - 1] if k else None, "above"),
                         (rows[k + 1] if k + 1 < len(rows) else None, "below")):
        # a total or group row may rightly repeat its only item
        if other is None or {row.is_total, row.is_group, other.is_total, other.is_group} != {False}:
            continue
        if other.cells[index].value == value:
            return Hint("neighbour", f"repeats the row {where} ({other.label})")
    return None


def neighbour_copy(fig: Figure, filing: Filing, index: Optional[Neighbours] = None) -> Optional[Hint]:
    """Does the printed figure repeat the value of the row above or below, in its column?"""
    if fig.table is None or fig.column is None:
        return None
    if index is not None:
        return None if fig.exact else index.get((fig.table, fig.column.index, fig.span))
    table = next((t for t in filing.tables if t.id == fig.table), None)
    if table is None:
        return None
    index = fig.column.index
    rows = [r for r in table.rows if index < len(r.cells) and r.cells[index] is not None]
    for k, row in enumerate(rows):
        cell = row.cells[index]
        if cell.span != fig.span:
            continue
        for other, where in ((rows[k - 1] if k else None, "above"),
                             (rows[k + 1] if k + 1 < len(rows) else None, "below")):
            # a total or group row may rightly repeat its only item
            if other is None or fig.exact or {row.is_total, row.is_group, other.is_total, other.is_group} != {False}:
                continue
            if other.cells[index].value == fig.value:
                return Hint("neighbour", f"repeats the row {where} ({other.label})")
        break
    return None


def hint_for(fig: Figure, implied: Decimal, filing: Optional[Filing] = None,
             index: Optional[Neighbours] = None) -> Optional[Hint]:
    """The strongest known shape of the misprint, or None (`index`: neighbours(filing), built once)."""
    found = [h for h in (classify(fig.value, implied, fig.decimals),
                         neighbour_copy(fig, filing, index) if filing is not None and implied != fig.value else None)
             if h is not None]
    return max(found, key=lambda h: h.strength) if found else None
