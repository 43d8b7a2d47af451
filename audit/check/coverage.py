"""Coverage: which printed figures at least one check ticked, and which were left unchecked (and why)."""
from __future__ import annotations

from typing import NamedTuple

from ..read.filing import Figure, Filing


class Unchecked(NamedTuple):
    """A figure no passing or failing check used, with the reason when one is known."""

    figure: Figure
    where: str  # table | narrative
    reason: str


class Coverage(NamedTuple):
    """Counts of checked figures in tables and prose, and the list of unchecked ones."""

    table_total: int
    table_checked: int
    narrative_total: int
    narrative_checked: int
    narrative_uncheckable: int
    unchecked: tuple[Unchecked, ...]

    @property
    def table_ratio(self) -> float:
        return self.table_checked / self.table_total if self.table_total else 1.0

    @property
    def narrative_ratio(self) -> float:
        """Checked prose figures over those that can be checked inside the filing."""
        checkable = self.narrative_total - self.narrative_uncheckable
        return self.narrative_checked / checkable if checkable else 1.0


def measure(filing: Filing, findings, declared: list[tuple[Figure, str]]) -> Coverage:
    """Count a figure as checked when a check that passed or failed used it."""
    checked: set[tuple[int, int]] = set()
    skipped: dict[tuple[int, int], str] = {}
    for finding in findings:
        if finding.status in ("pass", "fail"):
            checked.update(f.key for f in finding.figures)
        elif finding.reason:
            for fig in finding.figures:
                skipped.setdefault(fig.key, f"{finding.rule.id}: {finding.reason}")
    reasons = {f.key: reason for f, reason in declared}
    unchecked: list[Unchecked] = []
    table_total = table_checked = 0
    for table in filing.tables:
        for fig in table.figures():
            table_total += 1
            if fig.key in checked:
                table_checked += 1
            else:
                unchecked.append(Unchecked(fig, "table", reasons.get(fig.key) or skipped.get(fig.key, "")))
    prose_total = prose_checked = uncheckable = 0
    for fig in filing.prose:
        prose_total += 1
        key = fig.key
        if key in checked:
            prose_checked += 1
            continue
        reason = reasons.get(key) or skipped.get(key, "")
        if reason:
            uncheckable += 1
        unchecked.append(Unchecked(fig, "narrative", reason))
    return Coverage(table_total, table_checked, prose_total, prose_checked, uncheckable, tuple(unchecked))
