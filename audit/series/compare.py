"""Figures printed in two releases for the same period: matched by table, row meaning, period and
measure, then tied within their rounding intervals, through a split's ratio, or reported as restated."""
from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from typing import Optional

from .evidence import SHARES, detect_split, restated, through
from .keys import label_key
from .model import Match, Obs, Release, Skip, Split

Key = tuple  # (table, label, period, measure, role)


def key(obs: Obs) -> Key:
    return obs.table, obs.label, obs.period, obs.measure, obs.role


def _consistent(items: list[Obs]) -> bool:
    return all(items[0].interval.intersects(o.interval) for o in items[1:])


def _collapse(items: list[Obs]) -> Optional[dict[Optional[str], Obs]]:
    """One figure per row meaning in a release: {None: obs} when every printing agrees, else one per
    section path; None when a section still prints different values (ambiguous)."""
    if _consistent(items):
        return {None: items[0]}
    by_section: dict[str, list[Obs]] = defaultdict(list)
    for obs in items:
        by_section[obs.section].append(obs)
    if not all(_consistent(group) for group in by_section.values()):
        return None
    return {section: group[0] for section, group in by_section.items()}


def _pairs(a: dict, b: dict) -> tuple[list[tuple[Obs, Obs]], bool]:
    """The figures of two releases that are the same row; and whether some could not be paired. A row
    printed once in one release is paired with the printing in the same section of the other."""
    if None in a and None in b:
        return [(a[None], b[None])], False
    if None in a:
        other = b.get(a[None].section)
        return ([(a[None], other)], False) if other is not None else ([], True)
    if None in b:
        other = a.get(b[None].section)
        return ([(other, b[None])], False) if other is not None else ([], True)
    shared = [s for s in a if s in b]
    return [(a[s], b[s]) for s in shared], len(shared) < max(len(a), len(b))


def how(a: Obs, b: Obs) -> str:
    """What was matched to what, in words."""
    parts = []
    if a.title == b.title:
        parts.append(f"table '{a.title}'")
    else:
        parts.append(f"table '{a.title}' with '{b.title}' (as '{a.table}')")
    if a.row == b.row:
        parts.append(f"row '{a.row}'")
    else:
        parts.append(f"row '{a.row}' with '{b.row}' (as {a.label})")
    return ", ".join(parts) + f", {a.period.label()} {a.measure}" + (f" {a.role}" if a.role else "")


def compare(releases: list[Release], observations: list[Obs]) -> tuple[list[Match], list[Split], list[Skip]]:
    """Each printing of a figure against its printing in the nearest earlier release, so a restatement or
    a split is found once, where it happens, and a figure wrong in one release disagrees with the releases
    on either side of it."""
    grouped: dict[Key, dict[int, list[Obs]]] = defaultdict(lambda: defaultdict(list))
    for obs in observations:
        grouped[key(obs)][obs.release].append(obs)
    skips: list[Skip] = []
    pending: dict[tuple[int, int], list[tuple[Obs, Obs]]] = defaultdict(list)
    matches: list[Match] = []
    for k, by_release in grouped.items():
        if len(by_release) < 2:
            continue
        collapsed = {}
        for r, items in sorted(by_release.items()):
            one = _collapse(items)
            if one is None:
                skips.append(Skip(f"'{items[0].row}' ({k[2].label()} {k[3]}) is printed with different values in "
                                  f"one table of {releases[r].name}; which one is meant is not clear",
                                  f"{releases[r].name} " + ", ".join(o.where for o in items)))
            else:
                collapsed[r] = one
        order = sorted(collapsed)
        for ra, rb in zip(order, order[1:]):
            pairs, unpaired = _pairs(collapsed[ra], collapsed[rb])
            if unpaired:
                skips.append(Skip(f"'{k[1]}' ({k[2].label()} {k[3]}) stands in several sections with different "
                                  f"values and the sections of {releases[ra].name} and {releases[rb].name} differ",
                                  f"{releases[ra].name} / {releases[rb].name}"))
            for a, b in pairs:
                rates = _rates(releases[ra], releases[rb], a.measure)
                if rates:
                    skips.append(Skip(f"{how(a, b)}: translated at different rates ({rates})",
                                      f"{releases[ra].name} {a.where}, {releases[rb].name} {b.where}"))
                elif a.interval.intersects(b.interval):
                    matches.append(Match("agree", a, b, a.interval, how(a, b)))
                elif a.figure.value == b.figure.value and a.figure.scale != b.figure.scale:
                    skips.append(Skip(f"{how(a, b)}: printed alike ({a.figure.text}) but read in different units "
                                      f"({a.figure.unit_label} and {b.figure.unit_label}): a unit note read "
                                      "differently, not a figure that changed",
                                      f"{releases[ra].name} {a.where}, {releases[rb].name} {b.where}"))
                elif _turned(a, b) and (-a.interval).intersects(b.interval):
                    matches.append(Match("sign", a, b, -a.interval, how(a, b),
                                         f"the same amount with the other sign under another label: '{a.figure.row}' "
                                         f"{a.figure.text} in {releases[ra].name}, '{b.figure.row}' {b.figure.text} "
                                         f"in {releases[rb].name}"))
                else:
                    pending[(ra, rb)].append((a, b))
    found = {span: detect_split(releases[span[0]], releases[span[1]], pairs, releases[span[0] + 1:span[1] + 1])
             for span, pairs in sorted(pending.items())}
    splits = [s for s in found.values() if s is not None]
    for (ra, rb), pairs in sorted(pending.items()):
        split = found[(ra, rb)] or _composite(splits, ra, rb)
        for a, b in pairs:
            matches.append(_decide(releases[ra], releases[rb], a, b, split))
    matches.sort(key=lambda m: (m.b.release, m.a.release, m.b.figure.span.line, m.b.figure.span.col))
    return matches, splits, skips


_ADVERSE = frozenset({"loss", "expense", "deficit", "charge"})


def _signed_by_label(obs: Obs) -> bool:
    """A row whose label names only the adverse direction ("Net loss") and prints it as a positive number."""
    words = set(label_key(obs.figure.row or "").split())
    return bool(words & _ADVERSE) and not any("/" in w for w in words) and obs.figure.value > 0


def _signed_by_number(obs: Obs) -> bool:
    """A row whose label names both directions ("Net profit (loss)") and prints the adverse one negative."""
    return any("/" in w for w in label_key(obs.figure.row or "").split()) and obs.figure.value < 0


def _turned(a: Obs, b: Obs) -> bool:
    """The sign moved from the label to the number, or back: "Net loss 1.33" and "Net profit (loss) (1.33)"."""
    return (_signed_by_label(a) and _signed_by_number(b)) or (_signed_by_number(a) and _signed_by_label(b))


def _composite(splits: list[Split], ra: int, rb: int) -> Optional[Split]:
    """The splits found between other releases that fall between these two, as one (their ratios multiplied)."""
    inside, last = [], ra
    for split in sorted(splits, key=lambda s: (s.later, s.earlier)):
        if split.earlier >= last and split.later <= rb:
            inside.append(split)
            last = split.later
    if not inside:
        return None
    factor = Fraction(1)
    for split in inside:
        factor *= split.factor
    return Split(ra, rb, factor, inside[0].source if len(inside) == 1 else "figures and words",
                 "; ".join(s.evidence for s in inside))


def _rates(ra: Release, rb: Release, measure: str) -> str:
    """Why two convenience translations cannot be compared: their rates differ ("" when they may be)."""
    if measure not in (ra.translated, rb.translated) or ra.rate == rb.rate:
        return ""
    return f"{ra.rate or 'no rate'} in {ra.name}, {rb.rate or 'no rate'} in {rb.name}"


def _decide(ra: Release, rb: Release, a: Obs, b: Obs, split: Optional[Split]) -> Match:
    """A pair that disagrees: agrees through the split, is restated (with the words), or is a mismatch."""
    if split is not None and a.kind in (SHARES, "per_share"):
        expected = through(a, split.factor)
        if expected.intersects(b.interval):
            verb = "times" if a.kind == SHARES else "divided by"
            mid, half = (expected.mid.scaleb(-b.figure.scale), (expected.width / 2).scaleb(-b.figure.scale))
            note = (f"agrees through the {split.ratio} split ({split.source}): {a.figure.text} in {ra.name} {verb} "
                    f"{split.factor} is {mid.normalize():,f} \u00b1 {half.normalize():f}, carrying the precision printed "
                    f"before the split; {rb.name} prints {b.figure.text}")
            return Match("split", a, b, expected, how(a, b), note)
    words = restated(rb, b) or restated(ra, a)
    if words:
        return Match("restated", a, b, a.interval, how(a, b),
                     f"restated: {a.figure.text} in {ra.name}, {b.figure.text} in {rb.name}", words)
    return Match("mismatch", a, b, a.interval, how(a, b),
                 f"{ra.name} prints {a.figure.text} at {a.where}, {rb.name} prints {b.figure.text} at {b.where}")
