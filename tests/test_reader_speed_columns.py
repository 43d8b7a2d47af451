"""columns: an ASCII heading read in lower case by patterns without IGNORECASE (columns._lowered)
gives what the patterns as compiled give: role_of's words (what _NOT_ROLE.sub leaves) and
parse_column's period, on headings in any case."""
from __future__ import annotations

import random

from audit.read.columns import (
    _DATE,
    _LETTERS,
    _NOT_ROLE,
    FiscalYear,
    _dated_period,
    _not_role_words,
    _quarter_period,
    parse_column,
    role_of,
)

_WORDS = ["for the", "Three", "SIX", "nine", "Twelve", "thirteen", "twenty-six", "Fifty-Three", "52 weeks",
          "13weeks", "Week", "months", "Quarter", "years", "Ended", "ENDING", "as of", "As At", "at", "fiscal",
          "FY", "fy2024", "FY 24", "Total", "full", "First", "second", "THIRD", "fourth", "Unaudited", "audited",
          "Q1", "q4", "2Q", "3q", "in", "of", "January", "MAY", "sept.", "Sep", "Dec.", "USD", "rmb", "Cny", "HKD",
          "eur", "thousands", "Million", "BILLIONS", "US$", "hk$", "Us$", "Note:", "segment:", "'000", "2023",
          "1999", "23", "7", "31,", "(", ")", ".", ",", ":", "'", "$", "GAAP", "Non-GAAP", "Adj.", "Adjusted",
          "As Reported", "Consolidated", "Eliminations", "Segments", "Pro Forma", "Construction", "Industries",
          "Kelvin", "Sales", "Volume", "ask", "skip", "Machinery,", "Energy & Transportation", "Other:"]
_CHARS = "aAkKsSqQyY019 -:,.$'()\t"


def _heading(rng: random.Random) -> str:
    parts = [rng.choice(_WORDS) if rng.random() < 0.8 else "".join(rng.choice(_CHARS) for _ in range(rng.randint(1, 6)))
             for _ in range(rng.randint(0, 9))]
    return "".join(rng.choice(("", " ", " ", "  ", ", ")) + p for p in parts)


def test_not_role_words_is_not_role_sub():
    rng = random.Random(21)
    headings = [_heading(rng) for _ in range(40_000)]
    headings += ["Three Months Ended March 31, 2023 RMB", "Sales and Revenues by Segment Inter-Segment / Other USD",
                 "Fiscal 2014 Q1 Adj.", "", " ", "Note:", "12 Months Ended Dec. 31, 2022 (Unaudited) GAAP"]
    for heading in headings:
        assert _not_role_words(heading).split() == _NOT_ROLE.sub(" ", heading).split(), heading
        rest = " ".join(_NOT_ROLE.sub(" ", heading).split())  # role_of as it was: a dated heading's words
        assert role_of(heading, True) == (rest if _LETTERS.search(rest) else ""), heading


def test_non_ascii_headings_take_the_pattern():
    for heading in ("Three Months Ended March 31, 2023 RMB’000", "\u212aelvin Segment Q\u0131", "2023年 Q1 USD"):
        assert _not_role_words(heading).split() == _NOT_ROLE.sub(" ", heading).split()


_DATE_WORDS = ["Three Months Ended", "six months ended", "NINE MONTHS ENDED", "12-month", "Year Ended", "quarters ended",
               "Thirteen Weeks Ended", "26 weeks", "fifty-three weeks", "March 31,", "Dec. 31", "sept 30, 2022",
               "May 1, 2022", "June", "2023", "2024", "'23", "Q1", "q4", "Q3 FY24", "1Q23", "2024Q4", "2023q2",
               "First Quarter", "fourth quarter of fiscal", "FY2024", "Fiscal 2014", "fiscal year 2021", "Total",
               "Full-Year", "RMB", "US$", "USD", "Adj.", "GAAP", "(Unaudited)", "as of", "February 30, 2023", "3",
               "Segment", "Change", "%", "31", "ended", "months", "Jan", "JANUARY 31 2024", "FY 24", "Q2'25"]


def _period_before(header: str, fiscal: FiscalYear, context: str):
    """parse_column's period as it was read: the patterns of IGNORECASE on the heading as printed."""
    date = _DATE.search(header)
    period = None if date else _quarter_period(header, fiscal)
    if period is None:
        period = _dated_period(header, date)
    if period is None and context:
        period = _dated_period(context)
    return period


def test_a_heading_is_dated_as_by_the_patterns_of_ignorecase():
    rng = random.Random(2021)
    fiscals = (FiscalYear(), FiscalYear(6, 30), FiscalYear(9, 28))
    contexts = ("", "Three Months Ended March 31, 2023", "for the QUARTER ended june 30", "FY2024")
    for n in range(30_000):
        header = " ".join(rng.choice(_DATE_WORDS) for _ in range(rng.randint(1, 5)))
        header = header.upper() if n % 7 == 0 else header.lower() if n % 5 == 0 else header
        fiscal, context = fiscals[n % 3], contexts[n % 4]
        column = parse_column(n % 4, header, fiscal, context)
        assert column.period == _period_before(header, fiscal, context), (header, context)
    for header in ("März 31, 2023 €", "Q1 2023 – Adj.", "2024Q4 RMB’000"):  # not ASCII: the patterns as compiled
        assert parse_column(0, header).period == _period_before(header, FiscalYear(), "")
