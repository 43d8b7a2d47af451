"""The issuer's earlier releases that rules read (`prior_quarter.ops[...]`, `prior_year.net_loss`): set
by `series` around each release's audit; a rule that reads one the audit lacks is skipped, never run."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple, Optional

from ..lang.graph import RELEASES
from ..read.filing import Filing
from .findings import EARLIER, Finding


class Earlier(NamedTuple):
    """An earlier release as a qualifier names it: its filing (units as the pack declares them), or
    None and why it is absent."""

    qualifier: str  # prior_quarter | prior_year
    filing: Optional[Filing]
    name: str  # the release as the series names it ("xpeng-6k-2024q4-....htm (12M to 2024-12-31)")
    why: str = ""  # why it is absent
    rate: object = None  # its stated convenience-translation rate (Decimal), if any
    translated: str = ""  # the currency it translates into ("USD"), if any

    @property
    def months(self) -> int:
        return RELEASES[self.qualifier][0]


_CURRENT: ContextVar[Optional[dict]] = ContextVar("qfin_audit_earlier_releases", default=None)


@contextmanager
def releases(found: dict[str, Earlier], current: Optional[Filing] = None):
    """Audit inside this block with these earlier releases ({qualifier: Earlier}); `current` is the release
    audited, whose stated rate says whether a US$ column of an earlier release is comparable."""
    token = _CURRENT.set({"releases": found, "current": current})
    try:
        yield
    finally:
        _CURRENT.reset(token)


def lookup(qualifier: str) -> Optional[Earlier]:
    """The earlier release a qualifier names in the audit in progress (None outside `series`)."""
    state = _CURRENT.get()
    return None if state is None else state["releases"].get(qualifier)


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
