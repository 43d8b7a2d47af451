"""EDGAR HTML exhibits -> the plain-text layout audit.extract reads (html.parser only).

Prose blocks become lines. A table with numbers becomes tab-separated lines: heading rows with an
empty first cell, then one line per row, label + one cell per value column. Value columns are
found from where each row's figures stand (after colspan and rowspan), so spacer cells, a "$" on
some rows only and label-less subtotal rows keep their columns; the cells a Workiva-style table
splits a value over ("(" | "$" | "293,618" | ")", "(365,241" | ")", "12.5" | "%", "(1.5" | ")pts")
are joined. Headings: a heading spanning columns is repeated in each, a bare year is a heading,
a unit note in the heading rows' label cell goes above them, a heading row the text layout would
not read as one is joined to its neighbour, and a blank heading is given its own column's
heading where the text layout would otherwise give it its left neighbour's period. Footnote
markers ("(1)", "(A)", "*", a superscript) stay with the row's label, never a figure or a column.
A comparison column ("Up 34%", "(1.5)pts", "Flat", "% Change") is a column of its own, its
heading saying "change". A table without numbers (a letterhead) becomes plain lines.

Every rendered character keeps the offset in the markup it came from (``render_html``): text is
carried as ``_T`` (a string and one origin per character, -1 for characters the rendering made
up), through white-space collapsing, cell joining and the table layout.
"""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from itertools import accumulate
from typing import Iterable, NamedTuple, Optional

from .errors import InputError
from .numbers import NIL_CELLS, read_cell

_SKIP = frozenset({"style", "script", "head", "title", "noscript", "template", "ix:header", "xml"})
_SGML = frozenset({"type", "sequence", "filename", "description"})  # EDGAR header: skip their values
_BLOCK = frozenset({"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote",
                    "center", "dl", "dt", "dd", "hr", "pre", "address", "section", "article", "header",
                    "footer", "body", "html", "document", "text", "page", "caption"})
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "dl"})
_INVISIBLE = re.compile("[\u200b\u00ad\ufeff]")
_WORD_RUN = re.compile(r"\S+")
_FOOTNOTE = re.compile(r"^\s*\(?(\*?\d{1,3})\)?\s*$")  # a superscript "1" or "(1)" -> "^{1}", as in the text layout
#: A character reference as html.unescape reads it (the same pattern as the standard library's).
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")


class Rendered(NamedTuple):
    """What ``render_html`` returns: the text, and where each of its characters came from.

    A character printed by a reference ("&#8212;", "&nbsp;") maps to the reference's "&"; a space
    that stands for a run of white space (or a line break, a no-break space) to the run's first
    character; characters the rendering made up (tabs, spaces joining lines and cells, the "^{"
    "}" around footnote markers, " USD" and " change" added to headings) are -1.
    """

    text: str  # exactly what html_to_text returns
    origins: list[list[int]]  # per line of text.split("\n"): each character's offset in the markup, or -1


# -- text that knows where it came from ---------------------------------------------------------

class _T:
    """A piece of rendered text and, per character, its offset in the markup (-1: made up)."""

    __slots__ = ("s", "o")

    def __init__(self, s: str, o: list[int]):
        self.s, self.o = s, o

    @staticmethod
    def made(s: str) -> "_T":
        return _T(s, [-1] * len(s))

    def __add__(self, other) -> "_T":
        if isinstance(other, str):
            return _T(self.s + other, self.o + [-1] * len(other))
        return _T(self.s + other.s, self.o + other.o)

    def __radd__(self, other: str) -> "_T":
        return _T(other + self.s, [-1] * len(other) + self.o)

    def __getitem__(self, key: slice) -> "_T":
        return _T(self.s[key], self.o[key])

    def __len__(self) -> int:
        return len(self.s)

    def __bool__(self) -> bool:
        return bool(self.s)

    def __repr__(self) -> str:
        return f"_T({self.s!r})"

    def strip(self, chars: Optional[str] = None) -> "_T":
        core = self.s.strip(chars)
        if len(core) == len(self.s):
            return self
        start = len(self.s) - len(self.s.lstrip(chars))
        return _T(core, self.o[start:start + len(core)])

    def lstrip(self, chars: Optional[str] = None) -> "_T":
        rest = self.s.lstrip(chars)
        return self if len(rest) == len(self.s) else self[len(self.s) - len(rest):]

    @staticmethod
    def join(sep: str, parts: Iterable["_T"]) -> "_T":
        texts: list[str] = []
        origins: list[int] = []
        gap = [-1] * len(sep)
        for part in parts:
            if texts:
                origins += gap
            texts.append(part.s)
            origins += part.o
        return _T(sep.join(texts), origins)


_EMPTY = _T("", [])


def _collapse(text: str, origins: list[int]) -> _T:
    """White-space runs as one space (the first character of the run keeps its origin), no
    leading or trailing white space, invisible characters (zero-width space, soft hyphen) out."""
    if _INVISIBLE.search(text):
        keep = [k for k, c in enumerate(text) if c not in "\u200b\u00ad\ufeff"]
        text, origins = "".join(text[k] for k in keep), [origins[k] for k in keep]
    words = text.split()
    if len(words) < 2:
        if not words:
            return _EMPTY
        start = text.find(words[0])  # only white space stands before it
        return _T(words[0], origins[start:start + len(words[0])] if len(words[0]) < len(text) else origins)
    line = " ".join(words)
    core = text.strip()
    if line == core:
        start = len(text) - len(text.lstrip())
        return _T(line, origins[start:start + len(core)] if len(core) < len(text) else origins)
    out: list[int] = []
    last = -1
    for match in _WORD_RUN.finditer(text):
        if last >= 0:
            out.append(origins[last])
        out += origins[match.start():match.end()]
        last = match.end()
    return _T(line, out)


class _Flow:
    """Lines being built: the document's, or one table cell's."""

    def __init__(self, colspan: int = 1, rowspan: int = 1):
        self.lines: list[_T] = []
        self.inline: list[tuple[str, list[int]]] = []
        self.colspan, self.rowspan = colspan, rowspan
        self.nested = False  # a table cell that holds a table

    def end_line(self, blank: bool = False) -> None:
        inline, self.inline = self.inline, []
        if len(inline) == 1:
            line = _collapse(*inline[0])
        elif inline:
            origins: list[int] = []
            for _, part in inline:
                origins += part
            line = _collapse("".join(text for text, _ in inline), origins)
        else:
            line = _EMPTY
        if line or blank:
            self.lines.append(line)

    def text(self) -> _T:
        self.end_line()
        lines = self.lines
        if len(lines) < 2:
            return lines[0] if lines else _EMPTY
        return _T.join(" ", (line for line in lines if line.s))


class _Table:
    """A table being read: rows of cells."""

    def __init__(self):
        self.rows: list[list[_Flow]] = []
        self.row: Optional[list[_Flow]] = None
        self.cell: Optional[_Flow] = None

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


class _Renderer(HTMLParser):
    """Feeds on HTML, collects the document's lines, each character with its offset in the markup."""

    def __init__(self, markup: str):
        # References are converted by the parser (convert_charrefs=True): its other mode hands the
        # rest of the document over as text after a second stray "&#". The origins of converted
        # text are found again in the markup (_origins).
        super().__init__(convert_charrefs=True)
        self.markup = markup
        self.line_starts = [0, *accumulate(len(line) + 1 for line in markup.split("\n"))]
        self.refs: dict[str, tuple[str, int]] = {}
        self.doc = _Flow()
        self.tables: list[_Table] = []
        self.skip: list[str] = []
        self.sgml = False
        self.pre = 0
        self.sup: list[str] = []

    def parse_marked_section(self, i, report=1):
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # an unknown "<![foo[" section: skipped to its ">", as browsers do
            end = self.rawdata.find(">", i)
            return -1 if end < 0 else end + 1

    def flow(self) -> _Flow:
        for table in reversed(self.tables):
            if table.cell is not None:
                return table.cell
        return self.doc  # text between cells belongs before the table, as browsers show it

    def handle_starttag(self, tag, attrs):
        self.sgml = tag in _SGML
        if tag in _SKIP:
            self.skip.append(tag)
            return
        if tag == "body":  # a <head> left open ends here
            self.skip = [t for t in self.skip if t not in ("head", "title")]
        if self.skip:
            return
        attrs = dict(attrs)
        style = attrs.get("style")
        if tag == "sup" or (style and "super" in style and "vertical-align:super" in style.replace(" ", "")):
            self.sup.append(tag)
        if tag == "table":
            self.flow().end_line()
            if self.tables and self.tables[-1].cell is not None:
                self.tables[-1].cell.nested = True
            self.tables.append(_Table())
        elif tag in ("td", "th") and self.tables:
            table = self.tables[-1]
            table.end_cell()
            table.cell = _Flow(_span(attrs.get("colspan")), _span(attrs.get("rowspan")))
        elif tag == "tr" and self.tables:
            self.tables[-1].end_row()
            self.tables[-1].row = []
        elif tag == "br":
            self.flow().end_line(blank=True)
        elif tag in _BLOCK:
            self.flow().end_line()
            self.pre += tag == "pre"

    def handle_endtag(self, tag):
        self.sgml = False
        if tag in _SKIP:
            if tag in self.skip:
                del self.skip[len(self.skip) - 1 - self.skip[::-1].index(tag):]
            return
        if self.skip:
            return
        if self.sup and self.sup[-1] == tag:
            self.sup.pop()
        if tag in ("td", "th") and self.tables:
            self.tables[-1].end_cell()
        elif tag == "tr" and self.tables:
            self.tables[-1].end_row()
        elif tag == "table" and self.tables:
            self._close_table()
        elif tag in _BLOCK:
            flow = self.flow()
            flow.end_line()
            if tag in _PARAGRAPH:
                flow.lines.append(_EMPTY)
            self.pre -= tag == "pre" and self.pre > 0

    def handle_data(self, data):
        if self.skip or self.sgml:
            return
        flow = self.flow()
        if data.isspace() and not self.pre:
            if not flow.inline or (flow is self.doc and self.tables):
                return  # white space that starts a line is dropped anyway
            line, col = self.getpos()
            flow.inline.append((data, [self.line_starts[line - 1] + col] * len(data)))  # only its first counts
            return
        line, col = self.getpos()  # where this text starts: html.parser counts lines on "\n" only
        start = self.line_starts[line - 1] + col
        if self.markup.startswith(data, start):
            origins = list(range(start, start + len(data)))
        else:  # references were converted
            origins = self._origins(data, start)
        marker = _FOOTNOTE.match(data) if self.sup else None
        if marker:
            data, origins = "^{" + marker.group(1) + "}", [-1, -1, *origins[marker.start(1):marker.end(1)], -1]
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
        flow.lines.extend(render_table(table.rows))

    def result(self) -> list[_T]:
        while self.tables:
            self._close_table()
        self.doc.end_line()
        out: list[_T] = []
        for line in self.doc.lines:
            if line.s.strip() or (out and out[-1].s.strip()):
                out.append(line)
        while out and not out[-1].s.strip():
            out.pop()
        return out


def _span(value) -> int:
    if value is None:
        return 1
    try:
        return min(max(int(str(value).strip()), 1), 1000)
    except (TypeError, ValueError):
        return 1


def render_html(markup: str, path: str = "<html>") -> Rendered:
    """The text of an HTML document in the layout audit.extract reads, and the offset in
    ``markup`` of each character of each line (-1 where the rendering made it up: tabs, joining
    spaces, the "^{" "}" around footnote markers, " USD"); InputError when it holds no text."""
    parser = _Renderer(markup)
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError) as exc:  # html.parser gives up on a few broken declarations
        raise InputError(f"{path}: cannot be read as HTML ({exc})") from None
    lines = parser.result()
    if not any(line.s.strip() for line in lines):
        raise InputError(f"{path}: HTML file holds no text (nothing outside its tags, styles and scripts)")
    return Rendered("\n".join(line.s for line in lines) + "\n", [list(line.o) for line in lines] + [[]])


def html_to_text(markup: str, path: str = "<html>") -> str:
    """The text of an HTML document in the layout audit.extract reads; InputError when none."""
    return render_html(markup, path).text


# -- tables ---------------------------------------------------------------------------------

_CURRENCIES = {"$": "USD", "US$": "USD", "HK$": "HKD", "€": "EUR", "£": "GBP", "RMB": "RMB", "¥": "RMB"}
_PREFIX = re.compile(r"^\(?(?:US\$|HK\$|\$|€|£|¥|RMB)?\(?$")  # "$", "(", "$(" printed in cells of their own
_SUFFIX = re.compile(r"^(?:[)%]+|\)?\s*(?:pts?|ppts?|pp|points?)\.?)$", re.IGNORECASE)  # ")", "%", "pts" likewise
_NUMBERISH = re.compile(r"^\(?[-+\u2212\u2013]?\s*\.?\d|^(?:up|down)\s+\.?\d", re.IGNORECASE)
_CUR_FIRST = re.compile(r"^(US\$|HK\$|\$|€|£|¥|RMB)\s*\((.*)$")  # "$(365,241)" -> "($365,241)"
_CUR_ANY = re.compile(r"US\$|HK\$|\$|€|£|¥|RMB")
_NAMED_CURRENCY = re.compile(r"\b(?:USD|RMB|CNY|HKD|EUR|GBP)\b|US\$|HK\$", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")
_WORDY = re.compile(r"[^\W\d_]{3}")
#: What a comparison column prints where a change means nothing: words that never make a row's
#: numbers footnote markers.
_NOT_MEANINGFUL = re.compile(r"^(?:n/?m|nmf?|n/?a|not meaningful|not applicable|none)$", re.IGNORECASE)
#: Footnote markers: "^{1}" (a superscript), "*", "**", "†", "(a)", "(A)", "(1)".
_MARK = re.compile(r"^(?:\^\{\*?\d{1,3}\}|\*{1,3}|[†‡]|\((?:[a-zA-Z]|\d{1,2})\))$")
_TAIL_MARK = re.compile(r"\s*(?:\^\{\*?\d{1,3}\}|\*{1,3}|[†‡]|\((?:[a-zA-Z]|\d{1,2})\))$")
_NUMBER_MARK = re.compile(r"^\(\d{1,2}\)$")  # the marker read_cell would take for a number
#: A cell of a comparison column ("Up 34%", "+5.2%", "(1.5)pts", "Flat") and a heading that names one.
_CHANGE_CELL = re.compile(r"^(?:up|down|flat|unchanged)\b|^\+.*%$|(?:pts?|ppts?|pp|points?)\.?$", re.IGNORECASE)
_CHANGE_HEAD = re.compile(r"\bchange|\bchg\b|\bincrease\b|\bdecrease\b|\binc\.?\s*/?\s*\(?dec\b|\bvariance\b"
                          r"|\bbetter\b|\bworse\b", re.IGNORECASE)
_CHANGE_WORD = re.compile(r"\bchange", re.IGNORECASE)
#: Heading text that names a period or a currency (inherited by the blank heading to its right).
_PERIODISH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\b(?:19|20)\d\d\b"
                        r"|\bended\b|\bweeks?\b|\bmonths?\b|\bquarter\b|\bas (?:of|at)\b|\$"
                        r"|\b(?:USD|RMB|CNY|HKD|EUR)\b", re.IGNORECASE)
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

    def __init__(self, start: int, end: int, text: _T):
        self.start, self.end, self.anchor, self.text = start, end, end, text
        self.value = self.mark = False
        self.currency: Optional[str] = None
        self.note: Optional[_T] = None


def _place(rows: list[list[_Flow]]) -> list[list[tuple[int, int, _Flow]]]:
    """Each cell's first and last logical column, after colspan and rowspan."""
    placed, carry = [], {}
    for cells in rows:
        col, out, below = 0, [], {c: n - 1 for c, n in carry.items() if n > 1}
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


def _items(cells: list[tuple[int, int, _Flow]]) -> list[_Item]:
    """A row's non-empty cells, with split values joined: '$' '293,618' -> '$293,618',
    '(' '$' '1,234' ')' -> '($1,234)', '12.5' '%' -> '12.5%', '(1.5' ')' 'pts' -> '(1.5)pts'."""
    tokens = [(s, e, t) for s, e, t in ((s, e, c.text()) for s, e, c in cells) if t.s]
    out: list[_Item] = []
    i = 0
    while i < len(tokens):
        start, end, text = tokens[i]
        if _PREFIX.match(text.s):
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
        _read(item)
    if out and out[0].value and out[0].start == 0 and not any(c.isdigit() for c in out[0].text.s):
        out[0].value = False  # "Flat" as the first cell is a label
    wordy = False  # a number followed by words in its row ("(1) | Derived from ...") is a marker
    for item in reversed(out):
        if item.value and wordy:
            item.value, item.currency, item.note = False, None, None
        wordy = wordy or (not item.value and _WORDY.search(item.text.s) is not None
                          and not _NOT_MEANINGFUL.match(item.text.s))
    return out


def _read(item: _Item) -> None:
    text = item.text
    note = None
    printed = read_cell(text.s)
    if printed is None:
        tail = _TAIL_MARK.search(text.s)
        if tail and tail.start() > 0 and read_cell(text.s[:tail.start()]) is not None:
            text, note = text[:tail.start()], text[tail.start():].strip()  # "1,234 (1)": a figure, a marker
    moved = _CUR_FIRST.match(text.s)
    if moved:  # "$(365,241)" -> "($365,241)"
        paren = moved.start(2) - 1
        text = text[paren:paren + 1] + text[moved.start(1):moved.end(1)] + text[moved.start(2):]
    bare = text.lstrip("(")
    symbol = _CUR_ANY.match(bare.s)
    if symbol and bare.s[len(symbol.group(0)):].strip() in NIL_CELLS:
        text = bare[len(symbol.group(0)):].strip()  # "$ —" is a nil; the column says the currency
    if text is not item.text:
        printed = read_cell(text.s)
    if printed is not None and not _YEAR.fullmatch(text.s):  # a bare year is a heading
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


def _covered(item: _Item, extents: list[tuple[int, int]]) -> list[int]:
    """The value columns a text cell stands over (a heading spans several); at least the nearest."""
    over = [k for k, (lo, hi) in enumerate(extents) if item.start <= hi and lo <= item.end]
    if over:
        return over
    return [min(range(len(extents)), key=lambda k: (max(item.start - extents[k][1], extents[k][0] - item.end), -k))]


def render_table(rows: list[list[_Flow]]) -> list[_T]:
    """A table's lines: tab-separated when it holds numbers, else one plain line per row."""
    placed = _place(rows)
    if any(c.nested for row in rows for c in row):
        return _layout(placed)
    items = [_items(cells) for cells in placed]
    _unmark(items)
    if sum(1 for row in items if any(it.value for it in row)) < 2:
        return _layout(placed)
    column_of = _columns(items)
    width = len(set(column_of.values()))
    value_start = min(it.start for row in items for it in row if it.value)
    extents = [(min(it.start for row in items for it in row if it.value and column_of.get(it.anchor) == k),
                max(it.end for row in items for it in row if it.value and column_of.get(it.anchor) == k))
               for k in range(width)]
    before: list[_T] = []
    heads: list[list[_T]] = []
    head_labels: list[_T] = []
    body: list[_T] = []
    currencies: list[set] = [set() for _ in range(width)]
    change = [False] * width
    for row in items:
        numbers = any(it.value for it in row)
        heading = not body and not numbers
        label_parts = [it.text for it in row if it.start < value_start and not it.value]
        cells: list[list[_T]] = [[] for _ in range(width)]
        for it in row:
            if it.value:
                k = column_of[it.anchor]
                cells[k].append(it.text)
                if it.note is not None:
                    label_parts.append(it.note)
                if it.currency:
                    currencies[k].add(it.currency)
                change[k] = change[k] or bool(_CHANGE_CELL.search(it.text.s))
            elif it.start >= value_start:
                if not heading and (it.mark or _MARK.match(it.text.s)):
                    label_parts.append(it.text)  # a footnote marker of the row, never in a value column
                    continue
                for k in _covered(it, extents):
                    cells[k].append(it.text)
        label = _T.join(" ", label_parts)
        texts = [_T.join(" ", c) for c in cells]
        if not label and not any(texts):
            continue
        if heading and any(texts):
            heads.append(texts)
            if label:
                (before if _UNIT_LABEL.search(label.s) else head_labels).append(label)
        elif not body and not heads and not any(texts):
            before.append(label)  # a title or unit note printed inside the table
        else:
            body.append(label + "\t" + _T.join("\t", texts))
    for k in range(width):
        change[k] = change[k] or any(_CHANGE_HEAD.search(h[k].s) for h in heads)
    _name_change(heads, change)
    _name_currency(heads, currencies)
    _readable_headings(heads)
    _fill_headings(heads)
    return ([_EMPTY] + before + ["\t" + _T.join("\t", h) for h in heads]
            + [label + "\t" * width for label in head_labels] + body + [_EMPTY])


def _name_currency(heads: list[list[_T]], currencies: list[set]) -> None:
    """A column printed with "$" under headings that name no currency: its last heading gets " USD"."""
    for k, found in enumerate(currencies):
        if len(found) != 1 or not heads or _NAMED_CURRENCY.search(" ".join(h[k].s for h in heads)):
            continue
        last = next((h for h in reversed(heads) if _YEAR.search(h[k].s)), None) or next(
            (h for h in reversed(heads) if h[k]), heads[-1])  # the heading that names its period
        last[k] = (last[k] + (" " + next(iter(found)))).strip()


def _name_change(heads: list[list[_T]], change: list[bool]) -> None:
    """A comparison column ("Up 34%", "Increase (Decrease)") whose headings do not say "change" gets
    it added to its last heading, so that the text layout reads it as a change, no period of its own."""
    for k, is_change in enumerate(change):
        if not is_change or not heads or any(_CHANGE_WORD.search(h[k].s) for h in heads):
            continue
        last = next((h for h in reversed(heads) if h[k]), heads[-1])
        last[k] = (last[k] + " change").strip()


def _readable_headings(heads: list[list[_T]]) -> None:
    """Heading rows the text layout would not take for headings ("(Unaudited)" alone, "Amount",
    "GAAP") are joined, column by column, to the heading row next to them (above, else below):
    each column's heading is the same, read in the same order."""
    from .extract import is_header_row  # the reader of the text layout decides what a heading row is

    def readable(row: list[_T]) -> bool:
        return is_header_row("\t" + "\t".join(t.s for t in row))

    while len(heads) > 1:
        failing = next((r for r, row in enumerate(heads) if not readable(row)), None)
        if failing is None:
            return
        other = failing - 1 if failing > 0 and (failing + 1 == len(heads) or readable(heads[failing - 1])) \
            else failing + 1
        upper, lower = min(failing, other), max(failing, other)
        heads[upper] = [_T.join(" ", [t for t in pair if t]) for pair in zip(heads[upper], heads[lower])]
        del heads[lower]


def _fill_headings(heads: list[list[_T]]) -> None:
    """The text layout gives a blank heading the text to its left (a heading spanning columns is
    written once there). A table's blank heading stands over nothing: where the text to its left
    names a period or a currency, the column's own heading from another row is repeated instead."""
    own = [[h[k] for h in heads if h[k]] for k in range(len(heads[0]))] if heads else []
    for r, row in enumerate(heads):
        left: Optional[_T] = None
        for k, text in enumerate(row):
            if text:
                left = text
            elif left is not None and own[k] and _PERIODISH.search(left.s):
                below = [h[k] for h in heads[r + 1:] if h[k]]
                left = row[k] = below[0] if below else own[k][-1]


def _layout(placed: list[list[tuple[int, int, _Flow]]]) -> list[_T]:
    """A table without numbers, as prose: each row one line (cells two spaces apart), or each
    line of its cells when they hold paragraphs or tables."""
    out = [_EMPTY]
    for cells in placed:
        flows = [c for _, _, c in cells]
        for flow in flows:
            flow.end_line()
        if any(flow.nested or len([ln for ln in flow.lines if ln.s.strip()]) > 1 for flow in flows):
            for flow in flows:
                out.extend(flow.lines)
            continue
        line = _T.join("  ", (t for t in (flow.text() for flow in flows) if t))
        if line:
            out.append(line)
    return out + [_EMPTY]
