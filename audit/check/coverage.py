"""Coverage: which printed figures at least one check ticked, and which were left unchecked (and why)."""
from __future__ import annotations

import re
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
    stray_lines: tuple[int, ...] = ()  # lines outside every table laid out as a row of numbers

    @property
    def table_ratio(self) -> float:
        return self.table_checked / self.table_total if self.table_total else 0.0

    def table_text(self) -> str:
        """'308/308 (100.0%)', or 'none read' for 0/0: never 100% of nothing."""
        if not self.table_total:
            text = "none read"
        else:
            text = f"{self.table_checked}/{self.table_total} ({self.table_ratio:.1%})"
        if self.stray_lines:
            shown = ", ".join(str(n) for n in self.stray_lines[:5])
            more = f" and {len(self.stray_lines) - 5} more" if len(self.stray_lines) > 5 else ""
            text += (f"; {len(self.stray_lines)} line(s) outside every table look like table rows "
                     f"(lines {shown}{more}): their numbers were not read as table figures")
        return text

    @property
    def narrative_ratio(self) -> float:
        """Checked prose figures over those that can be checked inside the filing."""
        checkable = self.narrative_total - self.narrative_uncheckable
        return self.narrative_checked / checkable if checkable else 1.0


def measure(filing: Filing, findings, declared: list[tuple[Figure, str]]) -> Coverage:
    """Count a figure as checked when a check that passed or failed used it."""
    used: dict[int, Figure] = {  # the figures checks used, each once (most are used by several)
        id(fig): fig for finding in findings if finding.status in _RAN for fig in finding.figures}
    skipped: dict[tuple[int, int], str] = {}
    for finding in findings:
        if finding.status not in _RAN and finding.reason:
            for fig in finding.figures:
                skipped.setdefault(fig.key, f"{finding.rule.id}: {finding.reason}")
    reasons = {f.key: reason for f, reason in declared}
    unchecked: list[Unchecked] = []
    cells = [fig for table in filing.tables for row in table.rows for fig in row.cells if fig is not None]
    table_total = len(cells)  # (table.figures())
    others = [fig for fig in cells if id(fig) not in used]
    spare = [fig for fig in filing.prose if id(fig) not in used]
    # a figure not used is checked when its place (fig.key) is a used one's: the places of the used
    # figures on the lines of those not used
    lines = {f.span.line for f in others} | {f.span.line for f in spare}
    checked = {(f.span.line, f.span.col) if type(f) is Figure else f.key for f in used.values()
               if f.span.line in lines}
    table_checked = table_total - len(others)
    for fig in others:
        key = fig.key
        if key in checked:  # (a figure used is checked: its key is)
            table_checked += 1
        else:
            unchecked.append(_unchecked((fig, "table", reasons.get(key) or skipped.get(key, ""))))
    prose_total = len(filing.prose)
    prose_checked, uncheckable = prose_total - len(spare), 0
    for fig in spare:
        key = fig.key
        if key in checked:
            prose_checked += 1
            continue
        reason = reasons.get(key) or skipped.get(key, "")
        if reason:
            uncheckable += 1
        unchecked.append(_unchecked((fig, "narrative", reason)))
    return Coverage(table_total, table_checked, prose_total, prose_checked, uncheckable, tuple(unchecked),
                    stray_rows(filing, cells))


_RAN = ("pass", "fail")
_unchecked = Unchecked._make


#: A number in a row: 1,234 / (1,234) / 12.5 / $ 1,234 / 12% / a nil dash, standing alone.
_CELL = re.compile(r"^\(?\$?\s?\(?-?\d[\d,]*(?:\.\d+)?\)?%?\)?$|^[-\u2013\u2014]+$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_GAP = re.compile(r"\t| {2,}")


_DECIMAL = re.compile(r"\d")


def _has_digit(line: str) -> bool:
    """any(ch.isdigit() for ch in line), by a search: a decimal digit is a digit, and an ASCII line
    holds no other kind (superscripts are digits too)."""
    if _DECIMAL.search(line) is not None:
        return True
    return not line.isascii() and any(ch.isdigit() for ch in line)


def stray_rows(filing: Filing, cells=None) -> tuple[int, ...]:
    """Lines no table holds that are laid out like a table row: a short label, then two or more
    cells of numbers separated by tabs or runs of spaces (a plain-text statement the reader missed).
    `cells`: every figure of the filing's tables, if already listed."""
    tables = filing.tables
    held = {table.span.line for table in tables}
    held.update([row.span.line for table in tables for row in table.rows])
    if cells is None:
        cells = [fig for table in tables for row in table.rows for fig in row.cells if fig is not None]
    held.update([fig.span.line for fig in cells])
    out = []
    for number, line in enumerate(filing.lines, 1):
        if number in held or len(line) > 400 or ("\t" not in line and "  " not in line) or not _has_digit(line):
            continue  # (cells are separated by a tab or two spaces: a line with neither has one cell)
        cells = [c.strip() for c in _GAP.split(line.strip()) if c.strip()]
        numeric = [c for c in cells if _CELL.match(c.replace(" ", ""))]
        if all(_YEAR.match(c) for c in numeric):
            continue  # a heading row of years
        if len(numeric) >= 2 and len(cells) - len(numeric) <= 1 and any(ch.isdigit() for c in numeric for ch in c):
            out.append(number)
    return tuple(out)
