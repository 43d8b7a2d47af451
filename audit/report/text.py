"""Console text for people, laid out with tabulate."""
from __future__ import annotations

from tabulate import tabulate

from ..read.filing import Filing


def extraction(filing: Filing) -> str:
    """What the filing says about itself, every table as a grid (line, row, cells), then every prose figure."""
    said = filing.meta.said()
    out: list[str] = [f"{filing.path}: {filing.source_format}" + (f"; {'; '.join(said)}" if said else ""), ""]
    for table in filing.tables:
        unit = f" ({table.unit_note})" if table.unit_note else ""
        out.append(f"{table.title} [{table.id}], line {table.span.line}{unit}")
        headers = ["line", "row"] + [c.label for c in table.columns]
        body = []
        for row in table.rows:
            label = ("  " * len(row.section)) + row.label
            if row.is_group:
                label += "  [group]"
            balance = next((c for c in row.cells if c is not None and c.balance_date), None)
            if balance is not None:  # cash at the end of the period: a balance at a date
                label += f"  [balance at the period's {'end' if balance.balance_date == balance.column.period.end else 'start'}]"
            body.append([row.span.line, label] + [c.text if c else "" for c in row.cells])
        out.append(tabulate(body, headers=headers, tablefmt="simple", disable_numparse=True))
        out.append("")
    out.append(f"Prose figures ({len(filing.prose)})")
    body = [[f"{f.span.line}:{f.span.col}", f.text, f.value, f.unit_label, f.decimals, f.kind,
             f.period.label() if f.period else "", (f.phrase or "")[:60]] for f in filing.prose]
    out.append(tabulate(body, headers=["at", "text", "value", "unit", "dp", "kind", "period", "phrase"],
                        tablefmt="simple", disable_numparse=True))
    if filing.facts:
        out.append("")
        out.append("Facts")
        out.append(tabulate([[n, f.value, f"{f.span.line}:{f.span.col}", f.text] for n, f in filing.facts.items()],
                            headers=["fact", "value", "at", "text"], tablefmt="simple", disable_numparse=True))
    return "\n".join(out) + "\n"


def _tail(text: str, width: int) -> str:
    """The end of a long row path, where its own label is."""
    return text if len(text) <= width else "…" + text[-(width - 1):]


def _figs(finding, limit: int = 6) -> str:
    shown = [f"L{g.span.line}:{g.span.col} {g.text}" for g in finding.figures[:limit]]
    if len(finding.figures) > limit:
        shown.append(f"+{len(finding.figures) - limit} more")
    return "; ".join(shown)


def pack_lines(result) -> list[str]:
    """One line per rule pack considered: applied or skipped, and why."""
    return [f"pack {v.pack.name} ({v.pack.path}): {'applied' if v.applies else 'skipped'}, {v.reason}"
            for v in result.packs]


def run_summary(result, verbose: bool = False) -> str:
    """Counts, coverage, every failure with its numbers and source lines, then the verdict."""
    from ..check.findings import fmt
    from .view import is_problem, problem_order, severity_counts

    counts = result.counts()
    cov = result.coverage
    out = [f"qfin-audit: {result.filing.path} ({len(result.ruleset.files)} rule files, "
           f"{len(result.ruleset.rules)} rules, {counts['total']} checks)"]
    rows = [[sev] + [c[s] for s in ("pass", "fail", "skip", "error")] for sev, c in severity_counts(result).items()]
    rows.append(["total"] + [counts[s] for s in ("pass", "fail", "skip", "error")])
    out.append(tabulate(rows, headers=["severity", "pass", "fail", "skip", "error"], tablefmt="simple"))
    out.extend(pack_lines(result))
    out.append(f"coverage: table figures {cov.table_text()}; "
               f"narrative figures {cov.narrative_checked}/{cov.narrative_total - cov.narrative_uncheckable} "
               f"checkable ({cov.narrative_ratio:.1%}), {cov.narrative_uncheckable} not checkable in this filing")
    problems = problem_order(f for f in result.findings if is_problem(f))
    if problems:
        out.append("")
        out.append(f"Failures and errors ({len(problems)}):")
        body = []
        for f in problems:
            d = f.display
            body.append([
                f.rule.id, f.severity, f.status, f.column or "", _tail(f.row or "", 40),
                fmt(f.actual.mid, d) if f.actual else "", fmt(f.expected.mid, d) if f.expected else "",
                fmt(f.actual.mid - f.expected.mid, d) if f.actual and f.expected else "",
                _figs(f) if f.figures else (f.reason or ""),
            ])
        out.append(tabulate(body, headers=["rule", "severity", "status", "column", "row", "actual", "expected",
                                           "difference", "figures (line:col text) / reason"],
                            tablefmt="simple", disable_numparse=True))
        for f in problems:
            out.append(f"  {f.rule.id} [{f.column or '-'}] {f.message}")
    suspects = getattr(result, "suspects", ())
    if suspects:
        out.append("")
        shown = f" (top 5 of {len(suspects)})" if len(suspects) > 5 else ""
        out.append(f"Likely wrong figures, each with the value the checks imply{shown}:")
        for s in suspects[:5]:
            out.append(f"  {s.describe()}" if hasattr(s, "describe") else f"  {s}")
    notes = [f for f in result.findings if f.note and f.status == "pass"]
    if notes:
        out.append("")
        out.append(f"Notes ({len(notes)}):")
        for f in notes:
            out.append(f"  {f.rule.id} [{f.column}] {f.note}")
    verdict = result.verdict
    out.extend(skip_lines(result, verbose))
    out.append("")
    out.append(f"verdict: {verdict.line()}")
    return "\n".join(out) + "\n"


def skip_lines(result, verbose: bool = False) -> list[str]:
    """Skipped checks grouped by cause. What makes the verdict INCOMPLETE (an error-severity check
    that could not run for something the pack requires) is always listed; `verbose` lists the rest."""
    from .view import skips_by_cause

    out = []
    for cause, findings in skips_by_cause(result):
        missing = [f for f in findings if f.missing]
        shown = findings if verbose else missing
        if not shown:
            continue
        what = "NOT CHECKED" if missing else "skipped"
        out += ["", f"{what}, {cause} ({len(findings)}):"]
        for f in shown[:50]:
            out.append(f"  {f.rule.id} [{f.column or '-'}] {f.reason}")
        if len(shown) > 50:
            out.append(f"  ... and {len(shown) - 50} more")
    for problem in result.verdict.problems:
        out += ["", f"NOT CHECKED: {problem}"]
    return out
