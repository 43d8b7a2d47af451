"""The annotated filing of the HTML report as markup: each line with its figures ticked, statements aligned.

Built as strings with markupsafe's escaping (what the templates' autoescape does), one line at a
time: 400 lines and 500 figures through template macros were a fifth of a report's time.
"""
from __future__ import annotations

from typing import NamedTuple

from markupsafe import Markup, escape

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


class Cell(NamedTuple):
    """A cell of a line (a whole line that has no tab): its markup, the width of its text in
    characters, whether it holds a figure, and whether its text is blank."""

    html: str
    width: int
    figure: bool
    blank: bool


def filing_lines(filing, states, uses, suspects, reasons) -> Markup:
    """Every line of the filing, each followed by a newline: plain text, or a figure with its tick
    mark, its tooltip and the checks that used it (`uses`: finding anchors by figure key)."""
    by_line: dict[int, list] = {}
    for fig in filing.figures():
        by_line.setdefault(fig.span.line, []).append(fig)
    # byte offsets are worth showing where lines are not the file's own: HTML, or a wrapped document
    with_offsets = filing.source is not None and (filing.source_format == "html" or filing.source.base > 0)
    lines: list[tuple[int, list[Cell]]] = []
    for number, text in enumerate(filing.lines, start=1):
        figures = by_line.get(number)
        if not figures:  # most lines: their text, whole or cut at its tabs
            lines.append((number, [Cell(esc_str(part), len(part), False, not part.strip())
                                   for part in text.split("\t")]))
            continue
        placed = []  # (start, end, figure), in order, none overlapping
        at = 0
        for fig in sorted(figures, key=lambda g: (g.span.col, -g.span.end_col)):
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
                pieces.append(_figure(fig, text[start:end], filing if with_offsets else None, states, uses,
                                      suspects, reasons))
                at, marked = end, True
                k += 1
            if at < stop:
                pieces.append(esc_str(text[at:stop]))
            cells.append(Cell("".join(pieces), len(part), marked, not part.strip()))
            pos = stop + 1
        lines.append((number, cells))
    return Markup("".join(_markup(lines)))


def _figure(fig, shown: str, filing, states, uses, suspects, reasons) -> str:
    """A figure's span: its tick mark, its checks, the value diagnosis implies, and a tooltip that
    says all of it (`filing` given where byte offsets are worth showing)."""
    key = fig.key
    state = states.get(key, "unchecked")
    checks = uses.get(key, ())
    where = f"{fig.row} \u00b7 {fig.column.label}" if fig.table and fig.column else (fig.phrase or "prose")
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
    return (f'<span class="fig {esc_str(state)}{" suspect" if key in suspects else ""}" id="F-{esc_str(fig.id)}" '
            f'data-checks="{esc_str(" ".join(checks))}"'
            + (f' data-reason="{esc_str(reason)}"' if reason else "")
            + (f' data-implied="{esc_str(implied)}"' if implied and state == "failed" else "")
            + f' title="{esc_str(tip)}" tabindex="-1">{esc_str(shown)}</span>')


def _markup(lines: list[tuple[int, list[Cell]]]):
    """Each line's markup and a newline; a run of tab-separated lines (a statement) gets one label
    width and one figure width, and from its column headings on a wrapper that keeps them in view."""
    run: list[tuple[int, list[Cell]]] = []
    for line in lines + [(0, [])]:
        if len(line[1]) > 1:
            run.append(line)
            continue
        if run:
            yield from _statement(run)
            run = []
        if line[1]:
            yield f'<div class="ln" id="L{line[0]}" data-n="{line[0]}"><span class="tx">{line[1][0].html}</span></div>\n'


def _statement(run: list[tuple[int, list[Cell]]]):
    """A statement's lines, aligned (the tabs stay in the text, so copying a row still gives tabs).
    Its column headings are the rows before its first figure with no label and some text over the
    figures (dates, currencies): they and the rows after them are wrapped, to stay in view over it."""
    label = min(max(cells[0].width for _, cells in run), LABEL_CH)
    rows = [line for line in run if any(c.figure for c in line[1])] or run  # headers wrap
    value = min(max((c.width for _, cells in rows for c in cells[1:]), default=0), VALUE_CH) + 2
    style = esc(f"--w0: {label + 1}ch; --wn: {value}ch")
    head = []
    for k, (_, cells) in enumerate(run):
        if any(c.figure for c in cells):
            break
        if cells[0].blank and not all(c.blank for c in cells[1:]):
            head.append(k)
        elif head:
            break
    for k, (number, cells) in enumerate(run):
        opened = '<div class="stmt"><div class="stmt-head">' if head and k == head[0] else ""
        closed = ("</div>" if head and k == head[-1] else "") + ("</div>" if head and k == len(run) - 1 else "")
        inner = '<span class="t">\t</span>'.join(
            f'<span class="{"cn" if j else "c0"}">{cell.html}</span>' for j, cell in enumerate(cells))
        yield (f'{opened}<div class="ln tr" id="L{number}" data-n="{number}" style="{style}"><span class="tx">'
               f'{inner}</span></div>{closed}\n')
