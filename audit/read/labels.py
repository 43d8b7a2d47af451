"""Figures printed inside a row's label ("$0.00001 par value: 50,400,000 shares authorized;
15,460,223 and 15,550,061 shares issued and outstanding, respectively"; "50,773,796 shares at
November 2, 2024"). They are figures, not cells: each is read as prose reads it, share counts in
the table's scale for share counts, a par value per share, and dated where the label says: one
of the table's column dates per figure of a list ("..., respectively"), or the date it names."""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from .copies import replace
from .filing import MONTH, MONTHS, Column, Figure, Period, ProsePeriod, Row
from .prose import figures_in_text

_DIGIT = re.compile(r"\d")
_SHARE_UNITS = {"share": "shares", "shares": "shares", "ADS": "ADS", "ADSs": "ADS", "ADR": "ADR", "ADRs": "ADR"}
#: What joins the figures of one list: "15,460,223 and 15,550,061", "9, 8 and 7".
_JOINED = re.compile(r"\s*(?:,\s*)?(?:and\s+)?")
_PAR_VALUE = re.compile(r"\s*(?:per\s+share\s+)?par\s+value\b", re.IGNORECASE)
#: "50,773,796 shares at November 2, 2024", "... shares outstanding as of June 30, 2025".
_AT_DATE = re.compile(rf"\s*(?:shares?\s+)?(?:[a-z]+\s+){{0,3}}?(?:at|as\s+of|as\s+at)\s+({MONTH})\s+(\d{{1,2}}),\s*(\d{{4}})\b"
                      rf"(?!\s*,?\s*and\s+{MONTH})", re.IGNORECASE)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


def with_label_figures(rows: list[Row], lines: list[str], columns: tuple[Column, ...], amounts: int,
                       shares: int, table: str) -> list[Row]:
    """The rows, each with the figures printed in its label (``amounts``, ``shares``: the scales of
    the table's amounts and share counts; ``table``: its id)."""
    labels = "\n".join([row.label for row in rows])
    if not any(d in labels for d in "0123456789") if labels.isascii() else _DIGIT.search(labels) is None:
        return rows  # no label holds a digit (most tables): one test of them all, not a search of each
    out = []
    for row in rows:
        found = _label_figures(row, lines, columns, amounts, shares, table) if _DIGIT.search(row.label) else ()
        out.append(replace(row, label_figures=found) if found else row)
    return out


def _label_figures(row: Row, lines: list[str], columns, amounts: int, shares: int, table: str) -> tuple[Figure, ...]:
    line = lines[row.span.line - 1] if 0 < row.span.line <= len(lines) else ""
    if line[row.span.col - 1:row.span.end_col - 1] != row.label:
        return ()  # a label joined from several cells: its columns are not one text's
    text = row.label
    found = figures_in_text(row.span.line, text, row.span.col)
    starts = [f.span.col - row.span.col for f in found]
    ends = [f.span.end_col - row.span.col for f in found]
    kept: list[Optional[Figure]] = []
    for k, fig in enumerate(found):
        unit = _SHARE_UNITS.get(fig.unit)
        if unit is None and fig.unit == "count" and not fig.scale_word:  # "15,460,223 and 15,550,061 shares"
            j = k
            while j + 1 < len(found) and _JOINED.fullmatch(text, ends[j], starts[j + 1]):
                j += 1
                if found[j].unit != "count":
                    unit = _SHARE_UNITS.get(found[j].unit)
                    break
        if unit is not None:
            fig = replace(fig, kind="shares", unit=unit, scale=fig.scale if fig.scale_word else shares)
        elif fig.kind in ("amount", "per_share") and fig.unit != "count":
            if _PAR_VALUE.match(text, ends[k]):
                fig = replace(fig, kind="per_share", scale=fig.scale if fig.scale_word else 0)
            elif not fig.scale_word and fig.kind == "amount":
                fig = replace(fig, scale=amounts)
        elif fig.kind != "percent":
            fig = None  # a bare number, a term ("90 days"), a count of something else
        kept.append(fig)
    periods = _periods(text, kept, starts, ends, columns)
    return tuple(replace(f, table=table, row=row.label, section=row.section, period=p, sentence=None)
                 for f, p in zip(kept, periods) if f is not None)


def _periods(text: str, figures: list[Optional[Figure]], starts, ends, columns) -> list[Optional[ProsePeriod]]:
    """The period of each figure: the date printed after it, or its column's in a list that
    "respectively" spreads over the columns; None (every column's) otherwise."""
    out: list[Optional[ProsePeriod]] = [None] * len(figures)
    dated: list[Period] = []
    for column in columns:
        if column.period is not None and column.period not in dated:
            dated.append(column.period)
    respectively = _RESPECTIVELY.search(text)
    k = 0
    while k < len(figures):
        j = k
        while (figures[k] is not None and j + 1 < len(figures) and figures[j + 1] is not None
               and figures[j + 1].unit == figures[k].unit and _JOINED.fullmatch(text, ends[j], starts[j + 1])):
            j += 1
        if figures[k] is not None:
            at = _AT_DATE.match(text, ends[j])
            if at and j == k:
                out[k] = _instant(at)
            elif j > k and j - k + 1 == len(dated) and respectively and respectively.start() > ends[j]:
                for i, period in zip(range(k, j + 1), dated):
                    out[i] = _of(period)
        k = j + 1
    return out


def _instant(match) -> Optional[ProsePeriod]:
    try:
        when = dt.date(int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2)))
    except ValueError:
        return None
    return ProsePeriod("instant", year=when.year, date=when)


def _of(period: Period) -> ProsePeriod:
    if period.start is None:
        return ProsePeriod("instant", year=period.end.year, date=period.end)
    return ProsePeriod("dated", year=period.end.year, date=period.end, months=period.months)
