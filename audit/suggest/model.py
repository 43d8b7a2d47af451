"""What the identity search works on: each table's values per column context (the engine's own
column lining-up and rounding intervals), and the candidates it proposes."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from ..check.interval import DivisionByZero, Interval
from ..check.resolve import Unresolved, find_column, norm
from ..read.filing import Figure, Row, Table

ZERO = Interval.exact(0)


def interval(fig: Optional[Figure]) -> Optional[Interval]:
    """The interval a printed figure stands for, in base units (a nil is exactly zero)."""
    if fig is None:
        return None
    if fig.exact:
        return Interval.exact(fig.value.scaleb(fig.scale))
    return Interval.printed(fig.value, fig.decimals, fig.scale)


def dated(table: Table) -> bool:
    return any(c.period for c in table.columns)


def kept_columns(table: Table) -> list:
    """The columns a drafted rule runs over: those with a period (when some have one) and with a
    currency (when some have one); a change in % or a share of revenue has neither."""
    columns = list(table.columns)
    if dated(table):
        columns = [c for c in columns if c.period]
    if any(c.currency for c in columns):
        columns = [c for c in columns if c.currency]
    return columns


def period_filter(table: Table) -> str:
    """The `columns ...` filter that keeps those columns (`columns 3M 12M USD`), or ""."""
    kept = kept_columns(table)
    if len(kept) == len(table.columns):
        return ""
    tokens = []
    if dated(table) and not all(c.period for c in table.columns):
        tokens += [f"{m}M" for m in sorted({c.period.months for c in kept})]
    if any(c.currency is None for c in table.columns) and any(c.currency for c in kept):
        tokens += sorted({c.currency for c in kept})
    return " ".join(tokens)


class Contexts:
    """The column contexts a rule driven by `table` is evaluated in, as the engine does it: one per
    kept column, each table's cell found by period, currency and role (find_column), `mods` such
    as @end."""

    def __init__(self, table: Table):
        self.table = table
        self.ctxs = [(c.period, c.currency, c.role or None, c.label) for c in kept_columns(table)]
        self._cells: dict = {}

    def cell(self, k: int, table: Table, row: Row, mods: tuple[str, ...] = ()) -> Optional[Interval]:
        period, currency, role, _ = self.ctxs[k]
        key = (k, id(table), row.index, mods)
        if key not in self._cells:
            try:
                column = find_column(table, period, currency, mods, role)
                fig = row.cells[column.index] if column.index < len(row.cells) else None
            except Unresolved:
                fig = None
            self._cells[key] = interval(fig)
        return self._cells[key]

    def label(self, k: int) -> str:
        return self.ctxs[k][3]

    def __len__(self) -> int:
        return len(self.ctxs)


@dataclass
class Outcome:
    """Where a candidate held and where it failed, by column label."""

    held: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def most(self) -> bool:
        """Holds in most columns (at least two, and more than half of those evaluated)."""
        return len(self.held) >= 2 and 2 * len(self.held) > len(self.held) + len(self.failed)

    @property
    def half(self) -> bool:
        """Holds in at least half the columns: one of a two-column statement's (a misprint in the
        prior-year column). Taken only where the layout says the identity must hold."""
        return bool(self.held) and len(self.failed) <= len(self.held)

    @property
    def all(self) -> bool:
        return bool(self.held) and not self.failed


def evaluations(ctxs: Contexts, terms, target, combine=None, skipped=DivisionByZero):
    """(context index, target interval, computed interval) for every context where each figure is
    printed and the computation does not raise `skipped`."""
    for k in range(len(ctxs)):
        left = ctxs.cell(k, *target)
        values = [ctxs.cell(k, *t[1:]) for t in terms]
        if left is None or any(v is None for v in values):
            continue
        try:
            right = combine(values) if combine is not None else sum_terms(terms, values)
        except skipped:
            continue
        yield k, left, right


def test(ctxs: Contexts, terms, target, combine=None) -> Outcome:
    """Evaluate `target = sum(sign * term)` (or combine(values)) in every context; a context
    where a figure is absent is left out."""
    out = Outcome()
    for k, left, right in evaluations(ctxs, terms, target, combine):
        (out.held if left.intersects(right) else out.failed).append(ctxs.label(k))
    return out


def sum_terms(terms, values) -> Interval:
    total = ZERO
    for (sign, *_), v in zip(terms, values):
        total = total + v if sign > 0 else total - v
    return total


@dataclass
class Candidate:
    """One proposed identity: the rule text it becomes and the evidence for it."""

    kind: str  # footing | difference | group | same | cash | eps | ads | usd | shares | prose
    table: Table  # the table whose file it goes in (and whose columns drive it)
    title: str
    check: str  # the rule's check, in the rule language
    evidence: str  # how it was found
    certain: bool
    keys: frozenset  # what it ties, for scoring against truth files (row keys, prose keys)
    outcome: Outcome = field(default_factory=Outcome)
    columns: str = ""  # a `columns ...` filter
    group: str = ""  # the file it belongs in, when not its table's
    optional: bool = False
    lead: tuple = ()  # a prose candidate's own figure (line, col): the one its anchor finds
    parts: tuple = ()  # a footing's (total row, ((sign, item row), ...)), for the US$ plug (draft.plugs)


_FOOTNOTE = re.compile(r"\s*(?:\(\s*[0-9a-z]{1,2}\s*\)|\*+|\[\d+\])\s*", re.I)


def label_key(label: str) -> str:
    """A row label without footnote markers, for 'the same row in another statement'."""
    return norm(_FOOTNOTE.sub(" ", label)).strip(" :")


def row_key(table: Table, row: Row) -> str:
    """A row, identified as a reader would: the table's id (from its title), section path and
    label, and which occurrence of that path it is."""
    same = [r for r in table.rows if r.path == row.path]
    nth = next(i for i, r in enumerate(same) if r is row)
    return f"{table.id} | {label_key(row.path)}" + (f" #{nth + 1}" if nth else "")


_WORD = re.compile(r"[a-z][a-z']+")
_STOP = frozenset("the of and to in for from per on by a an as at total net other less add its".split())


@functools.lru_cache(maxsize=8192)  # (labels are compared pairwise: each label's words are read once)
def words(text: str) -> frozenset:
    """A label's words, stop words left out, a plural 's' dropped (revenue, revenues)."""
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                     for w in _WORD.findall(text.lower()) if w not in _STOP)


def overlap(a: str, b: str) -> float:
    """Word overlap of two labels (Jaccard, stop words left out)."""
    x, y = words(a), words(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def bucket(value: Decimal) -> tuple:
    if value == 0:
        return (0,)
    exp = value.copy_abs().adjusted()  # no sign: a loss printed positive in one place is tried too
    return (exp, int(value.copy_abs().scaleb(1 - exp)))


def value_keys(row: Row) -> set:
    return {bucket(c.base_value) for c in row.cells if c is not None and not c.exact and c.value != 0}


def big(row: Row) -> bool:
    """Figures of three significant digits or more: an equality of these is not a coincidence."""
    return any(c is not None and len(str(abs(c.value)).replace(".", "").lstrip("0")) >= 3 for c in row.cells)
