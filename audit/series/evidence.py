"""What the releases say and show: restatement words near a figure, and stock splits, from words or
from per-share figures and share counts changing by one factor."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from typing import Optional

from ..check.interval import Interval
from ..check.resolve import norm
from ..read.filing import Filing, Table
from .model import Obs, Release, Split

RESTATED = re.compile(r"\b(?:(?<!amended and )restated|restatements?|recast|as adjusted|retrospectively|"
                      r"reclassified|reclassifications?|revised)\b", re.IGNORECASE)
#: A sentence about earlier periods' amounts ("certain prior period amounts have been reclassified").
_PRIOR = re.compile(r"\b(?:prior|previous|preceding|comparative)\b[^.]{0,40}?\b(?:periods?|years?|quarters?|amounts?|"
                    r"figures?|information)\b|\bpreviously reported\b", re.IGNORECASE)
_NOTES_AFTER = 12  # lines after a table's last row read for its notes
_SPLIT = re.compile(r"\b(?:stock|share)\s+(?:split|subdivision|consolidation)|\breverse\s+(?:stock\s+|share\s+)?split",
                    re.IGNORECASE)
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_N = r"(\d{1,4}|" + "|".join(_NUMBER_WORDS) + r")"
_RATIO = re.compile(rf"\b{_N}\s*(?:-|\s)?\s*for\s*(?:-|\s)?\s*{_N}\b|\b(\d{{1,4}})\s*:\s*(\d{{1,4}})\b", re.IGNORECASE)
SHARES, PER_SHARE = "shares", "per_share"


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def _table(filing: Filing, obs: Obs) -> Optional[Table]:
    return next((t for t in filing.tables if t.id == obs.figure.table), None)


def restated(rel: Release, obs: Obs) -> str:
    """Where the release says the figure was restated (its column heading, its line, its table's notes,
    a sentence naming its row, or, for an earlier period's figure, a sentence saying prior periods'
    amounts were restated or reclassified), or ""."""
    filing = rel.filing
    if RESTATED.search(obs.header):
        return f"{rel.name}: column heading '{obs.header}'"
    line = obs.figure.span.line
    if RESTATED.search(filing.line(line)):
        return f"{rel.name} line {line}: {filing.line(line).strip()[:160]}"
    table = _table(filing, obs)
    if table is not None and table.rows:
        first, last = table.rows[0].span.line, table.rows[-1].span.line
        starts = sorted(t.span.line for t in filing.tables if t.span.line > last)
        stop = min([last + _NOTES_AFTER] + starts[:1])
        for number in list(range(table.span.line, first)) + list(range(last + 1, stop)):
            if RESTATED.search(filing.line(number)):
                return f"{rel.name} line {number} (note to '{table.title}'): {filing.line(number).strip()[:160]}"
    label = norm(obs.figure.row or "")
    if len(label) >= 6:
        for number, text in enumerate(filing.lines, start=1):
            if RESTATED.search(text) and label in norm(text):
                return f"{rel.name} line {number}: {text.strip()[:160]}"
    return prior_restated(rel, obs.period)


def prior_restated(rel: Release, period) -> str:
    """Where the release says earlier periods' amounts were restated or reclassified, when `period` is one
    of them (it ends before the period the release reports), or ""."""
    if rel.latest is None or period.end >= rel.latest.end:
        return ""
    for number, text in enumerate(rel.filing.lines, start=1):
        if RESTATED.search(text) and _PRIOR.search(text):
            return f"{rel.name} line {number}: {text.strip()[:160]}"
    return ""


def split_words(rel: Release) -> list[tuple[Fraction, str]]:
    """Splits the release announces: 'a ten-for-one share split', 'a 1-for-10 reverse stock split'."""
    out = []
    for number, text in enumerate(rel.filing.lines, start=1):
        if not _SPLIT.search(text):
            continue
        for m in _RATIO.finditer(text):
            a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            new, old = _number(a), _number(b)
            if new and old and new != old:
                out.append((Fraction(new, old), f"{rel.name} line {number}: {text.strip()[:160]}"))
    return out


def through(obs: Obs, factor: Fraction) -> Interval:
    """An earlier figure as it reads after a split: shares times the factor, per-share amounts divided
    by it; the interval keeps the earlier figure's printed precision."""
    ratio = Interval.exact(Decimal(factor.numerator)) / Interval.exact(Decimal(factor.denominator))
    return obs.interval * ratio if obs.kind == SHARES else obs.interval / ratio


def detect_split(earlier: Release, later: Release, pairs: list[tuple[Obs, Obs]],
                 between: list[Release] = ()) -> Optional[Split]:
    """The split between two releases that explains the per-share and share-count pairs that disagree:
    one a release after the earlier one (up to the later) announces, else one factor both kinds show."""
    pairs = [(a, b) for a, b in pairs if a.kind in (SHARES, PER_SHARE)]
    if not pairs:
        return None

    def explained(factor: Fraction) -> Counter:
        return Counter(a.kind for a, b in pairs if through(a, factor).intersects(b.interval))

    for factor, evidence in [w for rel in (between or [later]) for w in split_words(rel)]:
        if sum(explained(factor).values()):
            return Split(earlier.index, later.index, factor, "words", evidence)
    candidates = Counter()
    for a, b in pairs:
        mid_a, mid_b = a.interval.mid, b.interval.mid
        if mid_a == 0 or mid_b == 0 or (mid_a < 0) != (mid_b < 0):
            continue
        ratio = mid_b / mid_a if a.kind == SHARES else mid_a / mid_b
        factor = Fraction(ratio).limit_denominator(10)
        if factor > 0 and factor != 1:
            candidates[factor] += 1
    for factor, _ in candidates.most_common():
        kinds = explained(factor)
        if kinds[SHARES] and kinds[PER_SHARE]:
            return Split(earlier.index, later.index, factor, "figures",
                         f"{kinds[SHARES]} share count(s) and {kinds[PER_SHARE]} per-share figure(s) changed "
                         f"by {factor.numerator}:{factor.denominator} between {earlier.name} and {later.name}")
    return None
