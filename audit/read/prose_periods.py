"""The period a prose figure speaks of, from the words around it: "for the same period of 2024",
"a year ago", "sequentially", "in February 2025", "For the second quarter of 2025, the Company
expects:", "as of June 30, 2025", "... and Y as of June 30, 2025 and 2024, respectively"."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple, Optional

from .columns import FiscalYear, fiscal_quarter
from .filing import MONTH, MONTHS, SPAN_MONTHS, ProsePeriod

_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"(*\[])")

# (each starts with a look-ahead for its possible first letters: same matches, faster scan)
_PRIOR_QUARTER = re.compile(
    r"(?=[plsq])(?:\b(?:prior|previous|preceding|last|sequential(?:ly)?)\s+quarter\b|\bsequentially\b"
    r"|\bquarter-over-quarter\b)", re.IGNORECASE)
_SAME_PERIOD = re.compile(r"(?=s)\bsame (?:period|quarter) (?:of|in) ((?:19|20)\d\d)\b", re.IGNORECASE)
#: "for the third quarter of fiscal 2023", "for the period ended October 28, 2023": which year.
_OF_YEAR = re.compile(
    rf"\b(?:quarter|period|half|year|months|weeks)\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?)?((?:19|20)\d\d)\b"
    rf"|\bended\s+{MONTH}\s+\d{{1,2}},\s*((?:19|20)\d\d)\b", re.IGNORECASE)
#: The ordinal before "quarter" that _OF_YEAR found: "the *second* quarter of 2025".
_ORDINAL_BEFORE = re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?$", re.IGNORECASE)
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
#: "RMB7,000.0 million in 2022": a year right after the figure.
_IN_YEAR = re.compile(r"\s*(?:in|for|during)\s+(?:fiscal\s+(?:year\s+)?)?((?:19|20)\d\d)\b", re.IGNORECASE)
#: "30,453 vehicles in February 2025": a month right after the figure (and a word naming what it counts).
_IN_MONTH = re.compile(rf"\s*(?:[a-z]+\s+)?(?:in|for|during)\s+(?:the\s+month\s+of\s+)?({MONTH})\s+((?:19|20)\d\d)\b")
_YEAR_AGO = re.compile(r"(?=[asp])\b(?:a year ago|same (?:period|quarter) (?:of )?last year|prior year)\b", re.IGNORECASE)
_AS_OF = re.compile(rf"(?=a)\bas (?:of|at) ({MONTH})\s+(\d{{1,2}}),\s*(\d{{4}})", re.IGNORECASE)
#: "... X and Y as of June 30, 2025 and 2024, respectively": one date per figure, in order.
_RESPECTIVE_DATES = re.compile(
    rf"\bas (?:of|at) ({MONTH})\s+(\d{{1,2}}),\s*((?:19|20)\d\d)\s*,?\s+and\s+(?:(?:{MONTH})\s+\d{{1,2}},\s*)?"
    rf"((?:19|20)\d\d)\s*,?\s*respectively\b", re.IGNORECASE)
#: A weighted average over a period: "as of" its end date names the period, not an instant.
_WEIGHTED = re.compile(r"\bweighted[- ]average\b", re.IGNORECASE)

_SPAN_WORDS = (
    (re.compile(r"\b(?:full[- ]year|fiscal year|for the year|year ended|twelve months|full year)\b", re.I), 12),
    (re.compile(r"\b(?:nine months|first three quarters)\b", re.I), 9),
    (re.compile(r"\b(?:six months|first half|half[- ]year|H1)\b", re.I), 6),
)
#: Retail calendars: "the 39-week fiscal period" (read only when a sentence says "week").
_WEEKS = re.compile(r"\b(26|39|52|53|twenty-six|thirty-nine|fifty-two|fifty-three)[- ]weeks?\b", re.I)
_ANY_SPAN = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _SPAN_WORDS), re.I)  # a quick first look
#: _SPAN_WORDS and _ANY_SPAN for a text in lower case (_lowered: its letters fold as str.lower() folds
#: them), searched as they are written: faster (the scan skips to the letters a phrase opens with).
_SPAN_WORDS_LOWER = tuple((re.compile(p.pattern.replace("H1", "h1")), months) for p, months in _SPAN_WORDS)
_ANY_SPAN_LOWER = re.compile(_ANY_SPAN.pattern.replace("H1", "h1"))


class Calendar(NamedTuple):
    """What the tables say of the release's own period, against which prose words are read:
    ``ytd`` the months of the year to date; ``quarter`` (fiscal year, quarter 1-4, end date) of the
    latest quarter, when the fiscal calendar places its end; ``fiscal`` the fiscal year."""

    ytd: Optional[int] = None
    quarter: Optional[tuple[int, int, dt.date]] = None
    fiscal: FiscalYear = FiscalYear()


def calendar_of(tables, fiscal: FiscalYear) -> Calendar:
    """The Calendar of a filing from its tables' dated columns (empty without any)."""
    spans = [c.period for t in tables for c in t.columns if c.period is not None and c.period.start is not None]
    if not spans:
        return Calendar(fiscal=fiscal)
    latest = max(p.end for p in spans)
    months = [p.months for p in spans if abs((p.end - latest).days) <= 7 and 0 < p.months <= 12]
    quarter = next(((year, q, latest) for year in (latest.year - 1, latest.year, latest.year + 1) for q in (1, 2, 3, 4)
                    if abs((fiscal_quarter(year, q, fiscal).end - latest).days) <= 7), None)
    return Calendar(max(months) if months else None, quarter, fiscal)


def _shift(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months later (a month's last day stays a month's last day)."""
    last = calendar.monthrange(day.year, day.month)[1]
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    days = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, days if day.day == last else min(day.day, days))


def _named_quarter(year: int, quarter: int, cal: Optional[Calendar]) -> Optional[ProsePeriod]:
    """"The second quarter of 2025" against the release's own quarter: None when it is the same
    quarter of a year (the words name that year), the prior quarter, or the quarter's dates (a
    quarter ahead, as guidance names). None as well when the tables place no quarter."""
    if cal is None or cal.quarter is None:
        return None
    own_year, own, end = cal.quarter
    ahead = (year * 4 + quarter) - (own_year * 4 + own)
    if ahead % 4 == 0:
        return None
    if ahead == -1:
        return ProsePeriod("prior_quarter")
    when = _shift(end, 3 * ahead)
    return ProsePeriod("dated", year=when.year, date=when, months=3)


def _month(name: str, year: str) -> ProsePeriod:
    month = MONTHS[name.lower()]
    when = dt.date(int(year), month, calendar.monthrange(int(year), month)[1])
    return ProsePeriod("dated", year=when.year, date=when, months=1)


def months_named(sentence_head: str):
    """The length of period a sentence speaks of, when its words say ('for the full year')."""
    if "eek" not in sentence_head:
        lowered = _lowered(sentence_head)
        low = sentence_head.lower() if lowered is None else lowered
        # every _SPAN_WORDS phrase holds one of these (no letter of them folds)
        if not ("year" in low or "month" in low or "quarter" in low or "half" in low or "h1" in low):
            return None
        if lowered is not None:
            if not _ANY_SPAN_LOWER.search(lowered):
                return None
            return next(months for pattern, months in _SPAN_WORDS_LOWER if pattern.search(lowered))
        if not _ANY_SPAN.search(sentence_head):
            return None
    for pattern, months in _SPAN_WORDS:
        if pattern.search(sentence_head):
            return months
    weeks = _WEEKS.search(sentence_head) if "eek" in sentence_head else None
    return SPAN_MONTHS[weeks.group(1).lower()] if weeks else None


def names_no_span(sentence: str) -> bool:
    """Does no part of the sentence name a length of period (months_named of any part is None,
    when a part ends where a word does)?"""
    if "eek" in sentence:
        return False
    low = _lowered(sentence)  # every _SPAN_WORDS phrase holds one of these words (looked for by a word they hold)
    if low is not None and not (("year" in low or "half" in low) and (
            "full year" in low or "full-year" in low or "fiscal year" in low or "for the year" in low or "year ended" in low
            or "first half" in low or "half year" in low or "half-year" in low)
            or "month" in low and ("twelve months" in low or "nine months" in low or "six months" in low)
            or "three quarters" in low or "h1" in low):
        return True
    return (_ANY_SPAN.search(sentence) if low is None else _ANY_SPAN_LOWER.search(low)) is None


CURRENT = ProsePeriod("current")  # the default: no words name another period


def _lowered(text: str) -> Optional[str]:
    """The text in lower case, to look for a pattern's words before searching (a pattern that
    cannot match is not searched); None when case-insensitive matching takes a letter in it for
    an ASCII one that str.lower() does not (ſ for s, ı or İ for i): then every pattern is searched."""
    if not text.isascii() and ("\u017f" in text or "\u0131" in text or "\u0130" in text):
        return None
    return text.lower()


def period_after(tail: str, months=None, cal: Optional[Calendar] = None) -> ProsePeriod:
    """The period the words after a figure name (``months``: the length its sentence names)."""
    low = _lowered(tail)
    as_of = _AS_OF.search(tail) if low is None or "as of " in low or "as at " in low else None
    if as_of:
        try:
            when = dt.date(int(as_of.group(3)), MONTHS[as_of.group(1).lower()], int(as_of.group(2)))
            return ProsePeriod("instant", year=when.year, date=when)
        except ValueError:
            pass
    same = _SAME_PERIOD.search(tail) if low is None or "same " in low else None
    if same:
        return ProsePeriod("year", year=int(same.group(1)), months=months)
    years = "19" in tail or "20" in tail  # (what every pattern naming a year needs)
    bare = _IN_YEAR.match(tail) if years else None
    if bare:  # "in 2006", "for fiscal 2024": the year itself
        return ProsePeriod("year", year=int(bare.group(1)), months=months or 12)
    month = _IN_MONTH.match(tail) if years else None
    if month:  # "30,453 vehicles in February 2025": that month
        return _month(month.group(1), month.group(2))
    if (low is None or "year" in low) and _YEAR_AGO.search(tail):
        return ProsePeriod("prior_year", months=months)
    if (low is None or "quarter" in low or "sequential" in low) and _PRIOR_QUARTER.search(tail):
        return ProsePeriod("prior_quarter")
    named = _OF_YEAR.search(tail) if years and (low is None or _of_year_words(low)) else None
    if named:
        year = int(named.group(1) or named.group(2))
        nth = _ORDINAL_BEFORE.search(tail, 0, named.start()) if named.group(1) and named.group(0)[:1] in "qQ" else None
        quarter = _named_quarter(year, _ORDINAL[nth.group(1).lower()], cal) if nth else None
        return quarter or ProsePeriod("year", year=year, months=months)
    return default_period(months)


def _of_year_words(low: str) -> bool:
    """Does a text in lower case (as _lowered gives it) hold a word every _OF_YEAR match holds?"""
    return "year" in low or "quarter" in low or "period" in low or "half" in low or "month" in low or "week" in low \
        or "ended" in low


def default_period(months: Optional[int]) -> ProsePeriod:
    """The period of a figure whose words name none but, perhaps, a length."""
    return CURRENT if months is None else _SIZED.get(months) or ProsePeriod("current", months=months)


_SIZED = {months: ProsePeriod("current", months=months) for months in (1, 3, 6, 9, 12)}


#: A change stated right before its figure: "Residential energy sales increased 2.5 percent".
_CHANGED = re.compile(r"^(?P<subject>.*?)\b(?:increased|decreased|declined|grew|rose|fell|improved|dropped)\s+(?:by\s+)?$",
                      re.IGNORECASE | re.DOTALL)
_WORD = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
_PLAIN_WORDS = frozenset({"company", "group", "total", "with", "from", "that", "this", "were", "which", "compared"})


def part_of(line: str, start: int, head_start: int, before_start: int, before_head_start: int) -> bool:
    """Is the figure at ``start`` (the first of the sentence from ``head_start``, its words naming
    no period) one more change in a run of the same measure as the figure at ``before_start`` (of
    the sentence before, from ``before_head_start``: "... sales increased 1.4 percent in 2006.
    Residential energy sales increased 2.5 percent.")? Both changes are stated the same way and
    their subjects share a word (the caller knows them of one unit and kind, the one before of a
    period): it speaks of the period of the change before it."""
    mine, theirs = _CHANGED.match(line[head_start:start]), _CHANGED.match(line[before_head_start:before_start])
    if not (mine and theirs):
        return False
    words = {w.lower() for w in _WORD.findall(mine["subject"])} - _PLAIN_WORDS
    return bool(words & {w.lower() for w in _WORD.findall(theirs["subject"])})


#: The words that open a sentence and name its period: "As of June 30, 2025,", "For the fourth
#: quarter 2005,", "For fiscal 2025,", "For the year 2006,", "In February 2025,".
_HEAD_PERIOD = re.compile(
    rf"^\W*(?:as (?:of|at) (?P<month>{MONTH})\s+(?P<day>\d{{1,2}}),\s*(?P<at>(?:19|20)\d\d)"
    rf"|for (?:the )?(?P<nth>first|second|third|fourth|1st|2nd|3rd|4th) (?:fiscal )?quarter (?:of )?(?:fiscal (?:year )?)?"
    rf"(?P<quarter>(?:19|20)\d\d)"
    rf"|for (?:the )?year[- ]to[- ]date (?:period (?:of |in )?)?(?P<ytd>(?:19|20)\d\d)"
    rf"|for (?:the )?(?:full )?(?:fiscal )?(?:year )?(?P<year>(?:19|20)\d\d)"
    rf"|(?:in|for|during) (?:the month of )?(?P<named>{MONTH}) (?P<of>(?:19|20)\d\d))\s*,", re.IGNORECASE)
_OPENING = re.compile(r"\W*(?:as|for|in|during)\b", re.IGNORECASE)
#: A sentence that speaks of what the sentence before spoke of: "these borrowings", "such loans".
BACK_REFERENCE = re.compile(r"\b(?:these|such|those)\s+[a-z]", re.IGNORECASE)


def head_period(head: str, cal: Optional[Calendar] = None):
    """The period the opening words of a sentence name (``_HEAD_PERIOD``), or None (year to date
    is as long as the tables' year to date, ``cal.ytd``)."""
    if not _OPENING.match(head):  # the first word of _HEAD_PERIOD's, before the spaces are joined
        return None
    found = _HEAD_PERIOD.match(" ".join(head.split()))
    if found is None:
        return None
    if found["at"]:
        try:
            when = dt.date(int(found["at"]), MONTHS[found["month"].lower()], int(found["day"]))
        except ValueError:
            return None
        return ProsePeriod("instant", year=when.year, date=when)
    if found["ytd"]:
        return ProsePeriod("year", year=int(found["ytd"]), months=cal.ytd if cal else None)
    if found["quarter"]:
        year = int(found["quarter"])
        return _named_quarter(year, _ORDINAL[found["nth"].lower()], cal) or ProsePeriod("year", year=year, months=3)
    if found["named"]:
        return _month(found["named"], found["of"])
    return ProsePeriod("year", year=int(found["year"]), months=12)


def sentence_head(line: str, start: int) -> str:
    """The text of the sentence before ``start`` (its last 200 characters)."""
    head = line[max(0, start - 200):start]
    last = None
    for match in _SENTENCE_END.finditer(head):
        last = match
    return head[last.end():] if last else head


def respective_dates(line: str, raw: list, periods: list[ProsePeriod], sentence_of: list[int], sentences) -> None:
    """"X and Y as of June 30, 2025 and 2024, respectively": the figures of the sentence before the
    dates take one date each, in order (a weighted average, the period ending on it); ``raw``: the
    line's figures as prose_scan reads them, ``sentence_of``: the index in ``sentences`` of each."""
    if "espectively" not in line:
        return
    for match in _RESPECTIVE_DATES.finditer(line):
        s_index = next(i for i, (a, b) in enumerate(sentences) if a <= match.start() <= b)
        ks = [k for k, r in enumerate(raw) if sentence_of[k] == s_index and r[1] <= match.start()]
        try:
            first = dt.date(int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2)))
            dates = [first, first.replace(year=int(match.group(4)))]
        except ValueError:  # a date no calendar has (June 31), February 29 of another year
            continue
        if len(ks) < 2:
            continue
        ks = ks[-2:]
        if any(raw[k][4] != raw[ks[0]][4] for k in ks):
            continue  # figures of different measures are not one list
        for k, when in zip(ks, dates):
            if _WEIGHTED.search(sentence_head(line, raw[k][0])):
                period = ProsePeriod("year", year=when.year, months=periods[k].months)
            else:
                period = ProsePeriod("instant", year=when.year, date=when)
            periods[k] = period
