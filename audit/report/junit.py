"""JUnit XML (xml.etree): a testsuite per rule file and a testcase per check and column."""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import Optional

from .. import __version__
from ..check.findings import fmt
from .json import rules_dict
from .view import check_name, file_stem

# Characters XML 1.0 cannot hold (most C0 controls, surrogates, U+FFFE/U+FFFF); filings may contain them.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text) -> str:
    return _NOT_XML.sub("\ufffd", "" if text is None else str(text))


def details(f) -> str:
    """The body of a failure: numbers, tolerance, note and every figure with its source line."""
    d = f.display
    lines = [f"{f.rule.id} {f.rule.title}", f"rule: {f.file}:{f.rule.span.line}"]
    if f.column:
        lines.append(f"column: {f.column}")
    if f.row:
        lines.append(f"row: {f.row}")
    if f.actual is not None and f.expected is not None:
        unit = f" {d.label}" if d and d.label else ""
        lines.append(f"actual: {fmt(f.actual.mid, d)}  expected: {fmt(f.expected.mid, d)}  "
                     f"difference: {fmt(f.actual.mid - f.expected.mid, d)}{unit}")
        lines.append(f"intervals: [{fmt(f.actual.lo, d)}, {fmt(f.actual.hi, d)}] {f.op} "
                     f"[{fmt(f.expected.lo, d)}, {fmt(f.expected.hi, d)}]")
    if f.tolerance is not None:
        lines.append(f"tolerance: {fmt(f.tolerance, d, 0)}")
    if f.allowance is not None:
        lines.append(f"allowance: {fmt(f.allowance, d, 1)}")
    lines.append(f.message)
    if f.note:
        lines.append(f"note: {f.note}")
    for g in f.figures:
        where = f"{g.row} [{g.column.label}]" if g.table and g.column else (g.phrase or "prose")
        lines.append(f"  line {g.span.line}, col {g.span.col}: {g.text}  ({where})")
    return "\n".join(lines)


def render(result, generated: Optional[dt.datetime] = None) -> str:
    """The audit as a JUnit XML document (str), valid XML whatever the filing contains."""
    when = (generated or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S")
    counts = result.counts()
    root = ET.Element("testsuites", {
        "name": _clean(f"qfin-audit {result.filing.path}"), "tests": str(counts["total"]),
        "failures": str(counts["fail"]), "errors": str(counts["error"]), "skipped": str(counts["skip"]),
        "time": "0"})
    by_file: dict[str, list] = {f.path: [] for f in result.ruleset.files}
    for finding in result.findings:
        by_file.setdefault(finding.file, []).append(finding)
    properties = {"filing": result.filing.path, "filing_sha256": result.filing.sha256,
                  "rules_sha256": rules_dict(result.ruleset)["sha256"], "tool": f"qfin-audit {__version__}",
                  "verdict": result.verdict.status, "verdict_line": result.verdict.line(),
                  **{f"pack {v.pack.name}": ("applied: " if v.applies else "skipped: ") + v.reason
                     for v in result.packs}}
    for path, findings in by_file.items():
        if not findings:
            continue
        tally = {s: sum(1 for f in findings if f.status == s) for s in ("fail", "error", "skip")}
        suite = ET.SubElement(root, "testsuite", {
            "name": _clean(path), "tests": str(len(findings)), "failures": str(tally["fail"]),
            "errors": str(tally["error"]), "skipped": str(tally["skip"]), "time": "0", "timestamp": stamp})
        props = ET.SubElement(suite, "properties")
        for name, value in properties.items():
            ET.SubElement(props, "property", {"name": name, "value": _clean(value)})
        for f in findings:
            case = ET.SubElement(suite, "testcase", {
                "classname": _clean(file_stem(f.file)), "name": _clean(check_name(f)),
                "file": _clean(f.file), "line": str(f.rule.span.line), "time": "0"})
            if f.status == "fail":
                element = ET.SubElement(case, "failure", {"message": _clean(f.message), "type": f.severity})
                element.text = _clean(details(f))
            elif f.status == "error":
                element = ET.SubElement(case, "error", {"message": _clean(f.reason or f.message), "type": f.severity})
                element.text = _clean(details(f))
            elif f.status == "skip":
                ET.SubElement(case, "skipped", {"message": _clean(f"[{f.cause}] {f.reason or f.message}")})
    verdict = result.verdict
    if verdict.status == "incomplete":  # a CI run must not go green over checks that never ran
        suite = ET.SubElement(root, "testsuite", {
            "name": "qfin-audit verdict", "tests": "1", "failures": "1", "errors": "0", "skipped": "0",
            "time": "0", "timestamp": stamp})
        case = ET.SubElement(suite, "testcase", {"classname": "verdict", "name": "INCOMPLETE", "time": "0"})
        element = ET.SubElement(case, "failure", {"message": _clean(verdict.line()), "type": "incomplete"})
        element.text = _clean("\n".join(list(verdict.problems) + [
            f"{f.cause}: {f.rule.id} [{f.column or '-'}] {f.reason}" for f in result.findings if f.missing]))
        root.set("tests", str(counts["total"] + 1))
        root.set("failures", str(counts["fail"] + 1))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
