"""`name @prior`, `name @end`, `name @USD`: a definition evaluated in another column."""
from __future__ import annotations

import pytest
from conftest import FIXTURE, ROOT

from audit.base.errors import RuleError
from audit.diagnose import audit
from audit.lang.grammar import parse
from audit.lang.graph import compile_rules
from audit.read.extract import extract

BUCKLE = ROOT.parent / "shared" / "filings" / "buckle-8k-ex99-1-2024-11-22.htm"


def run(rules: str, path):
    return audit(compile_rules([parse(rules, "t.rules")]), extract(path.read_text(encoding="utf-8"), str(path)))


def test_a_definition_in_the_prior_year_column_on_a_retail_calendar():
    result = run('''
table ops = "Consolidated Statements of Income"
let net_sales = ops["SALES, Net of returns and allowances"]
rule T-1 "Net sales change, both periods" columns all:
    net_sales / net_sales @prior - 1 < 0
''', BUCKLE)
    done = [(f.column, f.status, [g.text for g in f.figures]) for f in result.findings if f.status == "pass"]
    assert done == [("3M to 2024-11-02 USD", "pass", ["$293,618", "$303,457"]),
                    ("9M to 2024-11-02 USD", "pass", ["$838,490", "$878,719"])]
    assert [f.status for f in result.findings if f.status != "pass"] == ["skip", "skip"]  # no 2022 columns


def test_modifiers_on_a_definition_apply_to_every_reference_inside_it():
    result = run('''
table bs = "Balance Sheets"
table ops = "Statements of Operations"
let cash = bs["Cash and cash equivalents"]
rule T-2 "Cash in USD = cash in RMB / rate" columns RMB 2023:
    cash @end @USD = cash @end / fact("exchange_rate")
''', FIXTURE)
    assert [f.status for f in result.findings] == ["pass"]
    assert {g.column.currency for g in result.findings[0].figures if g.column} == {"USD", "RMB"}


def test_an_unknown_modifier_on_a_definition_is_a_rule_error():
    with pytest.raises(RuleError, match="unknown column modifier '@soon'") as caught:
        compile_rules([parse('let x = 1\nrule T "t":\n    x @soon = 1\n', "t.rules")])
    assert (caught.value.line, caught.value.col) == (3, 5)
