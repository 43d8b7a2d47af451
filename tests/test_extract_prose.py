"""Prose extraction on the fixture: recall over the narrative (lines 51-178), what must never be
taken for a figure, and the value/unit/scale/period/phrase of chosen figures.

EXPECTED_PROSE was written by hand from reading the fixture, not from our extractor's output.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from audit.read.filing import ProsePeriod

# (line, text as printed) for every amount, percentage and count in fixture lines 51-178.
# Not figures (deliberately absent): footnote markers (^{*1}, ¹⁰, the leading "3 " of a footnote
# line), dates and years, names of terms ("90 day+ delinquency rate", "Day-1", "30-day
# collection rates"), the product name "360 Jietiao", and "(i)"/"(ii)".
EXPECTED_PROSE = [
    (53, "150"), (53, "214.5 million"), (53, "11.2%"), (53, "192.9 million"),
    (54, "46.0 million"), (54, "15.6%"), (54, "39.8 million"),
    (55, "27.7 million"), (55, "10.8%"), (55, "25.0 million"),
    (56, "14,302,153"), (56, "RMB109,456 million"), (56, "10.7%"), (56, "RMB98,833 million"),
    (57, "RMB61,342 million"), (57, "56.0%"), (57, "15.0%"), (57, "RMB53,327 million"),
    (58, "RMB171,302 million"), (58, "16.8%"), (58, "RMB146,720 million"),
    (59, "RMB104,523 million"), (59, "32.6%"), (59, "RMB78,804 million"),
    (60, "11.21"), (60, "10.99"),
    (61, "2.18%"),
    (62, "91.9%"),
    (68, "5,113,847"), (68, "9,188,306"),
    (72, "RMB4,894 million"),
    (74, "RMB 22,912 million"),
    (76, "180"),
    (78, "RMB7,406 million"), (78, "RMB37,807 million"),
    (80, "91"), (80, "180"),
    (86, "RMB3,599.2 million"), (86, r"US\$524.1 million"), (86, "RMB4,320.0 million"),
    (87, "RMB1,007.0 million"), (87, r"US\$146.6 million"), (87, "RMB1,359.3 million"),
    (88, "RMB1,053.5 million"), (88, r"US\$153.4 million"), (88, "RMB1,411.3 million"),
    (89, "28.0%"), (89, "29.3%"),
    (90, "RMB929.8 million"), (90, r"US\$135.4 million"), (90, "RMB1,174.4 million"),
    (91, "RMB976.3 million"), (91, r"US\$142.2 million"), (91, "RMB1,226.4 million"),
    (92, "RMB934.1 million"), (92, r"US\$136.0 million"), (92, "RMB1,179.5 million"),
    (93, "25.8%"), (93, "27.1%"),
    (97, "RMB109.5 billion"), (97, "10.7%"), (97, "4.7%"), (97, "56%"),
    (103, "RMB3.60 billion"), (103, "RMB976 million"), (103, "RMB9.0 billion"), (103, "RMB1.8 billion"),
    (105, "4.1%"),
    (115, "RMB3,599.2 million"), (115, r"US\$524.1 million"), (115, "RMB4,320.0 million"),
    (115, "RMB3,906.6 million"),
    (117, "RMB2,630.6 million"), (117, r"US\$383.0 million"), (117, "RMB2,920.6 million"),
    (117, "RMB2,776.7 million"),
    (119, "RMB311.2 million"), (119, r"US\$45.3 million"), (119, "RMB561.4 million"), (119, "RMB361.8 million"),
    (121, "RMB1,065.9 million"), (121, r"US\$155.2 million"), (121, "RMB789.2 million"),
    (121, "RMB1,002.1 million"),
    (123, "RMB1,209.8 million"), (123, r"US\$176.2 million"), (123, "RMB1,550.0 million"),
    (123, "RMB1,377.0 million"),
    (125, "RMB43.8 million"), (125, r"US\$6.4 million"), (125, "RMB20.0 million"), (125, "RMB35.8 million"),
    (127, "RMB968.6 million"), (127, r"US\$141.0 million"), (127, "RMB1,399.4 million"),
    (127, "RMB1,129.8 million"),
    (129, "RMB765.3 million"), (129, r"US\$111.4 million"), (129, "RMB1,098.9 million"), (129, "RMB955.6 million"),
    (131, "RMB108.5 million"), (131, r"US\$15.8 million"), (131, "RMB247.3 million"), (131, "RMB93.3 million"),
    (133, "RMB94.8 million"), (133, r"US\$13.8 million"), (133, "RMB53.2 million"), (133, "RMB80.9 million"),
    (135, "RMB2,592.1 million"), (135, r"US\$377.4 million"), (135, "RMB2,960.8 million"),
    (135, "RMB2,962.7 million"),
    (137, "RMB640.3 million"), (137, r"US\$93.2 million"), (137, "RMB614.9 million"), (137, "RMB585.6 million"),
    (139, "RMB159.0 million"), (139, r"US\$23.2 million"), (139, "RMB103.8 million"), (139, "RMB138.3 million"),
    (141, "RMB422.2 million"), (141, r"US\$61.5 million"), (141, "RMB552.6 million"), (141, "RMB415.2 million"),
    (143, "RMB104.9 million"), (143, r"US\$15.3 million"), (143, "RMB122.3 million"), (143, "RMB93.9 million"),
    (145, "RMB518.9 million"), (145, r"US\$75.6 million"), (145, "RMB491.2 million"), (145, "RMB481.4 million"),
    (147, "RMB68.8 million"), (147, r"US\$10.0 million"), (147, "RMB60.5 million"), (147, "RMB118.6 million"),
    (149, "RMB-2.2 million"), (149, r"US\$-0.3 million"), (149, "RMB53.6 million"), (149, "RMB67.3 million"),
    (151, "RMB680.3 million"), (151, r"US\$99.1 million"), (151, "RMB961.9 million"), (151, "RMB1,062.3 million"),
    (153, "RMB1,007.0 million"), (153, r"US\$146.6 million"), (153, "RMB1,359.3 million"),
    (153, "RMB943.9 million"),
    (155, "RMB1,053.5 million"), (155, r"US\$153.4 million"), (155, "RMB1,411.3 million"),
    (155, "RMB995.2 million"),
    (157, "28.0%"), (157, "29.3%"),
    (159, "RMB1,102.1 million"), (159, r"US\$160.5 million"), (159, "RMB1,390.8 million"),
    (159, "RMB1,024.8 million"),
    (161, "RMB929.8 million"), (161, r"US\$135.4 million"), (161, "RMB1,174.4 million"),
    (161, "RMB867.9 million"),
    (163, "RMB976.3 million"), (163, r"US\$142.2 million"), (163, "RMB1,226.4 million"),
    (163, "RMB919.3 million"),
    (165, "25.8%"), (165, "27.1%"),
    (167, "RMB934.1 million"), (167, r"US\$136.0 million"), (167, "RMB1,179.5 million"),
    (167, "RMB872.0 million"),
    (169, "RMB980.6 million"), (169, r"US\$142.8 million"), (169, "RMB1,231.6 million"),
    (169, "RMB923.4 million"),
    (171, "RMB5.64"), (171, r"US\$0.82"),
    (173, "RMB5.92"), (173, r"US\$0.86"),
    (175, "161.43 million"),
    (178, "165.61 million"),
]

NARRATIVE = range(51, 179)


def prose_in(filing, lines):
    return [f for f in filing.prose if f.span.line in lines]


def find(filing, line, text):
    found = [f for f in filing.prose if f.span.line == line and f.text == text]
    assert len(found) == 1, f"expected one figure {text!r} on line {line}, got {found}"
    return found[0]


def test_expected_list_is_printed_in_fixture(fixture_lines):
    """Guard the hand-written list itself: each text is really printed on its line, listed once."""
    assert len(EXPECTED_PROSE) == 182
    assert len(set(EXPECTED_PROSE)) == len(EXPECTED_PROSE)
    for line, text in EXPECTED_PROSE:
        assert line in NARRATIVE
        assert text in fixture_lines[line - 1], (line, text)


def test_prose_recall_at_least_95_percent(filing):
    got = [(f.span.line, f.text) for f in prose_in(filing, NARRATIVE)]
    remaining = list(got)
    hits, missed = 0, []
    for key in EXPECTED_PROSE:
        if key in remaining:
            remaining.remove(key)
            hits += 1
        else:
            missed.append(key)
    recall = hits / len(EXPECTED_PROSE)
    print(f"\nprose recall, fixture lines 51-178: {hits}/{len(EXPECTED_PROSE)} = {recall:.1%}; missed: {missed}")
    assert recall >= 0.95, f"recall {recall:.1%} below 95%; missed {missed}"


def test_prose_precision_on_narrative(filing):
    """Nothing outside the hand-written list is extracted from lines 51-178 (no false figures)."""
    expected = set(EXPECTED_PROSE)
    extra = [(f.span.line, f.text) for f in prose_in(filing, NARRATIVE) if (f.span.line, f.text) not in expected]
    assert not extra, f"extracted but not figures: {extra}"


def test_prose_spans_point_at_text(filing, fixture_lines):
    for fig in filing.prose:
        line = fixture_lines[fig.span.line - 1]
        assert line[fig.span.col - 1:fig.span.end_col - 1] == fig.text, fig
        assert type(fig.value) is Decimal


# -- what is never a figure ---------------------------------------------------------------

@pytest.mark.parametrize("line", [4, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 26, 30, 44, 49,
                                  64, 95, 107, 109, 111, 207, 211, 215, 221, 240, 246, 247, 251, 252])
def test_lines_without_figures(filing, fixture_lines, line):
    """Cover page (D.C. 20549, Rule 13a-16, Act of 1934, May 2023, Commission File Number
    001-38752, the address with 'No. 1217' and postcode 200122, Form 20-F, Exhibit 99.1), dates,
    footnote lines, the call time, URLs, e-mails and phone numbers."""
    found = [(f.text, f.span.col) for f in filing.prose if f.span.line == line]
    assert not found, f"line {line} {fixture_lines[line - 1]!r}: {found}"


def test_no_figures_before_the_highlights(filing):
    assert not [f for f in filing.prose if f.span.line < 53]


def test_footnote_line_leading_marker_not_a_figure(filing):
    """Line 68 is '3 Including 5,113,847 loans ...': the leading 3 is footnote 3's marker."""
    on_68 = [(f.span.col, f.text) for f in filing.prose if f.span.line == 68]
    assert on_68 == [(13, "5,113,847"), (52, "9,188,306")]
    assert all(f.unit == "loans" for f in filing.prose if f.span.line == 68)


@pytest.mark.parametrize("line", [64, 68, 70, 72, 76, 78, 80, 82, 180])
def test_footnote_numbers_at_line_start_skipped(filing, line):
    assert not [f for f in filing.prose if f.span.line == line and f.span.col == 1]


def test_markers_never_inside_figures(filing, fixture_lines):
    """No figure overlaps a ^{*n} or superscript footnote marker anywhere in the filing."""
    for fig in filing.prose:
        line = fixture_lines[fig.span.line - 1]
        for marker in re.finditer(r"\^\{\*?\d+\}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+", line):
            start, end = marker.start() + 1, marker.end() + 1
            assert not (fig.span.col < end and start < fig.span.end_col), (fig.text, marker.group())


def test_marker_after_figure_keeps_figure(filing):
    """'RMB109,456 million^{*4}' is one figure; the marker's 4 is not."""
    fig = find(filing, 56, "RMB109,456 million")
    assert fig.value == Decimal(109456)
    assert not [f for f in filing.prose if f.span.line == 56 and f.value in (3, 4)]


def test_dates_and_years_never_figures(filing, fixture_lines):
    years = {Decimal(y) for y in range(1990, 2031)}
    for fig in filing.prose:
        assert not (fig.kind == "count" and fig.value in years and fig.decimals == 0), fig
        line = fixture_lines[fig.span.line - 1]
        for date in re.finditer(r"(?:January|February|March|April|May|June|July|August|September|October|"
                                r"November|December) \d{1,2}(?:, \d{4})?", line):
            assert not (fig.span.col - 1 < date.end() and date.start() < fig.span.end_col - 1), fig


def test_terms_with_numbers_not_figures(filing):
    # '90 day+ delinquency rate', 'Day-1 delinquency rate', '30-day collection rates'
    assert not [f for f in filing.prose if f.span.line == 61 and f.text == "90"]
    assert [f.text for f in filing.prose if f.span.line == 105] == ["4.1%"]
    # '"360 Jietiao" APP' is a name
    assert [f.text for f in filing.prose if f.span.line == 72] == ["RMB4,894 million"]


# -- values, units, scales, periods, phrases -----------------------------------------------

@pytest.mark.parametrize("line,text,value,unit,scale,decimals,kind", [
    (86, "RMB3,599.2 million", "3599.2", "RMB", 6, 1, "amount"),
    (86, r"US\$524.1 million", "524.1", "USD", 6, 1, "amount"),
    (149, "RMB-2.2 million", "-2.2", "RMB", 6, 1, "amount"),
    (149, r"US\$-0.3 million", "-0.3", "USD", 6, 1, "amount"),
    (89, "28.0%", "28.0", "%", -2, 1, "percent"),
    (61, "2.18%", "2.18", "%", -2, 2, "percent"),
    (97, "56%", "56", "%", -2, 0, "percent"),
    (103, "RMB9.0 billion", "9.0", "RMB", 9, 1, "amount"),
    (103, "RMB3.60 billion", "3.60", "RMB", 9, 2, "amount"),
    (103, "RMB976 million", "976", "RMB", 6, 0, "amount"),
    (74, "RMB 22,912 million", "22912", "RMB", 6, 0, "amount"),
    (56, "14,302,153", "14302153", "loans", 0, 0, "count"),
    (175, "161.43 million", "161.43", "count", 6, 2, "count"),
    (60, "11.21", "11.21", "months", 0, 2, "count"),
    (53, "150", "150", "financial institutional partners", 0, 0, "count"),
    (53, "214.5 million", "214.5", "consumers", 6, 1, "count"),
    (171, "RMB5.64", "5.64", "RMB", 0, 2, "amount"),
])
def test_figure_value_unit_scale(filing, line, text, value, unit, scale, decimals, kind):
    fig = find(filing, line, text)
    assert type(fig.value) is Decimal
    assert fig.value == Decimal(value)
    assert str(fig.value) == value  # printed precision kept: 4,320.0 stays 4320.0
    assert (fig.unit, fig.scale, fig.decimals, fig.kind) == (unit, scale, decimals, kind)


def test_base_value_applies_scale(filing):
    assert find(filing, 86, "RMB3,599.2 million").base_value == Decimal("3599200000")
    assert find(filing, 103, "RMB9.0 billion").base_value == Decimal("9000000000")
    assert find(filing, 89, "28.0%").base_value == Decimal("0.280")


def test_scale_words_recorded(filing):
    assert find(filing, 86, "RMB3,599.2 million").scale_word == "million"
    assert find(filing, 103, "RMB9.0 billion").scale_word == "billion"
    assert find(filing, 171, "RMB5.64").scale_word is None


@pytest.mark.parametrize("line,text,period", [
    (86, "RMB3,599.2 million", ProsePeriod("current")),
    (86, r"US\$524.1 million", ProsePeriod("current")),
    (86, "RMB4,320.0 million", ProsePeriod("year", year=2022)),
    (115, "RMB3,906.6 million", ProsePeriod("prior_quarter")),
    (119, "RMB361.8 million", ProsePeriod("prior_quarter")),
    (119, "RMB561.4 million", ProsePeriod("year", year=2022)),
    (53, "192.9 million", ProsePeriod("prior_year")),
    (97, "4.7%", ProsePeriod("prior_quarter")),
])
def test_period_hints(filing, line, text, period):
    assert find(filing, line, text).period == period


def test_as_of_period(filing):
    fig = find(filing, 58, "RMB146,720 million")
    assert fig.period.kind == "instant"
    assert fig.period.date.isoformat() == "2022-03-31"
    assert find(filing, 58, "RMB171,302 million").period.date.isoformat() == "2023-03-31"


@pytest.mark.parametrize("line,text,phrase", [
    (86, "RMB3,599.2 million", "Total net revenue was"),
    (86, "RMB4,320.0 million", "Total net revenue was"),
    (115, "RMB3,906.6 million", "Total net revenue was"),
    (89, "28.0%", "Operating margin was"),
    (89, "29.3%", "Non-GAAP operating margin was"),
    (157, "29.3%", "Non-GAAP operating margin was"),
    (121, "RMB1,065.9 million", "Financing income was"),
    (88, "RMB1,053.5 million", "Non-GAAP income from operations was"),
])
def test_phrases(filing, line, text, phrase):
    assert find(filing, line, text).phrase == phrase


def test_context_between_figures(filing):
    assert find(filing, 86, "RMB4,320.0 million").context == "), compared to"


def test_same_sentence_figures_share_sentence_index(filing):
    a, b, c = (find(filing, 86, t) for t in ("RMB3,599.2 million", r"US\$524.1 million", "RMB4,320.0 million"))
    assert a.sentence == b.sentence == c.sentence
    first, second = find(filing, 89, "28.0%"), find(filing, 89, "29.3%")
    assert second.sentence == first.sentence + 1


# -- facts ------------------------------------------------------------------------------------

def test_exchange_rate_fact(filing):
    rate = filing.facts["exchange_rate"]
    assert rate.value == Decimal("6.8676")
    assert type(rate.value) is Decimal
    assert rate.span.line == 231
    assert rate.text == r"RMB6.8676 to US\$1.00"
    assert dict(rate.attrs) == {"from": "RMB", "to": "USD"}


def test_exchange_rate_figures_are_rates(filing):
    on_231 = [f for f in filing.prose if f.span.line == 231]
    assert [(f.text, f.kind) for f in on_231] == [("RMB6.8676", "rate"), (r"US\$1.00", "rate")]
    assert on_231[0].value == Decimal("6.8676") and on_231[0].decimals == 4


def test_no_ads_ratio_in_fixture(filing):
    assert "ads_ratio" not in filing.facts


# -- the line reader's fast paths agree with the plain definitions ---------------------------------
# prose_scan finds a line's date and marker spans only near a number one may fall on (masks.near,
# footnote, Spans); prose_line looks at what a sentence's words can name once per sentence. These
# read odd text both ways: with every line's spans found (as a line with a URL has them) and with
# every sentence's words looked at for each figure (as a line with "xRMB5" has them).

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from audit.read import masks, prose_line, prose_scan  # noqa: E402
from audit.read.prose import _superscript_runs, footnote_numbers  # noqa: E402
from audit.read.prose_periods import Calendar, FiscalYear  # noqa: E402

LINE_TOKENS = [
    " ", "  ", "\t", "\u00a0", ".", ". ", ", ", ";", ":", "(", ")", "-", "“", "”", "$", "%", "*", "{", "}", "+", "–",
    "5", "12", "31", "2023", "1,234.5", "10.7%", "RMB", "US$", "US\\$", "(US$", "RMB3.20 billion", "$(1.80)", "5 cents",
    "March 31, 2023", "May 2023", "JUNE 30", "june 5", "Jan. 25", "Sept. 30", "Auguſt 3", "8:30 PM", "12:00", "1 p.m.",
    "001-38752", "(212) 555-1234", "+1 650", "(1)", "^{*1}", "^{12}", "^{*12} ", "¹⁰", "³", "iPhone 17", "eCommerce 5",
    "RMB'000", "No. 5", "Form 20", "360 Group", "2407 W. 24th St.", "ir@x.com", "http://x.y/1", "6. The",
    "The ", "was ", "were ", "in the same period of 2022", " in the prior quarter", " for the full year", " six months",
    " first half", " H1", " 39-week", " weeks", "For the second quarter of 2025, ", "As of June 30, 2025, ", " from ",
    " compared to ", " increased ", "sales increased ", " these loans ", " respectively", " and 2024", "xRMB5",
]
odd_line = st.lists(st.sampled_from(LINE_TOKENS), max_size=30).map("".join)
CAL = Calendar(3, (2025, 1, __import__("datetime").date(2025, 3, 31)), FiscalYear())


def _read(line, follow=""):
    return prose_line.figures_in_line(7, line, {1, 5, 12}, 3, follow, "For the fourth", CAL)


@settings(max_examples=300, deadline=None)
@given(line=odd_line)
def test_spans_found_near_a_number_are_those_of_the_whole_line(line):
    fast = _read(line)
    anywhere = masks.anywhere
    masks.anywhere = lambda text: True  # every line's spans found first, as a line with a URL has them
    try:
        assert _read(line) == fast, line
    finally:
        masks.anywhere = anywhere


@settings(max_examples=300, deadline=None)
@given(line=odd_line)
def test_a_sentence_read_once_reads_as_each_figure_alone(line):
    fast = _read(line)
    numbers = prose_line.numbers
    prose_line.numbers = lambda *args: (numbers(*args)[0], True)  # as if a currency followed a letter
    try:
        assert _read(line) == fast, line
    finally:
        prose_line.numbers = numbers


@settings(max_examples=300, deadline=None)
@given(line=odd_line)
def test_spans_from_the_last_barrier_are_the_line_spans(line):
    if masks.anywhere(line):
        return
    whole = [m.span() for m in masks.NOT_FIGURES.finditer(line)]
    spans = masks.Spans(line)
    for match in prose_scan._NUMBER.finditer(line):
        start, end = match.span(4)
        covered = any(a < end and start < b for a, b in whole)
        assert spans.cover(start, end) == covered, (line, start)
        if masks.footnote(line, start, end):
            assert covered, (line, start)


def test_superscript_runs_and_footnote_numbers():
    text = "a¹⁰ b³ ^{*4} ^{05} ⁰⁰⁷x ⁵"
    assert _superscript_runs(text) == masks._SUPERSCRIPT_RUN.findall(text)
    assert footnote_numbers([text, "¹²"]) == {10, 3, 4, 5, 7, 12}
