"""The HTML audit report: one self-contained file (inline CSS, JS and SVG), autoescaped jinja2.

jinja2 is imported only when a report is rendered, so runs without HTML do not pay for it.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import os
from typing import Any, Optional

from .. import __version__
from ..check.findings import fmt
from .depgraph import failure_graph
from .json import packs_list, rules_dict
from .view import (
    STATUSES,
    check_name,
    figure_states,
    group_title,
    groups,
    is_problem,
    severity_counts,
    skips_by_cause,
    suspect_view,
)

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
LABEL_CH, VALUE_CH = 44, 18  # widest label and figure cells of an aligned statement, in characters


def render(result, generated: Optional[dt.datetime] = None) -> str:
    """The report as one HTML document (a str)."""
    from markupsafe import Markup

    template, css, script = _templates()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return template.render(css=Markup(css), script=Markup(script), script_hash=f"sha256-{digest}",
                           **build_context(result, generated))


@functools.lru_cache(maxsize=1)
def _templates():
    """The compiled template, CSS and script, once per process (batch workers render many reports)."""
    import jinja2  # here, not at the top: runs that write no HTML never import it

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("report.html"), _asset("report.css"), _asset("report.js")


def _asset(name: str) -> str:
    with open(os.path.join(TEMPLATES, name), encoding="utf-8") as handle:
        return handle.read()


def build_context(result, generated: Optional[dt.datetime] = None) -> dict[str, Any]:
    """Plain data for the template: header, summary, suspects, graph, findings, annotated filing."""
    when = (generated or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    filing = result.filing
    counts = result.counts()
    cov = result.coverage
    uses = _figure_uses(result)
    states = figure_states(result)
    suspects = [suspect_view(s) for s in result.suspects]
    suspect_keys = {(s["line"], s["col"]) for s in suspects if s["line"] is not None}
    _link_suspects(result, suspects)
    blocking = [(i, f) for i, f in enumerate(result.findings) if f.blocking]
    return {
        "title": f"Audit report \u2014 {os.path.basename(filing.path)}",
        "tool": {"name": "qfin-audit", "version": __version__},
        "generated": when.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "filing": {"name": os.path.basename(filing.path), "path": filing.path, "sha256": filing.sha256,
                   "lines": len(filing.lines), "said": _said(filing)},
        "packs": packs_list(result),
        "rules": {"files": [{"path": f.path, "sha256": f.sha256} for f in result.ruleset.files],
                  "sha256": rules_dict(result.ruleset)["sha256"], "count": len(result.ruleset.rules)},
        "verdict": result.verdict.status,
        "verdict_line": result.verdict.line().partition(", ")[2],
        "not_checked": [{"cause": cause, "count": len(missing), "checks": [(check_name(f), f.reason) for f in missing[:12]]}
                        for cause, missing in ((c, [f for f in fs if f.missing]) for c, fs in skips_by_cause(result))
                        if missing] + [{"cause": p, "count": 0, "checks": []} for p in result.verdict.problems],
        "blocking": [(check_name(f), i) for i, f in blocking[:12]],
        "blocking_count": len(blocking),
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
        "graph": failure_graph(result, frozenset(suspect_keys)),
        "groups": [{"file": path, "title": group_title(path),
                    "counts": {s: sum(1 for _, f in items if f.status == s) for s in STATUSES},
                    "problems": any(is_problem(f) for _, f in items),
                    "findings": [_finding(i, f) for i, f in items]} for path, items in groups(result)],
        "lines": _annotated(filing, states, uses, suspect_keys, {u.figure.key: u.reason
                                                                  for u in cov.unchecked}),
    }


def _link_suspects(result, suspects: list[dict[str, Any]]) -> None:
    """Point each suspect (and its ties) at its figure in the text and at the checks it explains."""
    first: dict[str, int] = {}  # rule id -> its first failing finding, else its first one
    exact: dict[tuple, int] = {}
    for index, finding in enumerate(result.findings):
        seen = first.get(finding.rule.id)
        if seen is None or (is_problem(finding) and not is_problem(result.findings[seen])):
            first[finding.rule.id] = index
        exact.setdefault((finding.rule.id, finding.column, finding.row), index)
    known = {f.key: f.id for f in result.filing.figures()}
    for s in suspects:
        s["fig"] = known.get((s["line"], s["col"]))
        for tie in s["tie"]:
            tie["fig"] = known.get((tie["line"], tie["col"]))
        if s["checks"]:
            s["links"] = [(f"{rid} [{col}]" if col else rid, exact.get((rid, col, row), first.get(rid)))
                          for rid, col, row in s["checks"]]
        else:
            s["links"] = [(rid, first.get(rid)) for rid in s["explains"]]


def _said(filing) -> str:
    """What the filing says about itself: issuer, ticker, form, document and where each was read."""
    parts = filing.meta.said()
    if filing.source_format == "html":
        parts.append("HTML, shown below as the text it renders to")
    return "; ".join(parts)


def _pct(ratio: float) -> str:
    return f"{ratio * 100:.1f}"


def _tick_counts(states: dict) -> dict[str, int]:
    out = {"verified": 0, "failed": 0, "unchecked": 0}
    for state in states.values():
        out[state] += 1
    return out


def _figure_uses(result) -> dict[tuple[int, int], list[int]]:
    uses: dict[tuple[int, int], list[int]] = {}
    for index, finding in enumerate(result.findings):
        for fig in finding.figures:
            uses.setdefault(fig.key, []).append(index)
    return uses


def _finding(index: int, f) -> dict[str, Any]:
    d = f.display
    actual = f.actual.mid if f.actual is not None else None
    expected = f.expected.mid if f.expected is not None else None
    numbers = []
    if f.actual is not None and f.expected is not None:
        numbers = [("Actual", fmt(actual, d)), ("Expected", fmt(expected, d)),
                   ("Difference", fmt(actual - expected, d)),
                   ("Intervals", f"actual [{fmt(f.actual.lo, d)}, {fmt(f.actual.hi, d)}] "
                                 f"{f.op} expected [{fmt(f.expected.lo, d)}, {fmt(f.expected.hi, d)}]")]
    if f.tolerance is not None:
        numbers.append(("Tolerance", f"{fmt(f.tolerance, d, 0)} (stated in the rule)"))
    if f.allowance is not None:
        numbers.append(("Allowance", f"{fmt(f.allowance, d, 1)} (rounding of the items under this subtotal)"))
    return {
        "index": index,
        "id": f.rule.id,
        "title": f.rule.title,
        "severity": f.severity,
        "status": f.status,
        "column": f.column or "",
        "row": f.row or "",
        "unit": d.label if d else "",
        "difference": fmt(actual - expected, d) if actual is not None and expected is not None else "",
        "numbers": numbers,
        "message": f.message,
        "note": f.note or "",
        "source": f"{f.file}:{f.rule.span.line}",
        "name": check_name(f),
        "figs": " ".join(g.id for g in f.figures),
        "figures": [{"id": g.id, "line": g.span.line, "col": g.span.col, "text": g.text,
                     "where": " \u00b7 ".join(p for p in (g.row, g.column.label if g.column else None) if p)
                     if g.table else (g.phrase or "prose")} for g in f.figures],
    }


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
            tip = f"{fig.text} \u2014 line {key[0]}, col {key[1]}{source} \u2014 {where} \u2014 {state}"
            if checks:
                tip += f" ({len(checks)} check{'s' if len(checks) != 1 else ''})"
            reason = reasons.get(key, "") if state == "unchecked" else ""
            if reason:
                tip += f": {reason}"
            segments.append({"text": text[start:end], "fig": fig.id, "state": state, "tip": tip, "reason": reason,
                             "checks": " ".join(map(str, checks)), "suspect": key in suspects})
            at = end
        if at < len(text) or not segments:
            segments.append({"text": text[at:], "fig": None})
        lines.append({"n": number, "cells": _cells(segments) if "\t" in text else [segments], "style": ""})
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
            run = []
