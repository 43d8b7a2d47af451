"""Each release's table figures as observations keyed by table, row meaning, period and measure."""
from __future__ import annotations

import os
from typing import Optional

from ..read.filing import Filing, Period, Table
from .keys import Vocabulary, label_key, title_key
from .model import Obs, Release


def latest_period(filing: Filing) -> Optional[Period]:
    """The period a release reports: the latest end date its columns show, the longest period ending then."""
    periods = [c.period for t in filing.tables for c in t.columns if c.period is not None]
    if not periods:
        return None
    end = max(p.end for p in periods)
    at_end = [p for p in periods if p.end == end]
    return max(at_end, key=lambda p: (p.months, p.start is not None))


def release(index: int, filing: Filing) -> Release:
    fact = filing.facts.get("exchange_rate")
    translated = dict(fact.attrs).get("to", "") if fact is not None else ""
    return Release(index, filing, os.path.basename(filing.path), latest_period(filing),
                   fact.value if fact is not None else None, translated)


def order(filings: list[Filing]) -> list[Release]:
    """Releases in the order of the periods they report (earliest first; the path breaks ties)."""
    def when(filing: Filing):
        latest = latest_period(filing)
        return (latest is None, latest.end if latest else None, latest.months if latest else 0, filing.path)

    return [release(i, f) for i, f in enumerate(sorted(filings, key=when))]


def observations(rel: Release, vocabulary: Vocabulary) -> tuple[list[Obs], list[str]]:
    """Every table figure of the release with a period; and the tables left out, with why."""
    names = vocabulary.table_names(rel.filing)
    out: list[Obs] = []
    untitled: list[str] = []
    for table in rel.filing.tables:
        name = names.get(id(table))
        identity = name or title_key(table.title)
        if not identity:
            untitled.append(str(table.span.line))
            continue
        out.extend(_table_obs(rel, table, identity, name, vocabulary))
    left = [f"{rel.name}: {len(untitled)} table(s) without a title (line {', '.join(untitled)}) are not matched: "
            "nothing says which statement of another release they are"] if untitled else []
    return out, left


def _table_obs(rel: Release, table: Table, identity: str, name: Optional[str], vocabulary: Vocabulary):
    for row in table.rows:
        if row.is_header:
            continue
        label = vocabulary.row_label(name, row) or label_key(row.label)
        section = " / ".join(label_key(s) for s in row.section)
        for cell in row.cells:
            if cell is None or cell.column is None or cell.column.period is None:
                continue
            column = cell.column
            yield Obs(rel.index, identity, table.title, label, row.path, section, column.period,
                      column.currency or cell.unit, column.role, cell.kind if cell.kind != "nil" else row.kind,
                      cell, column.header)
