"""A short Markdown summary of an audit, to paste into a review comment."""
from __future__ import annotations

import os
import re

from .. import __version__
from ..check.findings import fmt
from .json import rules_dict
from .view import (
    STATUSES,
    is_problem,
    problem_order,
    severity_counts,
    skips_by_cause,
    suspect_view,
)

MAX_ROWS = 25
_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def text(value) -> str:
    """Plain text for Markdown: one line, no markup, no HTML, and safe inside a table cell."""
    value = " ".join(str(value or "").split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", value)


def code(value) -> str:
    """Inline code that survives backticks and pipes in the value."""
    value = " ".join(str(value or "").split()).replace("|", "\u2223")
    fence = "``" if "`" in value else "`"
    return f"{fence} {value} {fence}" if fence == "``" else f"`{value}`"


def render(result, limit: int = MAX_ROWS) -> str:
    """Verdict, counts, coverage, likely errors and the failures table."""
    counts = result.counts()
    cov = result.coverage
    name = os.path.basename(result.filing.path)
    verdict = result.verdict
    out = [f"### qfin-audit: {verdict.word} \u2014 {text(name)}", ""]
    word, _, rest = verdict.line().partition(", ")
    out.append(f"**{word}**: {text(rest)}.")
    out.append("")
    for cause, findings in skips_by_cause(result):
        missing = [f for f in findings if f.missing]
        if missing:
            ids = ", ".join(text(f.rule.id) for f in missing[:20]) + (" \u2026" if len(missing) > 20 else "")
            out.append(f"- **Not checked, {cause}** ({len(missing)}): {ids}")
    for problem in verdict.problems:
        out.append(f"- **Not checked:** {text(problem)}")
    if verdict.missing or verdict.problems:
        out.append("")
    out.append(f"{counts['total']} checks: " + ", ".join(f"{counts[s]} {s}" for s in ("pass", "fail", "skip", "error"))
               + ".")
    out.append("")
    out.append("| severity | " + " | ".join(STATUSES) + " |")
    out.append("|---|" + "--:|" * len(STATUSES))
    for severity, row in severity_counts(result).items():
        out.append(f"| {text(severity)} | " + " | ".join(str(row[s]) for s in STATUSES) + " |")
    out.append("")
    for v in result.packs:
        out.append(f"- pack **{text(v.pack.name)}** {'applied' if v.applies else 'skipped'}: {text(v.reason)}")
    if result.packs:
        out.append("")
    out.append(f"**Coverage:** table figures {text(cov.table_text())}; "
               f"narrative figures {cov.narrative_checked}/{cov.narrative_total - cov.narrative_uncheckable} "
               f"checkable ({cov.narrative_ratio:.1%}), {cov.narrative_uncheckable} not checkable in this filing.")
    if result.suspects:
        out += ["", "#### Likely errors", ""]
        for s in map(suspect_view, result.suspects):
            out.append("- " + _suspect(s))
    problems = problem_order([f for f in result.findings if is_problem(f)])
    if problems:
        out += ["", f"#### Failures ({len(problems)})", "",
                "| rule | severity | status | column | row | actual | expected | difference | figures |",
                "|---|---|---|---|---|--:|--:|--:|---|"]
        for f in problems[:limit]:
            d = f.display
            numbers = ([fmt(f.actual.mid, d), fmt(f.expected.mid, d), fmt(f.actual.mid - f.expected.mid, d)]
                       if f.actual is not None and f.expected is not None else ["", "", ""])
            figs = ", ".join(f"L{g.span.line}:{g.span.col} {code(g.text)}" for g in f.figures[:6])
            if len(f.figures) > 6:
                figs += f", +{len(f.figures) - 6} more"
            out.append(f"| {text(f.rule.id)} {text(f.rule.title)} | {f.severity} | {f.status} | {text(f.column)} | "
                       f"{text(f.row)} | " + " | ".join(numbers) + f" | {figs or text(f.reason)} |")
        if len(problems) > limit:
            out.append("")
            out.append(f"\u2026 and {len(problems) - limit} more; the HTML report lists every one.")
    out += ["", f"<sub>qfin-audit {__version__} \u00b7 filing sha256 {code(result.filing.sha256[:16])} \u00b7 "
                f"rules sha256 {code(rules_dict(result.ruleset)['sha256'][:16])}</sub>", ""]
    return "\n".join(out)


def _suspect(s) -> str:
    if not s["text"]:
        checks = ", ".join(text(c) for c in s["explains"])
        return f"No single figure explains {checks}" + (f" ({text(s['note'])})" if s["note"] else "")
    where = f"line {s['line']}, col {s['col']}" if s["line"] else ""
    line = f"{where}: {code(s['text'])}" if where else code(s["text"])
    if s["implied"]:
        line += f" should read {code(s['implied'])}"
    if s["hint"]:
        line += f" ({text(s['hint'])})"
    if s["where"]:
        line += f" \u2014 {text(s['where'])}"
    if s["explains"]:
        line += "; explains " + ", ".join(text(c) for c in s["explains"])
    return line
