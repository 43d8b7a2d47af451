"""The HTML audit report: one self-contained file (inline CSS, JS and SVG), autoescaped jinja2.

Its findings and the filing's lines, repeated hundreds of times, come as markup from html_findings
and html_filing (the same escaping); jinja2 is imported only when a report is rendered.
"""
from __future__ import annotations

import base64
import datetime as dt
import functools
import gc
import hashlib
import os
from typing import Any, Optional

from .. import __version__
from .depgraph import failure_graph
from .json import packs_list, rules_dict
from .view import (
    SEVERITIES,
    STATUSES,
    TICKS,
    check_name,
    finding_anchors,
    groups,
    is_problem,
    severity_counts,
    skips_by_cause,
    suspect_keys,
    suspect_view,
)

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


def render(result, generated: Optional[dt.datetime] = None, index: Optional[str] = None) -> str:
    """The report as one HTML document (a str); `index`: a relative link to the batch index it belongs to."""
    return "".join(render_parts(result, generated, index))


def render_parts(result, generated: Optional[dt.datetime] = None, index: Optional[str] = None) -> list[str]:
    """render(), as the pieces of text it joins (to be written one by one: the report's findings
    and lines, nearly all ASCII, are then encoded apart from the few pieces that are not)."""
    template, css, script, digest = _templates()
    collecting = gc.isenabled()
    if collecting:  # the report's parts (views, memos, pieces) die with it, by reference counting (the
        gc.disable()  # few cycles of a failing filing's graph wait for the next collection): a collection
        # while they are made would only walk them, and the result under them
    try:
        context = template.new_context({"css": css, "script": script, "script_hash": f"sha256-{digest}",
                                         "index": index, **build_context(result, generated)})
        try:  # (template.generate() without its generator around the template's)
            return list(template.root_render_func(context))
        except Exception:
            template.environment.handle_exception()
            raise  # (handle_exception raises the error, its traceback rewritten to the template's lines)
    finally:
        if collecting:
            gc.enable()


def preload() -> None:
    """Compile the report's template now (a process about to fork workers that render reports)."""
    _templates()


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
    return template, Safe(_asset("report.css")), Safe(script), digest


def _fast_escape(inner, markup, escape):
    """markupsafe.escape, the same Markup for every value, without Markup.__new__ (a Python
    function) for a plain str: the template's thousand or so values (banner, suspects, summary, graph)."""
    new = str.__new__

    def fast(value):
        kind = type(value)
        if kind is str:
            return new(markup, inner(value))
        if kind is int:  # line and column numbers: digits, nothing to escape
            return new(markup, int.__repr__(value))
        if kind is Safe:  # a part made as markup: its text, not copied into a Markup
            return value.text
        if kind is markup:  # a macro's output: already safe (and immutable)
            return value
        return escape(value)
    return fast


class Safe:
    """Markup made in Python (the findings, the filing's lines) or read from a file (CSS, script),
    for the template to print as it is: its escape() gives the text itself, where Markup(text)
    would copy it (a report's filing is some 400,000 characters)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __html__(self) -> str:
        return self.text


_DICT_ATTRIBUTES = frozenset(dir(dict))


def _asset(name: str) -> str:
    with open(os.path.join(TEMPLATES, name), encoding="utf-8") as handle:
        return handle.read()


def build_context(result, generated: Optional[dt.datetime] = None) -> dict[str, Any]:
    """Plain data for the template: verdict banner, exceptions, summary, suspects, graph, the
    other findings, provenance and the annotated filing (the findings and the filing's lines as
    markup already: html_findings, html_filing)."""
    from .html_filing import filing_lines, unchecked_rows
    from .html_findings import Memo, finding_html, groups_markup

    when = (generated or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    filing = result.filing
    counts = result.counts()
    cov = result.coverage
    anchors = finding_anchors(result.findings)
    named = suspect_keys(result)
    states, uses, by_line, problems = _states_and_uses(result, named, anchors)
    suspects = [suspect_view(s) for s in result.suspects]
    suspect_at = {(s["line"], s["col"]): s["implied"] for s in suspects if s["line"] is not None}
    for s in suspects:
        for t in s["tie"]:
            if t["line"] is not None:
                suspect_at.setdefault((t["line"], t["col"]), t["implied"])
    _link_suspects(result, suspects, anchors)
    verdict = result.verdict
    problems.sort(key=lambda i: (_SEVERITY_RANK.get(result.findings[i].severity, 9),
                                 _STATUS_RANK.get(result.findings[i].status, 9), i))
    shown = set(problems)
    rest = [(path, [(i, f) for i, f in items if i not in shown]) for path, items in groups(result)]
    labels: dict = {}  # column labels, made once per column
    unchecked, reasons = unchecked_rows(cov.unchecked)
    memo = Memo(states, named, labels)  # figures' and rules' markup, shared by the findings that use them
    exceptions = [Safe(finding_html(result.findings[i], anchors[i], memo)) for i in problems]
    by_file, print_rows = groups_markup(rest, anchors, memo)  # (after the exceptions, as the memo is filled)

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
        "exceptions": exceptions,
        "statuses": STATUSES,
        "counts": counts,
        "by_severity": severity_counts(result),
        "coverage": {
            "table": (cov.table_checked, cov.table_total, _pct(cov.table_ratio)),
            "table_text": cov.table_text(),
            "narrative": (cov.narrative_checked, cov.narrative_total - cov.narrative_uncheckable,
                          _pct(cov.narrative_ratio)),
            "uncheckable": cov.narrative_uncheckable,
            "unchecked": len(cov.unchecked),
            "unchecked_rows": Safe(unchecked),  # (the table's rows as markup)
        },
        "ticks": _tick_counts(states),
        "suspects": suspects,
        "graph": failure_graph(result, frozenset((s["line"], s["col"]) for s in suspects if s["line"] is not None))
        if problems else None,  # (none without a failed or undecided finding)
        "anchors": anchors,
        "groups": [{"head": Safe(g["head"]), "findings": [Safe(text) for text in g["findings"]]}  # (groups_markup)
                   for g in by_file],
        "print_rows": Safe(print_rows),
        "filing_lines": Safe(filing_lines(filing, by_line, states, uses, suspect_at, reasons, labels)),
    }


_STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def _link_suspects(result, suspects: list[dict[str, Any]], anchors: list[str]) -> None:
    """Point each suspect (and its ties) at its figure in the text and at the checks it explains."""
    if not suspects:
        return
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


def _states_and_uses(result, named: frozenset, anchors: list[str]) -> tuple[dict, dict, dict, list]:
    """view.figure_states(result, named), each figure's checks as finding anchors, the filing's
    figures by line (for html_filing.filing_lines) and the failed and undecided findings (their
    places: view.is_problem), in one pass over the figures and one over the findings."""
    states: dict[tuple[int, int], str] = {}
    by_line: dict[int, list] = {}
    for fig in result.filing.figures():
        span = fig.span
        line = span.line
        states[(line, span.col)] = "unchecked"
        found = by_line.get(line)
        if found is None:
            by_line[line] = [fig]
        else:
            found.append(fig)
    uses: dict[tuple[int, int], list[str]] = {}
    involved, problems = [], []
    for index, finding in enumerate(result.findings):
        anchor, status = anchors[index], finding.status
        if status == "fail" or status == "error":
            problems.append(index)
        for fig in finding.figures:
            span = fig.span
            key = (span.line, span.col)  # (fig.key)
            found = uses.get(key)
            if found is None:
                uses[key] = [anchor]
            else:
                found.append(anchor)
            if status == "pass":
                states[key] = "verified"
            elif status == "fail":
                involved.append(key)
    for key in involved:  # a failing check's figure is involved, whatever passing checks used it
        states[key] = "involved"
    for key in named:
        if key in states:
            states[key] = "failed"
    return states, uses, by_line, problems
