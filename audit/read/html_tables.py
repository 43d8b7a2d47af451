"""HTML tables -> lines of the text layout: the value columns found from where each row's
figures stand, split values joined, headings, markers and comparison columns (see html_text)."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import Optional

from .html_flow import EMPTY, Flow, Traced
from .html_headings import _PERIODISH, _YEAR, name_headings, unmarked
from .layout import Readings
from .marks import SUPERSCRIPT_DIGITS, marker
from .numbers import NIL_CELLS

_CURRENCIES = {"$": "USD", "US$": "USD", "HK$": "HKD", "€": "EUR", "£": "GBP", "RMB": "RMB", "¥": "RMB"}
_PREFIX = re.compile(r"^\(?(?:US\$|HK\$|\$|€|£|¥|RMB)?\(?$")  # "$", "(", "$(" printed in cells of their own
_SUFFIX = re.compile(r"^(?:[)%]+|\)?\s*(?:pts?|ppts?|pp|points?|bps?)\.?)$", re.IGNORECASE)  # ")", "%", "pts" likewise
_NUMBERISH = re.compile(r"^\(?[-+\u2212\u2013]?\s*\.?\d|^(?:up|down)\s+\.?\d", re.IGNORECASE)
_CUR_FIRST = re.compile(r"^(US\$|HK\$|\$|€|£|¥|RMB)\s*\((.*)$")  # "$(365,241)" -> "($365,241)"
_CUR_ANY = re.compile(r"US\$|HK\$|\$|€|£|¥|RMB")
_WORDY = re.compile(r"[^\W\d_]{3}")
#: What a comparison column prints where a change means nothing: words that never make a row's
#: numbers footnote markers.
_NOT_MEANINGFUL = re.compile(r"^(?:n/?m|nmf?|n/?a|not meaningful|not applicable|none)$", re.IGNORECASE)
#: Footnote markers: "^{1}", "^{1,2}", "^{a}" (a superscript), "*", "**", "†", "(a)", "(A)", "(1)".
_MARKS = marker(SUPERSCRIPT_DIGITS) + r"|\*{1,3}|[†‡]|\((?:[a-zA-Z]|\d{1,2})\)"
_MARK = re.compile(f"^(?:{_MARKS})$")
_TAIL_MARK = re.compile(rf"\s*(?:{_MARKS})$")
_NUMBER_MARK = re.compile(r"^\(\d{1,2}\)$")  # the marker read_cell would take for a number
#: A cell of a comparison column ("Up 34%", "+5.2%", "(1.5)pts", "Flat") and a heading that names one.
_CHANGE_CELL = re.compile(r"^(?:up|down|flat|unchanged)\b|^\+.*%$|(?:pts?|ppts?|pp|points?|bps?)\.?$", re.IGNORECASE)
_CHANGE_HEAD = re.compile(r"\bchange|\bchg\b|\bincrease\b|\bdecrease\b|\binc\.?\s*/?\s*\(?dec\b|\bvariance\b"
                          r"|\bbetter\b|\bworse\b", re.IGNORECASE)
#: A unit note printed in the label cell of a heading row: it goes above the headings, where the
#: text layout looks for it.
_UNIT_LABEL = re.compile(r"^\(.*\b(?:thousands|millions|billions|unaudited)\b|\bin (?:thousands|millions|billions)\b",
                         re.IGNORECASE)


class _Item:
    """A cell's text on the row's logical columns; numbers carry their anchor (last) column.

    ``mark`` is a footnote marker: of the row's label in the body, of its column in a heading.
    ``note`` is a marker printed after a figure in its cell ("1,234 (1)"), kept for the label.
    """

    __slots__ = ("start", "end", "anchor", "text", "value", "currency", "mark", "note")

    def __init__(self, start: int, end: int, text: Traced):
        self.start, self.end, self.anchor, self.text = start, end, end, text
        self.value = self.mark = False
        self.currency: Optional[str] = None
        self.note: Optional[Traced] = None


def _place(rows: list[list[Flow]]) -> list[list[tuple[int, int, Flow]]]:
    """Each cell's first and last logical column, after colspan and rowspan."""
    placed, carry = [], {}
    for cells in rows:
        col, out, below = 0, [], {c: n - 1 for c, n in carry.items() if n > 1}
        if not carry:  # (no cell above spans into this row)
            for cell in cells:
                span = cell.colspan
                out.append((col, col + span - 1, cell))
                if cell.rowspan > 1:
                    below.update((c, cell.rowspan - 1) for c in range(col, col + span))
                col += span
            placed.append(out)
            carry = below
            continue
        for cell in cells:
            while carry.get(col, 0) > 0:
                col += 1
            out.append((col, col + cell.colspan - 1, cell))
            if cell.rowspan > 1:
                below.update((c, cell.rowspan - 1) for c in range(col, col + cell.colspan))
            col += cell.colspan
        placed.append(out)
        carry = below
    return placed


def _is_numberish(text: str) -> bool:
    return bool(_NUMBERISH.match(_CUR_ANY.sub("", text, 1).lstrip())) or text in NIL_CELLS


def _items(cells: list[tuple[int, int, Flow]], readings) -> list[_Item]:
    """A row's non-empty cells, with split values joined: '$' '293,618' -> '$293,618',
    '(' '$' '1,234' ')' -> '($1,234)', '12.5' '%' -> '12.5%', '(1.5' ')' 'pts' -> '(1.5)pts'
    (``readings[text]``: a text's numbers.cell_fields)."""
    tokens = []
    for s, e, c in cells:  # (each cell's line ended with the cell: its text is its lines')
        lines = c.lines
        if lines:
            t = lines[0] if len(lines) == 1 else c.text()
            if t.s:
                tokens.append((s, e, t))
    out: list[_Item] = []
    i = 0
    while i < len(tokens):
        start, end, text = tokens[i]
        if len(text.s) <= 6 and _PREFIX.match(text.s):  # (a prefix is 5 characters at most)
            k, joined = i + 1, text
            while k < len(tokens) and _PREFIX.match(joined.s + tokens[k][2].s):
                joined, k = joined + tokens[k][2], k + 1
            if k < len(tokens) and (_NUMBERISH.match(tokens[k][2].s) or tokens[k][2].s in NIL_CELLS):
                out.append(_Item(start, tokens[k][1], joined + tokens[k][2]))
                i = k + 1
                continue
        if (out and _SUFFIX.match(text.s) and _is_numberish(out[-1].text.s)
                and not _YEAR.fullmatch(out[-1].text.s)):  # "2024" "%" are two headings
            out[-1].text += text
            out[-1].end = end
        else:
            out.append(_Item(start, end, text))
        i += 1
    for item in out:
        _read(item, readings)
    if out and out[0].value and out[0].start == 0 and not any(c.isdigit() for c in out[0].text.s):
        out[0].value = False  # "Flat" as the first cell is a label
    wordy = False  # a number followed by words in its row ("(1) | Derived from ...") is a marker
    for item in reversed(out):
        if item.value and wordy:
            item.value, item.currency, item.note = False, None, None
        wordy = wordy or (not item.value and _WORDY.search(item.text.s) is not None
                          and not _NOT_MEANINGFUL.match(item.text.s))
    return out


_MARK_ENDS = frozenset("}*†‡)\n")  # the last characters _TAIL_MARK can match before
_CURRENCY_STARTS = frozenset("UH$€£¥R")  # the first characters _CUR_FIRST and _CUR_ANY can match
_OPENERS = _CURRENCY_STARTS | {"("}  # and "(" before a currency


def _read(item: _Item, readings) -> None:
    text = item.text
    s = text.s
    note = None
    printed = readings[s]
    if s[0] not in _OPENERS and (printed is not None or s[-1] not in _MARK_ENDS):  # as printed, no marker
        if printed is not None and not (len(s) == 4 and _YEAR.fullmatch(s)):  # a bare year is a heading
            item.value = True
        return
    if printed is None and s[-1:] in _MARK_ENDS:
        tail = _TAIL_MARK.search(s)
        if tail and tail.start() > 0 and readings[s[:tail.start()]] is not None:
            text, note = text[:tail.start()], text[tail.start():].strip()  # "1,234 (1)": a figure, a marker
    moved = _CUR_FIRST.match(text.s) if text.s[:1] in _CURRENCY_STARTS else None
    if moved:  # "$(365,241)" -> "($365,241)"
        paren = moved.start(2) - 1
        text = text[paren:paren + 1] + text[moved.start(1):moved.end(1)] + text[moved.start(2):]
    bare = text.lstrip("(")
    symbol = _CUR_ANY.match(bare.s) if bare.s[:1] in _CURRENCY_STARTS else None
    if symbol and bare.s[len(symbol.group(0)):].strip() in NIL_CELLS:
        text = bare[len(symbol.group(0)):].strip()  # "$ —" is a nil; the column says the currency
    if text is not item.text:
        printed = readings[text.s]
    if printed is not None and not (len(text.s) == 4 and _YEAR.fullmatch(text.s)):  # a bare year is a heading
        item.text, item.value, item.note = text, True, note
        item.currency = _CURRENCIES.get(symbol.group(0)) if symbol else None


def _columns(rows: list[list[_Item]]) -> dict[int, int]:
    """Anchor column -> value column. Anchors no row uses together, a column or two apart, are
    one value column printed a little out of line."""
    used = [{it.anchor for it in row if it.value} for row in rows]
    groups: list[list[int]] = []
    for anchor in sorted(set().union(*used)):
        last = groups[-1] if groups else None
        if last and anchor - last[-1] <= 2 and not any(anchor in u and u & set(last) for u in used):
            last.append(anchor)
        else:
            groups.append([anchor])
    return {a: k for k, group in enumerate(groups) for a in group}


def _first_body_row(items: list[list[_Item]]) -> int:
    """The first row with a figure other than a "(1)" (which may be a heading's footnote marker)."""
    for r, row in enumerate(items):
        if any(it.value and not _NUMBER_MARK.match(it.text.s) for it in row):
            return r
    return len(items)


def _unmark(items: list[list[_Item]]) -> None:
    """Footnote markers read_cell takes for numbers ("(1)"): those in heading rows, and columns that
    hold nothing else under no heading of their own (a marker beside a label or after a figure)."""
    first = _first_body_row(items)
    for row in items[:first]:
        for before, it in zip(row, row[1:]):
            if it.value and not before.value and before.start > 0:  # "December 31, 2023" "(1)"
                it.value, it.currency, it.mark = False, None, True
    column_of = _columns(items)
    by_column: dict[int, list[_Item]] = {}
    for row in items:
        for it in row:
            if it.value:
                by_column.setdefault(column_of[it.anchor], []).append(it)
    if len(by_column) < 2:
        return
    headings = [it for row in items[:first] for it in row if it.start > 0 and not it.mark]
    for column in by_column.values():
        if not all(_NUMBER_MARK.match(it.text.s) for it in column):
            continue
        lo, hi = min(it.start for it in column), max(it.end for it in column)
        if any(h.start <= hi and lo <= h.end for h in headings):
            continue
        for it in column:
            it.value, it.currency, it.mark = False, None, True


def _headed(items: list[list[_Item]]) -> bool:
    """Is a table's one row of figures under a heading row that names periods or currencies (a
    table of a single row, such as a dividend per share for two quarters)?"""
    first = _first_body_row(items)
    return any(it.start > 0 and not it.value and _PERIODISH.search(it.text.s) for row in items[:first] for it in row)


def _one_row(row: list[_Item]) -> bool:
    """A table's only row: a label and two figures or more ("Revenue | $1,200 | $1,100")."""
    return (sum(1 for it in row if it.value) >= 2 and not row[0].value and row[0].start == 0
            and _WORDY.search(row[0].text.s) is not None)


class _Extents:
    """The value columns' extents; which of them a text cell stands over (issue 20: a cell is placed
    by bisection when the columns rise left to right without overlapping, so a table of k columns
    costs k log k, not k^2)."""

    def __init__(self, extents: list[tuple[int, int]]):
        self.extents = extents
        self.rising = all(a[0] <= a[1] < b[0] for a, b in zip(extents, extents[1:]))
        self.los = [lo for lo, _ in extents]
        self.his = [hi for _, hi in extents]

    def covered(self, item: _Item) -> list[int]:
        """The value columns a text cell stands over (a heading spans several); at least the nearest."""
        start, end, extents = item.start, item.end, self.extents
        if self.rising:
            first = bisect_left(self.his, start)  # the first column ending at or after the cell's start
            stop = bisect_right(self.los, end)  # past the last column starting at or before its end
            if first < stop:
                return list(range(first, stop))
            near = [k for k in (first - 1, first) if 0 <= k < len(extents)]
        else:
            over = [k for k, (lo, hi) in enumerate(extents) if start <= hi and lo <= end]
            if over:
                return over
            near = list(range(len(extents)))
        return [min(near, key=lambda k: (max(start - extents[k][1], extents[k][0] - end), -k))]


def render_table(rows: list[list[Flow]], readings: Optional[Readings] = None) -> list[Traced]:
    """A table's lines: tab-separated when it holds numbers, else one plain line per row
    (``readings``: the document's cell readings, numbers.cell_fields, kept as they are read)."""
    placed = _place(rows)
    if any(c.nested for row in rows for c in row):
        return _layout(placed)
    readings = Readings() if readings is None else readings
    items = [_items(cells, readings) for cells in placed]
    _unmark(items)
    numeric = [row for row in items if any(it.value for it in row)]
    if len(numeric) < 2 and not (numeric and (_headed(items) or _one_row(numeric[0]))):
        return _layout(placed)
    column_of = _columns(items)
    width = len(set(column_of.values()))
    value_start = min(it.start for row in items for it in row if it.value)
    # each value column's extent, in one pass over the cells (issue 20: not once per column)
    lows: dict[int, int] = {}
    highs: dict[int, int] = {}
    for row in items:
        for it in row:
            if it.value and (k := column_of.get(it.anchor)) is not None:
                lows[k] = min(lows.get(k, it.start), it.start)
                highs[k] = max(highs.get(k, it.end), it.end)
    extents = _Extents([(lows[k], highs[k]) for k in range(width)])
    before: list[Traced] = []
    heads: list[list[Traced]] = []
    head_labels: list[Traced] = []
    body: list[Traced] = []
    currencies: list[set] = [set() for _ in range(width)]
    marks = set().union(*(c.marks for cells in rows for c in cells if c.marks))  # superscript markers
    change = [False] * width
    for row in items:
        numbers = any(it.value for it in row)
        heading = not body and not numbers
        # a heading row's cell that spans into the value columns is a heading, not a label
        in_label = [not it.value and it.start < value_start and (not heading or it.end < value_start) for it in row]
        label_parts = [it.text for it, left in zip(row, in_label) if left]
        cells: list[list[Traced]] = [[] for _ in range(width)]
        for it, left in zip(row, in_label):
            if it.value:
                k = column_of[it.anchor]
                cells[k].append(it.text)
                if it.note is not None:
                    label_parts.append(it.note)
                if it.currency:
                    currencies[k].add(it.currency)
                if not change[k] and _CHANGE_CELL.search(it.text.s):
                    change[k] = True
            elif not left and (it.start >= value_start or heading):
                if not heading and (it.mark or _MARK.match(it.text.s)):
                    label_parts.append(it.text)  # a footnote marker of the row, never in a value column
                    continue
                text = (unmarked(it.text, marks) or it.text) if heading and marks else it.text  # (a marker alone stays)
                for k in extents.covered(it):
                    cells[k].append(text)
        label = Traced.join(" ", label_parts)
        texts = [Traced.join(" ", c) for c in cells]
        if not label and not any(texts):
            continue
        if heading and any(texts):
            heads.append(texts)
            if label:
                (before if _UNIT_LABEL.search(label.s) else head_labels).append(label)
        elif not body and not heads and not any(texts):
            before.append(label)  # a title or unit note printed inside the table
        else:
            body.append(label + "\t" + Traced.join("\t", texts))
    for k in range(width):
        change[k] = change[k] or any(_CHANGE_HEAD.search(h[k].s) for h in heads)
    name_headings(heads, change, currencies)
    return ([EMPTY] + before + ["\t" + Traced.join("\t", h) for h in heads]
            + [label + "\t" * width for label in head_labels] + body + [EMPTY])


def _layout(placed: list[list[tuple[int, int, Flow]]]) -> list[Traced]:
    """A table without numbers, as prose: each row one line (cells two spaces apart), or each
    line of its cells when they hold paragraphs or tables."""
    out = [EMPTY]
    for cells in placed:
        flows = [c for _, _, c in cells]
        for flow in flows:
            flow.end_line()
        if any(flow.nested or len([ln for ln in flow.lines if ln.s.strip()]) > 1 for flow in flows):
            for flow in flows:
                out.extend(flow.lines)
            continue
        line = Traced.join("  ", (t for t in (flow.text() for flow in flows) if t))
        if line:
            out.append(line)
    return out + [EMPTY]
