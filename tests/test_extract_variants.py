"""Table layouts other than the fixture's: quarter headings, a change column, a unit cell in the
heading row, a label-less continuation line, and a table with no unit note."""
from __future__ import annotations

from decimal import Decimal

from audit.read.extract import extract

QUARTERLY = """Example Corp Reports Results

Condensed Statements of Income
(in millions of US$)

(in millions)\tQ1 2022\tQ4 2022\tQ1 2023\tYoY % change
Revenue\t1,000.5\t1,200.0\t1,100.0\t9.9%
Cost of revenue\t(400.0)\t(500.0)\t(450.0)\t12.5%
Gross profit\t600.5\t700.0\t650.0\t8.2%
"""

BALANCES = """Balance Sheet Data

\tAs of December 31, 2022\tAs of March 31, 2023
\tUS$\tUS$
Cash\t1,234\t1,300
Total assets\t5,000\t5,100
"""


def test_quarter_headings_and_a_change_column():
    filing = extract(QUARTERLY, "q.txt")
    [table] = filing.tables
    assert table.title == "Condensed Statements of Income"
    assert table.scale == 6
    labels = [c.label for c in table.columns]
    assert labels[:3] == ["3M to 2022-03-31", "3M to 2022-12-31", "3M to 2023-03-31"]
    assert table.columns[3].period is None and "change" in table.columns[3].header.lower()
    revenue = next(r for r in table.rows if r.label == "Revenue")
    assert [c.value for c in revenue.cells] == [Decimal("1000.5"), Decimal("1200.0"), Decimal("1100.0"), Decimal("9.9")]
    assert revenue.cells[3].unit == "%" and revenue.cells[0].scale == 6
    cost = next(r for r in table.rows if r.label == "Cost of revenue")
    assert cost.cells[0].value == Decimal("-400.0")


def test_as_of_headings_make_instant_columns():
    filing = extract(BALANCES, "b.txt")
    [table] = filing.tables
    assert table.title == "Balance Sheet Data"
    assert [c.label for c in table.columns] == ["2022-12-31 USD", "2023-03-31 USD"]
    assert table.scale == 0
    assert [r.label for r in table.rows] == ["Cash", "Total assets"]
    assert table.rows[1].is_total


def test_prose_only_text_has_no_tables_but_figures():
    filing = extract("Revenue was RMB1.2 billion, up 5.0% from RMB1.1 billion a year ago.\n", "p.txt")
    assert filing.tables == []
    assert [(f.text, f.unit, f.scale) for f in filing.prose] == [
        ("RMB1.2 billion", "RMB", 9), ("5.0%", "%", -2), ("RMB1.1 billion", "RMB", 9)]
    assert filing.prose[2].period.kind == "prior_year"
