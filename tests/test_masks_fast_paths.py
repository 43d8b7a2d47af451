"""masks.anywhere and masks.near give what their plainer forms (kept here) give, on random lines
built from the pieces they look for: URLs, addresses, times, "RMB'000", months' names in any
case, camel-case words ("iPhone"), letter runs longer than near's look-back window."""
from __future__ import annotations

import random
import re

from audit.read import masks

_AM_PM = re.compile(r"[ap]\.m\.")
_PLUS_DIGIT = re.compile(r"\+\d")
_CAMEL = re.compile(r"[a-z][A-Z]")
_DIGITS = re.compile(r"\d+")


def _anywhere(line: str) -> bool:
    return ("://" in line or "@" in line or ".m." in line and _AM_PM.search(line) is not None
            or "+" in line and _PLUS_DIGIT.search(line) is not None
            or "000" in line and ("'000" in line or "’000" in line))


def _camel_before(line: str, k: int) -> bool:
    first = k
    while first > 0 and line[first - 1].isascii() and line[first - 1].isalpha():
        first -= 1
    return _CAMEL.search(line, first, k + 1) is not None


PIECES = ["http://x.cn/", "a@b.com", "8:30", "3 p.m.", "a.m.", "+1 650", "RMB'000", "US$’000", "'", "’", "000",
          "/", "@", "+", "June 30, 2025", "JUNE", "june", "Jan. 25", "ſept", "ıune", "İ", "iPhone", "eBay",
          "ABC", "Group", "x" * 40, "aB" * 20, "word", " ", "  ", ",", ".", "(", ")", "-", ":", "17", "2023",
          "1,234", "5", "\t"]


def _lines(count: int):
    rng = random.Random(21)
    for _ in range(count):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14)))


def test_anywhere_is_its_plain_form():
    for line in _lines(20000):
        assert masks.anywhere(line) == _anywhere(line), line


def _near(line: str, start: int, end: int) -> bool:
    if start == 0:
        return True
    before = line[start - 1]
    if before in "(:-," or line[end:end + 1] in (":", "-"):
        return True
    if not before.isspace():
        return False
    k = start - 2
    while k >= 0 and line[k].isspace():
        k -= 1
    if k < 0:
        return True
    last = line[k]
    if last in ".,)":
        return True
    if not last.isalpha():
        return False
    word = line[max(0, k - 8):k + 1]
    if word.lower().endswith(masks._LOWER_MONTHS) or not word.isascii() and any(c in word for c in "\u017f\u0131\u0130"):
        return True
    if k != start - 2 or before != " ":
        return False
    return _camel_before(line, k)


def test_near_is_its_plain_form():
    checked = 0
    for line in _lines(20000):
        for match in _DIGITS.finditer(line):
            start, end = match.span()
            assert masks.near(line, start, end) == _near(line, start, end), (line, start)
            checked += start >= 2 and line[start - 1] == " " and line[start - 2].isalpha()
    assert checked > 1000
