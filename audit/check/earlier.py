"""The issuer's earlier releases that rules read (`prior_quarter.ops[...]`, `prior_year.net_loss`): set
by `series` around each release's audit, their tables and columns found there; a rule that reads one
the audit lacks is skipped, never run."""
from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import NamedTuple, Optional

from ..lang import nodes as n
from ..lang.releases import RELEASES
from ..read.filing import Column, Figure, Filing, ProsePeriod, Table
from .findings import COLUMN, EARLIER, NOT_APPLICABLE, Finding
from .resolve import Missing, Unresolved, concrete, find_column, find_table


class Earlier(NamedTuple):
    """An earlier release as a qualifier names it: its filing (units as the pack declares them), or
    None and why it is absent."""

    qualifier: str  # prior_quarter | prior_half | prior_year
    filing: Optional[Filing]
    name: str  # the release as the series names it ("xpeng-6k-2024q4-....htm (12M to 2024-12-31)")
    why: str = ""  # why it is absent
    rate: object = None  # its stated convenience-translation rate (Decimal), if any
    translated: str = ""  # the currency it translates into ("USD"), if any


@dataclass(frozen=True, slots=True)
class EarlierFigure(Figure):
    """A figure of an earlier release: its key, which identifies a figure in its filing, names the release
    too, since a check then reads two filings (a figure of each may stand at one line and column)."""

    release: str = ""

    @property
    def key(self) -> tuple:
        return self.span.line, self.span.col, self.release


_FIELDS = tuple(f.name for f in dataclasses.fields(Figure))


def as_earlier(filing: Filing, qualifier: str) -> Filing:
    """The earlier release's filing as the engine reads it: its table figures keyed by the release too."""
    def figure(fig):
        return None if fig is None else EarlierFigure(*(getattr(fig, name) for name in _FIELDS), release=qualifier)

    tables = [dataclasses.replace(t, rows=tuple(dataclasses.replace(r, cells=tuple(figure(c) for c in r.cells))
                                                for r in t.rows)) for t in filing.tables]
    return dataclasses.replace(filing, tables=tables)


_CURRENT: ContextVar[Optional[dict]] = ContextVar("qfin_audit_earlier_releases", default=None)


@contextmanager
def releases(found: dict[str, Earlier], current: Optional[Filing] = None):
    """Audit inside this block with these earlier releases ({qualifier: Earlier}); `current` is the release
    audited, whose stated rate says whether a US$ column of an earlier release is comparable."""
    token = _CURRENT.set({"releases": found, "current": current, "tables": {}})
    try:
        yield
    finally:
        _CURRENT.reset(token)


def lookup(qualifier: str) -> Optional[Earlier]:
    """The earlier release a qualifier names in the audit in progress (None outside `series`)."""
    state = _CURRENT.get()
    return None if state is None else state["releases"].get(qualifier)


def named(qualifier: str) -> str:
    """The release a qualifier reads, in words: "the prior quarter's release, xpeng-....htm (3M to 2024-12-31)"."""
    found = lookup(qualifier)
    words = RELEASES[qualifier][1]
    return f"{words}, {found.name}" if found is not None and found.filing is not None else words


def remember(table, current, qualifier: str) -> None:
    """A table of an earlier release, with the same statement of the release audited (or None): a sentence's
    period ('the quarter') is this release's, so it is read from this release's statement."""
    state = _CURRENT.get()
    if state is not None:
        state["tables"][id(table)] = (table, current, qualifier)


def current_table(table):
    """(this release's statement, qualifier) for a table of an earlier release; None for any other table."""
    state = _CURRENT.get()
    hit = state["tables"].get(id(table)) if state is not None else None
    return hit[1:] if hit is not None and hit[0] is table else None


def current_rate():
    """The audited release's stated rate and translation currency, inside `series`; (None, "") otherwise."""
    state = _CURRENT.get()
    filing = state["current"] if state else None
    fact = filing.facts.get("exchange_rate") if filing is not None else None
    return (fact.value, dict(fact.attrs).get("to", "")) if fact is not None else (None, "")


def absent(qualifier: str) -> Optional[str]:
    """Why the release a qualifier names cannot be read here, or None when it can."""
    found = lookup(qualifier)
    if found is not None and found.filing is not None:
        return None
    words = RELEASES[qualifier][1]
    if found is None:
        return f"needs {words}: run `qfin-audit series` with it"
    return f"needs {words}: {found.why}"


def unreleased(ev, rule) -> Optional[Finding]:
    """A rule that reads an earlier release the audit does not have: one skip for the rule (cause 'needs an
    earlier release'), never a check that ran; None when it can run (or reads no earlier release)."""
    wanted = ev.rs.earlier.get(rule.id)
    if not wanted:
        return None
    missing = [why for why in (absent(q) for q in wanted) if why]
    if not missing:
        return None
    reason = "; ".join(missing)
    return Finding(rule=rule, file=ev.rs.file_of(rule), status="skip", cause=EARLIER, column=None, row=None,
                   actual=None, expected=None, display=None, tolerance=None, figures=(), message=reason,
                   reason=reason)


# -- resolution in an earlier release (called by resolve.find_table, find_rows, find_column) ---------

def find_table_in(filing: Filing, decl: n.TableDecl) -> Table:
    """`prior_year.t`: the table t as the earlier release prints it (found by t's titles there)."""
    why = absent(decl.release)
    if why is not None:  # `run`: the engine skips such rules before evaluating them (unreleased)
        raise Missing(why, EARLIER)
    plain = dataclasses.replace(decl, release=None)
    try:
        table = find_table(lookup(decl.release).filing, plain)
    except Unresolved as exc:
        raise in_release(exc, decl.release) from None
    try:
        current = find_table(filing, plain)
    except Unresolved:
        current = None
    remember(table, current, decl.release)
    return table


def in_release(exc: Unresolved, release: str) -> Unresolved:
    """The absence said of the earlier release: "no row 'Cash' in '...' in the prior year's release, x.htm"."""
    return type(exc)(f"{exc.reason.replace(' in the filing', '')} in {named(release)}", exc.cause)


def find_column_in(table: Table, period, currency, mods: tuple[str, ...], role) -> Column:
    """A column of an earlier release's table: the period this check looks at (a sentence's period is this
    release's, read from its own statement); a convenience translation only at the same rate."""
    release = next(m[8:] for m in mods if m.startswith("release:"))
    mods = tuple(m for m in mods if not m.startswith("release:"))
    try:
        if isinstance(period, ProsePeriod) and period.kind != "instant":
            current = (current_table(table) or (None,))[0]
            if current is None:
                raise Missing(f"the period of the sentence ({period.label()}) is read from this release's "
                              f"'{table.title}', which it does not print", COLUMN)
            wanted = concrete(current, period)
            if wanted is None:
                raise Missing(f"this release's '{current.title}' has no column for {period.label()}", COLUMN)
            period = wanted
        column = find_column(table, period, currency, mods, role)
        found, (rate, into) = lookup(release), current_rate()
        if column.currency and column.currency in (into, found.translated) and found.rate != rate:
            raise Missing(f"not applicable: its {column.currency} figures are translated at "
                          f"{found.rate or 'no rate'}, this release's at {rate or 'no rate'}", NOT_APPLICABLE)
        return column
    except Unresolved as exc:
        raise in_release(exc, release) from None
