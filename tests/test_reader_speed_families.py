"""Reader families of issue 14 written for the purpose (no real filing): prose figures listed
against dates "respectively", weighted averages "as of" a date (a period, not an instant), and
shares counted in words ("the number of ... shares ... was N")."""
from __future__ import annotations

import datetime as dt

from audit.read.extract import extract

TEXT = """Example Holdings Announces Results

The number of options outstanding was 12,000 and 9,500 as of March 31, 2025 and 2024, respectively. The weighted-average numbers of non-vested RSUs excluded from the calculation were 3,072,605 and 2,762,553 as of March 31, 2025 and 2024, respectively. The number of contingently issuable shares excluded is between nil and 1,276,521, between nil and 2,967,573, as of March 31, 2025 and 2024, respectively.

The Company served 70,000 customers and 1,200 partners as of March 31, 2025.
"""


def _prose(text: str = TEXT) -> dict[str, object]:
    return {f.text: f for f in extract(text, "respectively.txt").prose}


def test_respectively_gives_each_figure_its_own_date():
    figs = _prose()
    assert figs["1,276,521"].period.date == dt.date(2025, 3, 31)
    assert figs["2,967,573"].period.kind == "instant"
    assert figs["2,967,573"].period.date == dt.date(2024, 3, 31)


def test_a_weighted_average_as_of_a_date_is_the_period_ending_on_it():
    figs = _prose()
    assert (figs["3,072,605"].period.kind, figs["3,072,605"].period.year) == ("year", 2025)
    assert (figs["2,762,553"].period.kind, figs["2,762,553"].period.year) == ("year", 2024)


def test_shares_counted_in_words_are_shares():
    figs = _prose()
    for text in ("3,072,605", "2,762,553", "1,276,521", "2,967,573"):
        assert (figs[text].unit, figs[text].kind) == ("shares", "shares"), text
    assert figs["12,000"].kind == "count"  # options are not shares
    assert (figs["70,000"].unit, figs["70,000"].kind) == ("customers", "count")


def test_figures_of_different_measures_are_not_one_list():
    figs = _prose("Example Holdings\n\nRevenue was $5.0 million and 12 stores opened as of March 31, 2025 and 2024, "
                  "respectively.\n")
    assert figs["$5.0 million"].period.kind == "current"


HEADS = """Example Holdings Announces Results

As of June 30, 2025, the Group's bank loans amounted to RMB3.20 billion in aggregate. The effective interest rate of these loans was 2.09% per annum. Revenue grew 4.0%.

Diluted earnings per share was 2 cents for the quarter. For the fourth
  quarter 2005, diluted earnings per share was less than 1 cent.
"""


def test_opening_words_of_a_sentence_name_its_period():
    figs = _prose(HEADS)
    assert figs["RMB3.20 billion"].period.date == dt.date(2025, 6, 30)
    one = figs["1 cent"].period
    assert (one.kind, one.year, one.months) == ("year", 2005, 3)  # the sentence opens on the line before


def test_a_sentence_about_these_items_speaks_of_the_period_before():
    figs = _prose(HEADS)
    assert figs["2.09%"].period.date == dt.date(2025, 6, 30)
    assert figs["4.0%"].period.kind == "current"  # no back-reference: its own period


RUN = """Example Power Announces Results

Kilowatt-hour sales to retail customers increased 1.4 percent in 2006, compared with 2005. Residential energy sales increased 2.5 percent. Industrial energy sales declined 0.2 percent. Fuel costs rose 3.0 percent.
"""


def test_a_run_of_changes_of_one_measure_speaks_of_the_period_of_the_first():
    figs = _prose(RUN)
    for text in ("2.5 percent", "0.2 percent"):
        period = figs[text].period
        assert (period.kind, period.year, period.months) == ("year", 2006, 12), text
    assert figs["3.0 percent"].period.kind == "current"  # another measure: no shared subject word


YTD = """Example Power Announces Results

For year-to-date 2005, diluted earnings per share was 1 cent.

INCOME STATEMENT
\tThree Months Ended December 31, 2006\tYear Ended December 31, 2006
Operating revenues\t3,150\t14,356
Net income\t200\t1,573
"""


def test_year_to_date_is_as_long_as_the_tables_year_to_date():
    period = _prose(YTD)["1 cent"].period
    assert (period.kind, period.year, period.months) == ("year", 2005, 12)
