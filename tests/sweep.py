"""The transposition sweep: two adjacent digits of statement cells swapped, one cell at a time, and
whether diagnosis names the changed figure with its exact value. Shared by tests/test_diagnose.py (a
fixed-seed sample) and benchmarks/bench_diagnose_sweep.py (every cell)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field


def variant(lines: list[str], *changes) -> str:
    """A copy of the fixture text with each figure's exact span replaced by new text."""
    out = list(lines)
    for fig, new in sorted(changes, key=lambda c: (c[0].span.line, -c[0].span.col)):
        line = out[fig.span.line - 1]
        assert line[fig.span.col - 1:fig.span.end_col - 1] == fig.text, "span does not hold the figure's text"
        out[fig.span.line - 1] = line[:fig.span.col - 1] + new + line[fig.span.end_col - 1:]
    return "\n".join(out)


def at(suspect):
    return (suspect.figure.span.line, suspect.figure.span.col) if suspect.figure is not None else None


def transpose_last(text: str):
    """Swap the last pair of adjacent distinct digits (separators stay where they are)."""
    pos = [i for i, ch in enumerate(text) if ch.isdigit()]
    for a, b in reversed(list(zip(pos, pos[1:]))):
        if text[a] != text[b]:
            chars = list(text)
            chars[a], chars[b] = chars[b], chars[a]
            return "".join(chars)
    return None


def eligible(filing) -> list:
    """Every table figure with two distinct digits, in reading order."""
    return [fig for table in filing.tables for fig in table.figures()
            if len({ch for ch in fig.text if ch.isdigit()}) >= 2]


@dataclass
class Sweep:
    cells: int = 0
    first: list = field(default_factory=list)  # (figure, mutated text, top suspect)
    ties: list = field(default_factory=list)
    misses: list = field(default_factory=list)
    absorbed: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def detected(self) -> int:
        return self.cells - len(self.absorbed)

    @property
    def rate(self) -> float:
        return len(self.first) / self.detected if self.detected else 0.0

    def lines(self, what: str) -> list[str]:
        tied_first = sum(1 for _, _, top in self.first if top.tie)
        out = [
            f"{what}: {len(self.first)} of {self.detected} detected transpositions: changed figure ranked first "
            f"with its exact value ({self.rate:.1%}); {tied_first} of these tie on the checks and rank first by "
            "the digit pattern",
            f"{len(self.ties)} honest ties: the changed figure is listed in the top suspect's tie",
            f"{len(self.misses)} misses; {len(self.absorbed)} of {self.cells} absorbed by rounding (no check fails)",
            f"{self.cells} audits in {self.seconds:.1f}s",
        ]
        for kind, items in (("tie", self.ties), ("miss", self.misses), ("absorbed", self.absorbed)):
            for fig, mutated, top in items:
                out.append(f"  {kind}: L{fig.span.line}:{fig.span.col} {fig.text} -> {mutated} ({fig.row}, "
                           f"{fig.column.label})" + (f": top suspect {top.describe()}" if top else ""))
        return out


def measure(ruleset, lines: list[str], figures, run) -> Sweep:
    """Transpose each figure in turn; run(ruleset, text) audits a variant (evaluation and diagnosis)."""
    out = Sweep()
    started = time.perf_counter()
    for fig in figures:
        mutated = transpose_last(fig.text)
        out.cells += 1
        result = run(ruleset, variant(lines, (fig, mutated)))
        where = (fig.span.line, fig.span.col)
        if not any(f.status == "fail" for f in result.findings):
            out.absorbed.append((fig, mutated, None))
            continue
        top = result.suspects[0] if result.suspects else None
        if top is not None and at(top) == where and top.implied == fig.value:
            out.first.append((fig, mutated, top))
        elif top is not None and any(at(t) == where and t.implied == fig.value for t in top.tie):
            out.ties.append((fig, mutated, top))
        else:
            out.misses.append((fig, mutated, top))
    out.seconds = time.perf_counter() - started
    return out
