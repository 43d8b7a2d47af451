"""The layout families of issue 14 the reader must handle (3 scale and unit notes, 4 titles,
5 columns that are not periods, 6 period lengths, 7 kinds, 9 what a filing says about itself),
each on a small HTML or text case written for the purpose, and a few checks on real releases in
../shared/filings (skipped when that folder is absent)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest

from audit.read.columns import FiscalYear, month_span, parse_column
from audit.read.extract import extract
from audit.read.source import read_text
from audit.read.units import is_unit_note, note_scale, shares_scale

ROOT = Path(__file__).resolve().parent.parent
FILINGS = ROOT.parent / "shared" / "filings"


def page(*parts: str) -> str:
    return "<html><body>" + "".join(parts) + "</body></html>"


def table(*rows: list[str]) -> str:
    return "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows) + "</table>"


def html(*parts: str):
    return extract(page(*parts), "case.htm")


def real(name: str):
    path = FILINGS / name
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    return extract(read_text(str(path)), str(path))


def only(filing, title_part: str):
    found = [t for t in filing.tables if title_part.lower() in t.title.lower()]
    assert len(found) == 1, [t.title for t in filing.tables]
    return found[0]


def cell(tbl, row_label: str, col: int = 0):
    rows = [r for r in tbl.rows if r.label == row_label]
    assert rows, [r.label for r in tbl.rows]
    return rows[0].cells[col]


HEAD = ["", "Three Months Ended March 31, 2024", "Three Months Ended March 31, 2023"]


# -- family 3: scale and unit notes ----------------------------------------------------------------

@pytest.mark.parametrize("note, scale", [
    ("(Millions of dollars)", 6),
    ("(In millions, except per share data)", 6),
    ("(in RMB billions, except for percentage)", 9),
    ("RMB'000", 3),
    ("RMB in billion", 9),
    ("$ in thousands", 3),
    ("Million", 6),
    ("(Dollars in millions except per share data)", 6),
    ("(Unaudited) (Millions of dollars)", 6),
    ("(Amounts in thousands of Renminbi (“RMB”) and U.S. dollars (“USD”)", 3),
    ("(Unaudited)", 0),
])
def test_unit_note_forms(note, scale):
    assert is_unit_note(note)
    assert note_scale(note) == scale


@pytest.mark.parametrize("line", [
    "(1) Net sales by reportable segment:", "(more)", "Net income was $3 million.", "* Not meaningful",
    "UNAUDITED CONDENSED CONSOLIDATED BALANCE SHEETS (CONTINUED)",
])
def test_not_unit_notes(line):
    assert not is_unit_note(line)


def test_shares_reflected_in_thousands():
    note = "(In millions, except number of shares, which are reflected in thousands, and per-share amounts)"
    assert shares_scale(note, note_scale(note)) == 3
    assert shares_scale("(In thousands, except per share amounts)", 3) == 3
    assert shares_scale("(In thousands, except share and per share amounts)", 3) == 0


def test_unit_note_as_a_row_inside_the_table():
    f = html("<p>Segment Results</p>", table(
        ["", "First Quarter 2022", "First Quarter 2021"],
        ["(Millions of dollars)", "", ""],
        ["Sales", "$6,115", "$5,459"],
        ["Profit", "1,057", "1,042"]))
    t = only(f, "Segment Results")
    assert t.scale == 6 and "Millions" in t.unit_note
    assert [r.label for r in t.rows] == ["Sales", "Profit"]
    assert cell(t, "Sales").base_value == D("6115000000")


def test_neighbouring_footnote_is_no_unit_note():
    f = html("<p>Revenue by Region</p>",
             "<p>(1) Amounts for Europe include the Middle East.</p>",
             table(HEAD, ["Europe (1)", "120", "110"], ["Asia", "80", "75"]))
    t = f.tables[0]
    assert t.scale == 0 and t.unit_note == ""


def test_footnote_table_takes_its_statements_unit_note():
    text = "\n".join([
        "RECONCILIATION", "", "($ in millions)", "",
        "\tThree Months Ended May 31, 2022\tThree Months Ended May 31, 2021",
        "Revenue\t$100\t$90", "Cost\t40\t35", "",
        "(3)  Stock-based compensation was included in the following categories:", "",
        "\tThree Months Ended May 31, 2022\tThree Months Ended May 31, 2021",
        "Sales\t$6\t$5", "Research\t4\t3", ""])
    f = extract(text)
    assert [t.scale for t in f.tables] == [6, 6]


def test_unit_note_only_in_the_tables_footnote():
    body = table(HEAD, ["Americas", "500", "400"], ["Europe (2)", "300", "200"])
    f = html("<p>Revenue by Segment<sup>1</sup></p>", body, "<p><sup>1</sup> In millions of U.S. dollars.</p>",
             "<p>(2) Amounts in thousands for Europe only.</p>")
    assert (f.tables[0].unit_note, f.tables[0].scale) == ("In millions of U.S. dollars.", 6)
    f = html("<p>Revenue by Segment</p>", body, "<p>(1) In millions of U.S. dollars.</p>")
    assert f.tables[0].scale == 0  # a footnote the table does not point to
    f = html("<p>Revenue by Segment (1)</p>", body, "<p>(1) Includes $5 million of licensing revenue.</p>")
    assert f.tables[0].scale == 0  # a footnote that is no unit note


def test_cents_a_share_in_prose():
    f = extract("Net income was $1.2 billion, or 27 cents a share, for the quarter.\n")
    assert any(p.value == D("1.2") and p.scale == 9 for p in f.prose)


# -- family 4: titles ------------------------------------------------------------------------------

def test_company_name_above_the_title_is_not_the_title():
    f = html("<p>Acme Widgets Inc.</p><p>CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS</p>"
             "<p>(In millions, except per share amounts)</p>",
             table(HEAD, ["Revenue", "$100", "$90"], ["Net income", "10", "9"]))
    t = f.tables[0]
    assert t.title == "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS"
    assert t.scale == 6 and t.id == "statements-of-operations"


def test_title_rows_inside_the_table():
    f = html(table(["ACME WIDGETS INC.", "", ""],
                   ["CONSOLIDATED BALANCE SHEETS", "", ""],
                   ["(In thousands)", "", ""],
                   ["", "December 31, 2024", "December 31, 2023"],
                   ["Cash", "$500", "$400"],
                   ["Total assets", "900", "800"]))
    t = f.tables[0]
    assert t.title == "CONSOLIDATED BALANCE SHEETS" and t.scale == 3
    assert cell(t, "Cash").base_value == D(500000)


def test_page_banner_and_title_split_over_two_paragraphs():
    f = html("<p>12</p><p>XPENG INC.</p><p>UNAUDITED CONDENSED CONSOLIDATED STATEMENTS OF</p>"
             "<p>COMPREHENSIVE LOSS</p><p>(All amounts in thousands)</p>",
             table(HEAD, ["Revenues", "1,000", "900"], ["Net loss", "(50)", "(60)"]))
    t = f.tables[0]
    assert t.title == "UNAUDITED CONDENSED CONSOLIDATED STATEMENTS OF COMPREHENSIVE LOSS"


def test_continued_table_is_one_statement():
    head = ["", "December 31, 2024", "December 31, 2023"]
    f = html("<p>CONSOLIDATED BALANCE SHEETS</p><p>(In thousands)</p>",
             table(head, ["Cash", "500", "400"], ["Total assets", "900", "800"]),
             "<p>7</p><p>CONSOLIDATED BALANCE SHEETS (CONTINUED)</p><p>(In thousands)</p>",
             table(head, ["Debt", "300", "200"], ["Total liabilities", "600", "500"]))
    assert len(f.tables) == 1
    t = f.tables[0]
    assert [r.label for r in t.rows] == ["Cash", "Total assets", "Debt", "Total liabilities"]
    assert [r.index for r in t.rows] == [0, 1, 2, 3]
    assert {c.table for c in t.figures()} == {t.id}


def test_quarter_and_year_to_date_statements_sharing_a_title():
    f = html("<p>Q4 RESULTS</p><p>STATEMENTS OF OPERATIONS</p><p>($ in millions)</p>",
             table(["", "Three Months Ended May 31, 2022", "Three Months Ended May 31, 2021"],
                   ["Revenue", "100", "90"], ["Net income", "10", "9"]),
             "<p>YEAR TO DATE RESULTS</p><p>STATEMENTS OF OPERATIONS</p><p>($ in millions)</p>",
             table(["", "Year Ended May 31, 2022", "Year Ended May 31, 2021"],
                   ["Revenue", "400", "350"], ["Net income", "40", "35"]))
    ids = [t.id for t in f.tables]
    assert ids == ["statements-of-operations", "statements-of-operations-12m"]
    assert [t.columns[0].period.months for t in f.tables] == [3, 12]


# -- family 5: columns that are not periods --------------------------------------------------------

def test_gaap_adjustment_non_gaap_columns_keep_period_and_role():
    cols = [parse_column(k, h) for k, h in enumerate(
        ["Three Months Ended May 31, 2022 GAAP USD", "Three Months Ended May 31, 2022 Adj. USD",
         "Three Months Ended May 31, 2022 Non-GAAP USD"])]
    assert {c.period.months for c in cols} == {3}
    assert [c.role for c in cols] == ["GAAP", "Adj", "Non-GAAP"]
    assert len({c.label for c in cols}) == 3


@pytest.mark.parametrize("header, end, months", [
    ("First Quarter 2022", dt.date(2022, 3, 31), 3),
    ("Q4 FY24", dt.date(2024, 12, 31), 3),
    ("Fiscal 2014 Q1", dt.date(2014, 3, 31), 3),
    ("1Q23", dt.date(2023, 3, 31), 3),
])
def test_quarter_headings(header, end, months):
    period = parse_column(0, header).period
    assert period.end == end and period.months == months


def test_fiscal_quarters_and_year_total_follow_the_fiscal_year():
    fiscal = FiscalYear.of(["\tYear Ended May 31,\tYear Ended May 31,"])
    assert fiscal == FiscalYear(5, 31)
    q1 = parse_column(0, "Fiscal 2021 Q1", fiscal).period
    assert (q1.start, q1.end) == (dt.date(2020, 6, 1), dt.date(2020, 8, 31))
    total = parse_column(4, "Fiscal 2021 TOTAL", fiscal).period
    assert (total.start, total.end, total.months) == (dt.date(2020, 6, 1), dt.date(2021, 5, 31), 12)


def test_period_line_above_a_table_dates_its_segment_columns():
    f = html("<p>Supplemental Data for Results of Operations</p><p>For the Three Months Ended March 31, 2022</p>"
             "<p>(Millions of dollars)</p>",
             table(["", "Consolidated", "Machinery", "Financial Products"],
                   ["Sales", "$13,589", "$12,886", "$813"], ["Profit", "1,855", "1,700", "155"]))
    t = f.tables[0]
    assert t.scale == 6
    assert all(c.period is not None and c.period.months == 3 for c in t.columns)
    assert t.columns[0].role == "Consolidated"


# -- family 6: period lengths ----------------------------------------------------------------------

@pytest.mark.parametrize("end, months, start", [
    (dt.date(2022, 5, 1), 3, dt.date(2022, 2, 2)),
    (dt.date(2022, 5, 2), 3, dt.date(2022, 2, 3)),
    (dt.date(2023, 12, 30), 3, dt.date(2023, 10, 1)),
    (dt.date(2022, 3, 31), 3, dt.date(2022, 1, 1)),
    (dt.date(2025, 2, 1), 12, dt.date(2024, 2, 2)),
    (dt.date(2024, 2, 29), 12, dt.date(2023, 3, 1)),
])
def test_month_spans(end, months, start):
    period = month_span(end, months)
    assert period.start == start and period.months == months


def test_three_months_ended_the_first_of_a_month_is_three_months():
    for heading, months in [("Three Months Ended May 1, 2022", 3), ("Fifty-Three Weeks Ended February 3, 2024", 12),
                            ("Fifty-Two Weeks Ended January 28, 2023", 12), ("Year Ended February 1, 2025", 12)]:
        assert parse_column(0, heading).period.months == months, heading


def test_balances_at_either_end_of_a_flow_statements_period_are_dated_balances():
    """Cash at the end of the period is a balance on the column's last day; at its beginning, on
    the day before its first; every other cell of the statement keeps its column's period."""
    cf = only(html("<p>Condensed Statements of Cash Flows</p><p>(In millions)</p>", table(
        HEAD, ["Net cash provided by operating activities", "1,200", "1,100"],
        ["Cash and cash equivalents at beginning of period", "5,000", "4,000"],
        ["Cash, cash equivalents and restricted cash, ending balances", "6,200", "5,100"],
        ["End of Period Shares Outstanding", "800", "810"],
        ["Cash paid for interest during the year", "30", "25"])), "Cash Flows")
    assert cell(cf, "Net cash provided by operating activities").balance_date is None
    assert cell(cf, "Cash paid for interest during the year").balance_date is None
    begin = cell(cf, "Cash and cash equivalents at beginning of period", 1)
    assert begin.column.period.months == 3 and begin.balance_date == dt.date(2022, 12, 31)
    assert cell(cf, "Cash, cash equivalents and restricted cash, ending balances").balance_date == dt.date(2024, 3, 31)
    assert cell(cf, "End of Period Shares Outstanding").balance_date == dt.date(2024, 3, 31)
    # a balance sheet's cells are at a date already
    bs = only(html("<p>Balance Sheets</p>", table(["", "March 31, 2024", "December 31, 2023"],
                                                  ["Cash at end of period", "6,200", "5,000"])), "Balance")
    assert cell(bs, "Cash at end of period").balance_date is None


# -- family 7: kinds -------------------------------------------------------------------------------

def test_shares_under_a_per_share_heading():
    f = html("<p>STATEMENTS OF OPERATIONS</p>"
             "<p>(In millions, except number of shares, which are reflected in thousands, and per-share amounts)</p>",
             table(HEAD, ["Net income", "$33,916", "$29,998"],
                   ["Earnings per share:", "", ""], ["Basic", "$2.19", "$1.89"],
                   ["Shares used in computing earnings per share:", "", ""], ["Basic", "15,509,763", "15,892,723"]))
    t = f.tables[0]
    eps, shares = [r for r in t.rows if r.label == "Basic"]
    assert eps.kind == "per_share" and eps.cells[0].scale == 0
    assert shares.kind == "shares" and shares.cells[0].kind == "shares" and shares.cells[0].scale == 3
    assert cell(t, "Net income").scale == 6


def test_share_row_with_its_own_scale():
    f = html("<p>RESULTS</p><p>(Dollars in millions)</p>",
             table(HEAD, ["Profit", "1,537", "1,400"], ["Weighted-average shares outstanding (millions)", "537.6", "548.0"]))
    row = [r for r in f.tables[0].rows if r.label.startswith("Weighted")][0]
    assert row.kind == "shares" and row.cells[0].scale == 6


def test_note_reference_column_holds_no_amounts():
    f = html("<p>BALANCE SHEETS</p><p>RMB'000</p>",
             table(["", "Note", "June 30, 2025", "December 31, 2024"],
                   ["Cash", "", "33,000", "32,000"], ["Receivables", "6", "2,000", "1,900"]))
    t = f.tables[0]
    assert len(t.columns) == 2 and t.scale == 3
    assert [c.text for c in [r for r in t.rows if r.label == "Receivables"][0].cells] == ["2,000", "1,900"]


# -- real releases ---------------------------------------------------------------------------------

def test_caterpillar_millions_of_dollars():
    f = real("caterpillar-8k-2022q1-0000018230-22-000107.txt")
    for part in ("Statement of Financial Position", "Statement of Cash Flow"):
        t = only(f, part)
        assert t.scale == 6 and "Millions of dollars" in t.unit_note


def test_apple_titles_and_shares():
    f = real("apple-8k-fy2024q1-0000320193-24-000005.txt")
    assert [t.id for t in f.tables] == ["statements-of-operations", "balance-sheets", "statements-of-cash-flows"]
    ops = f.tables[0]
    shares = [r for r in ops.rows if r.section and r.section[-1].startswith("Shares used")]
    assert len(shares) == 2 and all(r.kind == "shares" and r.cells[0].scale == 3 for r in shares)
    assert ops.columns[0].period.start == dt.date(2023, 10, 1)


def test_xpeng_key_results_in_billions_and_continued_statements():
    f = real("xpeng-6k-2025q4-ex99-1-d270013dex991.htm")
    key = only(f, "Key Financial Results")
    assert key.scale == 9
    sheets = [t for t in f.tables if "BALANCE SHEETS" in t.title]
    assert len(sheets) == 1 and any(r.label.startswith("Total liabilities") for r in sheets[0].rows)


def test_oracle_statements_told_apart_by_period():
    f = real("oracle-8k-fy2022q4-0001564590-22-023099.txt")
    ops = [t for t in f.tables if t.title == "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS"]
    assert [t.columns[0].period.months for t in ops] == [3, 12]
    assert len({t.id for t in ops}) == 2


def test_unit_note_currency_and_heading_scale():
    f = html("<p>Key Financial Results</p><p>(in RMB billions, except for percentage)</p>",
             table(HEAD, ["Total revenues", "22.25", "16.11"], ["Gross margin", "21.3%", "14.4%"]))
    t = f.tables[0]
    assert t.scale == 9 and cell(t, "Total revenues").unit == "RMB" and cell(t, "Gross margin").unit == "%"
    f = html("<p>Revenues by source</p>",
             table(["", "June 30, 2025 RMB'000", "June 30, 2024 RMB'000"], ["Vehicle sales", "30,000", "12,000"],
                   ["Services", "3,000", "1,500"]))
    t = f.tables[0]
    assert t.scale == 3 and cell(t, "Vehicle sales").base_value == D(30000000)


def test_lone_duration_heading_spans_every_column():
    rows = ("<table><tr><td></td><td colspan='2'>Three Months Ended<br>March 31,</td><td></td></tr>"
            "<tr><td></td><td>2022</td><td></td><td>2021</td></tr>"
            "<tr><td>Sales</td><td>$13,589</td><td></td><td>$11,887</td></tr>"
            "<tr><td>Profit</td><td>1,537</td><td></td><td>1,530</td></tr></table>")
    t = html("<p>Results of Operations</p><p>(Dollars in millions)</p>", rows).tables[0]
    assert [c.period.months for c in t.columns] == [3, 3]
    assert [c.period.end.year for c in t.columns] == [2022, 2021]


def test_quarter_of_fourteen_weeks_said_in_the_text():
    f = html("<p>Based on the Company’s fiscal calendar, the Company’s fiscal 2024 first quarter had 13 weeks, "
             "while the Company’s fiscal 2023 first quarter had 14 weeks.</p>",
             "<p>STATEMENTS OF OPERATIONS</p><p>(In millions)</p>",
             table(["", "Three Months Ended December 30, 2023", "Three Months Ended December 31, 2022"],
                   ["Net sales", "$119,575", "$117,154"], ["Net income", "33,916", "29,998"]))
    now, before = f.tables[0].columns
    assert now.period.start == dt.date(2023, 10, 1)
    assert before.period.start == dt.date(2022, 9, 25) and before.period.months == 3


def test_column_of_note_numbers_under_no_heading():
    f = html("<p>Supplemental Data</p><p>(Millions of dollars)</p>",
             table(["", "Consolidated", "Machinery", ""],
                   ["Revenues", "703", "—", "1"], ["Cost of goods sold", "9,559", "9,560", "2"],
                   ["Selling", "1,200", "1,100", ""], ["Research", "480", "470", ""], ["Profit", "1,537", "1,500", ""]))
    t = f.tables[0]
    assert len(t.columns) == 2 and [c.text for c in t.rows[0].cells] == ["703", "—"]


def test_percent_of_revenue_column_takes_its_years_period():
    rows = ("<table><tr><td></td><td colspan='4'>Three Months Ended May 31,</td><td>% Change</td></tr>"
            "<tr><td></td><td>2022</td><td>% of Revenues</td><td>2021</td><td>% of Revenues</td><td></td></tr>"
            "<tr><td>Revenues</td><td>$11,840</td><td>100%</td><td>$11,227</td><td>100%</td><td>5%</td></tr>"
            "<tr><td>Hardware</td><td>856</td><td>7%</td><td>882</td><td>8%</td><td>(3%)</td></tr></table>")
    cols = html("<p>STATEMENTS OF OPERATIONS</p><p>($ in millions)</p>", rows).tables[0].columns
    assert [c.period.end.year if c.period else None for c in cols] == [2022, 2022, 2021, 2021, None]
    assert cols[1].role == "% of Revenues" and cols[1].period.months == 3


def test_segment_and_role_under_a_period_and_a_note_column_under_one():
    cols = [parse_column(k, h) for k, h in enumerate([
        "Three Months Ended March 31, 2024 Construction Industries", "Q4 FY24 Non-GAAP",
        "December 30, 2023 USD ASSETS:", "As of June 30, 2025 Outstanding loan RMB in billion"])]
    assert [c.role for c in cols] == ["Construction Industries", "Non-GAAP", "", "Outstanding loan"]
    f = html("<p>STATEMENT OF COMPREHENSIVE LOSS</p><p>(All amounts in thousands)</p>",
             "<table><tr><td></td><td colspan='3'>For the Six Months Ended June 30,</td></tr>"
             "<tr><td></td><td>Note</td><td>2025 RMB</td><td>2024 RMB</td></tr>"
             "<tr><td>Revenues</td><td>4</td><td>34,085,736</td><td>14,664,000</td></tr>"
             "<tr><td>Cost of sales</td><td></td><td>(28,000,000)</td><td>(12,800,000)</td></tr></table>")
    assert [c.period.end.year for c in f.tables[0].columns] == [2025, 2024]


def test_bridge_columns_under_no_period_heading_have_none():
    f = html("<p>Consolidated Sales and Revenues</p><p>(Millions of dollars)</p>",
             table(["", "First Quarter 2021", "Sales Volume", "Price Realization", "First Quarter 2022"],
                   ["Construction Industries", "$5,459", "$325", "$421", "$6,115"],
                   ["Resource Industries", "2,178", "527", "169", "2,830"]))
    assert [c.period.end.year if c.period else None for c in f.tables[0].columns] == [2021, None, None, 2022]


def test_segment_block_with_headings_inside_is_several_tables():
    f = html("<p>3</p>", table(
        ["", "CONSTRUCTION INDUSTRIES", "CONSTRUCTION INDUSTRIES", "CONSTRUCTION INDUSTRIES", "CONSTRUCTION INDUSTRIES"],
        ["(Millions of dollars)", "", "", "", ""],
        ["Sales by Geographic Region", "", "", "", ""],
        ["", "First Quarter 2022", "First Quarter 2021", "$ Change", "% Change"],
        ["North America", "$2,720", "$2,126", "$594", "28%"], ["EAME", "1,277", "1,081", "196", "18%"],
        ["Segment Profit", "", "", "", ""],
        ["", "First Quarter 2022", "First Quarter 2021", "Change", "% Change"],
        ["Segment Profit", "$1,057", "$1,042", "$15", "1%"], ["Segment Profit Margin", "17.3%", "19.1%", "(1.8 pts)", ""]))
    assert [t.title for t in f.tables] == ["CONSTRUCTION INDUSTRIES: Sales by Geographic Region",
                                           "CONSTRUCTION INDUSTRIES: Segment Profit"]
    assert all(t.scale == 6 for t in f.tables)
    assert [r.label for r in f.tables[1].rows] == ["Segment Profit", "Segment Profit Margin"]
    assert f.tables[0].columns[0].period.end == dt.date(2022, 3, 31)


def test_single_row_tables():
    f = html("<p>Dividends</p>", table(HEAD, ["Dividend per share", "$0.24", "$0.23"]),
             "<p>Highlights</p>", table(["Total deliveries", "46,533", "30,207"]))
    assert [t.title for t in f.tables] == ["Dividends", "Highlights"]
    assert f.tables[0].rows[0].kind == "per_share" and f.tables[0].columns[0].period.months == 3
    assert [c.text for c in f.tables[1].rows[0].cells] == ["46,533", "30,207"]
    assert parse_column(0, "2024Q4").period.end == dt.date(2024, 12, 31)


def test_periods_named_by_row_blocks_and_row_labels():
    f = html("<p>Sales by Geographic Region</p><p>(Millions of dollars)</p>",
             table(["", "North America $", "North America % Chg", "EAME $", "EAME % Chg"],
                   ["First Quarter 2022", "", "", "", ""],
                   ["Construction Industries", "$2,720", "28%", "$1,277", "18%"],
                   ["First Quarter 2021", "", "", "", ""],
                   ["Construction Industries", "$2,126", "", "$1,081", ""]))
    rows = [r for r in f.tables[0].rows if not r.is_header]
    assert [r.cells[0].column.period.end.year for r in rows] == [2022, 2021]
    assert rows[0].cells[1].column.period.months == 3
    assert f.tables[0].columns[0].period is None  # the column itself names none
    text = "\n".join(["(4)  Estimated future annual amortization expense was as follows:", "",
                      "Fiscal 2023\t$750", "Fiscal 2024\t508", "Total intangible assets, net\t$1,440", "",
                      "\tYear Ended May 31, 2022", "Revenue\t$42,440", ""])
    t = extract(text).tables[0]
    first = t.rows[0].cells[0]
    assert (first.column.period.start, first.column.period.end) == (dt.date(2022, 6, 1), dt.date(2023, 5, 31))
    assert t.rows[2].cells[0].column.period is None


# -- family 9: what the filing says about itself ----------------------------------------------------

def test_disclaimer_before_the_issuers_name():
    f = html("<p>Hong Kong Exchanges and Clearing Limited and The Stock Exchange of Hong Kong Limited take no "
             "responsibility for the contents of this announcement.</p>", "<p>XPeng Inc.</p>",
             "<p>(Stock Code: 9868)</p>",
             "<p>XPeng Inc. (“XPENG” or the “Company,” Hong Kong stock code: 9868 and NYSE symbol: XPEV) today "
             "announced its results.</p>")
    assert (f.meta.issuer, f.meta.ticker) == ("XPeng Inc.", "XPEV")
    assert f.meta.where["issuer"] == "line 3"


def test_name_in_capitals_and_two_listings():
    f = html("<p>ACME MOTORS INC.</p>",
             "<p>GUANGZHOU, China — Acme Motors Inc. (“ACME” or the “Company,” NYSE: ACMV and HKEX: 9999), "
             "today announced its results.</p>")
    assert (f.meta.issuer, f.meta.ticker) == ("ACME MOTORS INC.", "ACMV")


def test_multi_filer_header_names_the_parent():
    header = ("<SEC-DOCUMENT>0000092122-07-000008.txt : 20070131\n<SEC-HEADER>0000092122-07-000008.hdr.sgml\n"
              "ACCESSION NUMBER:\t\t0000092122-07-000008\nCONFORMED SUBMISSION TYPE:\t8-K\n"
              "FILER:\n\tCOMPANY DATA:\n\t\tCOMPANY CONFORMED NAME:\t\t\tALABAMA POWER CO\n"
              "\t\tCENTRAL INDEX KEY:\t\t\t0000003153\n"
              "FILER:\n\tCOMPANY DATA:\n\t\tCOMPANY CONFORMED NAME:\t\t\tSOUTHERN CO\n"
              "\t\tCENTRAL INDEX KEY:\t\t\t0000092122\n</SEC-HEADER>\n"
              "<DOCUMENT>\n<TYPE>EX-99.1\n<TEXT>\nSouthern Company reports earnings.\n</TEXT>\n</DOCUMENT>\n")
    f = extract(header, "s.txt")
    assert f.meta.issuer == "SOUTHERN CO" and f.meta.where["issuer"] == "EDGAR header"


def test_basis_point_cells_and_several_note_numbers():
    f = html("<p>RECONCILIATION</p><p>($ in millions)</p>",
             table(["", "Three Months Ended May 31, 2022", "Three Months Ended May 31, 2021", "Change", ""],
                   ["Operating margin %", "38%", "40%", "(242) bp.", "1,2"],
                   ["Revenue", "11,840", "11,227", "5%", ""], ["Cost", "7,337", "6,686", "10%", "3"],
                   ["Profit", "4,503", "4,541", "(1%)", ""], ["Tax", "435", "124", "251%", ""]))
    t = f.tables[0]
    assert len(t.columns) == 3
    bp = t.rows[0].cells[2]
    assert bp.kind == "percent" and bp.value == D(-242) and bp.base_value == D("-0.0242")


def test_per_share_columns_titles_and_average_shares():
    f = html("<p>Summary of Certain Significant Items</p><p>($ in millions, except earnings per share)</p>",
             table(["", "Thirteen Weeks Ended July 3, 2004 Pretax", "Thirteen Weeks Ended July 3, 2004 Earnings Per Share"],
                   ["Special charges", "41", "0.12"], ["Accelerated depreciation", "39", "0.12"],
                   ["Average shares outstanding", "", "217.1"]))
    rows = f.tables[0].rows
    assert (rows[0].cells[0].kind, rows[0].cells[0].scale) == ("amount", 6)
    assert (rows[0].cells[1].kind, rows[0].cells[1].scale) == ("per_share", 0)
    assert rows[2].kind == "shares"
    f = html("<p>Significant Factors Impacting EPS</p>",
             table(HEAD, ["Earnings excluding synfuels", "$0.35", "$0.32"], ["Synfuels", "0.01", "0.02"]))
    assert {c.kind for c in f.tables[0].figures()} == {"per_share"}


# -- family 8: prose signs, per-share amounts and what is not a figure -------------------------------

def test_prose_signs_cents_and_per_share():
    f = extract("Net income was $1.2 billion, or 27 cents a share. Basic and diluted loss per share improved "
                "from $(1.80) to $(0.42). Net income of $51.8 million, or $1.05 per share ($1.04 diluted), "
                "with Over $18.3 Million in milestones.\n")
    got = {p.text: (p.value, p.scale, p.unit, p.kind) for p in f.prose}
    assert got["27 cents"] == (D(27), -2, "USD", "per_share")
    assert got["$(1.80)"] == (D("-1.80"), 0, "USD", "per_share") and got["$(0.42)"][0] == D("-0.42")
    assert got["$1.05"][3] == got["$1.04"][3] == "per_share" and got["$51.8 million"][3] == "amount"
    assert got["$18.3 Million"][:3] == (D("18.3"), 6, "USD")
    f = extract("Vehicle margin was 10.5%, up 5.0 percentage points. Basic and diluted net profit per American "
                "depositary share (ADS) were both RMB0.40 (US$0.06) for the quarter.\n")
    got = {p.text: (p.value, p.scale, p.unit, p.kind) for p in f.prose}
    assert got["5.0 percentage points"] == (D("5.0"), -2, "%", "percent")
    assert got["RMB0.40"][3] == got["US$0.06"][3] == "per_share"


def test_prose_non_figures():
    f = extract("The call is at 1 p.m. ET on JUNE 26, 2025 (replay until Jan. 25); dial +1 650 607 0349.\n"
                "Amounts are in RMB'000 unless stated. Apple launched iPhone 17 and opened 150 stores.\n"
                "6. Accounts and Notes Receivable\n")
    assert [p.text for p in f.prose] == ["150"]


def test_change_column_figures_are_of_the_period_compared_and_counted_rows():
    f = html("<p>Key Financial Results</p><p>(in RMB billions, except for percentage)</p>",
             table(["", "For the Three Months Ended March 31, 2025", "For the Three Months Ended December 31, 2024",
                    "For the Three Months Ended March 31, 2024", "% Change YoY"],
                   ["Total revenues", "15.81", "16.11", "6.55", "141.5%"]))
    t = f.tables[0]
    assert t.columns[3].period is None  # the column compares two periods
    assert t.rows[0].cells[3].column.period.end == dt.date(2025, 3, 31)
    f = html("<p>Operational Highlights</p>",
             table(["", "2024Q4", "2024Q3"], ["Total deliveries", "91,507", "46,533"], ["Revenue", "16.11", "10.10"]))
    deliveries, revenue = f.tables[0].rows
    assert deliveries.cells[0].kind == "count" and revenue.cells[0].kind == "amount"
    f = html("<p>Segment Income Statements</p><p>(millions)</p>",
             table(HEAD, ["Net income", "$53", "$309"], ["Average shares outstanding", "216.5", "298.0"],
                   ["Number of stores", "", ""], ["Weighted average shares", "216,500,000", "298,000,000"]))
    tenths, whole = [r for r in f.tables[0].rows if r.kind == "shares"]
    assert (tenths.cells[0].scale, whole.cells[0].scale) == (6, 0)  # no count of shares has tenths


def test_renamed_statement_keeps_figure_periods():
    f = html("<p>STATEMENTS OF OPERATIONS</p><p>($ in millions)</p>",
             table(["", "Three Months Ended May 31, 2022", "Three Months Ended May 31, 2021", "% Change"],
                   ["Revenue", "100", "90", "11%"]),
             "<p>STATEMENTS OF OPERATIONS</p><p>($ in millions)</p>",
             table(["", "Year Ended May 31, 2022", "Year Ended May 31, 2021", "% Change"],
                   ["Revenue", "400", "350", "14%"]))
    year = f.tables[1]
    assert year.id == "statements-of-operations-12m"
    assert year.rows[0].cells[2].column.period.months == 12 and year.columns[2].period is None


def test_prose_periods_of_changes_and_translations():
    f = extract("Research and development expenses were RMB2.87 billion (US$0.41 billion) for the fourth quarter of "
                "2025, representing an increase of 43.2% from RMB2.01 billion for the same period of 2024 and an "
                "increase of 18.3% from RMB2.43 billion for the third quarter of 2025.\n"
                "Total revenues were RMB40.87 billion (US$5.60 billion) for fiscal year of 2024, representing an "
                "increase of 33.2% from RMB30.68 billion for the prior year.\n")
    got = {p.text: p.period for p in f.prose}
    assert got["18.3%"] == got["RMB2.87 billion"] != got["RMB2.01 billion"]  # not the period of the figure before
    assert got["RMB40.87 billion"].months == got["US$5.60 billion"].months == 12
    assert got["33.2%"] == got["RMB40.87 billion"] and got["33.2%"].months == 12


def test_prose_bare_years_are_years():
    f = extract("Southern Company today reported full-year 2006 earnings of $1.57 billion. Reported earnings for "
                "2005 were $1.59 billion, or $2.14 per share. Sales increased 2.2 percent in 2006 compared with 2005.\n")
    got = {p.text: p.period for p in f.prose}
    assert (got["$1.59 billion"].kind, got["$1.59 billion"].year, got["$1.59 billion"].months) == ("year", 2005, 12)
    assert (got["2.2 percent"].year, got["2.2 percent"].months) == (2006, 12)


def test_prose_from_one_figure_to_another():
    f = extract("Loss per share improved from $(1.80) to $(0.42). The region added more than 70,000 customers in 2006.\n")
    got = {p.text: p.period for p in f.prose}
    assert got["$(1.80)"].kind == "prior_year" and got["$(0.42)"].kind == "current"
    assert (got["70,000"].year, got["70,000"].months) == (2006, 12)


def test_unit_note_naming_what_is_measured():
    f = html("<p>Kilowatt-Hour Sales</p><p>(In Millions of KWHs)</p>",
             table(HEAD, ["Residential", "12,011", "11,820"], ["Total Retail Sales", "37,518", "36,900"]))
    t = f.tables[0]
    assert t.scale == 6 and {(c.kind, c.unit) for c in t.figures()} == {("count", "KWH")}
    f = html("<p>Results</p><p>(in millions of U.S. dollars)</p>", table(HEAD, ["Revenue", "100", "90"]))
    assert {(c.kind, c.unit) for c in f.tables[0].figures()} == {("amount", "USD")}


def test_untitled_table_right_below_another_is_part_of_its_statement():
    text = "\n".join(["SUPPLEMENTAL INFORMATION", "($ in millions, except earnings per share)", "",
                      "\tJuly 3, 2004\tJune 28, 2003", "Inventories\t$4,945\t$4,881", "Stores\t1,996\t2,191", "",
                      "\tThirteen Weeks Ended July 3, 2004\tThirteen Weeks Ended June 28, 2003",
                      "Special charges\t41\t28", "Accelerated depreciation\t39\t12", "",
                      "Net sales were $7.7 billion.", "",
                      "\tJuly 3, 2004\tJune 28, 2003", "Other\t1\t2", ""])
    tables = extract(text).tables
    assert [t.title for t in tables] == ["SUPPLEMENTAL INFORMATION", "SUPPLEMENTAL INFORMATION", ""]
    assert tables[1].scale == 6 and tables[2].scale == 0


def test_trailing_four_quarter_columns_are_twelve_months():
    fiscal = FiscalYear(5, 31)
    cols = tuple(parse_column(k, h, fiscal) for k, h in enumerate(["Fiscal 2022 Q1", "Fiscal 2022 Q2"]))
    from audit.read.columns import trailing
    ttm = trailing(cols, "FREE CASH FLOW - TRAILING 4-QUARTERS (1)")
    assert [(c.period.start, c.period.end) for c in ttm] == [(dt.date(2020, 9, 1), dt.date(2021, 8, 31)),
                                                            (dt.date(2020, 12, 1), dt.date(2021, 11, 30))]
    assert trailing(cols, "SUPPLEMENTAL ANALYSIS OF GAAP REVENUES") == cols


def test_per_share_titles_and_counted_rows_stay_narrow():
    f = html("<p>Reconciliation of Net Income and Earnings Per Share</p><p>(In millions, except per share data)</p>",
             table(HEAD, ["Net income", "$1,537", "$1,530"], ["Diluted earnings per share", "$2.86", "$2.77"]))
    rows = f.tables[0].rows
    assert (rows[0].kind, rows[1].kind) == ("amount", "per_share")
    f = html("<p>Revenue</p><p>(In millions)</p>", table(HEAD, ["Revenue from contracts with customers", "1,200", "1,100"]))
    assert f.tables[0].rows[0].cells[0].kind == "amount"


@pytest.mark.parametrize("fiscal, header, start, end", [
    (FiscalYear(2, 1), "Q3 2024", dt.date(2024, 8, 1), dt.date(2024, 10, 31)),          # retail: fiscal 2024 ends Feb 2025
    (FiscalYear(2, 1), "Fiscal 2024 TOTAL", dt.date(2024, 2, 1), dt.date(2025, 1, 31)),
    (FiscalYear(9, 28), "Q3 2024", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),          # a September year
    (FiscalYear(5, 31), "Q3 FY24", dt.date(2023, 12, 1), dt.date(2024, 2, 29)),
])
def test_fiscal_quarters_of_other_calendars(fiscal, header, start, end):
    period = parse_column(0, header, fiscal).period
    assert (period.start, period.end) == (start, end)
