"""Period alignment beyond the fixture: a fourth-quarter release with quarter and full-year
columns, where the prose names which one it means."""
from __future__ import annotations

from audit.diagnose import audit
from audit.lang.grammar import parse
from audit.lang.graph import compile_rules
from audit.read.extract import extract

FILING = """Example Announces Fourth Quarter and Full Year 2023 Results

- Net revenue was RMB2,100.0 million for the fourth quarter, compared to RMB1,900.0 million in the same period of 2022.
- For the full year 2023, net revenue was RMB8,000.0 million, compared to RMB7,000.0 million in 2022.

Condensed Statements of Operations
(Amounts in thousands of RMB)

\tThree months ended December 31,\t\tYear ended December 31,\t
\t2022\t2023\t2022\t2023
\tRMB\tRMB\tRMB\tRMB
Net revenue\t1,900,000\t2,100,000\t7,000,000\t8,000,000
Costs\t(900,000)\t(1,000,000)\t(3,000,000)\t(3,500,000)
Net income\t1,000,000\t1,100,000\t4,000,000\t4,500,000
"""

RULES = """
table ops = "Statements of Operations"
rule OPS-1 "Net income = revenue + costs":
    ops["Net income"] = ops["Net revenue"] + ops["Costs"]
rule NR-1 "Quarter revenue in prose":
    prose["Net revenue was"] restates ops["Net revenue"]
rule NR-2 "Full-year revenue in prose":
    prose["net revenue was"] restates ops["Net revenue"]
"""


def run(filing_text=FILING):
    return audit(compile_rules([parse(RULES, "p.rules")]), extract(filing_text, "q4.txt"))


def test_columns_are_quarters_and_years():
    filing = extract(FILING, "q4.txt")
    [table] = filing.tables
    assert [c.label for c in table.columns] == ["3M to 2022-12-31 RMB", "3M to 2023-12-31 RMB",
                                               "12M to 2022-12-31 RMB", "12M to 2023-12-31 RMB"]


def test_rules_hold_in_every_column():
    result = run()
    assert [f.status for f in result.findings if f.rule.id == "OPS-1"] == ["pass"] * 4


def test_prose_binds_to_the_quarter_or_the_year_its_words_name():
    result = run()
    quarter = {f.column: f for f in result.findings if f.rule.id == "NR-1"}
    year = {f.column: f for f in result.findings if f.rule.id == "NR-2"}
    assert all(f.status == "pass" for f in list(quarter.values()) + list(year.values()))
    assert {g.text for f in quarter.values() for g in f.figures} >= {"2,100,000", "1,900,000"}
    assert {g.text for f in year.values() for g in f.figures} >= {"8,000,000"}


def test_a_wrong_full_year_figure_fails_only_the_year_check():
    result = run(FILING.replace("RMB8,000.0 million", "RMB8,100.0 million"))
    failed = {(f.rule.id) for f in result.findings if f.status == "fail"}
    assert failed == {"NR-2"}
