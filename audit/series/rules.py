"""Rules that read the issuer's earlier releases (`prior_quarter.ops[...]`, `prior_year.net_loss`): each release
audited with the release each qualifier names in the series (the one whose reported period ends 3, 6 or 12
months before its own), every figure of a finding located in the release that prints it."""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple, Optional

from ..check.earlier import Earlier, as_earlier
from ..check.earlier import releases as reading
from ..check.engine import audit
from ..check.resolve import _shift_months
from ..check.units import declared_units
from ..lang.releases import RELEASES
from .model import Release, RuleCheck

_SLACK = dt.timedelta(days=7)  # fiscal calendars of 52 or 53 weeks end a few days off the calendar date


def rule_checks(releases: list[Release], packs: list, choose) -> tuple[list[RuleCheck], list[str]]:
    """Each release's findings of the rules that read an earlier release (those of the packs that apply to
    it); and notes on what could not be audited. A release whose earlier release the series lacks has its
    rules skipped with the cause 'needs an earlier release'."""
    from ..base.errors import QfinError
    from ..lang.cache import load_rules
    from ..lang.packs import rules_for

    out: list[RuleCheck] = []
    notes: list[str] = []
    applying = {r.index: {v.pack.name for v in choose(packs, r.filing) if v.applies} if choose else set()
                for r in releases}
    for rel in releases:
        if not applying[rel.index] or not any(p.ruleset.earlier for p in packs if p.name in applying[rel.index]):
            continue
        try:
            ruleset = rules_for(choose(packs, rel.filing), load_rules, rel.filing.path)
        except QfinError as exc:  # packs whose names clash when they run together: `run` says the same
            notes.append(f"{rel.name}: its rules across releases were not run: {exc}")
            continue
        wanted = sorted({q for qs in ruleset.earlier.values() for q in qs}, key=list(RELEASES).index)
        found = {q: _earlier(releases, rel, q, applying, ruleset) for q in wanted}
        current = declared_units(ruleset, rel.filing)
        where = {id(f): rel.index for f in current.figures()}
        for e in found.values():
            if e.filing is not None:
                where.update((id(f), e.index) for f in e.filing.figures())
        with reading({q: e.earlier for q, e in found.items()}, current):
            result = audit(ruleset, current)
        read = tuple((q, e.index) for q, e in found.items() if e.filing is not None)
        for finding in result.findings:
            if finding.rule.id in ruleset.earlier:
                figures = tuple((where.get(id(f), rel.index), f) for f in finding.figures)
                out.append(RuleCheck(rel.index, finding, tuple((q, i) for q, i in read
                                                               if q in ruleset.earlier[finding.rule.id]), figures))
    return out, notes


class _Found(NamedTuple):
    """An earlier release for a qualifier: the Earlier the engine reads, and its index in the series."""

    earlier: Earlier
    index: Optional[int] = None

    @property
    def filing(self):
        return self.earlier.filing


def _earlier(releases: list[Release], rel: Release, qualifier: str, applying: dict, ruleset) -> _Found:
    """The release a qualifier names for `rel`: the one whose reported period ends that many months before."""
    months = RELEASES[qualifier][0]
    if rel.latest is None:
        return _Found(Earlier(qualifier, None, "", f"{rel.name} reports no period the series could read"))
    end = _shift_months(rel.latest.end, -months)
    found = [r for r in releases if r.index != rel.index and r.latest is not None
             and abs(r.latest.end - end) <= _SLACK]
    if not found:
        return _Found(Earlier(qualifier, None, "", f"the series has no release of a period ending {end.isoformat()}"))
    if len(found) > 1:
        names = ", ".join(r.name for r in found)
        return _Found(Earlier(qualifier, None, "", f"{len(found)} releases report a period ending "
                                                   f"{end.isoformat()} ({names}); which is meant is not clear"))
    other = found[0]
    if not applying[rel.index] <= applying[other.index]:
        packs = ", ".join(sorted(applying[rel.index] - applying[other.index]))
        return _Found(Earlier(qualifier, None, "", f"{other.name} reports that period, but the pack {packs} "
                                                   "does not apply to it"))
    filing = as_earlier(declared_units(ruleset, other.filing), qualifier)
    return _Found(Earlier(qualifier, filing, other.label, rate=other.rate,
                          translated=other.translated), other.index)
