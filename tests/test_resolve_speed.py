"""resolve.norm takes an ASCII label that ends in no colon nor footnote marker the short way (its words
joined by one space, in lower case), and prose_text.normalise_anchor an ASCII anchor: the same texts as the
general normalisation; resolve._shift_months counts a month's days without calendar.monthrange: the same days."""
import calendar
import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.check import resolve
from audit.check.prose_text import normalise_anchor
from audit.read.numbers import plain_text

TOKENS = ["Revenue", "net", "TOTAL", "Other, net", " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f",
          ":", "*", "**", "(A)", "(a)", "(1)", "(12)", "(123)", ")", "(", "\u00b9", "\u2070", "\u2020", "\u2021",
          "\u00a0", "\u2014", "\u2019", "\u201c", "\u212a", "\u00df", "\u0130", "x", "1", "-", "'", "\x85", "\u3000"]
text = st.lists(st.sampled_from(TOKENS), max_size=10).map("".join)


def norm_reference(text: str) -> str:
    text = re.sub(r"\s+", " ", plain_text(text)).strip()
    text = text.rstrip(":").strip()
    text = resolve._MARKERS.sub("", text) or text
    return text.rstrip(":").strip().casefold()


@settings(max_examples=3000, deadline=None)
@given(label=text)
def test_norm_is_the_general_normalisation(label):
    assert resolve.norm.__wrapped__(label) == norm_reference(label), repr(label)


def test_norm_of_every_ascii_character():
    for code in range(128):
        for label in (chr(code), f"A{chr(code)}", f"a {chr(code)}b", f"Total{chr(code)}{chr(code)}"):
            assert resolve.norm.__wrapped__(label) == norm_reference(label), repr(label)


def shift_reference(day, months):
    def month_end(year, month):
        return dt.date(year, month, calendar.monthrange(year, month)[1])

    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    if day == month_end(day.year, day.month):
        return month_end(year, month)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@settings(max_examples=3000, deadline=None)
@given(day=st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2399, 12, 31)),
       months=st.integers(min_value=-240, max_value=240))
def test_shift_months_is_calendars(day, months):
    assert resolve._shift_months(day, months) == shift_reference(day, months)


@settings(max_examples=2000, deadline=None)
@given(words=text)
def test_normalise_anchor_is_the_general_normalisation(words):
    assert normalise_anchor.__wrapped__(words) == re.sub(r"\s+", " ", plain_text(words)).strip(), repr(words)
