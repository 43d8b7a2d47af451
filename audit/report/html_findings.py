"""A finding of the HTML report as markup: its outcome and numbers at the printed precision, its message, its figures.

Built as one string with markupsafe's escaping (what the templates' autoescape does): 400 findings
of about 50 values each through a template macro were a third of a report's time. A figure's
markup is made once and shared by every finding that uses it.
"""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import NamedTuple, Optional

from ..check.findings import fmt
from .html_filing import TICK_WORDS, esc_str
from .view import check_name

_NOT = {"=": "\u2260", "<=": ">", ">=": "<", "<": "\u2265", ">": "\u2264"}  # how a failed comparison reads
_OP = {"<=": "\u2264", ">=": "\u2265"}
_FIGS_HEAD = ('<div class="scroll-x"><table class="list figs"><thead><tr><th>Line:col</th><th>Printed</th>'
              "<th>Where</th><th>Mark</th></tr></thead><tbody>")


class FigureView(NamedTuple):
    """A figure as a finding shows it: its id, its mark, and its markup as a chip (a passing check)
    and as a table row (any other)."""

    id: str
    state: str
    chip: str
    row: str


def finding_html(f, anchor: str, states: dict, named: frozenset, views: dict) -> str:
    """One finding as an <article>: a summary line (status, severity, rule, title, column and row,
    and for a failure `actual ≠ expected` and Δ), then Locate, the message, the numbers and the figures.
    `views`: the figures' markup made so far, shared by the findings of one report."""
    d = f.display
    status = f.status
    failed = status == "fail"
    unit = d.label if d else ""
    numbers, reads, difference = _numbers(f, d, failed)
    figures = [_figure_view(g, failed, states, named, views) for g in f.figures]
    s, sev, key = esc_str(status), esc_str(f.severity), esc_str(anchor)
    out = [f'<article class="finding s-{s}" id="f-{key}" data-status="{s}" data-severity="{sev}" '
           f'data-name="{esc_str(check_name(f))}" data-figs="{esc_str(" ".join(v.id for v in figures))}">\n'
           f'<details{" open" if status in ("fail", "error") else ""}>\n'
           f'<summary><span class="pill p-{s}">{s}</span><span class="sev sev-{sev}">{sev}</span>'
           f'<code class="rid">{esc_str(f.rule.id)}</code><span class="ftitle">{esc_str(f.rule.title)}</span>'
           f'<span class="where">{esc_str(f.column or "")}']
    if f.row:
        out.append(f" &middot; {esc_str(f.row)}")
    out.append("</span>")
    if failed and (reads or difference):
        out.append('<span class="outcome">')
        if reads:
            out.append(f'<span class="reads num" title="actual and expected, {esc_str(unit)}">{esc_str(reads)}</span> ')
        if difference:
            out.append(f'<span class="diff" title="actual minus expected, {esc_str(unit)}">\u0394 {esc_str(difference)}</span>')
        out.append("</span>")
    out.append('</summary>\n<div class="body">\n')
    if figures:
        first = next((v for v in figures if v.state == "failed"), figures[0])
        out.append(f'<p class="tools"><a class="locate" href="#F-{esc_str(first.id)}">Locate in the filing</a> '
                   f'<a class="permalink" href="#f-{key}" data-finding="{key}">link to this check</a></p>')
    out.append(f'<p class="msg">{esc_str(f.message)}</p>\n')
    if f.note:
        out.append(f'<p class="note">Note: {esc_str(f.note)}</p>')
    if numbers:
        out.append('<dl class="nums">')
        for name, value in numbers:
            out.append(f"<dt>{esc_str(name)}</dt><dd>{esc_str(value)}"
                       + (f" {esc_str(unit)}" if name == "Difference" and unit else "") + "</dd>")
        out.append("</dl>")
    if figures and status == "pass":
        out.append(f'<p class="chips">Figures: {"".join(v.chip for v in figures)}</p>\n')
    elif figures:
        out.append(f'{_FIGS_HEAD}{"".join(v.row for v in figures)}</tbody></table></div>')
    out.append(f'<p class="srcref">Rule at {esc_str(f"{f.file}:{f.rule.span.line}")}'
               + (f" &middot; values in {esc_str(unit)}" if unit else "") + "</p>\n</div>\n</details>\n</article>\n")
    return "".join(out)


def _numbers(f, d, failed: bool) -> tuple[list[tuple[str, str]], str, str]:
    """The finding's numbers (name, text) at the printed precision, and for a failure how it reads
    (`35,018,565 ≠ 35,018,583`) and its difference."""
    actual = f.actual.mid if f.actual is not None else None
    expected = f.expected.mid if f.expected is not None else None
    op = (_NOT.get(f.op, f"not {f.op}") if failed else _OP.get(f.op, f.op))
    numbers = []
    difference = reads = ""
    if actual is not None and expected is not None:
        printed = _printer(d)
        difference = printed(actual - expected)
        if actual != expected and difference.lstrip("-").replace("0", "").strip(".,%") == "":
            difference = fmt(actual - expected, d)  # rounds to nothing at the printed decimals: show more
        shown_actual, shown_expected = printed(actual), printed(expected)
        reads = f"{shown_actual} {op} {shown_expected}"
        numbers = [("Actual", shown_actual), ("Expected", shown_expected),
                   ("Difference", difference),
                   ("Intervals", f"actual [{printed(f.actual.lo, 1, ROUND_FLOOR)}, "
                                 f"{printed(f.actual.hi, 1, ROUND_CEILING)}] {op} expected "
                                 f"[{printed(f.expected.lo, 1, ROUND_FLOOR)}, "
                                 f"{printed(f.expected.hi, 1, ROUND_CEILING)}]")]
        gap = _gap(f) if failed else None
        if gap is not None:
            numbers.append(("Gap", f"{printed(gap, 1, ROUND_CEILING)}{' ' + d.label if d and d.label else ''}"
                                   " between the intervals"
                                   + (", beyond the tolerance" if f.tolerance else "")))
    if f.tolerance is not None:
        numbers.append(("Tolerance", f"{fmt(f.tolerance, d, 0)} (stated in the rule)"))
    elif numbers:
        numbers.append(("Tolerance", "none: only the rounding of the printed figures"))
    if f.allowance is not None:
        numbers.append(("Allowance", f"{fmt(f.allowance, d, 1)} (rounding of the items under this subtotal)"))
    return numbers, reads, difference


def _printer(display):
    """view.fmt_printed for one display unit, the same text: printed(value, extra=0, rounding=half
    up) gives a base-unit value in the display unit at the printed decimals (plus `extra`, shown
    only where they say something), with thousands separators. One per display, kept."""
    printer = _PRINTERS.get(display)
    if printer is None:
        printer = _PRINTERS[display] = _make_printer(display)
    return printer


def _make_printer(display):
    if display is None:
        return lambda value, extra=0, rounding=None: "" if value is None else str(value)
    scale, kept, suffix = -display.scale, max(display.decimals, 0), "%" if display.unit == "%" else ""
    quanta = [(Decimal(1).scaleb(-max(display.decimals + extra, 0)), f",.{max(display.decimals + extra, 0)}f")
              for extra in (0, 1)]

    def printed(value, extra: int = 0, rounding=ROUND_HALF_UP) -> str:
        if value is None:
            return ""
        quantum, spec = quanta[extra]
        shown = value.scaleb(scale).quantize(quantum, rounding=rounding)
        text = format(abs(shown) if not shown else shown, spec)
        if extra and "." in text:  # the extra decimal only where it says something (a half unit)
            whole, _, frac = text.partition(".")
            frac = frac[:kept] + frac[kept:].rstrip("0")
            text = f"{whole}.{frac}" if frac else whole
        return text + suffix

    return printed


_PRINTERS: dict = {}  # Display -> its printer: a handful of units per report


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


def _figure_view(g, failed: bool, states: dict, named: frozenset, views: dict) -> FigureView:
    """A figure of a finding: where it is and its mark, made once for all the failing findings
    that use it and once for all the others."""
    key = (id(g), failed)
    hit = views.get(key)
    if hit is not None and hit[0] is g:
        return hit[1]
    if failed:
        state = "failed" if g.key in named else "involved"
    else:
        state = states.get(g.key, "")
    where = (" \u00b7 ".join(p for p in (g.row, g.column.label if g.column else None) if p) if g.table
             else (g.phrase or "prose"))
    ident, text, line, col = esc_str(g.id), esc_str(g.text), g.span.line, g.span.col
    link = f'<a href="#F-{ident}" class="fl">'
    view = FigureView(g.id, state, f"{link}{text} <small>{line}:{col}</small></a>",
                      f'<tr class="m-{esc_str(state)}"><td>{link}{line}:{col}</a></td><td class="num">{text}</td>'
                      f'<td>{esc_str(where)}</td><td class="mark"><span class="fig {esc_str(state)}">'
                      f"{esc_str(TICK_WORDS.get(state, ''))}</span></td></tr>")
    views[key] = (g, view)
    return view
