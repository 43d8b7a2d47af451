"""The HTML series report: per statement row, a matrix of periods by releases, disagreements marked,
each release linked. One self-contained file (inline CSS and JS, a Content Security Policy)."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from collections import defaultdict
from typing import Any, Optional

from .. import __version__
from .html import TEMPLATES

_RANK = {"agree": 0, "sign": 1, "split": 1, "restated": 2, "sum-fail": 3, "mismatch": 4}


def write_release_reports(result, packs, folder: str, refuse=()) -> dict[int, str]:
    """Each release's audit report (the HTML of `run`) in `folder`, for the releases a pack applies to;
    {release index: path}. Releases no pack applies to get none: the series report links their file."""
    from ..base.output import refuse_inputs, write_atomic
    from ..check.earlier import Earlier, releases
    from ..diagnose import audit
    from ..lang.cache import load_rules
    from ..lang.packs import choose, rules_for
    from ..lang.releases import RELEASES
    from .html import render as render_audit

    out: dict[int, str] = {}
    for rel in result.releases:
        verdicts = choose(packs, rel.filing)
        if not any(v.applies for v in verdicts):
            continue
        path = os.path.join(folder, f"{rel.index + 1:02d}-{os.path.splitext(rel.name)[0]}.html")
        refuse_inputs([path], list(refuse))
        ruleset = rules_for(verdicts, load_rules, rel.filing.path)
        with releases({q: Earlier(q, None, "", "checked in the series report, with the releases of the series")
                       for q in RELEASES}):  # its rules across releases: the series report has them
            audited = audit(ruleset, rel.filing)._replace(packs=tuple(verdicts))
        write_atomic(path, render_audit(audited))
        out[rel.index] = path
    return out


def render(result, out_path: Optional[str] = None, generated: Optional[dt.datetime] = None,
           links: Optional[dict] = None) -> str:
    """The report as one HTML document; release links are relative to `out_path`'s folder, to each
    release's audit report where `links` has one ({release index: path}), else to the release's file."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    script = _SCRIPT
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return env.get_template("series.html").render(script=Markup(script), script_hash=f"sha256-{digest}",
                                                  **context(result, out_path, generated, links))


def _href(path: str, out_path: Optional[str]) -> str:
    if out_path in (None, "-"):
        return path
    try:
        return os.path.relpath(os.path.abspath(path), os.path.dirname(os.path.abspath(out_path)))
    except ValueError:  # another drive
        return os.path.abspath(path)


def context(result, out_path: Optional[str] = None, generated: Optional[dt.datetime] = None,
            links: Optional[dict] = None) -> dict[str, Any]:
    when = (generated or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    reports = {i: _href(path, out_path) for i, path in (links or {}).items()}
    status: dict[tuple, str] = {}
    cells: dict[tuple, dict] = defaultdict(dict)
    notes: dict[tuple, list[str]] = defaultdict(list)

    def put(obs, state: str, note: str = "") -> None:
        spot = (obs.release, obs.figure.span.line, obs.figure.span.col)
        if _RANK[state] >= _RANK.get(status.get(spot, "agree"), 0):
            status[spot] = state
        row = (obs.table, obs.label, obs.measure, obs.role)
        cells[row][(obs.period, obs.release)] = obs
        if note and note not in notes[row]:
            notes[row].append(note)

    for m in result.matches:
        for obs in (m.a, m.b):
            put(obs, m.status, m.note if m.status != "agree" else "")
    for s in result.sums:
        for obs in (s.total,) + s.parts:
            state = {"fail": "sum-fail", "restated": "restated"}.get(s.status, "agree")
            put(obs, state, s.note if state != "agree" else "")
    tables: dict[str, list] = defaultdict(list)
    for row, printed in cells.items():
        periods = sorted({p for p, _ in printed}, key=lambda p: (p.end, p.months))
        latest = max(printed.values(), key=lambda o: o.release)
        grid = []
        worst = "agree"
        for period in periods:
            line = []
            for rel in result.releases:
                obs = printed.get((period, rel.index))
                if obs is None:
                    line.append(None)
                    continue
                state = status[(obs.release, obs.figure.span.line, obs.figure.span.col)]
                worst = state if _RANK[state] > _RANK[worst] else worst
                line.append({"text": obs.figure.text, "where": obs.where, "state": state,
                             "href": f"{reports[rel.index]}#F-{obs.figure.id}" if rel.index in reports else "",
                             "title": f"{rel.name} line {obs.where}: {obs.row} ({obs.header})"})
            grid.append({"period": period.label(), "cells": line})
        tables[row[0]].append({"id": f"row-{sum(len(v) for v in tables.values()) + 1}", "label": latest.row,
                               "measure": row[2] + (f" {row[3]}" if row[3] else ""), "state": worst,
                               "grid": grid, "notes": notes[row], "label_key": row[1], "measure_key": row[2:]})
    titles = dict(result.tables)
    ids = {(t, r["label_key"], r["measure_key"]): r["id"] for t, rows in tables.items() for r in rows}

    def anchor(obs) -> str:
        return "#" + ids.get((obs.table, obs.label, (obs.measure, obs.role)), "")
    return {
        "title": f"{result.status.upper()} \u2014 series report \u2014 {len(result.releases)} releases",
        "tool": {"name": "qfin-audit", "version": __version__},
        "generated": when.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "verdict": result.status, "verdict_line": result.verdict_line(), "counts": result.counts(),
        "releases": [{"n": r.index + 1, "name": r.name, "path": r.filing.path, "href": _href(r.filing.path, out_path),
                      "report": reports.get(r.index, ""),
                      "reports": r.latest.label() if r.latest else "", "issuer": r.filing.meta.issuer,
                      "sha256": r.filing.sha256} for r in result.releases],
        "packs": list(result.packs),
        "splits": [{"ratio": s.ratio, "earlier": result.releases[s.earlier].name,
                    "later": result.releases[s.later].name, "source": s.source, "evidence": s.evidence}
                   for s in result.splits],
        "problems": [{"state": m.status, "how": m.how, "note": m.note, "evidence": m.evidence, "href": anchor(m.b)}
                     for m in result.matches if m.status in ("mismatch", "restated")]
                    + [{"state": "sum-fail", "how": f"{s.total.title} / {s.total.row}", "note": s.note, "evidence": "",
                        "href": anchor(s.total)} for s in result.sums if s.failed],
        "tables": [{"name": name, "titles": titles.get(name, ()), "rows": rows,
                    "bad": sum(1 for r in rows if r["state"] in ("mismatch", "sum-fail"))}
                   for name, rows in tables.items()],
        "rules": sorted((_rule(result, r, reports) for r in result.rules if r.finding.cause != EARLIER),
                        key=lambda r: _ORDER.get(r["status"], 3)),
        "rules_wanting": _wanting(result),
        "skips": [{"reason": s.reason, "where": s.where} for s in result.skips],
        "notes": list(result.notes),
    }


EARLIER = "needs an earlier release"  # check.findings.EARLIER: a rule the series could not give its release
_ORDER = {"fail": 0, "error": 0, "pass": 1, "skip": 2}


def _wanting(result) -> list[dict[str, Any]]:
    """Rules not run for want of an earlier release: one line per release and reason."""
    found: dict[tuple[int, str], list[str]] = {}
    for r in result.rules:
        if r.finding.cause == EARLIER:
            found.setdefault((r.release, r.finding.reason), []).append(r.finding.rule.id)
    return [{"n": i + 1, "release": result.releases[i].name, "reason": reason, "ids": ", ".join(ids)}
            for (i, reason), ids in found.items()]


def _rule(result, check, reports: dict) -> dict[str, Any]:
    """A finding of a rule across releases: its figures, each linked to its place in its release's report."""
    f = check.finding
    figures = []
    for index, fig in check.figures:
        rel = result.releases[index]
        figures.append({"text": fig.text, "release": rel.name, "n": index + 1, "where": f"{fig.span.line}:{fig.span.col}",
                        "href": f"{reports[index]}#F-{fig.id}" if index in reports else "",
                        "current": index == check.release})
    state = {"pass": "agree", "fail": "mismatch", "error": "mismatch"}.get(f.status, "none")
    return {"id": f.rule.id, "title": f.rule.title, "status": f.status, "state": state, "cause": f.cause or "",
            "release": result.releases[check.release].name, "n": check.release + 1, "column": f.column or "",
            "message": f.message, "note": f.note or "", "figures": figures,
            "read": ", ".join(f"{q}. = #{i + 1}" for q, i in check.read)}


_SCRIPT = """
document.getElementById('only-problems').addEventListener('change', function (e) {
  document.body.classList.toggle('only-problems', e.target.checked);
});
document.getElementById('open-all').addEventListener('click', function () {
  document.querySelectorAll('details.table').forEach(function (d) { d.open = true; });
});
"""
