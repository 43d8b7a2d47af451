"""Longer periods against the shorter ones the series publishes: a year-to-date or full-year figure
equals the sum of the quarters (or the half year and quarters) printed in earlier releases, so a
fourth quarter is the year minus nine months."""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Optional

from ..check.interval import Interval
from .compare import _collapse
from .evidence import prior_restated, restated
from .model import Obs, Release, SumCheck

#: A row that is a balance at one end of the period, not a flow over it: the long period's figure is its
#: first part's (opening) or its last part's (closing), never the sum.
_OPENING = re.compile(r"\b(?:beginning|start) of (?:the )?(?:period|year|quarter)\b|\bopening balance\b", re.IGNORECASE)
_CLOSING = re.compile(r"\bend of (?:the )?(?:period|year|quarter)\b|\bclosing balance\b", re.IGNORECASE)
_ADDITIVE = ("amount",)


_SLACK = dt.timedelta(days=7)  # a period's start is computed from its printed end and length (13 weeks, three months)


def _chain(start: dt.date, end: dt.date, months: int, periods: list) -> Optional[list]:
    """The fewest shorter periods laid end to end from `start` to `end` (breadth first), or None. End dates
    are printed, so they must meet exactly; starts are computed, so they may be off by a few days (a
    13-week quarter against three calendar months); the lengths must add up to the whole."""
    ordered = sorted(periods, key=lambda p: (-p.months, p.end))
    frontier, seen = [(start, 0, [])], set()
    while frontier:
        following = []
        for day, length, path in frontier:
            for period in ordered:
                if period.months >= months or period.end > end or length + period.months > months:
                    continue
                if abs(period.start - day) > _SLACK:
                    continue
                if period.end == end and length + period.months == months:
                    return path + [period]
                if period.end < end and period.end not in seen:
                    seen.add(period.end)
                    following.append((period.end + dt.timedelta(days=1), length + period.months, path + [period]))
        frontier = following
    return None


def sums(releases: list[Release], observations: list[Obs]) -> list[SumCheck]:
    """Each longer period's figure against the chain of shorter periods printed up to its release, when at
    least one of them comes from another release (a release's own columns are its own audit's business)."""
    rows: dict[tuple, dict] = defaultdict(lambda: defaultdict(list))
    for obs in observations:
        if obs.period.start is not None and obs.kind in _ADDITIVE:
            rows[(obs.table, obs.label, obs.measure, obs.role)][(obs.period, obs.release)].append(obs)
    out: list[SumCheck] = []
    for printed in rows.values():
        single = {}
        for (period, r), items in printed.items():
            one = _collapse(items)
            if one is not None and None in one:
                single[(period, r)] = one[None]
        for (period, _), total in sorted(single.items(), key=lambda kv: (kv[0][1], kv[0][0].end)):
            if period.months <= 3:
                continue
            check = _check(releases, total, single)
            if check is not None:
                out.append(check)
    return out


def _check(releases: list[Release], total: Obs, single: dict) -> Optional[SumCheck]:
    rate = releases[total.release].rate
    translated = total.measure == releases[total.release].translated
    latest: dict = {}  # period -> its printing in the latest release up to the total's
    for (period, r), obs in single.items():
        if r > total.release or period == total.period:
            continue
        if translated and releases[r].rate != rate:
            continue
        if period not in latest or r > latest[period].release:
            latest[period] = obs
    chain = _chain(total.period.start, total.period.end, total.period.months, list(latest))
    if chain is None:
        return None
    parts = tuple(latest[p] for p in chain)
    if all(p.release == total.release for p in parts):
        return None
    label = total.row
    if _OPENING.search(label):
        expected, what = parts[0].interval, "an opening balance: the first part's"
    elif _CLOSING.search(label):
        expected, what = parts[-1].interval, "a closing balance: the last part's"
    else:
        expected = parts[0].interval
        for part in parts[1:]:
            expected = expected + part.interval
        what = "the sum of " + " + ".join(_name(releases, p) for p in parts)
    status = "pass" if expected.intersects(total.interval) else "fail"
    note = (f"{total.figure.text} ({total.period.label()}, {releases[total.release].name} {total.where}) against "
            f"{what}: [{_plain(expected.lo, total)}, {_plain(expected.hi, total)}]")
    words = ""
    if status == "fail":  # the total restated, or the earlier periods it is made of restated by its release
        words = restated(releases[total.release], total) or next(
            (w for p in parts if p.release != total.release for w in [prior_restated(releases[total.release], p.period)]
             if w), "")
    if words:  # the release says the longer period was restated: reported with both values, not a failure
        status, note = "restated", f"restated: {note}; {words}"
    return SumCheck(status, total, parts, expected, note)


def _name(releases: list[Release], obs: Obs) -> str:
    return f"{obs.figure.text} ({obs.period.label()}, {releases[obs.release].name} {obs.where})"


def _plain(value, obs: Obs) -> str:
    """A base-unit value in the figure's printed unit."""
    shown = value.scaleb(-obs.figure.scale)
    return f"{shown.normalize():,f}"


def interval_text(interval: Interval, obs: Obs) -> str:
    return f"[{_plain(interval.lo, obs)}, {_plain(interval.hi, obs)}]"
