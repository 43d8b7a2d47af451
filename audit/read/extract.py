"""Extraction: a filing's text -> Filing (tables with columns, rows and cells; prose figures; facts).

Tables are tab-separated blocks: a title line, an optional unit note, header rows that name
each column's period and currency, then body rows. Everything else is prose.
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from typing import Optional

from .blocks import headed_block
from .cells import Finish, make_rows
from .columns import (
    FiscalYear,
    columns_of,
    compared_periods,
    parse_column,
    row_period,
    trailing,
    value_columns,
)
from .filing import Filing, SourceMap, Span, Table
from .labels import with_label_figures
from .layout import Grid, split_cells
from .meta import describe
from .prose import extract_facts, extract_prose
from .prose_periods import calendar_of
from .rows import PER_SHARE_ROW as _PER_SHARE_ROW
from .rows import RawRow, structure
from .source import check_lines
from .statements import join_statements
from .text_tables import GAP
from .text_tables import layout as text_layout
from .titles import footnote_unit, parts, read_preamble
from .units import (
    Notes,
    heading_scale,
    is_unit_note,
    shares_scale,
)

_parse_column, _shares_scale = parse_column, shares_scale  # their former names here
_TITLE_WORDS = re.compile(r"^(?:unaudited|audited|condensed|consolidated|interim|the)$", re.IGNORECASE)
_ALNUM = re.compile(r"[A-Za-z0-9]+")


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
    # ("\r" in it: much cheaper than a search for "\r\n" in text that holds none)
    lines = (body_text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in body_text else body_text).split("\n")
    check_lines(lines, path)  # the line length limit bounds what one line costs
    filing = Filing(path=path, text=body_text, sha256=sha256, lines=lines, source_format=source_format,
                    meta=describe(path, lines, wrapper, chosen, content), source=source)
    read = text_layout(lines, doc.plain) if doc.plain != [] else lines  # plain-text tables in the tab layout
    table_lines: set[int] = set()
    fiscal = FiscalYear.of(read)
    for table, used in _find_tables(read, fiscal, doc.readings):
        filing.tables.append(table)
        table_lines.update(used)
    filing.facts = extract_facts(read, table_lines)
    filing.prose = extract_prose(read, table_lines, filing.facts, calendar_of(filing.tables, fiscal))
    return filing


# -- table finding -------------------------------------------------------------------------


def _find_tables(lines: list[str], fiscal: FiscalYear, readings=None):
    grid = Grid(lines, readings)
    n, i, taken = len(lines), 0, {}
    found: list[tuple[Table, set[int], bool]] = []
    last_end = 0
    columns: dict = {}  # parse_column of each (index, heading, period line), read once per document
    notes = Notes()  # each unit note, read once per document
    tabbed = [k for k, line in enumerate(lines) if "\t" in line]  # the lines a table may hold
    while i < n:
        if "\t" not in lines[i]:  # not a table's: on to the next line with a tab
            at = bisect_left(tabbed, i)
            i = tabbed[at] if at < len(tabbed) else n
            continue
        if not grid.header(i):
            block = headed_block(grid, i) if "\t" in lines[i] and lines[i].strip() else None
            if block is None:
                i += 1
                while 0 < i < n and "\t" in lines[i - 1] and "\t" in lines[i] and lines[i].strip():
                    i += 1
                continue
            head_start, body_start, i = block
        else:
            head_start = i
            i += 1  # (a heading row, as just read)
            while i < n and grid.header(i):
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
        if pre.footnote and found and not notes[pre.note].scale:  # a table in a statement's footnotes
            pre = pre._replace(note=found[-1][0].unit_note)
        if not notes[pre.note].scale:  # a unit note only in a footnote of the table's title or headings
            pre = pre._replace(note=" ".join(filter(None, (pre.note, footnote_unit(
                lines, head_start, body_start, i, pre.title[1])))))
        for part, (h, b, e), _ in parts(grid, pre, head_start, body_start, i):
            used = set(range(h + 1, e + 1)) | part.used | (pre.used if h == head_start else set())
            found.append((_build_table(grid, part, h, b, e, taken, fiscal, columns, notes), used, part.continued))
        last_end = i
    return join_statements(found)


def _column_headers(grid: Grid, head_start: int, body_start: int, width: int) -> list[str]:
    texts = [[] for _ in range(width)]
    for k in range(head_start, body_start):
        values = grid.cells(k)[1:]
        values = (values + [""] * width)[:width] if len(values) <= width else values[-width:]
        current = ""
        for idx, value in enumerate(values):
            current = value or current  # a spanning header fills the columns to its right
            if current and (not texts[idx] or texts[idx][-1] != current):  # (a header repeated below it is one)
                texts[idx].append(current)
    return [" ".join(t) for t in texts]


def _raw_rows(grid: Grid, body_start: int, end: int, width: int) -> list[RawRow]:
    """Each body line's label (its label cells joined, and where the first starts) and its value
    cells (where each starts, 1-based, and its text stripped), as many as the table has columns."""
    rows = []
    lines = grid.lines
    for k in range(body_start, end):
        parts = lines[k].split("\t")
        extra = len(parts) - 1 - width
        if extra > 0:  # label cells, then the value cells
            cells = split_cells(lines[k])
            head, tail = cells[:extra + 1], cells[extra + 1:]
            label_cells = [(c, t) for c, t in head if t.strip()]
            label = " ".join(t.strip() for _, t in label_cells)
            label_col = label_cells[0][0] + len(label_cells[0][1]) - len(label_cells[0][1].lstrip()) \
                if label_cells else 1
            starts = [col + len(part) - len(part.lstrip()) for col, part in tail]
            texts = [part.strip() for _, part in tail]
        else:
            text = parts[0]
            label = text.strip()
            label_col = 1 + len(text) - len(text.lstrip()) if label else 1
            col = len(text) + 2
            starts, texts = [], []
            for part in parts[1:]:
                text = part.strip()  # (it starts at the cell's column unless blanks lead it)
                starts.append(col if text[:1] == part[:1] else col + len(part) - len(part.lstrip()))
                texts.append(text)
                col += len(part) + 1
            if extra:
                starts += [0] * -extra
                texts += [""] * -extra
        rows.append(RawRow(k + 1, label, label_col, starts, texts))
    return rows


def _table_columns(headers: list[str], fiscal: FiscalYear, context: str, read: dict) -> tuple:
    """table_columns, each heading's parse_column read once per document (``read``)."""
    parsed = []
    for k, header in enumerate(headers):
        column = read.get((k, header, context))
        if column is None:
            column = read[(k, header, context)] = parse_column(k, header, fiscal, context)
        parsed.append(column)
    return columns_of(parsed, fiscal)


def _build_table(grid, pre, head_start, body_start, end, taken, fiscal, parsed, notes) -> Table:
    lines = grid.lines
    width = max(lines[k].count("\t") for k in range(head_start, end))  # (a line's cells, less its label)
    headers = _column_headers(grid, head_start, body_start, width)
    raw = _raw_rows(grid, body_start, end, width)
    keep = value_columns(headers, lambda: [r.texts for r in raw])
    if len(keep) < width:  # a column of note references ("Note" | "6") holds no amounts
        headers = [headers[k] for k in keep]
        for r in raw:
            r.starts, r.texts = [r.starts[k] for k in keep], [r.texts[k] for k in keep]
    unit_note = pre.note
    for k, r in enumerate(raw):  # a unit note printed as a row of the table, above its figures
        if any(r.texts):
            break
        if is_unit_note(r.label) and not notes[unit_note].scale:
            unit_note = " ".join(filter(None, (unit_note, r.label)))
            del raw[k]
            break
    columns = _table_columns(headers, fiscal, pre.period, parsed)
    note = notes[unit_note]
    scale = note.scale or heading_scale(headers)
    title_line, title_text = pre.title
    columns = trailing(columns, title_text)
    tid = table_id(title_text, taken)
    shares = note.shares_scale(scale)
    entries = structure(raw, len(columns), (scale, shares), grid.readings)
    undated = any(c.period is None for c in columns)  # (figures of dated columns keep their column's period)
    finish = Finish(scale, note.silent, bool(_PER_SHARE_ROW.search(title_text)) and not scale, note.currency,
                    note.measure,
                    (lambda text: row_period(text, fiscal)) if undated else None, compared_periods(columns))
    rows = with_label_figures(make_rows(entries, columns, tid, finish), lines, columns, scale, shares, tid)
    line_text = lines[title_line - 1] if 0 < title_line <= len(lines) else ""
    col = line_text.find(title_text) + 1 if title_text else 1
    span = Span(title_line, max(col, 1), max(col, 1) + len(title_text))
    return Table(id=tid, title=title_text, span=span, unit_note=unit_note, scale=scale, columns=columns, rows=tuple(rows))


def table_id(title: str, taken: dict[str, int]) -> str:
    """A short stable id from a title: 'Unaudited Condensed Consolidated Balance Sheets' -> 'balance-sheets'."""
    words = [w for w in _ALNUM.findall(title) if not _TITLE_WORDS.match(w)]
    slug = "-".join(w.lower() for w in words) or "table"
    taken[slug] = taken.get(slug, 0) + 1
    return slug if taken[slug] == 1 else f"{slug}-{taken[slug]}"
