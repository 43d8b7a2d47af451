"""A finding of the HTML report as markup: its outcome and numbers at the printed precision, its message, its figures.

Built as one string with markupsafe's escaping (what the templates' autoescape does): 400 findings
of about 50 values each through a template macro were a third of a report's time. A figure's
markup is made once and shared by every finding that uses it.
"""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Callable, NamedTuple, Optional

from ..check.findings import fmt, formatter
from ..check.interval import UP_ADD, UP_DIVIDE
from .html_filing import TICK_WORDS, esc_str, label
from .view import STATUSES, group_title

_NOT = {"=": "\u2260", "<=": ">", ">=": "<", "<": "\u2265", ">": "\u2264"}  # how a failed comparison reads
_OP = {"<=": "\u2264", ">=": "\u2265"}
_FIGS_HEAD = ('<div class="scroll-x"><table class="list figs"><thead><tr><th>Line:col</th><th>Printed</th>'
              "<th>Where</th><th>Mark</th></tr></thead><tbody>")


class Memo:
    """What the findings of one report share: each figure's markup (made once for the failing
    findings that use it and once for the others), each rule's, and the column labels."""

    __slots__ = ("states", "named", "failed", "other", "rules", "labels")

    def __init__(self, states: dict, named: frozenset, labels: dict):
        self.states, self.named, self.labels = states, named, labels
        self.failed: dict[int, list] = {}  # id(figure) -> its view in a failing finding (_figure_view)
        self.other: dict[int, list] = {}  # id(figure) -> its view in any other finding
        self.rules: dict[int, tuple] = {}  # id(rule) -> (rule, file, its markup: _rule_parts)


#: a figure as a finding shows it: [the figure, its id escaped, its mark, its markup as a chip (a
#: passing check), as a table row (any other; None until first asked)]
_FIGURE, _ID, _STATE, _CHIP, _ROW = range(5)
_PILLS: dict[str, str] = {}  # status -> its text escaped (a handful)


def finding_html(f, anchor: str, memo: Memo) -> str:
    """One finding as an <article>: a summary line (status, severity, rule, title, column and row,
    and for a failure `actual ≠ expected` and Δ), then Locate, the message, the numbers and the figures."""
    (rule, file, status, column, row, actual_iv, expected_iv, d, tolerance, figs, message, _, note, _, op_,
     allowance) = f[:16]
    if type(message) is not str:  # (Finding.message, read once)
        message = str(message)
    failed = status == "fail"
    printer = _PRINTERS.get(d) or _printer(d)
    unit = printer.unit
    # its numbers at the printed precision as a <dl> (or ""), and for a failure how it reads
    # (`35,018,565 ≠ 35,018,583`) and its difference (a printed value is digits, signs, commas and
    # points: nothing to escape)
    numbers = difference = reads = ""
    if actual_iv is not None and expected_iv is not None:
        op = (_NOT.get(op_, f"not {op_}") if failed else _OP.get(op_, op_))
        shown_op = _OPS.get(op) or esc_str(op)
        compared = printer.compared
        if compared is not None:  # in a display unit
            numbers, shown_actual, shown_expected, difference = compared(actual_iv, expected_iv, shown_op)
        else:
            printed, interval = printer.printed, printer.interval
            actual = UP_DIVIDE(UP_ADD(actual_iv.lo, actual_iv.hi), 2)  # (Interval.mid, inlined)
            expected = UP_DIVIDE(UP_ADD(expected_iv.lo, expected_iv.hi), 2)
            difference = printed(actual - expected)
            if actual != expected and difference.lstrip("-").replace("0", "").strip(".,%") == "":
                difference = fmt(actual - expected, d)  # rounds to nothing at the printed decimals: show more
            shown_actual, shown_expected = printed(actual), printed(expected)
            numbers = (f"<dt>Actual</dt><dd>{shown_actual}</dd><dt>Expected</dt><dd>{shown_expected}</dd>"
                       f"<dt>Difference</dt><dd>{difference}{printer.unit_after}</dd><dt>Intervals</dt>"
                       f"<dd>actual [{interval(actual_iv.lo, ROUND_FLOOR)}, {interval(actual_iv.hi, ROUND_CEILING)}] "
                       f"{shown_op} expected [{interval(expected_iv.lo, ROUND_FLOOR)}, "
                       f"{interval(expected_iv.hi, ROUND_CEILING)}]</dd>")
        if failed:  # (shown in a failure's summary line only)
            reads = f"{shown_actual} {op} {shown_expected}"
        gap = _gap(f) if failed else None
        if gap is not None:
            numbers += esc_str(f"{printer.interval(gap, ROUND_CEILING)}{' ' + d.label if d and d.label else ''}"
                               " between the intervals" + (", beyond the tolerance" if tolerance else "")).join(
                ("<dt>Gap</dt><dd>", "</dd>"))
    if tolerance is not None:
        numbers += f"<dt>Tolerance</dt><dd>{esc_str(fmt(tolerance, d, 0))} (stated in the rule)</dd>"
    elif numbers:
        numbers += "<dt>Tolerance</dt><dd>none: only the rounding of the printed figures</dd>"
    if allowance is not None:
        numbers += (f"<dt>Allowance</dt><dd>{esc_str(fmt(allowance, d, 1))} (rounding of the items "
                    "under this subtotal)</dd>")
    if numbers:
        numbers = f'<dl class="nums">{numbers}</dl>'
    views = memo.failed if failed else memo.other
    ids, marks, first, chips = [], [], None, status == "pass"  # the figures: ids, chips or rows, the first failed
    for g in figs:
        v = views.get(id(g))
        if v is None or v[_FIGURE] is not g:
            v = _figure_view(g, failed, memo)
        ids.append(v[_ID])
        marks.append(v[_CHIP] if chips else v[_ROW] or _figure_row(v, memo))
    if memo.named:  # (no figure is marked failed where diagnosis names none)
        for v in figs:
            v = views[id(v)]
            if v[_STATE] == "failed":
                first = v[_ID]
                break
    part = memo.rules.get(id(rule))
    if part is None or part[0] is not rule or part[1] != file:
        part = memo.rules[id(rule)] = _rule_parts(rule, file)
    s = _PILLS.get(status)
    if s is None:
        s = _PILLS[status] = esc_str(status)
    name = part[5]  # view.check_name(f)
    if column:
        name += f" [{column}]"
    if row:
        name += f" {row}"
    key = anchor  # (view.finding_anchors: letters, digits and hyphens, nothing to escape)
    outcome = ""
    if failed and (reads or difference):
        outcome = ('<span class="outcome">'
                   + (f'<span class="reads num" title="actual and expected, {unit}">{esc_str(reads)}</span> '
                      if reads else "")
                   + (f'<span class="diff" title="actual minus expected, {unit}">\u0394 {esc_str(difference)}</span>'
                      if difference else "")
                   + "</span>")
    if ids:
        tools = (f'<p class="tools"><a class="locate" href="#F-{first or ids[0]}">Locate in the filing</a> '
                 f'<a class="permalink" href="#f-{key}" data-finding="{key}">link to this check</a></p>')
        shown = (f'<p class="chips">Figures: {"".join(marks)}</p>\n' if chips
                 else f'{_FIGS_HEAD}{"".join(marks)}</tbody></table></div>')
    else:
        tools = shown = ""
    return (f'<article class="finding s-{s}" id="f-{key}" data-status="{s}" data-severity="{part[2]}" '
            f'data-name="{esc_str(name)}" data-figs="{" ".join(ids)}">\n'
            f'<details{" open" if status in ("fail", "error") else ""}>\n'
            f'<summary><span class="pill p-{s}">{s}</span>{part[3]}{esc_str(column or "")}'
            f'{f" &middot; {esc_str(row)}" if row else ""}</span>{outcome}</summary>\n<div class="body">\n{tools}'
            f'<p class="msg">{esc_str(message)}</p>\n{_NOTE.format(esc_str(note)) if note else ""}'
            f'{numbers}{shown}{part[4]}{f" &middot; values in {unit}" if unit else ""}</p>\n</div>\n</details>\n'
            "</article>\n")


def _rule_parts(rule, file: str) -> tuple:
    """(rule, file, its severity, its markup from the severity to the column, its source line's
    markup, its id): the same in every finding of the rule."""
    sev = esc_str(rule.severity)
    return (rule, file, sev,
            f'<span class="sev sev-{sev}">{sev}</span><code class="rid">{esc_str(rule.id)}</code>'
            f'<span class="ftitle">{esc_str(rule.title)}</span><span class="where">',
            f'<p class="srcref">Rule at {esc_str(f"{file}:{rule.span.line}")}', rule.id)


_NOTE = '<p class="note">Note: {}</p>'
_OPS = {op: esc_str(op) for op in (*_NOT.values(), *_OP.values(), "=", "<", ">")}  # comparisons escaped


class _Printer(NamedTuple):
    """view.fmt_printed for one display unit, the same text: printed(value) gives a base-unit value
    in the display unit at the printed decimals (rounded half up), with thousands separators;
    interval(value, rounding) the same with one decimal more where it says something (a half
    unit); zero, the text of any zero (None where zeros print apart: no display unit)."""

    printed: Callable[[Decimal], str]
    interval: Callable[[Decimal, str], str]
    zero: Optional[str]
    tiny: Callable[[Decimal], bool]  # does a value print as a zero (printed(value) == zero, but for its sign)?
    unit: str  # the unit's label, escaped ("" where there is none)
    unit_after: str  # the same after a space, or ""
    #: in a display unit, compared(actual, expected, op escaped) of two intervals: the <dl>'s actual,
    #: expected, difference and intervals, and the actual, expected and difference as shown (printed
    #: and interval inlined: a report has some 400 of them); None where there is no display unit
    compared: Optional[Callable] = None


def _printer(display) -> _Printer:
    """The printer of a display unit, made once and kept (a handful of units per report)."""
    printer = _PRINTERS.get(display)
    if printer is None:
        printer = _PRINTERS[display] = _make_printer(display)
    return printer


def _make_printer(display) -> _Printer:
    if display is None:
        def plain(value, rounding=None) -> str:
            return "" if value is None else str(value)
        return _Printer(plain, plain, None, lambda value: False, "", "", None)
    scale, kept, suffix = -display.scale, max(display.decimals, 0), "%" if display.unit == "%" else ""
    q0, f0 = Decimal(1).scaleb(-kept), f",.{kept}f"
    places = max(display.decimals + 1, 0)
    q1, f1 = Decimal(1).scaleb(-places), f",.{places}f"
    cut = 1 if kept else 2  # an extra decimal of 0 goes, and the point with it where no decimal is left

    def printed(value) -> str:
        if value is None:
            return ""
        shown = value.scaleb(scale).quantize(q0, ROUND_HALF_UP)
        return format(shown if shown else abs(shown), f0) + suffix

    def interval(value, rounding) -> str:
        if value is None:
            return ""
        shown = value.scaleb(scale).quantize(q1, rounding)
        text = format(shown if shown else abs(shown), f1)
        if places and text[-1] == "0":
            text = text[:-cut]
        return text + suffix

    half = Decimal(5).scaleb(-kept - 1)  # what rounds half up to a printed unit

    def tiny(value) -> bool:
        return -half < value.scaleb(scale) < half

    unit = esc_str(display.label)
    zero, unit_after, more = printed(Decimal(0)), f" {unit}" if unit else "", formatter(display)
    up, down, half_up, add, divide = ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, UP_ADD, UP_DIVIDE

    def compared(actual_iv, expected_iv, shown_op: str) -> tuple[str, str, str, str]:
        lo, hi = actual_iv.lo, actual_iv.hi
        actual = divide(add(lo, hi), 2)  # (Interval.mid, inlined)
        expected = divide(add(expected_iv.lo, expected_iv.hi), 2)
        if actual == expected:  # equal values print alike; their difference is a zero
            shown = actual.scaleb(scale).quantize(q0, half_up)
            shown_actual = shown_expected = format(shown if shown else abs(shown), f0) + suffix
            difference = zero
        else:  # a difference that rounds to nothing at the printed decimals is shown with more
            difference = actual - expected
            shown = difference.scaleb(scale)
            if -half < shown < half:
                difference = more(difference)
            else:
                shown = shown.quantize(q0, half_up)
                difference = format(shown if shown else abs(shown), f0) + suffix
            shown = actual.scaleb(scale).quantize(q0, half_up)
            shown_actual = format(shown if shown else abs(shown), f0) + suffix
            shown = expected.scaleb(scale).quantize(q0, half_up)
            shown_expected = format(shown if shown else abs(shown), f0) + suffix
        # the intervals' ends, outward at one decimal more (interval(), inlined)
        shown = lo.scaleb(scale).quantize(q1, down)
        a_lo = format(shown if shown else abs(shown), f1)
        shown = hi.scaleb(scale).quantize(q1, up)
        a_hi = format(shown if shown else abs(shown), f1)
        shown = expected_iv.lo.scaleb(scale).quantize(q1, down)
        e_lo = format(shown if shown else abs(shown), f1)
        shown = expected_iv.hi.scaleb(scale).quantize(q1, up)
        e_hi = format(shown if shown else abs(shown), f1)
        if places:  # an extra decimal of 0 goes
            if a_lo[-1] == "0":
                a_lo = a_lo[:-cut]
            if a_hi[-1] == "0":
                a_hi = a_hi[:-cut]
            if e_lo[-1] == "0":
                e_lo = e_lo[:-cut]
            if e_hi[-1] == "0":
                e_hi = e_hi[:-cut]
        return (f"<dt>Actual</dt><dd>{shown_actual}</dd><dt>Expected</dt><dd>{shown_expected}</dd>"
                f"<dt>Difference</dt><dd>{difference}{unit_after}</dd><dt>Intervals</dt>"
                f"<dd>actual [{a_lo}{suffix}, {a_hi}{suffix}] {shown_op} expected [{e_lo}{suffix}, {e_hi}{suffix}]</dd>",
                shown_actual, shown_expected, difference)

    return _Printer(printed, interval, zero, tiny, unit, unit_after, compared)


_PRINTERS: dict = {}  # Display -> its _Printer


def _gap(f) -> Optional[Decimal]:
    """How far apart a failed comparison's intervals are, beyond the rule's tolerance."""
    if f.actual is None or f.expected is None:
        return None
    a, e = f.actual, f.expected
    if f.op == "=":
        gap = max(e.lo - a.hi, a.lo - e.hi)
    elif f.op in ("<", "<="):
        gap = a.lo - e.hi
    else:
        gap = e.lo - a.hi
    gap -= f.tolerance or 0
    return gap if gap > 0 else None


def _figure_view(g, failed: bool, memo: Memo) -> list:
    """A figure of a finding: [_FIGURE, _ID (escaped), _STATE, _CHIP, _ROW (made when first asked:
    _figure_row)], made once for all the failing findings that use it and once for all the others
    (kept in the memo)."""
    span = g.span
    line, col = span.line, span.col
    key = (line, col)  # (g.key)
    if failed:
        state = "failed" if key in memo.named else "involved"
    else:
        state = memo.states.get(key, "")
    ident = f"L{line}C{col}"  # (g.id: nothing to escape)
    view = [g, ident, state, f'<a href="#F-{ident}" class="fl">{esc_str(g.text)} <small>{line}:{col}</small></a>', None]
    (memo.failed if failed else memo.other)[id(g)] = view
    return view


def _figure_row(view: list, memo: Memo) -> str:
    """A figure's row in a finding's table of figures (kept in its view)."""
    g, ident, state, _, _ = view
    where = (" \u00b7 ".join(p for p in (g.row, label(g.column, memo.labels) if g.column else None) if p) if g.table
             else (g.phrase or "prose"))
    line, col = g.span.line, g.span.col
    row = view[_ROW] = (f'<tr class="m-{esc_str(state)}"><td><a href="#F-{ident}" class="fl">{line}:{col}</a></td>'
                        f'<td class="num">{esc_str(g.text)}</td><td>{esc_str(where)}</td><td class="mark">'
                        f'<span class="fig {esc_str(state)}">{esc_str(TICK_WORDS.get(state, ""))}</span></td></tr>')
    return row


def groups_markup(rest, anchors: list[str], memo: Memo) -> tuple[list[dict], str]:
    """The findings by rule file (`rest`: (path, [(index, finding)]) in order) as the report's
    template shows them: each file's heading (its section opened) and its findings (a few pieces:
    _runs), as markup; and the rows of the printed table of counts by rule file, its total row last."""
    groups, rows, totals = [], [], dict.fromkeys(STATUSES, 0)
    for path, items in rest:
        if not items:
            continue
        counts = dict.fromkeys(STATUSES, 0)
        for _, finding in items:
            if finding.status in counts:
                counts[finding.status] += 1
        title, file = esc_str(group_title(path)), esc_str(path)
        shown = [counts[s] for s in STATUSES]
        rows.append(f'<tr><td>{title} <span class="file">{file}</span></td>{"".join([_CELL.format(n) for n in shown])}'
                    "</tr>\n")
        for s in STATUSES:
            totals[s] += counts[s]
        gcounts = " \u00b7 ".join([f"{counts[s]} {esc_str(s)}" for s in STATUSES if counts[s]])
        groups.append({"head": f'  <section class="group" data-file="{file}">\n    <header><h3>{title}</h3>'
                               f'<span class="file">{file}</span>\n      <span class="gcounts">{gcounts}'
                               "</span></header>\n",
                       "findings": _runs([finding_html(f, anchors[i], memo) for i, f in items])})
    rows.append(f'      <tr class="total"><td>total</td>{"".join([_CELL.format(totals[s]) for s in STATUSES])}</tr>\n')
    return groups, "".join(rows)


_CELL = "<td>{}</td>"


def _runs(texts: list[str]) -> list[str]:
    """The texts joined into as few pieces as keep the ASCII ones apart from the others: a piece
    with one character beyond ASCII (a finding's ≤) is encoded for the file character by
    character, an ASCII one at once (a rule file's 200 findings: 0.19 -> 0.01 ms to encode)."""
    pieces, run, plain = [], [], True
    for text in texts:
        if text.isascii() is not plain:
            if run:
                pieces.append("".join(run))
                run = []
            plain = not plain
        run.append(text)
    pieces.append("".join(run))
    return pieces
