"""Tables -> statements: a table continued in the next one ("(CONTINUED)", the same title, the same
columns) is one statement; statements that share a title (a quarter's and a year-to-date one) get
ids told apart by their periods ("statements-of-operations", "statements-of-operations-12m")."""
from __future__ import annotations

from typing import Optional

from .copies import column_with, figure_with, replace, row_with
from .filing import Table


def _same_columns(a: Table, b: Table) -> bool:
    return len(a.columns) == len(b.columns) and all(
        x.period == y.period and x.currency == y.currency for x, y in zip(a.columns, b.columns))


def _with_id(table: Table, tid: str, columns=None, offset: int = 0) -> Table:
    """The table under another id (and the columns of the statement it continues); a figure whose
    column was given a period of its own (its row's, a change column's) keeps it."""
    columns = columns or table.columns
    own = table.columns
    dated: dict = {}  # (column index, period) -> the column given that period, made once per table
    rows = []
    for row in table.rows:
        cells = []
        for k, c in enumerate(row.cells):
            if c is None:
                cells.append(None)
                continue
            column = c.column
            if column is own[k] or column == own[k]:
                column = columns[k]
            else:
                key = (k, column.period)
                column = dated.get(key) or dated.setdefault(key, column_with(columns[k], period=column.period))
            cells.append(figure_with(c, table=tid, column=column))
        rows.append(row_with(row, index=row.index + offset, cells=tuple(cells)))
    return replace(table, id=tid, columns=columns, rows=tuple(rows))


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
