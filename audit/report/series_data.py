"""A series as JSON and as JUnit XML: every match, period sum and split, each figure located in its release."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any, Optional

from .json import figure_dict, tool
from .junit import _clean
from .series_text import rule_text


def _where(result, obs) -> dict[str, Any]:
    rel = result.releases[obs.release]
    out = {"release": rel.name, "path": rel.filing.path}
    out.update(figure_dict(obs.figure, rel.filing))
    out["period"] = obs.period.label()
    return out


def _interval(interval) -> list[str]:
    return [f"{interval.lo:f}", f"{interval.hi:f}"]


def document(result) -> dict[str, Any]:
    """The series as plain data; Decimal values are strings, intervals in base units."""
    c = result.counts()
    return {
        "tool": tool(),
        "releases": [{"index": r.index, "name": r.name, "path": r.filing.path, "sha256": r.filing.sha256,
                      "issuer": r.filing.meta.issuer, "reports": r.latest.label() if r.latest else None,
                      "exchange_rate": str(r.rate) if r.rate is not None else None} for r in result.releases],
        "packs": list(result.packs),
        "summary": {"verdict": result.status, "verdict_line": result.verdict_line(), "counts": c,
                    "figures": result.figures, "matched": len(result.matches), "sums": len(result.sums),
                    "skipped": len(result.skips)},
        "tables": [{"as": name, "titles": list(titles)} for name, titles in result.tables],
        "splits": [{"earlier": result.releases[s.earlier].name, "later": result.releases[s.later].name,
                    "ratio": s.ratio, "source": s.source, "evidence": s.evidence} for s in result.splits],
        "matches": [{"status": m.status, "matched": m.how, "table": m.a.table, "label": m.a.label,
                     "period": m.a.period.label(), "measure": m.a.measure, "role": m.a.role,
                     "expected": _interval(m.expected), "note": m.note, "evidence": m.evidence,
                     "earlier": _where(result, m.a), "later": _where(result, m.b)} for m in result.matches],
        "sums": [{"status": s.status, "table": s.total.table, "label": s.total.label, "note": s.note,
                  "expected": _interval(s.expected), "total": _where(result, s.total),
                  "parts": [_where(result, p) for p in s.parts]} for s in result.sums],
        "rules": [_rule(result, r) for r in result.rules],
        "skipped": [{"reason": s.reason, "where": s.where} for s in result.skips],
        "notes": list(result.notes),
    }


def _rule(result, check) -> dict[str, Any]:
    """A finding of a rule across releases, each figure located in the release that prints it."""
    f = check.finding
    out = {"rule": f.rule.id, "title": f.rule.title, "file": f.file, "line": f.rule.span.line,
           "severity": f.rule.severity, "status": f.status, "cause": f.cause, "column": f.column, "row": f.row,
           "release": result.releases[check.release].name, "message": f.message, "note": f.note,
           "read": [{"release": q, "name": result.releases[i].name} for q, i in check.read],
           "actual": _interval(f.actual) if f.actual is not None else None,
           "expected": _interval(f.expected) if f.expected is not None else None, "figures": []}
    for index, fig in check.figures:
        rel = result.releases[index]
        out["figures"].append({"release": rel.name, "path": rel.filing.path, **figure_dict(fig, rel.filing)})
    return out


def junit(result, generated: Optional[dt.datetime] = None) -> str:
    """A testsuite of matches and one of period sums; a testcase each, failing on a disagreement."""
    when = (generated or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%S")
    root = ET.Element("testsuites", name="qfin-audit series")
    suites = [("series matches", [(_match_name(result, m), m.status == "mismatch", _match_body(result, m))
                                  for m in result.matches]),
              ("series period sums", [(_sum_name(result, s), s.failed, s.note) for s in result.sums])]
    if result.rules:  # a failing or undecided check fails; a skip is a testcase skipped with its cause
        suites.append(("series rules across releases", [
            (f"{r.finding.rule.id} [{r.finding.column or '-'}] {result.releases[r.release].name}",
             r.finding.blocking or ("skip" if r.status == "skip" else False), rule_text(result, r))
            for r in result.rules]))
    if result.status == "incomplete":
        suites.append(("series verdict", [("verdict", True, result.verdict_line())]))
    for name, cases in suites:
        suite = ET.SubElement(root, "testsuite", name=name, tests=str(len(cases)),
                              failures=str(sum(1 for _, failed, _ in cases if failed is True)), errors="0",
                              skipped=str(sum(1 for _, failed, _ in cases if failed == "skip")), timestamp=when)
        for case_name, failed, body in cases:
            case = ET.SubElement(suite, "testcase", classname=name, name=_clean(case_name))
            if failed == "skip":
                ET.SubElement(case, "skipped", message=_clean(body))
            elif failed:
                failure = ET.SubElement(case, "failure", message=_clean(body.splitlines()[0]))
                failure.text = _clean(body)
            else:
                out = ET.SubElement(case, "system-out")
                out.text = _clean(body)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _match_name(result, m) -> str:
    a, b = result.releases[m.a.release].name, result.releases[m.b.release].name
    return f"{m.a.row} [{m.a.period.label()} {m.a.measure}] {a} -> {b}"


def _match_body(result, m) -> str:
    a, b = result.releases[m.a.release], result.releases[m.b.release]
    lines = [f"{m.status}: {m.note}" if m.note else m.status, f"matched: {m.how}",
             f"{a.name} {m.a.where}: {m.a.figure.text}", f"{b.name} {m.b.where}: {m.b.figure.text}"]
    if m.evidence:
        lines.append(f"evidence: {m.evidence}")
    return "\n".join(lines)


def _sum_name(result, s) -> str:
    return f"{s.total.row} [{s.total.period.label()} {s.total.measure}] {result.releases[s.total.release].name}"
