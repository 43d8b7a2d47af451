"""Prose extraction: every amount, percentage and count in the narrative, with unit, scale,
precision, the phrase it belongs to and the period its sentence speaks of; plus typed facts.

A line's figures are read by prose_line (its numbers by prose_scan); here the lines are walked,
with what one line leaves to the next: a sentence it leaves open, the words over a list.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Optional

from .copies import figure_with, make_span
from .filing import Fact, Figure, Span
from .marks import NUMBERS
from .masks import SUPERSCRIPTS
from .numbers import currency_code, to_decimal
from .prose_line import _NO_BREAK_BEFORE, _SENTENCE_BREAK  # noqa: F401 (the tests compare them with these)
from .prose_line import clean_phrase as _clean_phrase  # noqa: F401
from .prose_line import figures_in_line as _figures_in_line
from .prose_line import sentences_of as _sentences
from .prose_periods import (
    _SENTENCE_END,  # noqa: F401 (what _SENTENCE_BREAK finds; the tests compare them)
    Calendar,
    head_period,
)
from .prose_scan import _ID_BEFORE, _NUMBER, _id_before, scan  # noqa: F401 (the tests read numbers with these)

_FOOTNOTE_MARK = re.compile(r"\^\{\*?(" + NUMBERS + r")\}")  # ^{3}, ^{*3}, ^{1,2}
_SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPTS}]+")
#: A stated exchange rate, either way round: "RMB6.8676 to US$1.00" (_RATE_TO), "US$1.00 = RMB6.8676" (_RATE_FROM).
#: Two patterns, searched apart (rate_match): a pattern opening with its words is scanned faster than one
#: alternation behind a look-ahead.
_RATE_TO = re.compile(r"(?P<from>RMB|CNY|HK\\?\$)\s?(?P<rate>\d+\.\d+)\s+to\s+(?P<to>US\\?\$|USD)\s?1(?:\.0+)?\b")
_RATE_FROM = re.compile(r"(?P<to>US\\?\$|USD)\s?1(?:\.0+)?\s*(?:=|to)\s*(?P<from>RMB|CNY|HK\\?\$)\s?(?P<rate>\d+\.\d+)")
#: What every match of either holds: "US$1", "US\\$ 1", "USD1" (a search for it skips most lines fast).
_US_ONE = re.compile(r"US(?:\\?\$|D)\s?1")
_ADS_RATIO = re.compile(
    r"(?=[eo])\b(?:each|one) (?:ADS|ADR|American depositary share)s? (?:represents|representing|equals|is equal to) "
    r"(?P<n>\w+) (?:Class [A-Z] )?(?:ordinary|common) shares?\b",
    re.IGNORECASE,
)
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10}


def _marked_numbers(text: str) -> set[int]:
    """The numbers of the footnote markers in the text: "^{3}", "^{*3}", each of "^{1,2}"."""
    return {int(k) for m in _FOOTNOTE_MARK.findall(text) for k in m.split(",")} if "^{" in text else set()


def footnote_numbers(lines: list[str]) -> set[int]:
    """Numbers used as footnote markers anywhere in the text (^{*3}, ¹⁰)."""
    text = "\n".join(lines)
    found = _marked_numbers(text)
    if not text.isascii():  # superscripts are not ASCII: only the lines that are not are looked at
        table = str.maketrans(SUPERSCRIPTS, "0123456789")
        odd = "\n".join(line for line in lines if not line.isascii())
        found |= {int(m.translate(table)) for m in _superscript_runs(odd)}
    return found


def _superscript_runs(text: str) -> list[str]:
    """_SUPERSCRIPT_RUN.findall(text), found from where each superscript is (a search for each of
    the ten is faster than a scan that tests every character)."""
    at = []
    for digit in SUPERSCRIPTS:
        k = text.find(digit)
        while k >= 0:
            at.append(k)
            k = text.find(digit, k + 1)
    at.sort()
    runs, start = [], 0
    for n, k in enumerate(at):
        if n + 1 == len(at) or at[n + 1] != k + 1:
            runs.append(text[at[start]:k + 1])
            start = n + 1
    return runs


class _Footnotes:
    """footnote_numbers(lines), read when first asked (only a line that opens with a number asks):
    the markers "^{*3}" first, the superscripts (a slower look) only for a number not among them."""

    __slots__ = ("lines", "marks", "numbers")

    def __init__(self, lines: list[str]):
        self.lines, self.marks, self.numbers = lines, None, None

    def __contains__(self, number: int) -> bool:
        if self.marks is None:
            text = "\n".join(self.lines)
            self.marks = _marked_numbers(text)
        if number in self.marks:
            return True
        if self.numbers is None:
            self.numbers = footnote_numbers(self.lines)
        return number in self.numbers


def extract_prose(lines: list[str], table_lines: set[int], facts: dict[str, Fact],
                  cal: Optional[Calendar] = None) -> list[Figure]:
    """Every figure printed outside the tables, in reading order; those stating a fact are 'rate'
    (``cal``: the release's own period, as its tables' columns give it, against which words such
    as "the second quarter of 2025" are read)."""
    footnotes = _Footnotes(lines)
    memo: dict = {}  # what figures_in_line reads once for the filing's lines
    figures: list[Figure] = []
    sentence_base = 0
    lead = ""  # "For the second quarter of 2025, the Company expects:": the words over a list's items
    sentences: list[tuple[int, int]] = []  # those of the line before, when it is prose
    rates: dict[int, list[tuple[int, int]]] = {}  # line -> where the facts stated on it are printed
    for fact in facts.values():
        rates.setdefault(fact.span.line, []).append((fact.span.col, fact.span.end_col))
    prose = [number for number, line in enumerate(lines, start=1)
             if number not in table_lines and line and not line.isspace()]
    found = dict(zip(prose, scan([lines[number - 1] for number in prose])))  # (one scan of them all)
    for number, line in enumerate(lines, start=1):
        if number not in found:  # a table's line or a blank one
            lead = "" if number in table_lines else lead
            sentences = []
            continue
        follow = lines[number] if number < len(lines) and number + 1 not in table_lines else ""
        carry = _carry(lines, number, table_lines, sentences)
        if _LIST_ITEM.match(line):
            carry = carry or lead
        else:
            lead = _lead(line)
        sentences = _sentences(line)
        numbers = found[number]
        if numbers[0]:  # (a line with no number has no figure)
            figures.extend(_figures_in_line(number, line, footnotes, sentence_base, follow, carry, cal, sentences,
                                            rates.get(number, ()), numbers, memo))
        sentence_base += len(sentences)
    return figures


def figures_in_text(number: int, text: str, col: int) -> list[Figure]:
    """The figures of a text printed from column ``col`` of line ``number`` (a row's label), as
    prose reads them, placed in that line."""
    found = _figures_in_line(number, text, set(), 0)
    shift = col - 1
    return [figure_with(f, span=make_span(number, f.span.col + shift, f.span.end_col + shift)) for f in found]


#: An item of a list: a bullet, a dash, "(a)", "1.".
_LIST_ITEM = re.compile(r"^\s*(?:[•·▪◦●○■□►‣⁃∙*\-–—]|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s")


def _lead(line: str) -> str:
    """A line that opens a list and names its period ("For the second quarter of 2025, the Company
    expects:"), or ""."""
    if not (line.endswith(":") or line[-1:].isspace()):
        return ""  # (its last character is not a colon)
    text = line.strip()
    return text if text.endswith(":") and head_period(text) is not None else ""


def _carry(lines: list[str], number: int, table_lines: set[int], known=None) -> str:
    """The start of a sentence the line before leaves open (plain text wraps a sentence over lines:
    "For the fourth" / "quarter 2005, diluted earnings per share was less than 1 cent.");
    ``known``: the line before's sentences, when known (its trailing spaces start none)."""
    if number < 2 or number - 1 in table_lines:
        return ""
    before = lines[number - 2]
    if before[-1:].isspace():
        before = before.rstrip()
    if not before or before[-1] in ".!?:;" or "\t" in before:
        return ""
    return before[(known or _sentences(before))[-1][0]:][-200:].strip()


def rate_match(line: str) -> Optional[re.Match]:
    """The stated exchange rate a line holds first: the match of _RATE_TO or _RATE_FROM that starts
    first (they open with different letters, so never at one place; their groups are named alike)."""
    to, back = _RATE_TO.search(line), _RATE_FROM.search(line)
    return back if to is None or back is not None and back.start() < to.start() else to


def extract_facts(lines: list[str], table_lines: set[int]) -> dict[str, Fact]:
    """Typed statements: the stated exchange rate (RMB per USD) and the ADS ratio when stated."""
    facts: dict[str, Fact] = {}
    for number, line in enumerate(lines, start=1):
        if number in table_lines:
            continue
        if "exchange_rate" not in facts:  # (every match holds "US" and "RMB", "CNY" or "HK")
            match = rate_match(line) if "US" in line and ("RMB" in line or "CNY" in line or "HK" in line) \
                and _US_ONE.search(line) else None
            if match:
                rate = match["rate"]
                source = currency_code(match["from"])
                target = currency_code(match["to"])
                value, _ = to_decimal(rate)
                facts["exchange_rate"] = Fact(
                    "exchange_rate", value, match.group(0),
                    Span(number, match.start() + 1, match.end() + 1),
                    (("from", source), ("to", target)))
        if "ads_ratio" not in facts:
            low = line.lower()  # every match opens "each ad", "one ad", "each am" or "one am" (no letter of these
            match = _ADS_RATIO.search(line) if "each a" in low and ("each ad" in low or "each am" in low) or (  # folds
                "one a" in low and ("one ad" in low or "one am" in low)) else None  # in odd ways): skip the slow search
            if match:
                word = match["n"].lower()
                ratio = _WORD_NUMBERS.get(word) or (int(word) if word.isdigit() else None)
                if ratio:
                    facts["ads_ratio"] = Fact("ads_ratio", Decimal(ratio), match.group(0),
                                              Span(number, match.start() + 1, match.end() + 1))
    return facts
