"""A table's body lines -> rows: sections opened by label rows and closed by their totals, each
row's kind (amounts, share counts, per-share amounts, percentages) and one Figure per cell."""
from __future__ import annotations

import re
from typing import Optional

from .copies import make_figure, make_row, make_span, row_with
from .filing import Row
from .groups import find_groups, unlabeled_total
from .numbers import NIL, PERCENT
from .units import SHARES_ROW, label_scale

PER_SHARE_ROW = re.compile(
    r"\bper (?:ordinary |common |class [a-z] )?(?:share|ADS|ADR)\b|\bEPS\b|\b(?:earnings|loss) per\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"total", "and", "of", "the"})


class RawRow:
    """A body line split into its label (joined label cells, where the first starts) and its
    value cells ((1-based column, raw text) each)."""

    __slots__ = ("line", "label", "label_col", "values")

    def __init__(self, line, label, label_col, values):
        self.line, self.label, self.label_col, self.values = line, label, label_col, values


def _norm(label: str) -> str:
    return " ".join(label.strip().rstrip(":").split()).lower()  # white space runs as one space


def _per_share(text: str) -> bool:
    """PER_SHARE_ROW.search(text), ASCII text that names neither "per" nor "eps" ruled out first."""
    if text.isascii():
        low = text.lower()
        if "per" not in low and "eps" not in low:
            return False
    return PER_SHARE_ROW.search(text) is not None


def _words(label: str) -> set[str]:
    return set(_WORD.findall(label.lower())) - _STOP


def _is_caps(label: str) -> bool:
    letters = [c for c in label if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


class _Section:
    """An open section: its label, level, and (computed when first asked) what closes it."""

    __slots__ = ("label", "level", "_norm", "_words")

    def __init__(self, label: str, level: int):
        self.label, self.level, self._norm, self._words = label, level, None, None

    def closed_by(self, label: str, row: str) -> bool:
        """Does a value row close it? 'Total current assets' closes 'Current assets:' (``row``:
        the label, _norm-ed)."""
        if row.startswith("total"):
            if self._words is None:
                self._words = _words(self.label)
            if self._words <= _words(label):
                return True
        if len(row) < 8:
            return False
        if self._norm is None:
            self._norm = _norm(self.label)
        return self._norm.startswith(row) and self._norm != row


def _shares_unit(text: str) -> Optional[str]:
    """The unit a share-count row counts in ("shares", "ADS", "ADR"), or None for any other row."""
    match = SHARES_ROW.search(text)
    if match is None:
        return None
    word = match.group(1)  # shares | ADS | ADSs | ADR | ADRs
    return "shares" if word.lower().startswith("share") else word[:3].upper()


def _row_kind(label: str, header: tuple, printed) -> tuple[str, Optional[str]]:
    """(kind, unit) of a value row; ``header``: the _shares_unit and _per_share of the label row
    that heads it (None, False when none does)."""
    unit = _shares_unit(label) or header[0]
    if unit is not None:
        return "shares", unit
    if _per_share(label) or (header[1] and not label.lower().startswith("weighted")):
        return "per_share", None
    percent = False
    for p in printed:
        if p is not None and not p[NIL]:
            if not p[PERCENT]:
                return "amount", None
            percent = True
    return ("percent", "%") if percent else ("amount", None)


_NO_HEADER = (None, False)


def structure(raw: list[RawRow], columns, scale: tuple[int, int], table: str, readings) -> list[Row]:
    """Rows with sections, kinds and cells; ``scale`` is (amounts, share counts); ``readings[text]``
    is a cell text's numbers.cell_fields."""
    rows: list[Row] = []
    stack: list[_Section] = []  # open sections
    section: tuple[str, ...] = ()  # their labels
    header_for_kind, header_kind = "", _NO_HEADER
    plan = _Plan(columns, table)
    width = len(columns)
    k, n = 0, len(raw)
    while k < n:
        r = raw[k]
        printed = [readings[text] for _, text in r.values]
        label, label_line, label_col = r.label, r.line, r.label_col
        if printed.count(None) == width and not any(text.strip() for _, text in r.values):
            nxt = raw[k + 1] if k + 1 < n else None
            if label and nxt is not None and not nxt.label and any(t.strip() for _, t in nxt.values):
                # a label wrapped onto the line before its numbers
                k += 1
                r = nxt
                printed = [readings[text] for _, text in r.values]
            elif label:
                level = 0 if _is_caps(label) else 1
                while stack and stack[-1].level >= level:
                    stack.pop()
                section = tuple(s.label for s in stack)
                rows.append(make_row(len(rows), label, section, "header", (None,) * width,
                                     make_span(label_line, label_col, label_col + len(label))))
                stack.append(_Section(label, level))
                section = section + (label,)
                header_for_kind, header_kind = label, None
                k += 1
                continue
            else:
                k += 1
                continue
        row_section = section
        is_total = False
        norm = _norm(label)
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth].closed_by(label, norm):
                is_total = True
                del stack[depth:]
                section = tuple(s.label for s in stack)
                break
        if not is_total and norm.startswith("total"):
            is_total = True
        if row_section and row_section[-1] == header_for_kind:
            if header_kind is None:
                header_kind = (_shares_unit(header_for_kind), _per_share(header_for_kind))
            kind, unit = _row_kind(label, header_kind, printed)
        else:
            kind, unit = _row_kind(label, _NO_HEADER, printed)
        if kind == "shares":
            own = label_scale(label)  # "Shares outstanding (in millions)"
            cells = plan.cells(r, printed, kind, unit, scale[1] if own is None else own, label, row_section)
        else:
            cells = plan.cells(r, printed, kind, unit, scale[0], label, row_section)
        row = make_row(len(rows), label, row_section, kind, cells,
                       make_span(label_line, label_col, label_col + len(label)), is_total)
        if not label and not is_total and kind == "amount":
            items = unlabeled_total(row, rows)
            if items:
                row = row_with(row, is_total=True)
                first = len(rows) - items
                if stack and first > 0 and rows[first - 1].kind == "header" and rows[first - 1].label == stack[-1].label:
                    del stack[-1]  # it foots every item of its section: the section ends here
                    section = tuple(s.label for s in stack)
        rows.append(row)
        k += 1
    return find_groups(rows)


class _Plan:
    """What a table's cells take from their column: the column, whether it is an EPS column, the
    unit of its per-share amounts and of its amounts."""

    __slots__ = ("columns", "table")

    def __init__(self, columns, table: str):
        self.columns = [(column, _per_share(column.header), column.currency or "", column.currency)
                        for column in columns]
        self.table = table

    def cells(self, r: RawRow, printed, kind: str, unit, scale: int, label: str, section) -> tuple:
        """A row's cells: a Figure for each value read, None for the others (``scale``: of the
        row's amounts, or of its share counts)."""
        out = []
        line, table = r.line, self.table
        for (col, text), p, (column, eps, per_share_unit, currency) in zip(r.values, printed, self.columns):
            if p is None:
                out.append(None)
                continue
            stripped = text.strip()
            start = col + len(text) - len(text.lstrip())
            value, decimals, percent, nil, printed_currency, _, basis = p
            if percent:
                fig_kind, fig_unit, fig_scale = "percent", "%", -4 if basis else -2
            elif kind == "shares":
                fig_kind, fig_unit, fig_scale = "shares", unit, scale
            elif kind == "per_share" or (eps and kind == "amount"):  # an EPS column
                fig_kind, fig_unit, fig_scale = "per_share", per_share_unit, 0
            else:
                fig_kind, fig_unit, fig_scale = "amount", currency or printed_currency or "", scale
            out.append(make_figure(value, fig_scale, fig_unit, decimals, "nil" if nil else fig_kind, stripped,
                                   make_span(line, start, start + len(stripped)), table, label, section, column))
        return tuple(out)
