"""Tables -> statements: a table continued in the next one ("(CONTINUED)", the same title, the same
columns) is one statement; statements that share a title (a quarter's and a year-to-date one) get
ids told apart by their periods ("statements-of-operations", "statements-of-operations-12m")."""
from __future__ import annotations

import re
from typing import Optional

from .copies import replace
from .filing import Table


def _same_columns(a: Table, b: Table) -> bool:
    return len(a.columns) == len(b.columns) and all(
        x.period == y.period and x.currency == y.currency for x, y in zip(a.columns, b.columns))


def _with_id(table: Table, tid: str, columns=None, offset: int = 0) -> Table:
    """The table under another id (and the columns of the statement it continues); a figure whose
    column was given a period of its own (its row's, a change column's) keeps it."""
    columns = columns or table.columns
    rows = []
    for row in table.rows:
        cells = tuple(None if c is None else replace(
            c, table=tid, column=columns[k] if c.column == table.columns[k] else replace(columns[k], period=c.column.period))
            for k, c in enumerate(row.cells))
        rows.append(replace(row, index=row.index + offset, cells=cells))
    return replace(table, id=tid, columns=columns, rows=tuple(rows))


def with_note_currency(table: Table, currency) -> Table:
    """Amounts printed with no currency in a table whose unit note names one ("(in RMB billions)")."""
    if not currency:
        return table
    rows = []
    for row in table.rows:
        cells = tuple(c if c is None or c.unit or c.kind not in ("amount", "per_share", "nil") else replace(c, unit=currency)
                      for c in row.cells)
        rows.append(row if cells == row.cells else replace(row, cells=cells))
    return replace(table, rows=tuple(rows))


def _months(table: Table) -> Optional[int]:
    lengths = [c.period.months for c in table.columns if c.period is not None and c.period.start is not None]
    return max(set(lengths), key=lengths.count) if lengths else None


def join_statements(found: list[tuple[Table, set[int], bool]]) -> list[tuple[Table, set[int]]]:
    """Merge each continued table into the statement before it; then make the ids of statements
    that share a title say their period length."""
    out: list[tuple[Table, set[int]]] = []
    for table, used, continued in found:
        if continued and out:
            prev, prev_used = out[-1]
            if (not table.title or table.title.lower() == prev.title.lower()) and _same_columns(prev, table):
                part = _with_id(table, prev.id, prev.columns, len(prev.rows))
                out[-1] = (replace(prev, rows=prev.rows + part.rows), prev_used | used)
                continue
        out.append((table, used))
    seen: dict[str, list[int]] = {}
    for k, (table, _) in enumerate(out):
        if table.title:
            seen.setdefault(table.title.lower(), []).append(k)
    taken = {table.id for table, _ in out}
    for group in seen.values():
        first = _months(out[group[0]][0])
        for k in group[1:]:
            table, used = out[k]
            months = _months(table)
            if months is None or months == first:
                continue
            base = table.id.rsplit("-", 1)[0] if table.id.rsplit("-", 1)[-1].isdigit() else table.id
            tid = f"{base}-{months}m"
            if tid not in taken:
                taken.add(tid)
                out[k] = (_with_id(table, tid), used)
    return out


def with_row_periods(rows, period_of) -> tuple:
    """Figures in columns that name no period take the one their row's label or section names
    (a "First Quarter 2022" block of rows, a "Fiscal 2023" row): ``period_of(text)`` reads it
    (once for each text: a section's label heads many rows)."""
    out = []
    read: dict = {}
    for row in rows:
        blank = [c for c in row.cells if c is not None and c.column is not None and c.column.period is None]
        period = None
        if blank and not row.is_header:
            for text in (row.label, *reversed(row.section)):
                if text in read:
                    period = read[text]
                else:
                    period = read[text] = period_of(text)
                if period is not None:
                    break
        if period is None:
            out.append(row)
            continue
        cells = tuple(c if c is None or c.column is None or c.column.period is not None
                      else replace(c, column=replace(c.column, period=period)) for c in row.cells)
        out.append(replace(row, cells=cells))
    return tuple(out)


def as_per_share(rows) -> tuple:
    """The amounts of a table whose title says it is of per-share figures ("Significant Factors
    Impacting EPS"): per-share figures, as printed (scale 0)."""
    out = []
    for row in rows:
        if row.kind != "amount":
            out.append(row)
            continue
        cells = tuple(c if c is None or c.kind != "amount" else replace(c, kind="per_share", scale=0) for c in row.cells)
        out.append(replace(row, kind="per_share", cells=cells))
    return tuple(out)


def with_column_periods(rows, periods: dict) -> tuple:
    """Figures of columns that name no period take the one ``periods`` gives their column index."""
    if not periods:
        return tuple(rows)
    out = []
    for row in rows:
        cells = tuple(c if c is None or k not in periods or c.column is None or c.column.period is not None
                      else replace(c, column=replace(c.column, period=periods[k])) for k, c in enumerate(row.cells))
        out.append(row if cells == row.cells else replace(row, cells=cells))
    return tuple(out)


#: Row labels that name things counted, not money: deliveries, vehicles, stores, customers ...
_COUNTED = re.compile(r"\b(?:deliver(?:y|ies)|vehicles|units|stores|customers|users|employees|headcount|"
                      r"subscribers|locations|outlets|branches|borrowers|members|orders)\b", re.IGNORECASE)


def as_counts(table: Table, measure: str = "") -> Table:
    """Rows that count things ("Total deliveries 46,533", "Stores") and print no currency, in a table
    of no scale, hold counts; so does every row of a table whose unit note names what it measures
    ("(In Millions of KWHs)")."""
    if not measure and table.scale:
        return table  # amounts "in millions": a row about customers is still money
    rows = []
    for row in table.rows:
        if row.kind != "amount" or not (measure or _COUNTED.search(row.label)):
            rows.append(row)
            continue
        cells = tuple(c if c is None or c.kind != "amount" or c.unit else replace(c, kind="count", unit=measure or "count")
                      for c in row.cells)
        rows.append(row if cells == row.cells else replace(row, cells=cells))
    return replace(table, rows=tuple(rows))


def scaled_share_decimals(rows, scale: int) -> tuple:
    """Share counts printed with decimals ("217.1") under a note that scales amounts and says
    nothing of shares: in the note's scale."""
    out = []
    for row in rows:
        cells = tuple(c if c is None or c.kind != "shares" or not c.decimals or c.scale else replace(c, scale=scale)
                      for c in row.cells)
        out.append(row if cells == row.cells else replace(row, cells=cells))
    return tuple(out)
