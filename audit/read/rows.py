"""A table's body lines -> rows as read: sections opened by label rows and closed by their totals,
each row's kind (amounts, share counts, per-share amounts, percentages), its cells' readings, and
its subtotals (groups.py); cells.py then makes each row's Row and Figures once, with final fields."""
from __future__ import annotations

import re
from typing import Optional

from .groups import find_groups, unlabeled_total
from .numbers import NIL, PERCENT
from .units import SHARES_ROW, label_scale

PER_SHARE_ROW = re.compile(
    r"\bper (?:ordinary |common |class [a-z] )?(?:share|ADS|ADR)\b|\bEPS\b|\b(?:earnings|loss) per\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({"total", "and", "of", "the"})


class RawRow:
    """A body line: its label (joined label cells, where the first starts) and its value cells
    (where each starts, 1-based, and its text, stripped); then, once structure() has read it, its
    row: the line its label is printed on (the line above, for a label wrapped onto it), its section
    path, kind ("header" for a label row), the unit and scale of its share counts or amounts,
    whether it is a total or a group row, its cells' numbers.cell_fields (``printed``, None for a
    cell that is not a number) and what footing reads of it (``parts``, groups.py)."""

    __slots__ = ("line", "label", "label_col", "starts", "texts", "label_line", "section", "kind", "unit", "scale",
                 "is_total", "is_group", "printed", "parts")

    def __init__(self, line, label, label_col, starts, texts):
        self.line, self.label, self.label_col, self.starts, self.texts = line, label, label_col, starts, texts
        self.label_line, self.section, self.kind, self.unit, self.scale = line, (), "", None, 0
        self.is_total = self.is_group = False
        self.printed, self.parts = (), None


def _norm(label: str) -> str:
    return " ".join(label.strip().rstrip(":").split()).lower()  # white space runs as one space


def per_share(text: str) -> bool:
    """PER_SHARE_ROW.search(text), ASCII text that names neither "per" nor "eps" ruled out first."""
    if text.isascii():
        low = text.lower()
        if "per" not in low and "eps" not in low:
            return False
    return PER_SHARE_ROW.search(text) is not None


def _words(label: str) -> set[str]:
    return set(_WORD.findall(label.lower())) - _STOP


def _is_caps(label: str) -> bool:
    if label.isascii():  # (its letters are all cased)
        return label.isupper()
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
    if text.isascii():  # ASCII text that names neither "share", "ADS" nor "ADR" ruled out first
        low = text.lower()
        if "share" not in low and "ads" not in low and "adr" not in low:
            return None
    return _shares_word(text)


def _shares_word(text: str) -> Optional[str]:
    """_shares_unit of a text not ruled out first."""
    match = SHARES_ROW.search(text)
    if match is None:
        return None
    word = match.group(1)  # shares | ADS | ADSs | ADR | ADRs
    return "shares" if word.lower().startswith("share") else word[:3].upper()


def _row_kind(label: str, header: tuple, printed) -> tuple[str, Optional[str]]:
    """(kind, unit) of a value row; ``header``: the _shares_unit and _per_share of the label row
    that heads it (None, False when none does)."""
    low, other = label.lower(), not label.isascii()  # (_shares_unit and per_share, their label lowered once)
    unit = (_shares_word(label) if other or "share" in low or "ads" in low or "adr" in low else None) or header[0]
    if unit is not None:
        return "shares", unit
    if ((other or "per" in low or "eps" in low) and PER_SHARE_ROW.search(label) is not None
            or header[1] and not low.startswith("weighted")):
        return "per_share", None
    percent = False
    for p in printed:
        if p is not None and not p[NIL]:
            if not p[PERCENT]:
                return "amount", None
            percent = True
    return ("percent", "%") if percent else ("amount", None)


_NO_HEADER = (None, False)


def structure(raw: list[RawRow], width: int, scale: tuple[int, int], readings) -> list[RawRow]:
    """The rows of a table of ``width`` columns (the body lines that are rows, read), with sections,
    kinds, totals and groups; ``scale`` is (amounts, share counts); ``readings[text]`` is a cell
    text's numbers.cell_fields."""
    rows: list[RawRow] = []
    stack: list[_Section] = []  # open sections
    section: tuple[str, ...] = ()  # their labels
    header_for_kind, header_kind = "", _NO_HEADER
    read = readings.__getitem__
    k, n = 0, len(raw)
    while k < n:
        r = raw[k]
        printed = list(map(read, r.texts))
        label = r.label
        if printed.count(None) == width and not any(r.texts):
            nxt = raw[k + 1] if k + 1 < n else None
            if label and nxt is not None and not nxt.label and any(nxt.texts):
                # a label wrapped onto the line before its numbers
                k += 1
                nxt.label, nxt.label_line, nxt.label_col = label, r.line, r.label_col
                r = nxt
                printed = list(map(read, r.texts))
            elif label:
                level = 0 if _is_caps(label) else 1
                while stack and stack[-1].level >= level:
                    stack.pop()
                section = tuple(s.label for s in stack)
                r.section, r.kind = section, "header"
                rows.append(r)
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
        norm = " ".join(label.strip().rstrip(":").split()).lower()  # (_norm)
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
                header_kind = (_shares_unit(header_for_kind), per_share(header_for_kind))
            kind, unit = _row_kind(label, header_kind, printed)
        else:
            kind, unit = _row_kind(label, _NO_HEADER, printed)
        row_scale = scale[0]
        if kind == "shares":
            own = label_scale(label)  # "Shares outstanding (in millions)"
            row_scale = scale[1] if own is None else own
        row = r
        row.section, row.kind, row.unit, row.scale, row.is_total, row.printed = \
            row_section, kind, unit, row_scale, is_total, printed
        if not label and not is_total and kind == "amount":
            items = unlabeled_total(row, rows)
            if items:
                row.is_total = True
                first = len(rows) - items
                if stack and first > 0 and rows[first - 1].kind == "header" and rows[first - 1].label == stack[-1].label:
                    del stack[-1]  # it foots every item of its section: the section ends here
                    section = tuple(s.label for s in stack)
        rows.append(row)
        k += 1
    find_groups(rows)
    return rows
