"""Which period and which item a prose figure speaks of, beyond the fixture's phrasing:
period words after a run of joined figures, per-share amounts beside totals, fiscal calendars
of 52 or 53 weeks, note markers and page numbers; quarters and months named in words."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.diagnose import audit
from audit.lang.grammar import parse
from audit.lang.graph import compile_rules
from audit.read import prose_periods as pp
from audit.read.extract import extract
from audit.read.filing import ProsePeriod

FILING = """Example Retailer Reports Third Quarter Results

Net income for the third quarter of fiscal 2024 was $44.2 million, or $0.89 per share ($0.88 per share on a diluted basis), compared with net income of $51.8 million, or $1.05 per share ($1.04 per share on a diluted basis) for the third quarter of fiscal 2023.

(1) Derived from audited financial statements.

12

CONDENSED STATEMENTS OF INCOME
(Amounts in Thousands Except Per Share Amounts)

\tThirteen Weeks Ended\tThirteen Weeks Ended
\tNovember 2, 2024 USD\tOctober 28, 2023 USD
Net sales\t293,618\t303,457
Cost of sales\t(153,547)\t(156,242)
Gross profit\t140,071\t147,215
Net income\t44,172\t51,762
Earnings per share:\t\t
Basic\t0.89\t1.05
"""

RULES = """
table ops = "Statements of Income"
rule OPS-1 "Gross profit = net sales + cost of sales":
    ops["Gross profit"] = ops["Net sales"] + ops["Cost of sales"]
rule NR-1 "Net income in the prose, this year and last":
    prose["Net income for the third quarter of fiscal 2024 was"] restates ops["Net income"]
rule NR-2 "Last year's net income in the prose":
    prose["compared with net income of"] restates ops["Net income"]
rule NR-3 "Basic EPS in the prose":
    prose["Net income for the third quarter of fiscal 2024 was" / "or"] restates ops["Basic"]
rule NR-4 "Last year's basic EPS in the prose":
    prose["compared with net income of" / "or"] restates ops["Basic"]
"""


def run(text=FILING):
    return audit(compile_rules([parse(RULES, "r.rules")]), extract(text, "q3.txt"))


def test_period_words_after_joined_figures_speak_for_all_of_them():
    filing = extract(FILING, "q3.txt")
    periods = {f.text: f.period for f in filing.prose}
    assert periods["$44.2 million"].kind == "current"
    assert periods["$0.89"].kind == "current"
    for text in ("$51.8 million", "$1.05", "$1.04"):
        assert (periods[text].kind, periods[text].year) == ("year", 2023), text


def test_note_markers_and_page_numbers_are_not_figures():
    texts = [f.text for f in extract(FILING, "q3.txt").prose]
    assert "(1)" not in texts and "1" not in texts and "12" not in texts


def test_a_result_row_is_never_an_item_of_a_group():
    [table] = extract(FILING, "q3.txt").tables
    assert not any(r.is_group for r in table.rows)  # net sales = cost of sales + gross profit, numerically


def test_fiscal_weeks_align_the_prior_year_to_the_nearest_column():
    result = run()
    by_rule = {}
    for f in result.findings:
        by_rule.setdefault(f.rule.id, []).append(f)
    assert [f.status for f in by_rule["OPS-1"]] == ["pass", "pass"]
    prior = by_rule["NR-2"]
    assert [f.status for f in prior] == ["pass"]
    assert {g.text for g in prior[0].figures} == {"$51.8 million", "51,762"}  # October 28, 2023, not November 2


def test_a_per_share_amount_is_not_a_restatement_of_the_total_beside_it():
    result = run()
    nr1 = [f for f in result.findings if f.rule.id == "NR-1"]
    assert [(f.status, [g.text for g in f.figures]) for f in nr1] == [("pass", ["$44.2 million", "44,172"])]
    eps = [f for f in result.findings if f.rule.id in ("NR-3", "NR-4")]
    assert [f.status for f in eps] == ["pass", "pass"]
    assert {g.text for f in eps for g in f.figures} >= {"$0.89", "0.89", "$1.05", "1.05"}


def test_a_wrong_prior_year_figure_fails():
    result = run(FILING.replace("$51.8 million", "$52.8 million"))
    failed = {f.rule.id for f in result.findings if f.status == "fail"}
    assert failed == {"NR-2"}


# -- periods named by a quarter or a month (issue 14, family 8) ------------------------------------

QUARTER_TABLE = """UNAUDITED CONDENSED STATEMENTS OF OPERATIONS
(In thousands of RMB)

\tFor the Three Months Ended\tFor the Three Months Ended
\tMarch 31, 2024\tMarch 31, 2025
Total revenues\t6,546,826\t15,812,226
"""


def prose_periods(text: str) -> dict[str, object]:
    return {f.text: f.period for f in extract(text, "release.txt").prose}


def test_guidance_under_a_lead_in_is_for_the_quarter_it_names():
    got = prose_periods("Business Outlook\n\nFor the second quarter of 2025, the Company expects:\n\n"
                        "•  Deliveries of vehicles to be between 102,000 and 108,000, representing a year-over-year "
                        "increase of approximately 237.7% to 257.5%.\n\n"
                        "•  Total revenues to be between RMB17.5 billion and RMB18.7 billion.\n\n"
                        "Total revenues were RMB15.81 billion for the first quarter of 2025.\n\n" + QUARTER_TABLE)
    q2 = ProsePeriod("dated", year=2025, date=dt.date(2025, 6, 30), months=3)
    for text in ("102,000", "108,000", "237.7%", "257.5%", "RMB17.5 billion", "RMB18.7 billion"):
        assert got[text] == q2, text
    assert got["RMB15.81 billion"].kind == "year"  # the release's own quarter: as before
    assert q2.label() == "3M to 2025-06-30"


def test_a_list_after_a_lead_in_without_a_period_stays_current():
    got = prose_periods("Highlights:\n\n•  Revenues were RMB15.81 billion.\n\n" + QUARTER_TABLE)
    assert got["RMB15.81 billion"].kind == "current"


def test_the_quarter_before_the_release_s_own_is_the_prior_quarter():
    got = prose_periods("Total revenues were RMB15.81 billion for the first quarter of 2025, an increase of 7.9% "
                        "from RMB14.65 billion for the fourth quarter of 2024.\n\n" + QUARTER_TABLE)
    assert got["RMB14.65 billion"] == ProsePeriod("prior_quarter")


def test_a_named_quarter_without_dated_tables_keeps_its_year():
    got = prose_periods("Revenues were $10.2 million for the second quarter of 2025.\n")
    assert (got["$10.2 million"].kind, got["$10.2 million"].year) == ("year", 2025)


def test_a_month_and_year_name_that_month():
    got = prose_periods("Total deliveries were 30,453 vehicles in February 2025.\n"
                        "In March 2025, the Company delivered 15,570 vehicles.\n" + QUARTER_TABLE)
    assert got["30,453"] == ProsePeriod("dated", year=2025, date=dt.date(2025, 2, 28), months=1)
    assert got["15,570"] == ProsePeriod("dated", year=2025, date=dt.date(2025, 3, 31), months=1)


# -- the quick looks before the period searches agree with the plain searches ------------------------
# prose_periods.py looks for a pattern's words (in lower case) before searching for it; these
# compare it with searching every pattern, on odd text (case, folded letters such as ſ and İ).

PERIOD_TOKENS = ["as of ", "AS AT ", "aſ of ", "June 30, 2025", "same period of 2024", "ſame quarter in 2023",
                 "a year ago", "prior year", "PRİOR YEAR", "sequentially", "quarter-over-quarter", "last quarter",
                 "for the second quarter of 2025", "third fiscal quarter of fiscal 2024", "in February 2025",
                 "vehicles in March 2025", " in 2006", "for fiscal 2024", "ended October 28, 2023", "six months",
                 "H1", "first half", "full-year", "nine months", "first three quarters", "39-week", "weeks",
                 "twelve monthſ", "year", " ", ", ", "x", "2025", "1999", "For ", "In "]
period_text = st.lists(st.sampled_from(PERIOD_TOKENS), max_size=8).map("".join)


def reference_period_after(tail, months=None, cal=None):
    """period_after as it reads without its quick looks: every pattern searched."""
    as_of = pp._AS_OF.search(tail)
    if as_of:
        try:
            when = dt.date(int(as_of.group(3)), pp.MONTHS[as_of.group(1).lower()], int(as_of.group(2)))
            return ProsePeriod("instant", year=when.year, date=when)
        except ValueError:
            pass
    same = pp._SAME_PERIOD.search(tail)
    if same:
        return ProsePeriod("year", year=int(same.group(1)), months=months)
    bare = pp._IN_YEAR.match(tail)
    if bare:
        return ProsePeriod("year", year=int(bare.group(1)), months=months or 12)
    month = pp._IN_MONTH.match(tail)
    if month:
        return pp._month(month.group(1), month.group(2))
    if pp._YEAR_AGO.search(tail):
        return ProsePeriod("prior_year", months=months)
    if pp._PRIOR_QUARTER.search(tail):
        return ProsePeriod("prior_quarter")
    named = pp._OF_YEAR.search(tail)
    if named:
        year = int(named.group(1) or named.group(2))
        nth = pp._ORDINAL_BEFORE.search(tail, 0, named.start()) if named.group(1) and named.group(0)[:1] in "qQ" else None
        quarter = pp._named_quarter(year, pp._ORDINAL[nth.group(1).lower()], cal) if nth else None
        return quarter or ProsePeriod("year", year=year, months=months)
    return ProsePeriod("current", months=months)


def reference_months(text):
    for pattern, months in pp._SPAN_WORDS:
        if pattern.search(text):
            return months
    weeks = pp._WEEKS.search(text) if "eek" in text else None
    return pp.SPAN_MONTHS[weeks.group(1).lower()] if weeks else None


CAL = pp.Calendar(3, (2025, 1, dt.date(2025, 3, 31)), pp.FiscalYear())


@settings(max_examples=400, deadline=None)
@given(text=period_text)
def test_quick_looks_agree_with_searching_every_pattern(text):
    for months in (None, 3, 12):
        assert pp.period_after(text, months, CAL) == reference_period_after(text, months, CAL), text
    assert pp.months_named(text) == reference_months(text), text
    if pp._HEAD_PERIOD.match(" ".join(text.split())):  # head_period looks at the first word before joining
        assert pp._OPENING.match(text), text


def test_a_dated_period_is_the_column_it_names_whatever_the_tables_latest():
    """'in February 2025', a quarter named ahead: check.resolve.concrete() gives the period itself,
    so a rule on such a figure looks for that column (before, none was ever found)."""
    from audit.check.resolve import concrete
    from audit.read.filing import Period

    table = extract(FILING, "t.txt").tables[0]  # its latest column: the 13 weeks to 2024-11-02
    month = concrete(table, ProsePeriod("dated", year=2025, date=dt.date(2025, 2, 28), months=1))
    quarter = concrete(table, ProsePeriod("dated", year=2025, date=dt.date(2025, 6, 30), months=3))
    assert month == Period(end=dt.date(2025, 2, 28), start=dt.date(2025, 2, 1)) and month.months == 1
    assert quarter == Period(end=dt.date(2025, 6, 30), start=dt.date(2025, 4, 1)) and quarter.months == 3


# -- what a sentence's words can name, looked at once per sentence ---------------------------------

@settings(max_examples=400, deadline=None)
@given(text=period_text)
def test_a_sentence_naming_no_span_has_no_part_naming_one(text):
    if not pp.names_no_span(text):
        return
    word = lambda c: c.isalnum() or c == "_"  # noqa: E731
    for k in range(len(text) + 1):
        if 0 < k < len(text) and word(text[k - 1]) and word(text[k]):
            continue  # (parts end where a word does)
        assert pp.months_named(text[:k]) is None, (text, k)
        if k == 0 or not word(text[k - 1]):
            assert pp.months_named(text[k:]) is None, (text, k)


def test_an_impossible_date_in_a_respectively_list_dates_nothing_and_is_no_error():
    """'As of June 31, 2025 and 2024, respectively' (a misprint) used to stop the read with an
    internal error; the figures are read, undated by it."""
    text = ("Example Corp Reports Results\n\nCash was $5.0 million and $4.0 million as of June 31, 2025 and 2024, "
            "respectively.\nDebt was $3.0 million and $2.0 million as of June 30, 2025 and 2024, respectively.\n")
    figures = extract(text, "misprint.txt").prose
    by_text = {f.text: f for f in figures}
    assert set(by_text) == {"$5.0 million", "$4.0 million", "$3.0 million", "$2.0 million"}
    dated = [f for f in figures if f.period is not None and f.period.kind == "instant"]
    assert [f.period.date for f in dated] == [dt.date(2025, 6, 30), dt.date(2024, 6, 30)]
