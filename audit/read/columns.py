"""Column headings -> Column (period, currency, role), with the filing's fiscal year: durations
and dates ("Three Months Ended May 1, 2022", "Thirteen Weeks Ended"), quarters ("Q1 2023", "First
Quarter 2022", "Fiscal 2014 Q1", "Q4 FY24", "2024Q4"), fiscal-year totals, periods named by rows
or compared by change columns; a role is the rest of a heading ("GAAP", "Adj.", a segment)."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from typing import NamedTuple, Optional

from .copies import replace
from .filing import MONTH, MONTH_ABBR, MONTHS, SPAN_MONTHS, Column, Period

_DATE = re.compile(rf"\b({MONTH}|{MONTH_ABBR})\s+(\d{{1,2}})(?!\d),?(?:\s+((?:19|20)\d\d))?", re.IGNORECASE)
#: "3 Months Ended December 2006" (a heading with no day): the month's last day.
_MONTH_YEAR = re.compile(rf"\b({MONTH}|{MONTH_ABBR})\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_DURATION = re.compile(r"\b(three|six|nine|twelve|3|6|9|12)[- ]months?\b|\b(year|quarter)s? ended\b"
                       r"|\b(thirteen|twenty-six|thirty-nine|fifty-two|fifty-three|13|26|39|52|53)[- ]weeks?\b",
                       re.IGNORECASE)
_WEEKS = {"thirteen": 13, "twenty-six": 26, "thirty-nine": 39, "fifty-two": 52, "fifty-three": 53,
          "13": 13, "26": 26, "39": 39, "52": 52, "53": 53}
_CURRENCY = re.compile(r"(?<![A-Za-z])(RMB|USD|US\\?\$|HK\\?\$|CNY|HKD|EUR)(?![A-Za-z])")
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_YY = r"((?:19|20)?\d\d)"
#: Quarters: "Q1 2023", "Q1'23", "1Q23", "First Quarter 2022", "Q4 FY24", "Fiscal 2014 Q1", "FY2024 Q4".
_QUARTER = re.compile(
    rf"\bQ([1-4])\s*[' ’]?\s*(FY|fiscal\s*)?\s*{_YY}\b"
    rf"|\b([1-4])Q\s*[' ’]?(FY)?{_YY}\b"
    rf"|\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+(fiscal\s+)?quarter(?:\s+(?:of\s+)?(fiscal\s+|FY\s*)?{_YY})?\b"
    rf"|\b(fiscal\s+(?:year\s+)?|FY\s*)((?:19|20)\d\d|\d\d)\b",
    re.IGNORECASE)
_YEAR_Q = re.compile(r"\b((?:19|20)\d\d)\s*Q([1-4])\b", re.IGNORECASE)
_LONE_QUARTER = re.compile(r"\bQ([1-4])\b", re.IGNORECASE)
_TOTAL = re.compile(r"\b(?:total|full[- ]year|year)\b", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]{2}")
_ANY_YEAR = re.compile(r"(?:19|20)\d\d")
_YEAR_ENDED = re.compile(rf"\b(?:fiscal\s+)?years?\s+ended\s+({MONTH}|{MONTH_ABBR})\s+(\d{{1,2}})", re.IGNORECASE)
#: Words of a heading that say nothing of its role.
_NOT_ROLE = re.compile(
    rf"\b(?:for\s+the|three|six|nine|twelve|thirteen|twenty-six|thirty-nine|fifty-two|fifty-three|\d+\s*weeks?"
    rf"|weeks?|months?|quarters?|years?|ended|ending|as\s+(?:of|at)|at|fiscal|FY|total|full|first|second|third"
    rf"|fourth|(?:un)?audited|Q[1-4]|[1-4]Q|FY\s*\d{{2,4}}|in|of|{MONTH}|{MONTH_ABBR}|USD|RMB|CNY|HKD|EUR"
    rf"|(?:thousand|million|billion)s?)\b|\b(?:US|HK)\$|\S+:(?=\s|$)|'000"
    r"|\b(?:19|20)?\d\d\b|\d{1,2},|[$(),.:'’]",
    re.IGNORECASE)


def _lowered(pattern: re.Pattern) -> re.Pattern:
    """A pattern of IGNORECASE in lower case, without it (a letter after a backslash is an escape:
    kept): on an ASCII text lowered it matches where the pattern matches the text, at a third to
    half the cost."""
    return re.compile(re.sub(r"(?<!\\)[A-Z]", lambda m: m.group().lower(), pattern.pattern))


_NOT_ROLE_LOWER = _lowered(_NOT_ROLE)
_ROLE = re.compile(r"\b(?:GAAP|non-GAAP|adj(?:usted|ustments?)?\.?|as\s+reported|reported|consolidat\w*|"
                   r"eliminations?|segments?|pro\s+forma)\b", re.IGNORECASE)


class FiscalYear(NamedTuple):
    """When the filing's fiscal year ends (month, day; December 31 unless its headings say), and
    the weeks it says its quarters had ({fiscal year: weeks}, see quarter_weeks)."""

    month: int = 12
    day: int = 31
    weeks: dict = {}

    @classmethod
    def of(cls, lines: list[str]) -> "FiscalYear":
        found = Counter()
        for line in lines:
            if "nded" in line:
                for match in _YEAR_ENDED.finditer(line):
                    found[(MONTHS[match.group(1).lower().rstrip(".")], int(match.group(2)))] += 1
        month, day = found.most_common(1)[0][0] if found else (12, 31)
        return cls(month, day, quarter_weeks(lines))


def month_span(end: dt.date, months: int) -> Period:
    """A period of ``months`` months ending on ``end``: from the first day of the month ``months``-1
    before when ``end`` is a month's last day, else (a 52/53-week calendar: "three months ended
    May 1") from the day after the same day ``months`` months before."""
    if end.day == calendar.monthrange(end.year, end.month)[1]:
        first = end.year * 12 + end.month - 1 - (months - 1)
        return Period(end=end, start=dt.date(first // 12, first % 12 + 1, 1))
    back = end.year * 12 + end.month - 1 - months
    year, month = back // 12, back % 12 + 1
    day = min(end.day, calendar.monthrange(year, month)[1])
    return Period(end=end, start=dt.date(year, month, day) + dt.timedelta(days=1))


def _month_end(index: int) -> dt.date:
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _year_end(year: int, fiscal: FiscalYear) -> int:
    """The month (as year * 12 + month - 1) fiscal year ``year`` ends in: the year its last quarter
    ends in, except for a year ending in January or early February (a retail calendar: fiscal 2024
    ends February 1, 2025), named by the year it starts in. A year ending in a month's first week
    ends, near enough, with the month before."""
    month = fiscal.month - (1 if fiscal.day <= 7 else 0)
    index = year * 12 + month - 1
    return index + 12 if month <= 1 else index


class _Patterns(NamedTuple):
    """The patterns that date a heading: as compiled (``_ANY``), or lowered for a heading in ASCII
    lowered (``_LOW``, see _lowered); ``quarter_first``: _YEAR_Q's replacement ("2024Q4" -> "Q4 2024")."""

    date: re.Pattern
    month_year: re.Pattern
    duration: re.Pattern
    quarter: re.Pattern
    year_q: re.Pattern
    quarter_first: str


_ANY = _Patterns(_DATE, _MONTH_YEAR, _DURATION, _QUARTER, _YEAR_Q, r"Q\2 \1")
_LOW = _Patterns(*map(_lowered, _ANY[:5]), r"q\2 \1")


def fiscal_quarter(year: int, quarter: int, fiscal: FiscalYear) -> Period:
    """Quarter 1-4 of fiscal year ``year``."""
    return month_span(_month_end(_year_end(year, fiscal) - 3 * (4 - quarter)), 3)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _quarter_period(header: str, fiscal: FiscalYear, p: _Patterns = _ANY) -> Optional[Period]:
    if "q" in header or "Q" in header:
        header = p.year_q.sub(p.quarter_first, header)  # "2024Q4" -> "Q4 2024"
    match = p.quarter.search(header)
    if not match:
        return None
    g = match.groups()
    if g[0]:  # Q1 2023, Q4 FY24
        return fiscal_quarter(_year(g[2]), int(g[0]), fiscal)
    if g[3]:  # 1Q23
        return fiscal_quarter(_year(g[5]), int(g[3]), fiscal)
    if g[6]:  # First Quarter 2022
        year = g[9] or next(iter(_YEAR.findall(header)), None)
        return fiscal_quarter(_year(year), _ORDINAL[g[6].lower()], fiscal) if year else None
    year = _year(g[11])  # Fiscal 2014 Q1, Fiscal 2021 ... TOTAL
    lone = _LONE_QUARTER.search(header)
    if lone:
        return fiscal_quarter(year, int(lone.group(1)), fiscal)
    if _TOTAL.search(header[match.end():]) or _TOTAL.search(header[:match.start()]):
        end = _month_end(_year_end(year, fiscal))
        return month_span(end, 12)
    return None


def _dated_period(header: str, date_match=False, p: _Patterns = _ANY) -> Optional[Period]:
    """The period a heading's date (``date_match``: _DATE.search of it, when known) and duration say."""
    if date_match is False:
        date_match = p.date.search(header)
    if not date_match:
        whole = p.month_year.search(header)
        dur = p.duration.search(header) if whole else None
        if not dur or dur.group(3):
            return None
        end = _month_end(int(whole.group(2)) * 12 + MONTHS[whole.group(1).lower().rstrip(".")] - 1)
        return month_span(end, SPAN_MONTHS[next(g for g in dur.groups() if g).lower()])
    year = date_match.group(3)
    if not year:
        years = _YEAR.findall(header[date_match.end():]) or _YEAR.findall(header)
        year = years[-1] if years else None
    if not year:
        return None
    try:
        end = dt.date(int(year), MONTHS[date_match.group(1).lower().rstrip(".")], int(date_match.group(2)))
    except ValueError:
        return None
    dur = p.duration.search(header)
    if dur and dur.group(3):  # a retail calendar: 13, 26, 39, 52 or 53 weeks ending on `end`
        return Period(end=end, start=end - dt.timedelta(weeks=_WEEKS[dur.group(3).lower()]) + dt.timedelta(days=1))
    if dur:
        return month_span(end, SPAN_MONTHS[next(g for g in dur.groups() if g).lower()])
    return Period(end=end)


def role_of(header: str, dated: bool = False) -> str:
    """What a heading says of its column besides its period and currency: "GAAP", "Adj.",
    "Non-GAAP", "Consolidated", a segment under a period ("... 2024 Construction Industries");
    "" when nothing, or (for a heading that names no period) nothing that names a role."""
    if not dated and not _ROLE.search(header):
        return ""
    rest = " ".join(_not_role_words(header).split())
    return rest if _LETTERS.search(rest) else ""


def _not_role_words(header: str) -> str:
    """_NOT_ROLE.sub(" ", header), less its spaces' count (what role_of keeps of it): an ASCII heading
    is matched in lower case by _NOT_ROLE_LOWER, its pieces between the matches joined by spaces."""
    if not header.isascii():
        return _NOT_ROLE.sub(" ", header)
    pieces, last = [], 0
    for match in _NOT_ROLE_LOWER.finditer(header.lower()):
        start, end = match.span()
        pieces.append(header[last:start])
        last = end
    pieces.append(header[last:])
    return " ".join(pieces)


def parse_column(index: int, header: str, fiscal: Optional[FiscalYear] = None, context: str = "") -> Column:
    """A column from its heading text; ``context`` (a period line above the table) dates a
    column whose heading names no period."""
    fiscal = fiscal or FiscalYear()
    currency = None
    match = _CURRENCY.search(header)
    if match:
        currency = {"US$": "USD", "US\\$": "USD", "HK$": "HKD", "HK\\$": "HKD", "CNY": "RMB"}.get(
            match.group(1), match.group(1))
    # (an ASCII heading, the most, read in lower case by the lowered patterns: the same period)
    text, p = (header.lower(), _LOW) if header.isascii() else (header, _ANY)
    date = p.date.search(text)
    period = None if date else _quarter_period(text, fiscal, p)
    if period is None:
        period = _dated_period(text, date, p)
    if period is None and context:
        period = _dated_period(context.lower(), False, _LOW) if context.isascii() else _dated_period(context)
    return Column(index=index, header=header, period=period, currency=currency, role=role_of(header, period is not None))


_CHANGE = re.compile(r"\bchange|\bchg\b|\bincrease\b|\bdecrease\b|\bvariance\b|\bbetter\b|\bworse\b|\byoy\b|\bqoq\b",
                     re.IGNORECASE)
_PERIOD_WORDS = re.compile(
    rf"\b(?:for\s+the\s+)?(?:three|six|nine|twelve|thirteen|twenty-six|thirty-nine|fifty-two|fifty-three|\d+)"
    rf"[- ](?:months?|weeks?)\s+ended\b|\b(?:years?|quarters?|periods?)\s+ended\b|\bas\s+(?:of|at)\b"
    rf"|\b(?:{MONTH}|{MONTH_ABBR})(?:\s+\d{{1,2}})?,?|\b(?:19|20)\d\d\b|\b(?:USD|RMB|US\$|HK\$|CNY|HKD|EUR)(?!\w)",
    re.IGNORECASE)


_UNDER_PERIOD = re.compile(rf"\b(?:ended|ending|months?|weeks?|quarters?|years?|as\s+(?:of|at)|{MONTH}|{MONTH_ABBR})\b",
                           re.IGNORECASE)


def fill_periods(columns: list[Column]) -> list[Column]:
    """Columns under a period heading that names no year ("Three Months Ended May 31, | % of
    Revenues", "... | Adj.") take the period of the nearest dated column to their left (else right),
    and keep what their heading says as their role; a change column ("% Change", "Increase
    (Decrease)") compares two periods and has none, nor has a column under no period heading."""
    dated = [k for k, c in enumerate(columns) if c.period is not None]
    if not dated or len(dated) == len(columns):
        return columns
    out = list(columns)
    for k, column in enumerate(columns):
        if column.period is not None:
            continue
        left = [j for j in dated if j < k]
        right = [j for j in dated if j > k]
        if _CHANGE.search(column.header) or not _UNDER_PERIOD.search(column.header):
            continue  # a comparison of two periods, or a column under no period heading
        if left or right:
            period = columns[left[-1] if left else right[0]].period
        else:
            continue
        role = column.role or " ".join(_PERIOD_WORDS.sub(" ", column.header).replace(",", " ").split())
        out[k] = Column(column.index, column.header, period, column.currency, role)
    return out


_NOTE_HEAD = re.compile(r"^\(?notes?\)?$", re.IGNORECASE)
_NOTE_TAIL = re.compile(r"(?:^|\s)\(?notes?\)?$", re.IGNORECASE)
_NOTE_REF = re.compile(r"^\d{1,2}(?:\s*,\s*\d{1,2})*$")  # "2", "1,2": note numbers


def value_columns(headers: list[str], rows) -> list[int]:
    """The columns that hold figures: not a "Note" column, nor a column of a few small note
    numbers under no heading of its own (blank, or its left neighbour's) beside headed columns.
    ``rows``: the rows' cell texts, or a function that gives them (called when a heading needs them)."""
    headed = any(h.strip() for h in headers)
    filled = None
    keep = []
    for k, header in enumerate(headers):
        if _NOTE_HEAD.match(header.strip()):
            continue  # "Note"
        tail = _NOTE_TAIL.search(header)
        own = header.strip() and (k == 0 or header != headers[k - 1])
        if not tail and (own or not headed):
            keep.append(k)  # the column's cells need not be looked at
            continue
        if callable(rows):
            rows = rows()
        cells = [r[k].strip() for r in rows if k < len(r) and r[k].strip()]
        if tail and all(_NOTE_REF.match(c) for c in cells):
            continue  # a period heading spread over a "Note" column of note numbers
        if headed and not own:
            if filled is None:
                filled = sum(1 for r in rows if any(c.strip() for c in r))
            if not cells or (2 * len(cells) < filled and all(_NOTE_REF.match(c) for c in cells)):
                continue  # nothing under a heading spread from its left, or note numbers
        keep.append(k)
    return keep


_WEEKS_HAD = re.compile(
    r"\bfiscal\s+((?:19|20)\d\d)\s+(first|second|third|fourth)\s+quarter\s+had\s+(\d{2}|thirteen|fourteen)\s+weeks"
    r"|\b(first|second|third|fourth)\s+quarter\s+of\s+fiscal\s+((?:19|20)\d\d)\s+had\s+(\d{2}|thirteen|fourteen)\s+weeks",
    re.IGNORECASE)


def quarter_weeks(lines: list[str]) -> dict[int, int]:
    """What a 52/53-week filer says of its quarters' lengths: {fiscal year: weeks} from "fiscal
    2023 first quarter had 14 weeks" (one quarter compared across years)."""
    out: dict[int, int] = {}
    for line in lines:
        if "k" in line and "weeks" in line:  # (a test for one character is much cheaper than for a word)
            for m in _WEEKS_HAD.finditer(line):
                year, weeks = (m.group(1), m.group(3)) if m.group(1) else (m.group(5), m.group(6))
                out[int(year)] = {"thirteen": 13, "fourteen": 14}.get(weeks.lower(), None) or int(weeks)
    return out


def _by_weeks(columns: list[Column], weeks: dict[int, int]) -> list[Column]:
    """Quarter columns of a 52/53-week filer start the stated number of weeks before their end:
    the latest quarter is the latest fiscal year named, each earlier one a year before."""
    if not weeks:
        return columns
    quarters = sorted({c.period.end for c in columns if c.period and c.period.start and c.period.months == 3},
                      reverse=True)
    if not quarters:
        return columns
    top = max(weeks)
    starts = {}
    for end in quarters:
        year = top - round((quarters[0] - end).days / 365.25)
        if year in weeks:
            starts[end] = end - dt.timedelta(weeks=weeks[year]) + dt.timedelta(days=1)
    return [Column(c.index, c.header, Period(end=c.period.end, start=starts[c.period.end]), c.currency, c.role)
            if c.period and c.period.months == 3 and c.period.end in starts else c for c in columns]


def table_columns(headers: list[str], fiscal: FiscalYear, context: str = "") -> tuple[Column, ...]:
    """A table's columns from their headings and the period line above the table."""
    return columns_of([parse_column(i, h, fiscal, context) for i, h in enumerate(headers)], fiscal)


def columns_of(parsed: list[Column], fiscal: FiscalYear) -> tuple[Column, ...]:
    """A table's columns from parse_column of each heading."""
    return tuple(_by_weeks(fill_periods(parsed), fiscal.weeks))


_FISCAL_ONLY = re.compile(r"^\s*(?:fiscal\s+(?:year\s+)?|FY\s*)((?:19|20)\d\d)\s*$", re.IGNORECASE)


def row_period(label: str, fiscal: FiscalYear) -> Optional[Period]:
    """The period a row's label or section names ("First Quarter 2022", "Three Months Ended March 31,
    2022 - Adjusted", "Fiscal 2023"), for the figures of columns that name none."""
    if not label or not _ANY_YEAR.search(label):
        return None
    alone = _FISCAL_ONLY.match(label)
    if alone:
        return month_span(_month_end(_year_end(int(alone.group(1)), fiscal)), 12)
    date = _DATE.search(label)
    period = None if date else _quarter_period(label, fiscal)
    if period is None:
        period = _dated_period(label, date)
        if period is not None and period.start is None:
            return None  # a date alone in a label ("Balance at December 31, 2024") is the row's own matter
    return period


def compared_periods(columns) -> dict[int, Period]:
    """The period each change column ("% Change", "$ Change", "YoY") speaks of: the latest period, of
    the length of the nearest dated column to its left, among the columns to its left. The column
    itself keeps none (it compares two); its figures are of that period."""
    out = {}
    for k, column in enumerate(columns):
        if column.period is not None or not _CHANGE.search(column.header):
            continue
        left = [c.period for c in columns[:k] if c.period is not None]
        if left:
            out[k] = max((p for p in left if p.months == left[-1].months), key=lambda p: p.end)
    return out


_TRAILING = re.compile(r"\btrailing\s+(?:4|four)[- ]quarters?\b|\btrailing\s+twelve[- ]months?\b|\bTTM\b|\bLTM\b"
                       r"|\blast\s+twelve\s+months\b", re.IGNORECASE)


def trailing(columns: tuple[Column, ...], title: str) -> tuple[Column, ...]:
    """In a table titled for trailing four quarters ("FREE CASH FLOW - TRAILING 4-QUARTERS"), each
    quarter's column holds the twelve months that end with it."""
    if not _TRAILING.search(title):
        return columns
    return tuple(replace(c, period=month_span(c.period.end, 12)) if c.period and c.period.months == 3 else c
                 for c in columns)
