"""columns.role_of's words of a heading: an ASCII heading matched in lower case by a pattern without
IGNORECASE (_NOT_ROLE_LOWER) leaves what _NOT_ROLE.sub leaves of it, on headings in any case."""
from __future__ import annotations

import random

from audit.read.columns import _LETTERS, _NOT_ROLE, _not_role_words, role_of

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
