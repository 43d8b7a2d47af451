"""A table's rows as read (rows.RawRow) -> Row records, each cell's Figure made once with its final
fields: the column it is read in (dated by its row or a change column where its heading names no
period), and the kind, unit and scale its row, column, the table's title and its unit note give."""
from __future__ import annotations

import re
from typing import Callable, NamedTuple, Optional

from .copies import column_with, make_cell, make_row, make_span
from .filing import Column, Period, Row
from .rows import RawRow, per_share

#: Row labels that name things counted, not money: deliveries, vehicles, stores, customers ...
_COUNTED = re.compile(r"\b(?:deliver(?:y|ies)|vehicles|units|stores|customers|users|employees|headcount|"
                      r"subscribers|locations|outlets|branches|borrowers|members|orders)\b", re.IGNORECASE)


class Finish(NamedTuple):
    """What a table as a whole says of its cells.

    ``scale``: the scale of its amounts; ``silent``: its unit note scales amounts and says nothing
    of shares, so a share count printed with decimals ("217.1") is in that scale (no count of shares
    has tenths); ``per_share``: its title says its amounts are per-share figures ("Significant
    Factors Impacting EPS") and it has no scale: an amount row holds per-share amounts, as printed
    (scale 0), unless the table counts shares; ``currency``: the one currency its unit note names,
    the unit of amounts printed with none ("(in RMB billions)"); ``measure``: what its unit note
    says it measures ("(In Millions of KWHs)"), which makes every amount without a unit a count of
    it, as are those of rows that count things ("Total deliveries", "Stores") in a table of no
    scale; ``row_period(text)``: the period a row's label or section names, for figures of columns
    that name none (None when every column names one); ``compared``: the period each change
    column compares (columns.compared_periods), for figures of its that no row dates.
    """

    scale: int
    silent: bool
    per_share: bool
    currency: Optional[str]
    measure: str
    row_period: Optional[Callable[[str], Optional[Period]]]
    compared: dict


def make_rows(entries: list[RawRow], columns: tuple[Column, ...], table: str, finish: Finish) -> list[Row]:
    """Each row with its cells: a Figure for each value read, None for the others (``table``: the
    table's id)."""
    plan = [(k, column, per_share(column.header), column.currency or "", column.currency, column.period is None)
            for k, column in enumerate(columns)]
    blank = any(column.period is None for column in columns)
    dated: dict = {}  # (column index, period) -> the column with that period, one per table
    periods: dict = {}  # row_period of each label and section, read once
    per_share_table = finish.per_share and not any(e.kind == "shares" for e in entries)
    counting = bool(finish.measure) or not finish.scale
    note_currency, compared = finish.currency, finish.compared
    header_cells = (None,) * len(columns)
    rows = []
    for e in entries:
        label, section, kind = e.label, e.section, e.kind
        span = make_span(e.label_line, e.label_col, e.label_col + len(label))
        if kind == "header":
            rows.append(make_row(len(rows), label, section, kind, header_cells, span))
            continue
        row_kind = "per_share" if per_share_table and kind == "amount" else kind
        counted = counting and row_kind == "amount" and (finish.measure or _COUNTED.search(label))
        period = None
        if blank and any(p is not None and how[5] for p, how in zip(e.printed, plan)):
            for text in (label, *reversed(section)):
                period = periods[text] if text in periods else periods.setdefault(text, finish.row_period(text))
                if period is not None:
                    break
        cells = []
        line, row_unit, row_scale = e.line, e.unit, e.scale
        amounts = kind == "amount" and not per_share_table
        for p, start, text, (k, column, eps, per_share_unit, currency, undated) in zip(e.printed, e.starts, e.texts, plan):
            if p is None:
                cells.append(None)
                continue
            value, decimals, percent, nil, printed_currency, _, basis = p
            if amounts and not (percent or nil or eps):  # most cells: what _reading gives an amount
                fig_kind, unit, scale = "amount", currency or printed_currency or note_currency or "", row_scale
                if counted and not unit:
                    fig_kind, unit = "count", finish.measure or "count"
            else:
                fig_kind, unit, scale = _reading(p, kind, row_unit, row_scale, eps, per_share_unit, currency,
                                                 per_share_table, counted, finish)
            if undated:
                when = period if period is not None else compared.get(k)
                if when is not None:
                    column = dated.get((k, when)) or dated.setdefault((k, when), column_with(column, period=when))
            cells.append(make_cell(value, scale, unit, decimals, fig_kind, text, line, start, table, label, section, column))
        rows.append(make_row(len(rows), label, section, row_kind, tuple(cells), span, e.is_total, e.is_group))
    return rows


def _reading(p: tuple, kind: str, row_unit, row_scale: int, eps: bool, per_share_unit: str, currency, per_share_table: bool,
             counted, finish: Finish) -> tuple[str, str, int]:
    """(kind, unit, scale) of a cell's Figure: its reading ``p`` (numbers.cell_fields) in a row of
    ``kind`` (of ``row_unit`` and ``row_scale``), a column of ``currency`` (an EPS column: ``eps``)."""
    _, decimals, percent, nil, printed_currency, _, basis = p
    if percent:
        fig_kind, unit, scale = "percent", "%", -4 if basis else -2
    elif kind == "shares":
        fig_kind, unit, scale = "shares", row_unit, row_scale
    elif kind == "per_share" or (eps and kind == "amount"):  # an EPS column
        fig_kind, unit, scale = "per_share", per_share_unit, 0
    else:
        fig_kind, unit, scale = "amount", currency or printed_currency or "", row_scale
    if nil:
        fig_kind = "nil"
    elif fig_kind == "shares":
        if decimals and not scale and finish.silent:
            scale = finish.scale
    elif fig_kind == "amount" and per_share_table and kind == "amount":
        fig_kind, scale = "per_share", 0
    if not unit and finish.currency and fig_kind in ("amount", "per_share", "nil"):
        unit = finish.currency
    if counted and fig_kind == "amount" and not unit:
        fig_kind, unit = "count", finish.measure or "count"
    return fig_kind, unit, scale
