"""Tables -> statements: a table continued in the next one ("(CONTINUED)", the same title, the same
columns) is one statement; statements that share a title (a quarter's and a year-to-date one) get
ids told apart by their periods ("statements-of-operations", "statements-of-operations-12m")."""
from __future__ import annotations

from typing import Optional

from .copies import column_with, replace, row_with
from .filing import Figure, Table


def _same_columns(a: Table, b: Table) -> bool:
    return len(a.columns) == len(b.columns) and all(
        x.period == y.period and x.currency == y.currency for x, y in zip(a.columns, b.columns))


#: A Figure's table and column set in place (the slots' own setters, under the frozen __setattr__).
_SET_TABLE, _SET_COLUMN = Figure.table.__set__, Figure.column.__set__


def _with_id(table: Table, tid: str, columns=None, offset: int = 0) -> Table:
    """The table under another id (and the columns of the statement it continues); a figure whose
    column was given a period of its own (its row's, a change column's) keeps it.

    The table given is dropped (join_statements keeps the one made, nothing else has seen it): its
    figures move to the table made, their table and column set in place instead of copied, and its
    rows too where their index stays (``offset`` 0)."""
    own = table.columns
    columns = columns or own
    moved = columns is not own
    dated: dict = {}  # (column index, period) -> the column given that period, made once per table
    for row in table.rows:
        for k, c in enumerate(row.cells):
            if c is None:
                continue
            _SET_TABLE(c, tid)
            if moved:
                column = c.column
                if column is own[k] or column == own[k]:
                    column = columns[k]
                else:
                    key = (k, column.period)
                    column = dated.get(key) or dated.setdefault(key, column_with(columns[k], period=column.period))
                _SET_COLUMN(c, column)
    rows = tuple(row_with(row, index=row.index + offset) for row in table.rows) if offset else table.rows
    return replace(table, id=tid, columns=columns, rows=rows)


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
