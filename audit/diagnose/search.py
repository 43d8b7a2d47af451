"""Searching a figure's values: the ranges of printed values that make its checks hold, and the pick."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Optional

from ..check.interval import Interval
from ..read.filing import Figure
from .hints import Hint, classify, shaped

Key = tuple[int, int]
Bounds = tuple[Optional[Decimal], Optional[Decimal]]  # (lo, hi); None is unbounded




@dataclass
class Candidate:
    key: Key
    figure: Figure
    implied: Decimal
    explains: tuple[int, ...]  # finding indices
    full: bool
    hint: Optional[Hint]
    region: Bounds
    statuses: dict[int, str]

    @property
    def strength(self) -> int:
        return self.hint.strength if self.hint else 0


def stands_for(fig: Figure, value: Decimal) -> Interval:
    """What the figure would stand for, printed as `value`: a stated rate is exact, as in the engine."""
    if fig.kind == "rate":
        return Interval.exact(value.scaleb(fig.scale))
    return Interval.printed(value, fig.decimals, fig.scale)


def printed_range(c: Candidate) -> Bounds:
    """The lowest and highest printed values consistent with the explained checks."""
    lo, hi = c.region
    q = Decimal(1).scaleb(-max(c.figure.decimals, 0))
    try:
        return (lo.quantize(q, rounding=ROUND_CEILING) if lo is not None else None,
                hi.quantize(q, rounding=ROUND_FLOOR) if hi is not None else None)
    except InvalidOperation:  # bounds with more digits than Decimal keeps: as good as none
        return None, None


def secant(f, x0: Decimal, f0: Decimal, x1: Decimal, f1: Decimal, unit: Decimal) -> Optional[Decimal]:
    """A root of f near x0 (exact in one step when f is linear)."""
    with localcontext() as ctx:
        ctx.prec = 50
        for _ in range(40):
            if f1 == f0:
                return None
            x2 = x1 - f1 * (x1 - x0) / (f1 - f0)
            f2 = f(x2)
            if f2 is None:
                return None
            if f2 == 0 or abs(x2 - x1) <= unit * Decimal("1e-9") or abs(f2) <= Decimal("1e-24") * max(abs(f0), abs(f1)):
                return x2
            x0, f0, x1, f1 = x1, f1, x2, f2
    return None


def _contains(bounds: Bounds, x: Decimal) -> bool:
    lo, hi = bounds
    return (lo is None or lo <= x) and (hi is None or x <= hi)


def regions(optional: dict[int, list[Bounds]], mandatory: list[list[Bounds]], near: Decimal):
    """Ranges of values lying in every mandatory set and in as many optional sets as possible.

    Returns (range, covered finding indices) for each distinct range of maximal coverage (the
    alternatives of an `or` check can give several). The candidate points (every bound's ends
    and `near`) are swept in order with the bounds that hold each one kept up to date, so a
    figure in u failing checks costs u log u, not u^2 (issue 20).
    """
    sets = [(i, bounds) for i, bounds in optional.items()] + [(None, bounds) for bounds in mandatory]
    points = {near}
    starts, ends = [], []  # (end, set, bound) of every bounded side
    always = []  # bounds open below: they hold from the first point
    for s, (_, bounds) in enumerate(sets):
        for b, (lo, hi) in enumerate(bounds):
            points.update(x for x in (lo, hi) if x is not None)
            if lo is not None and hi is not None and lo > hi:
                continue  # holds for no value
            (always if lo is None else starts).append((lo, s, b))
            if hi is not None:
                ends.append((hi, s, b))
    starts.sort(key=lambda e: e[0])
    ends.sort(key=lambda e: e[0])
    order = sorted(points)
    n_optional, n_mandatory = len(optional), len(mandatory)

    def sweep():
        """(point, the bounds holding it by set) for every point, in order."""
        active: dict[int, set[int]] = {}
        for _, s, b in always:
            active.setdefault(s, set()).add(b)
        on = off = 0
        for p in order:
            while on < len(starts) and starts[on][0] <= p:
                _, s, b = starts[on]
                active.setdefault(s, set()).add(b)
                on += 1
            while off < len(ends) and ends[off][0] < p:
                _, s, b = ends[off]
                held = active[s]
                held.discard(b)
                if not held:
                    del active[s]
                off += 1
            yield p, active

    def counts(active) -> Optional[int]:
        mandatory_held = sum(1 for s in active if s >= n_optional)
        if mandatory_held < n_mandatory:
            return None
        return len(active) - mandatory_held

    top = max((c for _, active in sweep() if (c := counts(active))), default=0)
    best: dict[Bounds, frozenset] = {}
    if not top:
        return []
    for _, active in sweep():
        if counts(active) != top:
            continue
        parts = [sets[s][1][min(held)] for s, held in active.items()]  # each set's first bound holding p
        covered = frozenset(sets[s][0] for s in active if s < n_optional)
        lo = max((b[0] for b in parts if b[0] is not None), default=None)
        hi = min((b[1] for b in parts if b[1] is not None), default=None)
        best.setdefault((lo, hi), covered)
    return list(best.items())


def pick(fig: Figure, region: Bounds) -> Optional[tuple[Decimal, Optional[Hint]]]:
    """The printed value in `region` the figure most likely should have."""
    lo, hi = region
    q = Decimal(1).scaleb(-max(fig.decimals, 0))
    center = (lo + hi) / 2 if lo is not None and hi is not None else lo if lo is not None else hi
    if center is None:
        return None
    options = []
    for value in shaped(fig.value, fig.decimals):
        value = value.quantize(q)
        if value != fig.value and _contains(region, value):
            hint = classify(fig.value, value, fig.decimals)
            if hint is not None:
                options.append((hint.strength, -abs(value - center), value, hint))
    if options:
        _, _, value, hint = max(options, key=lambda o: o[:2])
        return value, hint
    try:
        value = center.quantize(q, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # a region with more digits than Decimal keeps: nothing printable to suggest
        return None
    if lo is not None and value < lo:
        value += q
    if hi is not None and value > hi:
        value -= q
    if not _contains(region, value) or value == fig.value:
        return None
    return value, None
