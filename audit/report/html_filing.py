"""The annotated filing of the HTML report as markup: each line with its figures ticked, statements aligned.

Built as strings with markupsafe's escaping (what the templates' autoescape does), one line at a
time: 400 lines and 500 figures through template macros were a fifth of a report's time.
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


def esc(value) -> str:
    """A value as the templates print it: escaped for HTML (& < > " '), a number as its digits."""
    if type(value) is str:
        return _escape_inner(value) if _escape_inner is not None else str(escape(value))
    if type(value) is int:
        return int.__repr__(value)
    return str(escape(value))


#: a cell of a line of a statement (a line cut at its tabs): (its markup, the width of its text in
#: characters, whether it holds a figure, whether its text is blank)
_HTML, _WIDTH, _FIGURE, _BLANK = range(4)


def label(column, labels: dict) -> str:
    """column.label, kept in `labels` (by id: the columns of the filing being reported)."""
    hit = labels.get(id(column))
    if hit is None or hit[0] is not column:
        hit = labels[id(column)] = (column, column.label)
    return hit[1]


def filing_lines(filing, states, uses, suspects, reasons, labels: dict) -> str:
    """Every line of the filing, each followed by a newline: plain text, or a figure with its tick
    mark, its tooltip and the checks that used it (`uses`: finding anchors by figure key); a run of
    lines with tabs (a statement) aligned. `labels`: column labels made so far (label())."""
    by_line: dict[int, list] = {}
    for fig in filing.figures():
        by_line.setdefault(fig.span.line, []).append(fig)
    # byte offsets are worth showing where lines are not the file's own: HTML, or a wrapped document
    with_offsets = filing.source is not None and (filing.source_format == "html" or filing.source.base > 0)
    out: list[str] = []
    run: list[tuple[int, list[tuple]]] = []  # the statement being read: its lines, each with its cells
    for number, text in enumerate(filing.lines, start=1):
        figures = by_line.get(number)
        if not figures:  # most lines: their text, whole or cut at its tabs
            if "\t" not in text:
                if run:
                    out.extend(_statement(run))
                    run = []
                out.append(f'<div class="ln" id="L{number}" data-n="{number}"><span class="tx">{esc_str(text)}'
                           "</span></div>\n")
                continue
            cells = [(esc_str(part), len(part), False, not part.strip()) for part in text.split("\t")]
        else:
            cells = _cells(text, figures, filing if with_offsets else None, states, uses, suspects, reasons, labels)
        if len(cells) > 1:
            run.append((number, cells))
            continue
        if run:
            out.extend(_statement(run))
            run = []
        out.append(f'<div class="ln" id="L{number}" data-n="{number}"><span class="tx">{cells[0][_HTML]}</span></div>\n')
    if run:
        out.extend(_statement(run))
    return "".join(out)


def _cells(text: str, figures: list, filing, states, uses, suspects, reasons, labels: dict) -> list[tuple]:
    """A line with figures, cut at its tabs: each figure in its cell marked (_figure)."""
    placed = []  # (start, end, figure), in order, none overlapping
    at = 0
    for fig in sorted(figures, key=_place) if len(figures) > 1 else figures:
        start, end = fig.span.col - 1, fig.span.end_col - 1
        if start < at or end > len(text) or end <= start or "\t" in text[start:end]:
            continue  # overlapping, out of range or across a tab: leave the text as it is
        placed.append((start, end, fig))
        at = end
    cells = []
    pos = k = 0
    for part in text.split("\t"):  # each cell: its text, each figure in it marked
        stop = pos + len(part)
        pieces = []
        at, marked = pos, False
        while k < len(placed) and placed[k][0] < stop:
            start, end, fig = placed[k]
            if start > at:
                pieces.append(esc_str(text[at:start]))
            pieces.append(_figure(fig, text[start:end], filing, states, uses, suspects, reasons, labels))
            at, marked = end, True
            k += 1
        if at < stop:
            pieces.append(esc_str(text[at:stop]))
        cells.append(("".join(pieces), len(part), marked, not part.strip()))
        pos = stop + 1
    return cells


def _place(fig) -> tuple[int, int]:
    return fig.span.col, -fig.span.end_col


def _figure(fig, shown: str, filing, states, uses, suspects, reasons, labels: dict) -> str:
    """A figure's span: its tick mark, its checks, the value diagnosis implies, and a tooltip that
    says all of it (`filing` given where byte offsets are worth showing). (A state is one of
    TICK_WORDS, a check an anchor: nothing to escape.)"""
    key = fig.key
    state = states.get(key, "unchecked")
    checks = uses.get(key, ())
    where = f"{fig.row} \u00b7 {label(fig.column, labels)}" if fig.table and fig.column else (fig.phrase or "prose")
    offset = filing.offset(fig.span) if filing is not None else None
    source = f", byte {offset} of the file" if offset is not None else ""
    implied = suspects.get(key) or ""
    tip = f"{fig.text} \u2014 line {key[0]}, col {key[1]}{source} \u2014 {where} \u2014 {TICK_WORDS[state]}"
    if state == "failed" and implied:
        tip += f", should read {implied}"
    if checks:
        tip += f" ({len(checks)} check{'s' if len(checks) != 1 else ''})"
    reason = reasons.get(key, "") if state == "unchecked" else ""
    if reason:
        tip += f": {reason}"
    return (f'<span class="fig {state}{" suspect" if key in suspects else ""}" id="F-{esc_str(fig.id)}" '
            f'data-checks="{esc_str(" ".join(checks))}"{_REASON.format(esc_str(reason)) if reason else ""}'
            f'{_IMPLIED.format(esc_str(implied)) if implied and state == "failed" else ""}'
            f' title="{esc_str(tip)}" tabindex="-1">{esc_str(shown)}</span>')


_REASON, _IMPLIED = ' data-reason="{}"', ' data-implied="{}"'


def _statement(run: list[tuple[int, list[tuple]]]):
    """A statement's lines, aligned (the tabs stay in the text, so copying a row still gives tabs).
    Its column headings are the rows before its first figure with no label and some text over the
    figures (dates, currencies): they and the rows after them are wrapped, to stay in view over it."""
    label_ch = min(max(cells[0][_WIDTH] for _, cells in run), LABEL_CH)
    rows = [line for line in run if any(c[_FIGURE] for c in line[1])] or run  # headers wrap
    value = min(max((c[_WIDTH] for _, cells in rows for c in cells[1:]), default=0), VALUE_CH) + 2
    style = esc(f"--w0: {label_ch + 1}ch; --wn: {value}ch")
    head = []
    for k, (_, cells) in enumerate(run):
        if any(c[_FIGURE] for c in cells):
            break
        if cells[0][_BLANK] and not all(c[_BLANK] for c in cells[1:]):
            head.append(k)
        elif head:
            break
    for k, (number, cells) in enumerate(run):
        opened = '<div class="stmt"><div class="stmt-head">' if head and k == head[0] else ""
        closed = ("</div>" if head and k == head[-1] else "") + ("</div>" if head and k == len(run) - 1 else "")
        inner = '<span class="t">\t</span>'.join(
            f'<span class="{"cn" if j else "c0"}">{cell[_HTML]}</span>' for j, cell in enumerate(cells))
        yield (f'{opened}<div class="ln tr" id="L{number}" data-n="{number}" style="{style}"><span class="tx">'
               f'{inner}</span></div>{closed}\n')
