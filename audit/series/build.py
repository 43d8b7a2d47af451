"""The series: releases read and ordered, the packs that apply, figures matched, sums and splits checked."""
from __future__ import annotations

from typing import Iterable

from ..base.errors import InputError
from ..read.filing import Filing
from .compare import compare
from .keys import Vocabulary
from .model import SeriesResult
from .observe import observations, order
from .rules import rule_checks
from .sums import sums


def build_series(filings: list[Filing], packs: Iterable = (), choose=None) -> SeriesResult:
    """Tie several releases of one issuer together. `packs` are compiled packs (lang.packs.Pack); those that
    apply to a release (`choose(packs, filing)`) give table names and label alternatives for the whole series."""
    if len(filings) < 2:
        raise InputError("a series needs at least two releases; "
                         f"{'one was' if filings else 'none were'} given")
    releases = order(filings)
    notes: list[str] = []
    pack_lines, rulesets = _packs(list(packs), releases, choose)
    vocabulary = Vocabulary(rulesets)
    obs = []
    for rel in releases:
        found, left = observations(rel, vocabulary)
        obs.extend(found)
        notes.extend(left)
        if rel.latest is None:
            notes.append(f"{rel.name}: no table column with a period was read; nothing in it can be matched")
    issuers = sorted({r.filing.meta.issuer for r in releases if r.filing.meta.issuer})
    if len(issuers) > 1:
        notes.append("the releases name different issuers (" + "; ".join(
            f"{r.name}: {r.filing.meta.issuer or 'none read'}" for r in releases) + "); a series is one issuer's")
    matches, splits, skips = compare(releases, obs)
    checks = sums(releases, obs)
    across, left = rule_checks(releases, list(packs), choose)
    notes.extend(left)
    tables: dict[str, list[str]] = {}
    for m in matches:
        for title in (m.a.title, m.b.title):
            if title not in tables.setdefault(m.a.table, []):
                tables[m.a.table].append(title)
    return SeriesResult(tuple(releases), tuple(matches), tuple(checks), tuple(splits), tuple(skips),
                        tuple(notes), tuple(pack_lines), tuple((k, tuple(v)) for k, v in tables.items()),
                        tuple(across))


def _packs(packs: list, releases, choose) -> tuple[list[str], list]:
    lines, rulesets = [], []
    for pack in packs:
        applied = [r.name for r in releases if choose is not None and choose([pack], r.filing)[0].applies]
        if applied:
            rulesets.append(pack.ruleset)
            lines.append(f"pack {pack.name} ({pack.path}): applies to {', '.join(applied)}; its table names "
                         "and label alternatives match figures across the series")
        else:
            lines.append(f"pack {pack.name} ({pack.path}): applies to none of the releases")
    return lines, rulesets
