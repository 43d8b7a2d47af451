"""Column headings -> Column: period, currency and role.

A period is read from a date with a duration ("Three Months Ended May 1, 2022", "Thirteen Weeks
Ended"), a quarter ("Q1 2023", "1Q23", "First Quarter 2022", "Fiscal 2014 Q1", "Q4 FY24") or a
fiscal year total ("Fiscal 2021 ... TOTAL"). Fiscal quarters count from the filing's fiscal year
end (``FiscalYear``, read from its "year ended May 31" headings; December 31 when it names none).
A period of N months that ends on a month's last day starts on the first day of the month N-1
before; one that ends on another day (a 52/53-week calendar: "three months ended May 1") starts
the day after the same day N months before. A column's role is the part of its heading that is
no period or currency: "GAAP", "Adj.", "Non-GAAP", "As Reported", a segment, "Consolidated".
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from typing import NamedTuple, Optional

from .filing import MONTH, MONTH_ABBR, MONTHS, SPAN_MONTHS, Column, Period

_DATE = re.compile(rf"\b({MONTH}|{MONTH_ABBR})\s+(\d{{1,2}}),?(?:\s+((?:19|20)\d\d))?", re.IGNORECASE)
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
_LONE_QUARTER = re.compile(r"\bQ([1-4])\b", re.IGNORECASE)
_TOTAL = re.compile(r"\b(?:total|full[- ]year|year)\b", re.IGNORECASE)
_YEAR_ENDED = re.compile(rf"\b(?:fiscal\s+)?years?\s+ended\s+({MONTH}|{MONTH_ABBR})\s+(\d{{1,2}})", re.IGNORECASE)
#: Words of a heading that say nothing of its role.
_NOT_ROLE = re.compile(
    rf"\b(?:for\s+the|three|six|nine|twelve|thirteen|twenty-six|thirty-nine|fifty-two|fifty-three|\d+\s*weeks?"
    rf"|weeks?|months?|quarters?|years?|ended|ending|as\s+(?:of|at)|at|fiscal|FY|total|full|first|second|third"
    rf"|fourth|(?:un)?audited|Q[1-4]|[1-4]Q|in|of|{MONTH}|{MONTH_ABBR}|USD|RMB|US\$|HK\$|CNY|HKD|EUR)\b"
    r"|\b(?:19|20)?\d\d\b|\d{1,2},|[$(),.:'’]",
    re.IGNORECASE)
_ROLE = re.compile(r"\b(?:GAAP|non-GAAP|adj(?:usted|ustments?)?\.?|as\s+reported|reported|consolidat\w*|"
                   r"eliminations?|segments?|pro\s+forma)\b", re.IGNORECASE)


class FiscalYear(NamedTuple):
    """When the filing's fiscal year ends (month, day); December 31 unless its headings say."""

    month: int = 12
    day: int = 31

    @classmethod
    def of(cls, lines: list[str]) -> "FiscalYear":
        found = Counter()
        for line in lines:
            if "nded" in line:
                for match in _YEAR_ENDED.finditer(line):
                    found[(MONTHS[match.group(1).lower().rstrip(".")], int(match.group(2)))] += 1
        return cls(*found.most_common(1)[0][0]) if found else cls()


def month_span(end: dt.date, months: int) -> Period:
    """A period of ``months`` months ending on ``end`` (see the module's docstring)."""
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


def fiscal_quarter(year: int, quarter: int, fiscal: FiscalYear) -> Period:
    """Quarter 1-4 of fiscal year ``year`` (the year its last quarter ends in)."""
    end = _month_end(year * 12 + fiscal.month - 1 - 3 * (4 - quarter))
    return month_span(end, 3)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _quarter_period(header: str, fiscal: FiscalYear) -> Optional[Period]:
    match = _QUARTER.search(header)
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
        end = _month_end(year * 12 + fiscal.month - 1)
        return month_span(end, 12)
    return None


def _dated_period(header: str) -> Optional[Period]:
    date_match = _DATE.search(header)
    if not date_match:
        return None
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
    dur = _DURATION.search(header)
    if dur and dur.group(3):  # a retail calendar: 13, 26, 39, 52 or 53 weeks ending on `end`
        return Period(end=end, start=end - dt.timedelta(weeks=_WEEKS[dur.group(3).lower()]) + dt.timedelta(days=1))
    if dur:
        return month_span(end, SPAN_MONTHS[next(g for g in dur.groups() if g).lower()])
    return Period(end=end)


def role_of(header: str) -> str:
    """What a heading says of its column besides its period and currency: "GAAP", "Adj.",
    "Non-GAAP", "Consolidated", a segment; "" when nothing, or nothing that names a role."""
    if not _ROLE.search(header):
        return ""
    return " ".join(_NOT_ROLE.sub(" ", header).split())


def parse_column(index: int, header: str, fiscal: Optional[FiscalYear] = None, context: str = "") -> Column:
    """A column from its heading text; ``context`` (a period line above the table) dates a
    column whose heading names no period."""
    fiscal = fiscal or FiscalYear()
    currency = None
    match = _CURRENCY.search(header)
    if match:
        currency = {"US$": "USD", "US\\$": "USD", "HK$": "HKD", "HK\\$": "HKD", "CNY": "RMB"}.get(
            match.group(1), match.group(1))
    period = None if _DATE.search(header) else _quarter_period(header, fiscal)
    if period is None:
        period = _dated_period(header)
    if period is None and context:
        period = _dated_period(context)
    return Column(index=index, header=header, period=period, currency=currency, role=role_of(header))
