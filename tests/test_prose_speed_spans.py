"""prose_periods looks for the phrases naming a length of period in a sentence's words in lower case
(_SPAN_WORDS_LOWER, _ANY_SPAN_LOWER, searched as written: faster than case-insensitive patterns) when
str.lower() folds its letters as case-insensitive matching does: the same answers as the patterns."""
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.read import prose_periods as pp

TOKENS = ["full year", "FULL-YEAR", "Fiscal Year", "for the year", "Year Ended", "twelve months", "NINE MONTHS",
          "first three quarters", "six months", "First Half", "half-year", "Half year", "H1", "h1", "xH1", "H1x",
          "half-years", "_", "years", "year", "month", "quarter", "half", "39-week", "ſix months", "fıscal year",
          "FİRST HALF", "\u212a", "\u00e9", "\u2014", " ", "-", ",", "x", "1"]
text = st.lists(st.sampled_from(TOKENS), max_size=8).map("".join)


def months_reference(words):
    for pattern, months in pp._SPAN_WORDS:
        if pattern.search(words):
            return months
    weeks = pp._WEEKS.search(words) if "eek" in words else None
    return pp.SPAN_MONTHS[weeks.group(1).lower()] if weeks else None


@settings(max_examples=1500, deadline=None)
@given(words=text)
def test_phrases_found_in_lower_case_are_those_the_patterns_find(words):
    assert pp.months_named(words) == months_reference(words), words
    assert pp.names_no_span(words) == ("eek" not in words and pp._ANY_SPAN.search(words) is None), words
    low = pp._lowered(words)
    if low is not None:
        assert (pp._ANY_SPAN_LOWER.search(low) is None) == (pp._ANY_SPAN.search(words) is None), words
