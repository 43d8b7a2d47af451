"""Extraction: a filing's text -> Filing (tables with columns, rows and cells; prose figures; facts).

Tables are tab-separated blocks: a title line, an optional unit note, header rows that name
each column's period and currency, then body rows. Everything else is prose.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from typing import Optional

from .blocks import headed_block
from .columns import (
    FiscalYear,
    compared_periods,
    parse_column,
    row_period,
    table_columns,
    trailing,
    value_columns,
)
from .filing import (
    Figure,
    Filing,
    Row,
    SourceMap,
    Span,
    Table,
)
from .groups import find_groups, unlabeled_total
from .labels import with_label_figures
from .layout import is_header_row, split_cells
from .meta import describe
from .numbers import read_cell
from .prose import extract_facts, extract_prose
from .prose_periods import calendar_of
from .source import check_lines
from .statements import (
    as_counts,
    as_per_share,
    join_statements,
    scaled_share_decimals,
    with_column_periods,
    with_note_currency,
    with_row_periods,
)
from .text_tables import GAP
from .text_tables import layout as text_layout
from .titles import footnote_unit, parts, read_preamble
from .units import (
    SHARES_ROW,
    heading_scale,
    is_unit_note,
    label_scale,
    note_currency,
    note_measure,
    note_scale,
    shares_scale,
    silent_on_shares,
)

_SHARES_ROW = SHARES_ROW
_parse_column, _shares_scale = parse_column, shares_scale  # their former names here
_PER_SHARE_ROW = re.compile(
    r"\bper (?:ordinary |common |class [a-z] )?(?:share|ADS|ADR)\b|\bEPS\b|\b(?:earnings|loss) per\b", re.IGNORECASE)
_TITLE_WORDS = re.compile(r"^(?:unaudited|audited|condensed|consolidated|interim|the)$", re.IGNORECASE)


def extract(text: str, path: str = "<text>", document: Optional[str] = None) -> Filing:
    """Read every table, prose figure and fact of a filing's text.

    An EDGAR wrapper (<DOCUMENT>, or a full submission) gives the document of type `document`
    (default EX-99.1); an HTML document is read as the text audit.html_text renders from it.
    sha256 stays that of the input; `Filing.source` maps each figure back to a byte offset in it.
    """
    from . import submission as edgar

    sha256, source_format = hashlib.sha256(text.encode("utf-8")).hexdigest(), "text"
    lead = 1 if text.startswith("\ufeff") else 0  # a byte order mark: counted in offsets, not read
    content = text[lead:]
    wrapper = edgar.parse(content)
    chosen = edgar.select(wrapper, document, path) if wrapper is not None else None
    body, base = (chosen.body, lead + chosen.offset) if chosen is not None else (content, lead)
    doc = edgar.read(body, base, chosen, path, lead)  # HTML rendered; a release over several exhibits joined
    body_text, source_format = doc.text, "html" if doc.html else "text"
    source = SourceMap(text, doc.base, origins=doc.origins) if doc.origins is not None else \
        SourceMap(text, base, body=body)
    lines = body_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    check_lines(lines, path)  # the line length limit bounds what one line costs
    filing = Filing(path=path, text=body_text, sha256=sha256, lines=lines, source_format=source_format,
                    meta=describe(path, lines, wrapper, chosen, content), source=source)
    read = text_layout(lines, doc.plain) if doc.plain != [] else lines  # plain-text tables in the tab layout
    table_lines: set[int] = set()
    fiscal = FiscalYear.of(read)
    for table, used in _find_tables(read, fiscal):
        filing.tables.append(table)
        table_lines.update(used)
    filing.facts = extract_facts(read, table_lines)
    filing.prose = extract_prose(read, table_lines, filing.facts, calendar_of(filing.tables, fiscal))
    return filing


# -- table finding -------------------------------------------------------------------------



def _find_tables(lines: list[str], fiscal: FiscalYear):
    n, i, taken = len(lines), 0, {}
    found: list[tuple[Table, set[int], bool]] = []
    last_end = 0
    while i < n:
        if not is_header_row(lines[i]):
            block = headed_block(lines, i) if "\t" in lines[i] and lines[i].strip() else None
            if block is None:
                i += 1
                while 0 < i < n and "\t" in lines[i - 1] and "\t" in lines[i] and lines[i].strip():
                    i += 1
                continue
            head_start, body_start, i = block
        else:
            head_start = i
            while i < n and is_header_row(lines[i]):
                i += 1
            body_start = i
            while i < n and "\t" in lines[i] and (lines[i].strip() or lines[i] == GAP):  # GAP: a blank line of a text table
                i += 1
            if body_start == i:
                continue
        pre = read_preamble(lines, head_start)
        if not pre.title[1] and not pre.note and found and not any(lines[k].strip() for k in range(last_end, head_start)):
            prev = found[-1][0]  # right below another table, untitled: a part of its statement
            pre = pre._replace(title=(prev.span.line, prev.title), note=prev.unit_note)
        if pre.footnote and found and not note_scale(pre.note):  # a table in a statement's footnotes
            pre = pre._replace(note=found[-1][0].unit_note)
        if not note_scale(pre.note):  # a unit note only in a footnote of the table's title or headings
            pre = pre._replace(note=" ".join(filter(None, (pre.note, footnote_unit(
                lines, head_start, body_start, i, pre.title[1])))))
        for part, (h, b, e), _ in parts(lines, pre, head_start, body_start, i):
            used = set(range(h + 1, e + 1)) | part.used | (pre.used if h == head_start else set())
            found.append((_build_table(lines, part, h, b, e, taken, fiscal), used, part.continued))
        last_end = i
    return join_statements(found)


def _column_headers(lines: list[str], head_start: int, body_start: int, width: int) -> list[str]:
    texts = [[] for _ in range(width)]
    for k in range(head_start, body_start):
        values = [c.strip() for _, c in split_cells(lines[k])][1:]
        values = (values + [""] * width)[:width] if len(values) <= width else values[-width:]
        current = ""
        for idx, value in enumerate(values):
            current = value or current  # a spanning header fills the columns to its right
            if current:
                texts[idx].append(current)
    return [" ".join(t) for t in texts]


class _RawRow:
    __slots__ = ("line", "label", "label_col", "values")

    def __init__(self, line, label, label_col, values):
        self.line, self.label, self.label_col, self.values = line, label, label_col, values


def _raw_rows(lines: list[str], body_start: int, end: int, width: int) -> list[_RawRow]:
    rows = []
    for k in range(body_start, end):
        cells = split_cells(lines[k])
        if len(cells) - 1 > width:
            head, tail = cells[:len(cells) - width], cells[len(cells) - width:]
        else:
            head, tail = cells[:1], cells[1:] + [(0, "")] * (width - len(cells) + 1)
        label_cells = [(c, t) for c, t in head if t.strip()]
        label = " ".join(t.strip() for _, t in label_cells)
        label_col = label_cells[0][0] + len(label_cells[0][1]) - len(label_cells[0][1].lstrip()) \
            if label_cells else 1
        rows.append(_RawRow(k + 1, label, label_col, tail))
    return rows


def _build_table(lines, pre, head_start, body_start, end, taken, fiscal) -> Table:
    width = max(len(split_cells(lines[k])) - 1 for k in range(head_start, end))
    headers = _column_headers(lines, head_start, body_start, width)
    raw = _raw_rows(lines, body_start, end, width)
    keep = value_columns(headers, [[t for _, t in r.values] for r in raw])
    if len(keep) < width:  # a column of note references ("Note" | "6") holds no amounts
        headers = [headers[k] for k in keep]
        for r in raw:
            r.values = [r.values[k] for k in keep]
    unit_note = pre.note
    for k, r in enumerate(raw):  # a unit note printed as a row of the table, above its figures
        if any(t.strip() for _, t in r.values):
            break
        if is_unit_note(r.label) and not note_scale(unit_note):
            unit_note = " ".join(filter(None, (unit_note, r.label)))
            del raw[k]
            break
    columns = table_columns(headers, fiscal, pre.period)
    scale = note_scale(unit_note) or heading_scale(headers)
    title_line, title_text = pre.title
    columns = trailing(columns, title_text)
    tid = table_id(title_text, taken)
    rows = _structure(raw, columns, (scale, shares_scale(unit_note, scale)), tid)
    rows = with_row_periods(rows, lambda text: row_period(text, fiscal))
    rows = with_column_periods(rows, compared_periods(columns))
    rows = with_label_figures(rows, lines, columns, scale, shares_scale(unit_note, scale), tid)
    if silent_on_shares(unit_note):
        rows = scaled_share_decimals(rows, scale)
    if _PER_SHARE_ROW.search(title_text) and not scale and not any(r.kind == "shares" for r in rows):
        rows = as_per_share(rows)
    line_text = lines[title_line - 1] if 0 < title_line <= len(lines) else ""
    col = line_text.find(title_text) + 1 if title_text else 1
    span = Span(title_line, max(col, 1), max(col, 1) + len(title_text))
    return as_counts(with_note_currency(Table(id=tid, title=title_text, span=span, unit_note=unit_note, scale=scale,
                                              columns=columns, rows=tuple(rows)), note_currency(unit_note)),
                     note_measure(unit_note))


# -- rows and sections ----------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+")


def _norm(label: str) -> str:
    return _SPACES.sub(" ", label.strip().rstrip(":").strip()).lower()


def _words(label: str) -> set[str]:
    return set(_WORD.findall(label.lower())) - {"total", "and", "of", "the"}


def _is_caps(label: str) -> bool:
    letters = [c for c in label if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _closes(label: str, section: str, row: str) -> bool:
    """Does a value row close an open section? 'Total current assets' closes 'Current assets:'
    (``row``: the label, _norm-ed)."""
    sec = _norm(section)
    if row.startswith("total") and _words(section) <= _words(label):
        return True
    return len(row) >= 8 and sec.startswith(row) and sec != row


def _row_kind(label: str, header: str, printed) -> tuple[str, Optional[str]]:
    for text in (label, header):
        match = _SHARES_ROW.search(text)
        if match:
            word = match.group(1)  # shares | ADS | ADSs | ADR | ADRs
            return "shares", "shares" if word.lower().startswith("share") else word[:3].upper()
    if _PER_SHARE_ROW.search(label) or (_PER_SHARE_ROW.search(header) and not label.lower().startswith("weighted")):
        return "per_share", None
    numbers = [p for p in printed if p is not None and not p.nil]
    if numbers and all(p.percent for p in numbers):
        return "percent", "%"
    return "amount", None


def _structure(raw: list[_RawRow], columns, scale: tuple[int, int], table: str) -> list[Row]:
    """Rows with sections, kinds and cells; ``scale`` is (amounts, share counts)."""
    rows: list[Row] = []
    stack: list[tuple[str, int]] = []  # open sections: (label, level)
    header_for_kind = ""
    eps = [_PER_SHARE_ROW.search(c.header) is not None for c in columns]  # an EPS column
    k = 0
    while k < len(raw):
        r = raw[k]
        printed = [read_cell(text) for _, text in r.values]
        has_values = any(text.strip() for _, text in r.values)
        label, label_line, label_col = r.label, r.line, r.label_col
        if not has_values:
            nxt = raw[k + 1] if k + 1 < len(raw) else None
            if label and nxt is not None and not nxt.label and any(t.strip() for _, t in nxt.values):
                # a label wrapped onto the line before its numbers
                k += 1
                r = nxt
                printed = [read_cell(text) for _, text in r.values]
            elif label:
                level = 0 if _is_caps(label) else 1
                while stack and stack[-1][1] >= level:
                    stack.pop()
                span = Span(label_line, label_col, label_col + len(label))
                rows.append(Row(len(rows), label, tuple(s for s, _ in stack), "header",
                                (None,) * len(columns), span))
                stack.append((label, level))
                header_for_kind = label
                k += 1
                continue
            else:
                k += 1
                continue
        section = tuple(s for s, _ in stack)
        is_total = False
        norm = _norm(label)
        for depth in range(len(stack) - 1, -1, -1):
            if _closes(label, stack[depth][0], norm):
                is_total = True
                del stack[depth:]
                break
        if not is_total and norm.startswith("total"):
            is_total = True
        kind, unit = _row_kind(label, header_for_kind if section and section[-1] == header_for_kind else "",
                               printed)
        own = label_scale(label) if kind == "shares" else None  # "Shares outstanding (in millions)"
        scales = scale if own is None else (scale[0], own)
        cells = tuple(_cell(p, text, col, r.line, columns[i], kind, unit, scales, table, label, section, eps[i])
                      for i, ((col, text), p) in enumerate(zip(r.values, printed)))
        span = Span(label_line, label_col, label_col + len(label))
        row = Row(len(rows), label, section, kind, cells, span, is_total=is_total)
        if not label and not is_total and kind == "amount":
            items = unlabeled_total(row, rows)
            if items:
                row = replace(row, is_total=True)
                first = len(rows) - items
                if stack and first > 0 and rows[first - 1].is_header and rows[first - 1].label == stack[-1][0]:
                    del stack[-1]  # it foots every item of its section: the section ends here
        rows.append(row)
        k += 1
    return find_groups(rows)


def _cell(printed, text, col, line, column, kind, unit, scale, table, label, section, eps) -> Optional[Figure]:
    if printed is None:
        return None
    stripped = text.strip()
    start = col + len(text) - len(text.lstrip()) if text[:1].isspace() else col
    span = Span(line, start, start + len(stripped))
    if printed.percent:
        fig_kind, fig_unit, fig_scale = "percent", "%", -4 if printed.basis else -2
    elif kind == "shares":
        fig_kind, fig_unit, fig_scale = "shares", unit, scale[1]
    elif kind == "per_share" or (kind == "amount" and eps):  # an EPS column
        fig_kind, fig_unit, fig_scale = "per_share", column.currency or "", 0
    else:
        fig_kind, fig_unit, fig_scale = "amount", column.currency or printed.currency or "", scale[0]
    if printed.nil:
        fig_kind = "nil"
    return Figure(value=printed.value, scale=fig_scale, unit=fig_unit, decimals=printed.decimals,
                  kind=fig_kind, text=stripped, span=span, table=table, row=label, section=section,
                  column=column)


def table_id(title: str, taken: dict[str, int]) -> str:
    """A short stable id from a title: 'Unaudited Condensed Consolidated Balance Sheets' -> 'balance-sheets'."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", title) if not _TITLE_WORDS.match(w)]
    slug = "-".join(w.lower() for w in words) or "table"
    taken[slug] = taken.get(slug, 0) + 1
    return slug if taken[slug] == 1 else f"{slug}-{taken[slug]}"
