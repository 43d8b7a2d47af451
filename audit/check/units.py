"""Units a pack declares (`table t = "..." unit millions`): the table's amounts read in that unit,
for filings whose unit note is missing or misread. The filing is never changed: a copy is."""
from __future__ import annotations

from dataclasses import replace

from ..read.filing import Filing, Table
from .resolve import Unresolved, find_table


def declared_units(ruleset, filing: Filing) -> Filing:
    """The filing with each declared table's amounts in the declared unit (per-share figures, share
    counts and percentages keep theirs); the filing itself when no declaration changes anything."""
    wanted: dict[str, int] = {}
    for decl in ruleset.tables.values():
        if decl.scale is None:
            continue
        try:
            table = find_table(filing, decl)
        except Unresolved:
            continue  # the rules that read it say so
        if any(f.kind == "amount" and f.scale != decl.scale for f in table.figures()):
            wanted[table.id] = decl.scale
    if not wanted:
        return filing
    tables = [_rescaled(t, wanted[t.id]) if t.id in wanted else t for t in filing.tables]
    out = replace(filing, tables=tables)
    return out


def _rescaled(table: Table, scale: int) -> Table:
    rows = tuple(replace(row, cells=tuple(
        replace(c, scale=scale) if c is not None and c.kind == "amount" else c for c in row.cells))
        for row in table.rows)
    return replace(table, scale=scale, rows=rows)
