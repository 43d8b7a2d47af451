"""Retail (52/53-week) calendars and subtotals printed without a label, on the Buckle exhibit
and on small tables written for the purpose."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT

from audit.diagnose import audit
from audit.lang.grammar import parse
from audit.lang.graph import compile_rules
from audit.read.extract import extract
from audit.read.filing import Period

BUCKLE = ROOT.parent / "shared" / "filings" / "buckle-8k-ex99-1-2024-11-22.htm"


@pytest.fixture(scope="module")
def buckle():
    return extract(BUCKLE.read_text(encoding="utf-8"), str(BUCKLE))


def test_week_columns_start_the_day_after_the_weeks_before_their_end(buckle):
    ops = buckle.tables[0]
    assert [(c.period.start, c.period.end, c.period.months) for c in ops.columns] == [
        (dt.date(2024, 8, 4), dt.date(2024, 11, 2), 3),     # 13 weeks
        (dt.date(2023, 7, 30), dt.date(2023, 10, 28), 3),
        (dt.date(2024, 2, 4), dt.date(2024, 11, 2), 9),     # 39 weeks: the fiscal year began Feb 4
        (dt.date(2023, 1, 29), dt.date(2023, 10, 28), 9),
    ]


@pytest.mark.parametrize("start, end, months", [
    ((2023, 1, 1), (2023, 3, 31), 3), ((2023, 2, 1), (2023, 2, 28), 1), ((2023, 1, 1), (2023, 12, 31), 12),
    ((2024, 1, 1), (2024, 6, 30), 6), ((2024, 2, 4), (2025, 2, 1), 12), ((2023, 1, 29), (2024, 2, 3), 12),
])
def test_months_of_calendar_and_week_periods(start, end, months):
    assert Period(end=dt.date(*end), start=dt.date(*start)).months == months


def test_start_of_the_thirty_nine_weeks_is_the_fiscal_year_end_balance_sheet(buckle):
    rules = '''
table ops = "Consolidated Statements of Income"
table bs = "Consolidated Balance Sheets"
rule T-001 "Opening cash is printed" columns all:
    bs["Cash and cash equivalents"] @start > 0
'''
    result = audit(compile_rules([parse(rules, "t.rules")]), buckle)
    assert [f.status for f in result.findings] == ["pass"] * 3
    used = {(f.figures[0].text, f.figures[0].column.period.end) for f in result.findings}
    assert ("$268,213", dt.date(2024, 2, 3)) in used  # 39 weeks ended Nov 2, 2024 start Feb 4, 2024


def test_unlabeled_subtotals_close_their_section(buckle):
    ops, bs = buckle.tables
    by_line = {r.span.line: r for t in (ops, bs) for r in t.rows}
    expenses = by_line[53]
    assert expenses.label == "" and expenses.is_total and expenses.section == ("OPERATING EXPENSES:",)
    assert by_line[54].label == "INCOME FROM OPERATIONS" and by_line[54].section == ()
    assert by_line[82].label == "" and by_line[82].is_total


TABLE = """Statements of Operations
(in thousands)
\tThree months ended March 31, 2024\tThree months ended March 31, 2023
Revenue\t1,000\t900
OPERATING EXPENSES:\t\t
Selling\t300\t250
General and administrative\t200\t150
\t{total}
Income from operations\t500\t500
"""


def test_an_unlabeled_row_that_foots_its_items_is_their_total():
    table = extract(TABLE.format(total="500\t400"), "t.txt").tables[0]
    rows = {r.span.line: r for r in table.rows}
    assert rows[8].is_total and rows[8].section == ("OPERATING EXPENSES:",)
    assert rows[9].section == ()


def test_an_unlabeled_row_that_does_not_foot_stays_an_item():
    table = extract(TABLE.format(total="777\t450"), "t.txt").tables[0]
    rows = {r.span.line: r for r in table.rows}
    assert not rows[8].is_total and rows[9].section == ("OPERATING EXPENSES:",)


@pytest.mark.parametrize("line, text, kind, year, months", [
    (18, "0.7 percent", "year", 2024, None),      # "... ended November 2, 2024 decreased 0.7 percent from ... the prior year"
    (20, "5.4 percent", "year", 2024, 9),
    (20, "9.2 percent", "year", 2024, 9),         # "decreased 9.2 percent to $128.0 million for the 39-week period"
    (20, "$128.0 million", "year", 2024, 9),
    (20, "$141.0 million", "year", 2023, 9),
    (18, "$303.5 million", "prior_year", None, None),
])
def test_prose_periods_of_changes_and_their_bases(buckle, line, text, kind, year, months):
    fig = next(f for f in buckle.prose if f.span.line == line and f.text == text)
    assert (fig.period.kind, fig.period.year, fig.period.months) == (kind, year, months)


@pytest.mark.parametrize("markup", [False, True])
def test_abbreviated_month_headings(markup):
    heads = ["Dec. 31, 2024", "Sept 30, 2024", "Mar. 31, 2024"]
    if markup:
        cells = "".join(f"<td>{h.replace(' ', '<br>', 1)}</td>" for h in heads)
        text = ("<html><body><p>Balance Sheets</p><p>(in thousands)</p><table><tr><td></td>" + cells + "</tr>"
                "<tr><td>Cash</td><td>1</td><td>2</td><td>3</td></tr>"
                "<tr><td>Total assets</td><td>1</td><td>2</td><td>3</td></tr></table></body></html>")
    else:
        text = "Balance Sheets\n(in thousands)\n\t" + "\t".join(heads) + "\nCash\t1\t2\t3\nTotal assets\t1\t2\t3\n"
    table, = extract(text, "x").tables
    assert [c.period.end for c in table.columns] == [dt.date(2024, 12, 31), dt.date(2024, 9, 30), dt.date(2024, 3, 31)]
