"""statements._with_id (a table under another id, a statement's columns) makes the records
dataclasses.replace makes, each field by field: a cell keeps its column's period where its row or
a change column gave it one (a column made once per table and period, equal to one made per cell)."""
from __future__ import annotations

import dataclasses
import datetime as dt

from audit.read.extract import extract
from audit.read.filing import Figure, Period, Row, Table
from audit.read.statements import _with_id

_CONTINUED = """UNAUDITED CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS
(In thousands of RMB)
\tThree months ended\tThree months ended\tChange
\tMarch 31, 2023\tMarch 31, 2022\t
Revenue\t1,000\t900\t11%
Cost of revenue\t(400)\t(350)\t14%
Gross profit\t600\t550\t9%

UNAUDITED CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS (CONTINUED)
(In thousands of RMB)
\tThree months ended\tThree months ended\tChange
\tMarch 31, 2023\tMarch 31, 2022\t
Net income\t100\t90\t11%
"""


def _reference(table: Table, tid: str, columns=None, offset: int = 0) -> Table:
    columns = columns or table.columns
    rows = []
    for row in table.rows:
        cells = tuple(None if c is None else dataclasses.replace(
            c, table=tid, column=columns[k] if c.column == table.columns[k]
            else dataclasses.replace(columns[k], period=c.column.period)) for k, c in enumerate(row.cells))
        rows.append(dataclasses.replace(row, index=row.index + offset, cells=cells))
    return dataclasses.replace(table, id=tid, columns=columns, rows=tuple(rows))


def _fields(obj):
    if isinstance(obj, (Figure, Row, Table)):
        return (type(obj), tuple(_fields(getattr(obj, f.name)) for f in dataclasses.fields(obj)))
    if isinstance(obj, tuple):
        return tuple(_fields(x) for x in obj)
    return obj


def _dated(table: Table) -> Table:
    """The table with its cells of every other row given a period of their own (as a row's label
    or a change column gives one), two rows of each period."""
    rows = []
    for row in table.rows:
        when = Period(dt.date(2020, 12, 31), dt.date(2020, 1 + row.index // 4 % 12, 1))
        rows.append(dataclasses.replace(row, cells=tuple(
            None if c is None or row.index % 2 else dataclasses.replace(c, column=dataclasses.replace(c.column, period=when))
            for c in row.cells)))
    return dataclasses.replace(table, rows=tuple(rows))


def _tables(fixture_text):
    tables = extract(fixture_text).tables + extract(_CONTINUED).tables
    return tables + [_dated(t) for t in tables]


def test_with_id_is_dataclasses_replace(fixture_text):
    tables = _tables(fixture_text)
    assert any(c is not None and c.column != t.columns[k] for t in tables for r in t.rows for k, c in enumerate(r.cells))
    for table in tables:
        other = tuple(dataclasses.replace(c, header=c.header + " (continued)") for c in table.columns)
        for args in (("x",), ("x", other, 7), ("y", None, 0)):
            made, expected = _with_id(table, *args), _reference(table, *args)
            assert made == expected and _fields(made) == _fields(expected)
