"""EDGAR HTML exhibits -> the plain-text layout audit.extract reads (html.parser, driven by html_scan).

Prose blocks become lines. A table with numbers becomes tab-separated lines: heading rows with an
empty first cell, then one line per row, label + one cell per value column. Value columns are
found from where each row's figures stand (after colspan and rowspan), so spacer cells, a "$" on
some rows only and label-less subtotal rows keep their columns; the cells a Workiva-style table
splits a value over ("(" | "$" | "293,618" | ")", "(365,241" | ")", "12.5" | "%", "(1.5" | ")pts")
are joined. Headings: a heading spanning columns is repeated in each, a bare year is a heading,
a unit note in the heading rows' label cell goes above them, a heading row the text layout would
not read as one is joined to its neighbour, and a blank heading is given its own column's
heading where the text layout would otherwise give it its left neighbour's period. Footnote
markers ("(1)", "(A)", "*", a superscript) stay with the row's label, never a figure or a column;
a superscript one ("% Change<sup>i</sup>") is no part of a column heading.
A comparison column ("Up 34%", "(1.5)pts", "Flat", "% Change") is a column of its own, its
heading saying "change". A table without numbers (a letterhead) becomes plain lines.

Every rendered character keeps the offset in the markup it came from (``render_html``): text is
carried as ``Traced`` (a string and one origin per character, -1 for characters the rendering made
up), through white-space collapsing, cell joining and the table layout.
"""
from __future__ import annotations

import re
from html import unescape
from typing import NamedTuple, Optional

from ..base.errors import InputError
from .html_flow import EMPTY, Flow, Traced
from .html_scan import ScanParser, attr_values, attrs
from .html_tables import render_table
from .html_walk import _BLOCK, _CHARREF, _INLINE, _LINE_BREAKING, _PARAGRAPH, _SPANS, walk
from .html_walk import span as _span
from .layout import Readings

_SKIP = frozenset({"style", "script", "head", "title", "noscript", "template", "ix:header", "xml"})
_SGML = frozenset({"type", "sequence", "filename", "description"})  # EDGAR header: skip their values
_FOOTNOTE = re.compile(r"^\s*\(?(\*?\d{1,3})\)?\s*$")  # a superscript "1" or "(1)" -> "^{1}", as in the text layout
#: A superscript that is a footnote marker: "1", "(a)", "i", "ii", "*", "†", "1,2" (not "th", "TM", "SM", "®");
#: one without a digit, or a list, is written "^{a}", "^{ii,iii}", "^{1,2}" (_written_marker: the forms marks reads).
_SUP_MARK = re.compile(r"^\s*[(\[]?(?:\*{1,3}|[†‡§¶#]{1,2}|\*?\d{1,3}|[A-Za-z]|[ivx]{2,5}|[IVX]{2,5})"
                       r"(?:\s*,\s*(?:\d{1,3}|[A-Za-z]|[ivx]{2,5}|[IVX]{2,5}))*[)\]]?\s*$")


def _written_marker(data: str, origins: list[int]) -> tuple[str, list[int]]:
    """A superscript footnote mark of letters or symbols ("i", "(a)", "*", "ii, iii") or a list of
    numbers ("1, 2") as the marker "^{i}", "^{1,2}" (marks.LETTERS, marks.DIGITS), as a superscript "1"
    is "^{1}": its marks without brackets and spaces."""
    kept = [k for k, c in enumerate(data) if not c.isspace() and c not in "()[]"]
    return "^{" + "".join(data[k] for k in kept) + "}", [-1, -1, *(origins[k] for k in kept), -1]


class Rendered(NamedTuple):
    """What ``render_html`` returns: the text, and where each of its characters came from.

    A character printed by a reference ("&#8212;", "&nbsp;") maps to the reference's "&"; a space
    that stands for a run of white space (or a line break, a no-break space) to the run's first
    character; characters the rendering made up (tabs, spaces joining lines and cells, the "^{"
    "}" around footnote markers, " USD" and " change" added to headings) are -1.
    """

    text: str  # exactly what html_to_text returns
    origins: list[list[int]]  # per line of text.split("\n"): each character's offset in the markup, or -1
    readings: Optional[Readings] = None  # the cell texts read in its tables (numbers.cell_fields), for the table finder


class _Table:
    """A table being read: rows of cells."""

    __slots__ = ("rows", "row", "cell")

    def __init__(self):
        self.rows: list[list[Flow]] = []
        self.row: Optional[list[Flow]] = None
        self.cell: Optional[Flow] = None

    def end_cell(self) -> None:
        if self.cell is not None:
            self.cell.end_line()
            if self.row is None:
                self.row = []
            self.row.append(self.cell)
            self.cell = None

    def end_row(self) -> None:
        self.end_cell()
        if self.row is not None:
            self.rows.append(self.row)
            self.row = None


class _Renderer(ScanParser):
    """Feeds on HTML, collects the document's lines, each character with its offset in the markup."""

    def __init__(self, markup: str):
        # References are converted by the parser (convert_charrefs=True): its other mode hands the
        # rest of the document over as text after a second stray "&#". The origins of converted
        # text are found again in the markup (_origins). ``self.at`` is where a token starts.
        super().__init__()
        self.markup = markup
        self.refs: dict[str, tuple[str, int]] = {}
        self.doc = Flow()
        self.tables: list[_Table] = []
        self.skip: list[str] = []
        self.sgml = False
        self.pre = 0
        self.sup: list[str] = []
        self.readings = Readings()  # the cell texts read in this document's tables

    def goahead(self, end):
        walk(self, end)  # html_scan's loop, this class's commonest events handled in place

    def parse_marked_section(self, i, report=1):
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # an unknown "<![foo[" section: skipped to its ">", as browsers do
            end = self.rawdata.find(">", i)
            return -1 if end < 0 else end + 1

    def flow(self) -> Flow:
        tables = self.tables
        if tables:
            cell = tables[-1].cell
            if cell is not None:
                return cell
            for table in reversed(tables):
                if table.cell is not None:
                    return table.cell
        return self.doc  # text between cells belongs before the table, as browsers show it

    def handle_starttag_text(self, tag, listed, closed):
        # Only a style that says "super" and a cell's colspan and rowspan are read: the others are
        # not taken apart (a value with a reference may say anything: those are).
        plain = not listed or ("&" not in listed and "super" not in listed)
        if plain and tag in _INLINE:  # (what _start does with it)
            self.sgml = False
        elif plain and tag in _LINE_BREAKING:  # (what _start does with it)
            self.sgml = False
            if not self.skip:
                self.flow().end_line()
        elif plain and (tag == "td" or tag == "th") and not self.skip:  # (what _start does with it)
            self.sgml = False
            tables = self.tables
            if tables:
                table = tables[-1]
                table.end_cell()
                spans = attr_values(listed, _SPANS) if listed and "span" in listed.lower() else None
                table.cell = Flow(_span(spans.get("colspan")), _span(spans.get("rowspan"))) if spans else Flow()
        elif not listed:
            self._start(tag, None)
        elif "&" in listed or "super" in listed:
            found = attrs(listed)
            self._start(tag, dict(found) if found else None)
        elif (tag == "td" or tag == "th") and "span" in listed.lower():
            self._start(tag, attr_values(listed, _SPANS) or None)
        else:
            self._start(tag, None)
        if closed:
            self.handle_endtag(tag)

    def handle_starttag(self, tag, attrs):
        self._start(tag, dict(attrs) if attrs else None)

    def _start(self, tag: str, attrs: Optional[dict]) -> None:
        """A start tag: ``attrs`` its attributes (None: none of those read here)."""
        self.sgml = tag in _SGML
        if tag in _SKIP:
            self.skip.append(tag)
            return
        if tag == "body":  # a <head> left open ends here
            self.skip[:] = [t for t in self.skip if t not in ("head", "title")]  # (the same list: html_walk keeps it)
        if self.skip:
            return
        if tag == "sup":
            self.sup.append(tag)
        elif attrs:
            style = attrs.get("style")
            if style and "super" in style and "vertical-align:super" in style.replace(" ", ""):
                self.sup.append(tag)
        tables = self.tables
        if tag == "td" or tag == "th":
            if tables:
                table = tables[-1]
                table.end_cell()
                table.cell = Flow(_span(attrs.get("colspan")), _span(attrs.get("rowspan"))) if attrs else Flow()
        elif tag == "table":
            self.flow().end_line()
            if tables and tables[-1].cell is not None:
                tables[-1].cell.nested = True
            tables.append(_Table())
        elif tag == "tr" and tables:
            tables[-1].end_row()
            tables[-1].row = []
        elif tag == "br":
            self.flow().end_line(blank=True)
        elif tag in _BLOCK:
            self.flow().end_line()
            self.pre += tag == "pre"

    def handle_endtag(self, tag):
        self.sgml = False
        if tag in _INLINE:  # (what the lines below do with it)
            if self.sup and self.sup[-1] == tag and not self.skip:
                self.sup.pop()
            return
        if tag in _LINE_BREAKING:  # (what the lines below do with it)
            if not self.skip:
                if self.sup and self.sup[-1] == tag:
                    self.sup.pop()
                flow = self.flow()
                flow.end_line()
                if tag in _PARAGRAPH:
                    flow.lines.append(EMPTY)
            return
        if tag in _SKIP:
            if tag in self.skip:
                del self.skip[len(self.skip) - 1 - self.skip[::-1].index(tag):]
            return
        if self.skip:
            return
        if self.sup and self.sup[-1] == tag:
            self.sup.pop()
        tables = self.tables
        if tag == "td" or tag == "th":
            if tables:
                tables[-1].end_cell()
        elif tag == "tr" and tables:
            tables[-1].end_row()
        elif tag == "table" and tables:
            self._close_table()
        elif tag in _BLOCK:
            flow = self.flow()
            flow.end_line()
            if tag in _PARAGRAPH:
                flow.lines.append(EMPTY)
            self.pre -= tag == "pre" and self.pre > 0

    def handle_data(self, data):
        if self.skip or self.sgml:
            return
        flow = self.flow()
        if data.isspace() and not self.pre:
            if not flow.inline or (flow is self.doc and self.tables):
                return  # white space that starts a line is dropped anyway
            flow.inline.append((data, [self.at] * len(data)))  # only its first counts
            return
        start = self.at  # where this text starts in the markup
        if self.markup.startswith(data, start):
            origins = list(range(start, start + len(data)))
        else:  # references were converted
            origins = self._origins(data, start)
        if self.sup and flow is not self.doc and _SUP_MARK.match(data):  # (a heading drops it: html_tables)
            marks = flow.marks if flow.marks is not None else set()
            flow.marks = marks
            marks.update(o for c, o in zip(data, origins) if o >= 0 and not c.isspace())
        marker = _FOOTNOTE.match(data) if self.sup else None
        if marker:
            data, origins = "^{" + marker.group(1) + "}", [-1, -1, *origins[marker.start(1):marker.end(1)], -1]
        elif self.sup and _SUP_MARK.match(data) and ("," in data or not any(c.isdigit() for c in data)):
            data, origins = _written_marker(data, origins)
        if self.pre:
            at = 0
            for k, part in enumerate(data.split("\n")):
                if k:
                    flow.end_line(blank=True)
                flow.inline.append((part, origins[at:at + len(part)]))
                at += len(part) + 1
            return
        flow.inline.append((data, origins))

    def _origins(self, data: str, start: int) -> list[int]:
        """The markup offset of each character of a text chunk (``data``, as html.parser converted
        it) that starts at ``start``: plain characters map to themselves, the character(s) a
        reference prints to its "&" (what html.unescape keeps of it as printed, to itself)."""
        markup, need = self.markup, len(data)
        end = markup.find("<", start + 1)
        end = len(markup) if end < 0 else end
        out: list[int] = []
        at = start
        while True:
            done = len(out)
            amp = markup.find("&", at, end)
            if amp < 0 or done + amp - at >= need:
                if markup.startswith(data[done:], at):
                    out += range(at, at + need - done)
                break
            if not markup.startswith(data[done:done + amp - at], at):
                break
            out += range(at, amp)
            match = _CHARREF.match(markup, amp, end)
            ref = match.group() if match else "&"
            found = self.refs.get(ref)
            if found is None:
                text = unescape(ref)
                tail = 0  # "&ampx" reads "&x": the "x" is itself
                while tail < len(text) - 1 and tail < len(ref) - 1 and text[-1 - tail] == ref[-1 - tail]:
                    tail += 1
                found = self.refs[ref] = (text, tail)
            text, tail = found
            if not data.startswith(text, len(out)):
                break
            out += [amp] * (len(text) - tail)
            out += range(amp + len(ref) - tail, amp + len(ref))
            at = amp + len(ref)
        if len(out) != need:  # a chunk html.parser cut otherwise: its characters are made up
            return [-1] * need
        return out

    def _close_table(self) -> None:
        table = self.tables.pop()
        table.end_row()
        flow = self.flow()
        flow.end_line()
        flow.lines.extend(render_table(table.rows, self.readings))

    def result(self) -> list[Traced]:
        while self.tables:
            self._close_table()
        self.doc.end_line()
        out: list[Traced] = []
        for line in self.doc.lines:
            if line.s.strip() or (out and out[-1].s.strip()):
                out.append(line)
        while out and not out[-1].s.strip():
            out.pop()
        return out


def render_html(markup: str, path: str = "<html>") -> Rendered:
    """The text of an HTML document in the layout audit.extract reads, and the offset in
    ``markup`` of each character of each line (-1 where the rendering made it up: tabs, joining
    spaces, the "^{" "}" around footnote markers, " USD"); InputError when it holds no text."""
    parser = _Renderer(markup)
    try:
        parser.scan(markup)  # the events of html.parser's feed + close, read faster (html_scan)
    except (AssertionError, ValueError) as exc:  # html.parser gives up on a few broken declarations
        raise InputError(f"{path}: cannot be read as HTML ({exc})") from None
    lines = parser.result()
    if not any(line.s.strip() for line in lines):
        raise InputError(f"{path}: HTML file holds no text (nothing outside its tags, styles and scripts)")
    return Rendered("\n".join(line.s for line in lines) + "\n", [list(line.o) for line in lines] + [[]],
                    parser.readings)


def html_to_text(markup: str, path: str = "<html>") -> str:
    """The text of an HTML document in the layout audit.extract reads; InputError when none."""
    return render_html(markup, path).text
