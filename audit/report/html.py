"""The HTML audit report: one self-contained file (inline CSS, JS and SVG), autoescaped jinja2.

jinja2 is imported only when a report is rendered, so runs without HTML do not pay for it.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import os
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, Optional

from .. import __version__
from ..check.findings import fmt
from .depgraph import failure_graph
from .json import packs_list, rules_dict
from .view import (
    SEVERITIES,
    STATUSES,
    TICKS,
    check_name,
    figure_states,
    finding_anchors,
    group_title,
    groups,
    is_problem,
    severity_counts,
    skips_by_cause,
    suspect_keys,
    suspect_view,
)

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
LABEL_CH, VALUE_CH = 44, 18  # widest label and figure cells of an aligned statement, in characters


def render(result, generated: Optional[dt.datetime] = None, index: Optional[str] = None) -> str:
    """The report as one HTML document (a str); `index`: a relative link to the batch index it belongs to."""
    from markupsafe import Markup

    template, css, script, digest = _templates()
    return template.render(css=Markup(css), script=Markup(script), script_hash=f"sha256-{digest}",
                           index=index, **build_context(result, generated))


@functools.lru_cache(maxsize=1)
def _templates():
    """The compiled template, CSS, script and the script's hash, once per process (batch workers
    render many reports)."""
    import jinja2  # here, not at the top: runs that write no HTML never import it
    import markupsafe

    class Environment(jinja2.Environment):
        """`f.name` on the plain dicts the report is made of: the item at once. jinja2 tries the
        attribute first and takes the item after an AttributeError, which costs far more; a plain
        dict's attributes are its methods (dir(dict)), so any other name gives the same value."""

        def getattr(self, obj, attribute):
            if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
                try:
                    return obj[attribute]
                except (KeyError, TypeError):
                    pass
            return super().getattr(obj, attribute)

    env = Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    template = env.get_template("report.html")
    inner = getattr(markupsafe, "_escape_inner", None)  # MarkupSafe 3's C escaping of a str
    for name in ("report.html", "parts.html") if inner is not None else ():
        namespace = env.get_template(name).root_render_func.__globals__  # the compiled template's
        if namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = _fast_escape(inner, markupsafe.Markup, markupsafe.escape)
    script = _asset("report.js")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return template, _asset("report.css"), script, digest


def _fast_escape(inner, markup, escape):
    """markupsafe.escape, the same Markup for every value, without Markup.__new__ (a Python
    function) for a plain str: a third of a report's time is escaping its 24,000 values."""
    new = str.__new__

    def fast(value):
        kind = type(value)
        if kind is str:
            return new(markup, inner(value))
        if kind is int:  # line and column numbers: digits, nothing to escape
            return new(markup, int.__repr__(value))
        if kind is markup:  # a macro's output: already safe
            return new(markup, value)
        return escape(value)
    return fast


_DICT_ATTRIBUTES = frozenset(dir(dict))


def _asset(name: str) -> str:
    with open(os.path.join(TEMPLATES, name), encoding="utf-8") as handle:
        return handle.read()


def build_context(result, generated: Optional[dt.datetime] = None) -> dict[str, Any]:
    """Plain data for the template: verdict banner, exceptions, summary, suspects, graph, the
    other findings, provenance and the annotated filing."""
    when = (generated or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    filing = result.filing
    counts = result.counts()
    cov = result.coverage
    anchors = finding_anchors(result.findings)
    uses = _figure_uses(result, anchors)
    named = suspect_keys(result)
    states = figure_states(result, named)
    suspects = [suspect_view(s) for s in result.suspects]
    suspect_at = {(s["line"], s["col"]): s["implied"] for s in suspects if s["line"] is not None}
    for s in suspects:
        for t in s["tie"]:
            if t["line"] is not None:
                suspect_at.setdefault((t["line"], t["col"]), t["implied"])
    _link_suspects(result, suspects, anchors)
    verdict = result.verdict
    blocking = sum(1 for f in result.findings if f.blocking)
    problems = sorted((i for i, f in enumerate(result.findings) if is_problem(f)),
                      key=lambda i: (_SEVERITY_RANK.get(result.findings[i].severity, 9),
                                     _STATUS_RANK.get(result.findings[i].status, 9), i))
    shown = set(problems)
    rest = [(path, [(i, f) for i, f in items if i not in shown]) for path, items in groups(result)]
    views: dict = {}  # figures' views, shared by the findings that use them
    return {
        "title": f"{verdict.word} \u2014 audit report \u2014 {os.path.basename(filing.path)}",
        "tool": {"name": "qfin-audit", "version": __version__},
        "generated": when.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "filing": {"name": os.path.basename(filing.path), "path": filing.path, "sha256": filing.sha256,
                   "lines": len(filing.lines), "said": _said(filing)},
        "packs": packs_list(result),
        "rules": {"files": [{"path": f.path, "sha256": f.sha256} for f in result.ruleset.files],
                  "sha256": rules_dict(result.ruleset)["sha256"], "count": len(result.ruleset.rules)},
        "verdict": verdict.status,
        "verdict_line": verdict.line().partition(", ")[2],
        "not_checked": [{"cause": cause, "count": len(missing), "checks": [(check_name(f), f.reason) for f in missing[:12]]}
                        for cause, missing in ((c, [f for f in fs if f.missing]) for c, fs in skips_by_cause(result))
                        if missing] + [{"cause": p, "count": 0, "checks": []} for p in verdict.problems],
        "blocking_count": blocking,
        "exceptions": [_finding(i, result.findings[i], anchors, states, named, views) for i in problems],
        "statuses": STATUSES,
        "counts": counts,
        "by_severity": severity_counts(result),
        "coverage": {
            "table": (cov.table_checked, cov.table_total, _pct(cov.table_ratio)),
            "table_text": cov.table_text(),
            "narrative": (cov.narrative_checked, cov.narrative_total - cov.narrative_uncheckable,
                          _pct(cov.narrative_ratio)),
            "uncheckable": cov.narrative_uncheckable,
            "unchecked": [{"fig": u.figure.id, "line": u.figure.span.line, "col": u.figure.span.col,
                           "text": u.figure.text, "where": u.where, "reason": u.reason} for u in cov.unchecked],
        },
        "ticks": _tick_counts(states),
        "suspects": suspects,
        "graph": failure_graph(result, frozenset((s["line"], s["col"]) for s in suspects if s["line"] is not None)),
        "anchors": anchors,
        "groups": [{"file": path, "title": group_title(path),
                    "counts": {s: sum(1 for _, f in items if f.status == s) for s in STATUSES},
                    "findings": [_finding(i, f, anchors, states, named, views) for i, f in items]}
                   for path, items in rest if items],
        "lines": _annotated(filing, states, uses, suspect_at, {u.figure.key: u.reason
                                                                for u in cov.unchecked}),
    }


_STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
TICK_WORDS = {"failed": "likely wrong", "involved": "in a failing check", "verified": "verified",
              "unchecked": "unchecked"}


def _link_suspects(result, suspects: list[dict[str, Any]], anchors: list[str]) -> None:
    """Point each suspect (and its ties) at its figure in the text and at the checks it explains."""
    first: dict[str, int] = {}  # rule id -> its first failing finding, else its first one
    exact: dict[tuple, int] = {}
    for index, finding in enumerate(result.findings):
        seen = first.get(finding.rule.id)
        if seen is None or (is_problem(finding) and not is_problem(result.findings[seen])):
            first[finding.rule.id] = index
        exact.setdefault((finding.rule.id, finding.column, finding.row), index)

    def anchor(index: Optional[int]) -> Optional[str]:
        return anchors[index] if index is not None else None

    known = {f.key: f.id for f in result.filing.figures()}
    for s in suspects:
        s["fig"] = known.get((s["line"], s["col"]))
        for tie in s["tie"]:
            tie["fig"] = known.get((tie["line"], tie["col"]))
        if s["checks"]:
            s["links"] = [(f"{rid} [{col}]" if col else rid, anchor(exact.get((rid, col, row), first.get(rid))))
                          for rid, col, row in s["checks"]]
        else:
            s["links"] = [(rid, anchor(first.get(rid))) for rid in s["explains"]]


def _said(filing) -> str:
    """What the filing says about itself: issuer, ticker, form, document and where each was read."""
    parts = filing.meta.said()
    if filing.source_format == "html":
        parts.append("HTML, shown below as the text it renders to")
    return "; ".join(parts)


def _pct(ratio: float) -> str:
    return f"{ratio * 100:.1f}"


def _tick_counts(states: dict) -> dict[str, int]:
    out = dict.fromkeys(TICKS, 0)
    for state in states.values():
        out[state] += 1
    return out


def _figure_uses(result, anchors: list[str]) -> dict[tuple[int, int], list[str]]:
    """Each figure's checks, as finding anchors."""
    uses: dict[tuple[int, int], list[str]] = {}
    for index, finding in enumerate(result.findings):
        for fig in finding.figures:
            uses.setdefault(fig.key, []).append(anchors[index])
    return uses


_NOT = {"=": "\u2260", "<=": ">", ">=": "<", "<": "\u2265", ">": "\u2264"}  # how a failed comparison reads
_OP = {"<=": "\u2264", ">=": "\u2265"}


def _printed(value, display, extra: int = 0, rounding=None) -> str:
    """view.fmt_printed, the same text, with its quantum and format held once per precision."""
    if value is None:
        return ""
    if display is None:
        return str(value)
    places = display.decimals + extra
    if places < 0:
        places = 0
    quantum = _QUANTA.get(places)
    if quantum is None:
        quantum = _QUANTA[places] = (Decimal(1).scaleb(-places), f",.{places}f")
    shown = value.scaleb(-display.scale).quantize(quantum[0], rounding=rounding or ROUND_HALF_UP)
    if shown == 0:
        shown = abs(shown)
    text = format(shown, quantum[1])
    if extra > 0 and "." in text:  # the extra decimals only where they say something (a half unit)
        kept = display.decimals if display.decimals > 0 else 0
        whole, _, frac = text.partition(".")
        frac = frac[:kept] + frac[kept:].rstrip("0")
        text = f"{whole}.{frac}" if frac else whole
    return text + "%" if display.unit == "%" else text


_QUANTA: dict[int, tuple[Decimal, str]] = {}


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


def _finding(index: int, f, anchors: list[str], states: dict, named: frozenset,
             views: Optional[dict] = None) -> dict[str, Any]:
    d = f.display
    actual = f.actual.mid if f.actual is not None else None
    expected = f.expected.mid if f.expected is not None else None
    failed = f.status == "fail"
    op = (_NOT.get(f.op, f"not {f.op}") if failed else _OP.get(f.op, f.op))
    numbers = []
    difference = ""
    reads = ""
    if actual is not None and expected is not None:
        difference = _printed(actual - expected, d)
        if actual != expected and difference.lstrip("-").replace("0", "").strip(".,%") == "":
            difference = fmt(actual - expected, d)  # rounds to nothing at the printed decimals: show more
        shown_actual, shown_expected = _printed(actual, d), _printed(expected, d)
        reads = f"{shown_actual} {op} {shown_expected}"
        numbers = [("Actual", shown_actual), ("Expected", shown_expected),
                   ("Difference", difference),
                   ("Intervals", f"actual [{_printed(f.actual.lo, d, 1, ROUND_FLOOR)}, "
                                 f"{_printed(f.actual.hi, d, 1, ROUND_CEILING)}] {op} expected "
                                 f"[{_printed(f.expected.lo, d, 1, ROUND_FLOOR)}, "
                                 f"{_printed(f.expected.hi, d, 1, ROUND_CEILING)}]")]
        gap = _gap(f) if failed else None
        if gap is not None:
            numbers.append(("Gap", f"{_printed(gap, d, 1, ROUND_CEILING)}{' ' + d.label if d and d.label else ''}"
                                   " between the intervals"
                                   + (", beyond the tolerance" if f.tolerance else "")))
    if f.tolerance is not None:
        numbers.append(("Tolerance", f"{fmt(f.tolerance, d, 0)} (stated in the rule)"))
    elif numbers:
        numbers.append(("Tolerance", "none: only the rounding of the printed figures"))
    if f.allowance is not None:
        numbers.append(("Allowance", f"{fmt(f.allowance, d, 1)} (rounding of the items under this subtotal)"))
    return {
        "index": index,
        "anchor": anchors[index],
        "id": f.rule.id,
        "title": f.rule.title,
        "severity": f.severity,
        "status": f.status,
        "column": f.column or "",
        "row": f.row or "",
        "unit": d.label if d else "",
        "difference": difference if failed else "",
        "reads": reads if failed else "",
        "numbers": numbers,
        "message": f.message,
        "note": f.note or "",
        "source": f"{f.file}:{f.rule.span.line}",
        "name": check_name(f),
        "figs": " ".join(g.id for g in f.figures),
        "figures": [_figure_view(g, failed, states, named, views) for g in f.figures],
    }


def _figure_view(g, failed: bool, states: dict, named: frozenset, views: Optional[dict]) -> dict[str, Any]:
    """A figure of a finding: where it is and its mark (the same dict for every finding that
    uses it, failed or not: the template only reads it)."""
    key = (id(g), failed)
    if views is not None:
        hit = views.get(key)
        if hit is not None and hit[0] is g:
            return hit[1]
    view = {"id": g.id, "line": g.span.line, "col": g.span.col, "text": g.text,
            "mark": (TICK_WORDS["failed"] if g.key in named else TICK_WORDS["involved"]) if failed
            else TICK_WORDS.get(states.get(g.key, ""), ""),
            "state": ("failed" if g.key in named else "involved") if failed else states.get(g.key, ""),
            "where": " \u00b7 ".join(p for p in (g.row, g.column.label if g.column else None) if p)
            if g.table else (g.phrase or "prose")}
    if views is not None:
        views[key] = (g, view)
    return view


def _annotated(filing, states, uses, suspects, reasons) -> list[dict[str, Any]]:
    """Each line as segments: plain text, or a figure with its tick mark and the checks that used it."""
    by_line: dict[int, list] = {}
    for fig in filing.figures():
        by_line.setdefault(fig.span.line, []).append(fig)
    # byte offsets are worth showing where lines are not the file's own: HTML, or a wrapped document
    with_offsets = filing.source is not None and (filing.source_format == "html" or filing.source.base > 0)
    lines = []
    for number, text in enumerate(filing.lines, start=1):
        segments: list[dict[str, Any]] = []
        at = 0
        for fig in sorted(by_line.get(number, ()), key=lambda g: (g.span.col, -g.span.end_col)):
            start, end = fig.span.col - 1, fig.span.end_col - 1
            if start < at or end > len(text) or end <= start:
                continue  # overlapping or out of range: leave the text as it is
            if start > at:
                segments.append({"text": text[at:start], "fig": None})
            key = fig.key
            state = states.get(key, "unchecked")
            checks = uses.get(key, [])
            where = f"{fig.row} \u00b7 {fig.column.label}" if fig.table and fig.column else (fig.phrase or "prose")
            offset = filing.offset(fig.span) if with_offsets else None
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
            segments.append({"text": text[start:end], "fig": fig.id, "state": state, "tip": tip, "reason": reason,
                             "checks": " ".join(checks), "suspect": key in suspects,
                             "implied": implied if state == "failed" else ""})
            at = end
        if at < len(text) or not segments:
            segments.append({"text": text[at:], "fig": None})
        lines.append({"n": number, "cells": _cells(segments) if "\t" in text else [segments], "style": "",
                      "before": "", "after": ""})
    _align(lines)
    return lines


def _cells(segments: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """A tab-separated line's segments, cut at its tabs (figures never contain one)."""
    cells: list[list[dict[str, Any]]] = [[]]
    for seg in segments:
        if seg["fig"]:
            cells[-1].append(seg)
            continue
        for k, part in enumerate(seg["text"].split("\t")):
            if k:
                cells.append([])
            if part:
                cells[-1].append({"text": part, "fig": None})
    return cells


_STMT_OPEN = '<div class="stmt"><div class="stmt-head">'
_CLOSE = "</div>"


def _heading(run: list[dict[str, Any]]) -> None:
    """Wrap a statement from its column headings on (the rows before its first figure with no
    label and a heading over the figures: dates, currencies) so the headings stay in view over it."""
    from markupsafe import Markup

    head = []
    for r in run:
        if any(seg["fig"] for c in r["cells"] for seg in c):
            break
        if not "".join(seg["text"] for seg in r["cells"][0]).strip() and \
                any(seg["text"].strip() for c in r["cells"][1:] for seg in c):
            head.append(r)
        elif head:
            break
    if head:
        head[0]["before"] = Markup(_STMT_OPEN)
        head[-1]["after"] = Markup(_CLOSE)
        run[-1]["after"] += Markup(_CLOSE)


def _align(lines: list[dict[str, Any]]) -> None:
    """Give each run of tab-separated lines (a statement) one label width and one figure width.

    The tabs stay in the text (copying a row still gives tabs); only the layout is aligned.
    """
    run: list[dict[str, Any]] = []
    for line in lines + [{"cells": [[]]}]:
        if len(line["cells"]) > 1:
            run.append(line)
            continue
        if run:
            def width(cell):
                return sum(len(seg["text"]) for seg in cell)

            label = min(max(width(r["cells"][0]) for r in run), LABEL_CH)
            rows = [r for r in run if any(seg["fig"] for c in r["cells"] for seg in c)] or run  # headers wrap
            value = min(max((width(c) for r in rows for c in r["cells"][1:]), default=0), VALUE_CH) + 2
            for r in run:
                r["style"] = f"--w0: {label + 1}ch; --wn: {value}ch"
            _heading(run)
            run = []
