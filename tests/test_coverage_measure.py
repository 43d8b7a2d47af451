"""coverage.measure against its plain definition: a figure is checked when a passing or failing
check used it, or a figure at its place (Figure.key); the others are listed with their reasons."""
from __future__ import annotations

import dataclasses

from audit.check.coverage import Unchecked, measure, stray_rows


def _reference(filing, findings, declared):
    ran = [f for f in findings if f.status in ("pass", "fail")]
    used_keys = {fig.key for f in ran for fig in f.figures}
    skipped = {}
    for f in findings:
        if f.status not in ("pass", "fail") and f.reason:
            for fig in f.figures:
                skipped.setdefault(fig.key, f"{f.rule.id}: {f.reason}")
    reasons = {fig.key: reason for fig, reason in declared}
    cells = [c for t in filing.tables for r in t.rows for c in r.cells if c is not None]
    unchecked = [Unchecked(c, "table", reasons.get(c.key) or skipped.get(c.key, ""))
                 for c in cells if c.key not in used_keys]
    prose_unused = [p for p in filing.prose if p.key not in used_keys]
    narrative = [Unchecked(p, "narrative", reasons.get(p.key) or skipped.get(p.key, "")) for p in prose_unused]
    return (len(cells), len(cells) - len(unchecked), len(filing.prose), len(filing.prose) - len(prose_unused),
            sum(1 for u in narrative if u.reason), tuple(unchecked + narrative))


def test_measure_is_its_definition(clean_result):
    result = clean_result
    declared = result.evaluator.unchecked() if result.evaluator else []
    got = measure(result.filing, result.findings, declared)
    assert tuple(got)[:6] == _reference(result.filing, result.findings, declared)
    assert got.stray_lines == stray_rows(result.filing)


def test_a_figure_used_through_a_copy_at_its_place_is_checked(clean_result):
    """A check that used an equal figure object (another object at the same place) checks it too."""
    result = clean_result
    findings = list(result.findings)
    cell = next(c for t in result.filing.tables for r in t.rows for c in r.cells if c is not None)
    prose = result.filing.prose[0]
    uses = [f for f in findings if any(g is cell or g is prose for g in f.figures)]
    kept = [f for f in findings if f not in uses]
    copies = [dataclasses.replace(cell), dataclasses.replace(prose)]
    ran = next(f for f in kept if f.status == "pass")
    kept.append(ran._replace(figures=tuple(copies)))
    got = measure(result.filing, kept, [])
    assert tuple(got)[:6] == _reference(result.filing, kept, [])
    assert all(u.figure is not cell and u.figure is not prose for u in got.unchecked)
    dropped = [f for f in kept if f is not kept[-1]]
    got = measure(result.filing, dropped, [])
    assert tuple(got)[:6] == _reference(result.filing, dropped, [])
    assert any(u.figure is cell for u in got.unchecked) and any(u.figure is prose for u in got.unchecked)
