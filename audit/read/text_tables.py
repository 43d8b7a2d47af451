"""Plain-text tables -> the tab layout that the table reader reads.

Older filings print their statements as text: columns aligned with spaces, or SGML <TABLE>
blocks whose <S> and <C> markers open the stub and each column. ``layout`` rewrites every such
table, in a copy of the lines, as the tab layout HTML renders to: a heading row (an empty first
cell, then each column's heading, joined from the heading lines above it), then one row per line
(the label, then a cell per column). Columns are found from where the figures stand: numbers are
right-aligned, so the last digit of every figure of a column falls in the same place.

Every character keeps its line and column, so each figure's line, column and byte offset are
those of the file: a tab replaces the space before a cell; dot leaders, SGML markers, note markers
after a figure ("1,234(a)") and a "$" that read_cell cannot read ("$ (806)", "$ -") become
spaces; a blank line inside a table becomes a lone tab; heading lines and rules become empty
lines (the heading row is written over the last of them, and a unit note printed beside the
headings over the one above it). A label wrapped over several lines is joined on the last of its
lines above its figures. Lines outside tables, and the title and unit-note lines above a table,
are left as they are: the table reader finds them there.
"""
from __future__ import annotations

import re
from typing import Optional

from .numbers import read_cell
from .text_headings import NOTE, TextTable, heading_cells, read_header
from .text_lines import YEAR, Line, TextColumn, find_columns, indent_of, is_prose, place, regions

GAP = "\t"  # a blank line inside a table

_JOIN_AFTER = re.compile(r"(?:\b(?:and|or|of|to|for|in|on|the|before|from|with|by|at)|[,&])$", re.IGNORECASE)


def _wrapped(info: list[Line], body: list[int]) -> dict[int, tuple[int, str]]:
    """Labels wrapped over lines: {line of the figures (or the last line): (first line, label)}."""
    out: dict[int, tuple[int, str]] = {}
    k = 0
    while k < len(body):
        i = body[k]
        line = info[i]
        text = line.clean[:line.label_end].strip() if line.cells else line.clean.strip()
        if line.cells or not text or text.endswith((":", "-")) or text.isupper():
            k += 1
            continue
        indent = indent_of(line.clean)
        chain, inner, m = [i], None, k + 1
        while m < len(body) and body[m] == body[m - 1] + 1:
            nxt = info[body[m]]
            label = nxt.clean[:nxt.label_end].strip() if nxt.cells else nxt.clean.strip()
            at = indent_of(nxt.clean)
            if not label:
                break
            if inner is None:
                if at <= indent or not (label[0].islower() or label[0] == "(" or _JOIN_AFTER.search(text)
                                        or (text.lower().startswith("total ") and nxt.cells)):
                    break
                inner = at
            elif at != inner:
                break
            chain.append(body[m])
            m += 1
            if nxt.cells or label.endswith(":"):
                break
        if len(chain) > 1:
            parts = [(info[c].clean[:info[c].label_end] if info[c].cells else info[c].clean).strip() for c in chain]
            out[chain[-1]] = (chain[0], " ".join(parts))
        k = max(m, k + 1) if len(chain) > 1 else k + 1
    return out


# -- writing the layout ---------------------------------------------------------------------

def _value_row(line: Line, width: int, blank_label: bool) -> str:
    chars = list(line.clean)
    if blank_label:
        chars[:line.label_end] = " " * line.label_end
    placed = set(line.cells.values())
    first = min(t.start for t in placed)
    for tok in line.tokens:
        if tok not in placed and tok.start > first:
            chars[tok.start:tok.end] = " " * (tok.end - tok.start)  # a figure in no column
    prev, prev_col = line.label_end, -1
    for c in sorted(line.cells):
        tok = line.cells[c]
        if tok.text.startswith("$") and read_cell(tok.text) is None:
            chars[tok.start] = " "  # "$ (806)", "$ -": the column says the currency
        need = c - prev_col
        spots = []  # the nearest spaces left of the figure: a tab for each column it moves on
        for p in range(tok.start - 1, prev - 1, -1):
            if chars[p] == " ":
                spots.append(p)
                if len(spots) == need:
                    break
        if len(spots) < need:
            return ""
        for p in spots:
            chars[p] = "\t"
        prev, prev_col = tok.end, c
    return "".join(chars).rstrip(" ") + "\t" * (width - 1 - prev_col)


def _write(out: list[str], info: list[Line], table: TextTable, head: int, body: list[int]) -> None:
    width = len(table.columns)
    if table.sub >= 0:  # the heading row above the sub-heading, which heads the rows
        head, body = table.sub - 1, [table.sub] + [k for k in body if k > table.sub]
    for k in range(min(table.lines, default=head), head):
        if k in table.lines or info[k].rule or info[k].blank or info[k].sgml:
            out[k] = ""
    if table.note:
        spare = [k for k in table.lines if k < head]
        if spare:
            out[spare[-1]] = " ".join(table.note)
    _title(out, info, min(table.lines + [head]))
    out[head] = "\t" + "\t".join(table.headings(info))
    done: set[int] = set()
    for last, (first, label) in _wrapped(info, body).items():
        holder = last - 1 if info[last].cells else last
        if info[last].cells:
            out[last] = _value_row(info[last], width, True) or GAP
        out[holder] = " " * indent_of(info[first].clean) + label + "\t" * width
        for m in range(first, holder):
            out[m] = GAP
        done.update(range(first, last + 1))
    body_set = set(body)
    for k in range(head + 1, body[-1] + 1):
        if k in done:
            continue
        line = info[k]
        if k not in body_set or line.blank or line.rule:
            out[k] = GAP
        elif line.cells:
            out[k] = _value_row(line, width, False) or GAP
        else:
            text = line.clean.strip()
            out[k] = GAP if text.startswith("(") and text.endswith(")") else line.clean.rstrip() + "\t" * width


def _title(out: list[str], info: list[Line], top: int) -> None:
    """A title printed over two lines with a hanging indent ("... SUMMARY OF CERTAIN" / " SIGNIFICANT
    ITEMS") is joined on its first line, above the unit note."""
    k = top - 1
    while k > 0 and top - k <= 6 and (info[k].blank or NOTE.match(info[k].clean.strip())):
        k -= 1
    if k < 1 or info[k].blank or info[k - 1].blank or info[k].tokens or info[k - 1].sgml or info[k].sgml:
        return
    upper, lower = info[k - 1].clean, info[k].clean
    if 0 < indent_of(lower) - indent_of(upper) <= 4 and upper.strip().isupper() and lower.strip().isupper():
        out[k - 1], out[k] = upper.rstrip() + " " + lower.strip(), ""


_TWO_SPACES = re.compile("  ")  # (its search is faster than str's on text that holds many single spaces)


def layout(lines: list[str], plain: Optional[list[tuple[int, int]]] = None) -> list[str]:
    """The lines with every plain-text table rewritten in the tab layout (see the module's doc).
    Only the lines of the ``plain`` ranges (0-based, end exclusive; default all) are read: the
    rest is an HTML rendering. Lines that hold a tab already (a tab-separated filing) are never
    touched."""
    ranges = [(0, len(lines))] if plain is None else plain
    if not any(_TWO_SPACES.search("\n".join(lines[a:b])) for a, b in ranges):  # no line of them holds two
        return lines
    inside = [False] * len(lines)
    for a, b in ranges:
        inside[a:b] = [True] * (b - a)
    info = [Line(line, not keep) for line, keep in zip(lines, inside)]
    out = list(lines)
    floor = -1
    prev: Optional[tuple[TextTable, int]] = None
    for first, last, sgml in regions(info):
        if sgml:
            for k in range(first, last + 1):
                if info[k].sgml:
                    out[k] = ""  # <TABLE>, <CAPTION>: the title stands above them
        columns = find_columns(info, range(first, last + 1))
        if not columns:
            continue
        if not sgml:
            last = _extend(info, last, columns)
        for k in range(first, last + 1):
            if info[k].tokens and not all(YEAR.match(t.text) for t in info[k].tokens):
                place(info, k, columns)
        for table, head, body in _parts(info, range(first, last + 1), columns, floor, sgml):
            if head < 0 or not body:
                continue
            if prev is not None and table.key() == prev[0].key() and _between(info, prev[0], table):
                # the same headings again: the table goes on (its sub-heading heads the next rows)
                table.body = prev[0].body + ([table.sub] if table.sub >= 0 else []) + body
                table.lines, table.sub, table.note = [], prev[0].sub, prev[0].note
                head = prev[1]
            _write(out, info, table, head, table.body)
            prev = (table, head)
        floor = last
    return out


def _between(info: list[Line], before: TextTable, after: TextTable) -> bool:
    """Only blank lines, rules, markers, a sub-heading and headings between two tables."""
    top = min(after.lines + ([after.sub] if after.sub >= 0 else []), default=after.body[0])
    return all(info[k].blank or info[k].rule or info[k].sgml or k == after.sub or k in after.lines
               for k in range(before.body[-1] + 1, top))


def _extend(info: list[Line], last: int, columns: list[TextColumn]) -> int:
    """Take in the rows of one figure just below the aligned rows ("Total ... $0.04")."""
    left = min(c.left for c in columns)
    k, blanks = last + 1, 0
    while k < len(info) and blanks < 2 and not info[k].sgml and not is_prose(info[k]):
        line = info[k]
        blanks = blanks + 1 if line.blank else 0
        inside = [t for t in line.tokens if t.start >= left - 2]
        if any(c.isdigit() for t in inside for c in t.text) and all(any(abs(c.right - t.anchor) <= 2 for c in columns) for t in inside):
            last = k
        elif not line.blank and not line.tokens and heading_cells(line, columns, left) is not None:
            break
        k += 1
    return last


def _parts(info: list[Line], rows: range, columns: list[TextColumn], floor: int, sgml: bool):
    """Split a region where new heading lines follow rows of figures: each part's table, the
    line of its heading row (-1: none) and its body lines."""
    out, lo = [], floor
    values = [i for i in rows if info[i].cells]
    margin = _margin(info, rows)
    while values:
        first = values[0]
        table = TextTable(columns)
        head = read_header(info, table, first, lo, sgml, margin)
        end = first
        for i in values:
            if i > first and _has_heading(info, end, i, columns, margin):
                break
            end = i
        table.body = [i for i in range(head + 1 if head >= 0 else first, end + 1) if i not in table.lines
                      and not (info[i].blank or info[i].rule or info[i].sgml)]
        out.append((table, head, table.body))
        values = [i for i in values if i > end]
        lo = end
    return out


def _has_heading(info: list[Line], a: int, b: int, columns: list[TextColumn], margin: int) -> bool:
    left = min(c.left for c in columns)
    return any(not (info[k].cells or info[k].blank or info[k].rule)
               and heading_cells(info[k], columns, left, margin) is not None for k in range(a + 1, b))


def _margin(info: list[Line], rows: range) -> int:
    """Where the labels of the rows of figures start."""
    labelled = [k for k in rows if info[k].tokens and info[k].clean[:info[k].tokens[0].start].strip()]
    return min((indent_of(info[k].clean) for k in labelled), default=0)
