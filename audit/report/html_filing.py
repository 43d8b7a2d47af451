"""The annotated filing of the HTML report as markup: each line with its figures ticked, statements aligned.

Built as strings with markupsafe's escaping (what the templates' autoescape does), one line at a
time: 400 lines and 500 figures through template macros were a fifth of a report's time. The
table of unchecked figures is made here too (unchecked_rows).
"""
from __future__ import annotations

from markupsafe import escape

try:  # MarkupSafe 3: the C escaping of a str, without building a Markup for each value
    from markupsafe import _escape_inner
except ImportError:  # pragma: no cover - MarkupSafe 2
    _escape_inner = None

esc_str = _escape_inner or (lambda text: str(escape(text)))  # a str escaped for HTML, as a str

LABEL_CH, VALUE_CH = 44, 18  # widest label and figure cells of an aligned statement, in characters
TICK_WORDS = {"failed": "likely wrong", "involved": "in a failing check", "verified": "verified",
              "unchecked": "unchecked"}


def label(column, labels: dict) -> str:
    """column.label, kept in `labels` (by id: the columns of the filing being reported)."""
    hit = labels.get(id(column))
    if hit is None or hit[0] is not column:
        hit = labels[id(column)] = (column, column.label)
    return hit[1]


#: between two cells of a statement's line: the tab stays in the text (copying a row gives tabs)
_SEP = '</span><span class="t">\t</span><span class="cn">'


def filing_lines(filing, by_line: dict, states, uses, suspects, reasons, labels: dict) -> str:
    """Every line of the filing, each followed by a newline: plain text, or a figure with its tick
    mark, its tooltip and the checks that used it (`by_line`: the filing's figures by line number,
    `uses`: finding anchors by figure key); a run of lines with tabs (a statement) aligned.
    `labels`: column labels made so far (label())."""
    # byte offsets are worth showing where lines are not the file's own: HTML, or a wrapped document
    with_offsets = filing.source is not None and (filing.source_format == "html" or filing.source.base > 0)
    figure = _figure_maker(filing if with_offsets else None, states, uses, suspects, reasons, labels)
    out: list[str] = []
    run: list[tuple] = []  # the statement being read: its lines, each as (number, markup, widths, text)
    number = 0
    for text in filing.lines:
        number += 1
        figures = by_line.get(number)
        if "\t" not in text:  # most lines: their text, whole, its figures marked
            if run:
                _statement(run, out)
                run = []
            out.append(f'<div class="ln" id="L{number}" data-n="{number}"><span class="tx">'
                       f'{esc_str(text) if figures is None else _marked(text, figures, figure, None)[0]}'
                       "</span></div>\n")
            continue
        parts = text.split("\t")
        if figures is None:
            inner, figured = esc_str(text).replace("\t", _SEP), False
        else:
            inner, figured = _marked(text, figures, figure, _SEP)
        run.append((number, inner, len(parts[0]), max(map(len, parts[1:])), figured, text))
    if run:
        _statement(run, out)
    return "".join(out)


def _marked(text: str, figures: list, figure, sep) -> tuple[str, bool]:
    """A line's markup, each of its figures marked (figure()) in the order of their places (_place),
    the tabs between a statement's cells replaced by `sep` where given; and whether any figure was
    marked."""
    pieces = []
    at, size, marked, last_col, last_end = 0, len(text), False, 0, 0
    for fig in figures:  # (in the order they were read: nearly always their order in the line)
        span = fig.span
        col, end_col = span.col, span.end_col
        if col < last_col or (col == last_col and end_col > last_end):  # out of order: as sorted
            return _marked(text, sorted(figures, key=_place), figure, sep)
        last_col, last_end = col, end_col
        start, end = col - 1, end_col - 1
        if start < at or end > size or end <= start:
            continue  # overlapping or out of range: leave the text as it is
        shown = text[start:end]
        if "\t" in shown:
            continue  # across a tab: the same
        if start > at:
            piece = esc_str(text[at:start])
            pieces.append(piece.replace("\t", sep) if sep is not None else piece)
        pieces.append(figure(fig, span, shown))
        at, marked = end, True
    if at < size:
        piece = esc_str(text[at:])
        pieces.append(piece.replace("\t", sep) if sep is not None else piece)
    return "".join(pieces), marked


def _place(fig) -> tuple[int, int]:
    return fig.span.col, -fig.span.end_col


_REASON, _IMPLIED = ' data-reason="{}"', ' data-implied="{}"'


def _figure_maker(filing, states, uses, suspects, reasons, labels: dict):
    """figure(fig, its span, shown): a figure's span, its tick mark, its checks, the value diagnosis implies,
    and a tooltip that says all of it (`filing` given where byte offsets are worth showing). (A
    state is one of TICK_WORDS, a check an anchor, an id L<line>C<col>: nothing to escape.)"""
    offset = filing.offset if filing is not None else None
    state_of, checks_of = states.get, uses.get

    def figure(fig, span, shown: str) -> str:
        line, col = span.line, span.col
        key = (line, col)
        state = state_of(key, "unchecked")
        checks = checks_of(key, ())
        column = fig.column
        if fig.table and column:
            hit = labels.get(id(column))  # (label(), inlined)
            if hit is None or hit[0] is not column:
                hit = labels[id(column)] = (column, column.label)
            where = f"{fig.row} \u00b7 {hit[1]}"
        else:
            where = fig.phrase or "prose"
        at = offset(span) if offset is not None else None
        source = f", byte {at} of the file" if at is not None else ""
        suspect = key in suspects if suspects else False
        implied = (suspects[key] or "") if suspect else ""
        tail = f", should read {implied}" if state == "failed" and implied else ""
        if checks:
            tail += f" ({len(checks)} check{'s' if len(checks) != 1 else ''})"
        reason = reasons.get(key, "") if state == "unchecked" else ""
        if reason:
            tail += f": {reason}"
        tip = f"{fig.text} \u2014 line {line}, col {col}{source} \u2014 {where} \u2014 {TICK_WORDS[state]}{tail}"
        return (f'<span class="fig {state}{" suspect" if suspect else ""}" id="F-L{line}C{col}" '
                f'data-checks="{" ".join(checks)}"{_REASON.format(esc_str(reason)) if reason else ""}'
                f'{_IMPLIED.format(esc_str(implied)) if implied and state == "failed" else ""}'
                f' title="{esc_str(tip)}" tabindex="-1">{esc_str(shown)}</span>')
    return figure


_OPEN = '<div class="stmt"><div class="stmt-head">'


def _statement(run: list[tuple], out: list[str]) -> None:
    """A statement's lines, aligned, onto `out` (the tabs stay in the text, so copying a row still
    gives tabs). Its column headings are the rows before its first figure with no label and some
    text over the figures (dates, currencies): they and the rows after them are wrapped, to stay in
    view over it."""
    label_ch = min(max([line[2] for line in run]), LABEL_CH)
    rows = [line for line in run if line[4]] or run  # headers wrap
    value = min(max([line[3] for line in rows]), VALUE_CH) + 2
    style = f"--w0: {label_ch + 1}ch; --wn: {value}ch"  # (digits and letters: nothing to escape)
    head = []
    for k, line in enumerate(run):
        if line[4]:
            break
        parts = line[5].split("\t")
        if not parts[0].strip() and any(part.strip() for part in parts[1:]):
            head.append(k)
        elif head:
            break
    first, last, end = (head[0], head[-1], len(run) - 1) if head else (-1, -1, -1)
    for k, (number, inner, _, _, _, _) in enumerate(run):
        out.append(f'{_OPEN if k == first else ""}'
                   f'<div class="ln tr" id="L{number}" data-n="{number}" style="{style}"><span class="tx">'
                   f'<span class="c0">{inner}</span></span></div>{"</div>" if k == last else ""}'
                   f'{"</div>" if k == end else ""}\n')


def unchecked_rows(unchecked) -> tuple[str, dict]:
    """The rows of the report's table of unchecked figures, as its template printed them (escaped
    as it escapes: _printed), and their reasons by figure key."""
    rows, reasons = [], {}
    for u in unchecked:
        fig = u.figure
        span = fig.span
        line, col = span.line, span.col  # (the id L<line>C<col>, line and column: digits, nothing to escape)
        reasons[(line, col)] = u.reason  # (fig.key)
        rows.append(f'<tr><td><a href="#F-L{line}C{col}" class="fl">{line}:{col}</a></td><td class="num">'
                    f"{_printed(fig.text)}</td><td>{_printed(u.where)}</td><td>{_printed(u.reason)}</td></tr>\n")
    return "".join(rows), reasons


def _printed(value) -> str:
    """A value as the template prints it (autoescaped: html._fast_escape): a str escaped, an int as its digits."""
    if type(value) is str:
        return esc_str(value)
    if type(value) is int:
        return int.__repr__(value)
    return str(escape(value))
