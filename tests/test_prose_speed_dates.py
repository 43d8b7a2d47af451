"""prose_scan's shortcut for a date's day ("March 31") agrees with the spans masks finds in the whole line."""
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.read import masks, prose_scan

TOKENS = [
    " ", "  ", "\t", "\u00a0", ".", ", ", ",", ";", ":", "(", ")", "-", "$", "%", "*", "_", "^{", "}", "+", "'",
    "5", "12", "31", "2023", "1,234.5", "RMB", "US$", "May", "March", "June", "December", "JUNE", "june", "Jan.",
    "AM", "PM", "8:30", "8:30 AM", "AMay", "PMay", "eMay", "iPhone", "e", "x", "Dismay", "Mayday", "1 p.m.",
    "+1 650", "://", "@", "'000", "³", "^{*1}", "(1)", "555-1234", "6. ", "As of ", "on ", "ended ",
]
odd_line = st.lists(st.sampled_from(TOKENS), max_size=25).map("".join)
dated_line = st.tuples(st.lists(st.sampled_from(TOKENS), max_size=6).map("".join),
                       st.sampled_from(["May", "March", "September", "JUNE"]),
                       st.sampled_from([" ", "  ", "\t", "\u00a0", " \u2003"]),
                       st.sampled_from(["5", "31", "123", "2023"]),
                       st.lists(st.sampled_from(TOKENS), max_size=4).map("".join)).map("".join)


def _covered(line: str, at: int) -> bool:
    return any(a <= at < b for a, b in (m.span() for m in masks.NOT_FIGURES.finditer(line)))


@settings(max_examples=500, deadline=None)
@given(line=st.one_of(odd_line, dated_line))
def test_a_day_after_a_month_is_in_a_span(line):
    if masks.anywhere(line):
        return  # (prose_scan asks only where anywhere finds nothing)
    for at, ch in enumerate(line):
        if ch.isdigit() and prose_scan._month_day(line, at):
            assert _covered(line, at), (line, at)
            assert masks.Spans(line).cover(at, at + 1), (line, at)


def test_month_days():
    assert prose_scan._month_day("As of March 31, 2023", 12)
    assert prose_scan._month_day("May  18", 5)
    assert not prose_scan._month_day("Dismay 18", 7)
    assert not prose_scan._month_day("8:30 AMay 18", 10)
    assert not prose_scan._month_day("March31", 5)
    assert not prose_scan._month_day("in 2023 18", 8)
