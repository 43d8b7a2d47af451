"""What real packs need to say (issue 15), each written as a user would and shown to pass on the
clean filing and to fail on purpose: a table's unit, columns by length and role, relative periods
(@previous, @3M, @ytd), open ranges and kind filters, ordered label alternatives, footnote markers,
the precision of restated figures, and notes that say which alternative held."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURE, RULES, replace_on_line

from audit.base.errors import RuleError, RuleErrors
from audit.diagnose import audit
from audit.lang.grammar import parse
from audit.lang.graph import compile_rules
from audit.read.extract import extract
from audit.read.source import read_text

ROOT = Path(__file__).resolve().parent.parent
BUCKLE = ROOT.parent / "shared" / "filings" / "buckle-8k-ex99-1-2024-11-22.htm"
OPS = '"Condensed Consolidated Statements of Operations"'
REC = '"Reconciliations of GAAP and Non-GAAP Results"'


def pack(text: str):
    return compile_rules([parse(text, "t.rules")])


def statuses(result, rule_id="T-1") -> dict:
    return {f.column: f.status for f in result.findings if f.rule.id == rule_id}


def run(text: str, filing):
    return audit(pack(text), filing)


# -- 1. a table's unit -------------------------------------------------------------------------

NR = 'rule T-1 "revenue in the prose": prose["Total net revenue was"] restates ops["Total net revenue"]?\n'


def test_a_declared_unit_reads_a_table_whose_note_is_missing(fixture_text):
    lines = fixture_text.split("\n")
    assert lines[307].startswith("(Amounts in thousands")
    del lines[307:309]  # the statement of operations loses its unit note
    filing = extract("\n".join(lines), "no-note.txt")
    undeclared = run(f"table ops = {OPS}\n" + NR, filing)
    declared = run(f"table ops = {OPS} unit thousands\n" + NR, filing)
    assert "fail" in statuses(undeclared).values()
    assert set(statuses(declared).values()) == {"pass", "skip"}  # skip: the prior quarter, not printed
    per_share = [f for t in declared.filing.tables for f in t.figures() if f.kind == "per_share"]
    assert per_share and all(f.scale == 0 for f in per_share)  # only amounts take the unit


def test_a_wrong_declared_unit_fails(filing):
    assert set(statuses(run(f"table ops = {OPS} unit thousands\n" + NR, filing)).values()) == {"pass", "skip"}
    assert "fail" in statuses(run(f"table ops = {OPS} unit millions\n" + NR, filing)).values()


def test_an_unknown_unit_is_an_error_at_its_place():
    with pytest.raises(RuleError) as err:
        parse(f"table ops = {OPS} unit lakhs\n", "u.rules")
    assert "u.rules:1:" in str(err.value) and "thousands" in str(err.value)


# -- 2. columns by length, role and relative period -------------------------------------------

@pytest.fixture(scope="module")
def buckle():
    if not BUCKLE.exists():
        pytest.skip(f"{BUCKLE} is missing (../shared/filings)")
    return extract(read_text(str(BUCKLE)), str(BUCKLE))


BUCKLE_TABLE = 'table inc = "Consolidated Statements of Income"\n'


def test_columns_by_period_length(buckle):
    rules = BUCKLE_TABLE + ('rule T-1 "a quarter is part of its nine months" columns 3M:\n'
                            '    inc["SALES, Net of returns and allowances"] < inc["SALES, Net of returns and allowances"] @9M\n')
    got = statuses(run(rules, buckle))
    assert set(got) == {"3M to 2024-11-02 USD", "3M to 2023-10-28 USD"} and set(got.values()) == {"pass"}
    wrong = BUCKLE_TABLE + 'rule T-1 "wrong" columns 3M:\n    inc["SALES, Net of returns and allowances"] = inc["SALES, Net of returns and allowances"] @9M\n'
    assert set(statuses(run(wrong, buckle)).values()) == {"fail"}


def test_year_to_date_column_of_a_quarter(buckle):
    rules = BUCKLE_TABLE + ('rule T-1 "the ytd column" columns 3M:\n'
                            '    inc["SALES, Net of returns and allowances"] @ytd = inc["SALES, Net of returns and allowances"] @9M\n')
    assert set(statuses(run(rules, buckle)).values()) == {"pass"}


QUARTERS = """Acme Corp reports its results.

Condensed Statements of Operations
(in thousands)

\tThree months ended March 31,\tThree months ended June 30,\tSix months ended June 30,
\t2024\t2024\t2024
Revenue\t1,200\t1,350\t2,550
Cost of revenue\t700\t760\t1,460
Gross profit\t500\t590\t1,090
"""
HALF = ('table ops = "Condensed Statements of Operations"\n'
        'rule T-1 "six months = first quarter + second quarter" columns 6M:\n'
        '    ops["Revenue"] = ops["Revenue"] @3M + ops["Revenue"] @3M @previous\n'
        'rule T-2 "second quarter growth from the previous quarter" columns 3M:\n'
        '    ops["Revenue"] / ops["Revenue"] @previous - 1 > 0.1\n')


def test_six_months_is_the_sum_of_its_quarters():
    result = run(HALF, extract(QUARTERS, "q2.txt"))
    assert statuses(result) == {"6M to 2024-06-30": "pass"}
    t2 = {f.column: (f.status, f.cause) for f in result.findings if f.rule.id == "T-2"}
    assert t2["3M to 2024-06-30"] == ("pass", None)
    assert t2["3M to 2024-03-31"] == ("skip", "column not found")  # the quarter before is not printed
    wrong = QUARTERS.replace("2,550", "2,505")
    assert statuses(run(HALF, extract(wrong, "q2.txt"))) == {"6M to 2024-06-30": "fail"}


def test_an_unknown_period_length_is_an_error():
    with pytest.raises((RuleError, RuleErrors)) as err:
        pack('table ops = "X"\nrule T-1 "t": ops["A"] @5M = 1\n')
    assert "unknown period length '@5M'" in str(err.value) and "t.rules:2:" in str(err.value)
    with pytest.raises((RuleError, RuleErrors)) as err:
        pack('table ops = "X"\nrule T-1 "t": ops["A"] @previus = 1\n')
    assert "did you mean 'previous'" in str(err.value)


RELEASED = ('table ops = "X"\ntable bs = "B"\nlet rev = ops["Revenue"]\nlet rate = fact("exchange_rate")\n'
            'let usd = rev / rate\nlet back = prior_quarter.ops["Revenue"]\n')


@pytest.mark.parametrize("rule,col,message,expected", [
    ('prior_yaer.ops["Revenue"]', 22, "unknown release 'prior_yaer.'", "(did you mean 'prior_year.'?)"),
    ('prior_year.opx["Revenue"]', 22, "unknown table 'opx'", "(did you mean 'ops'?)"),
    ('prior_year.revenue', 22, "unknown name 'revenue'", "(did you mean 'rev'?)"),
    ('prior_year.usd', 22, "'prior_year.usd' cannot be read: the definition 'usd' reads fact()", "prose, facts"),
    ('prior_year.back', 22, "the definition 'back' reads prior_quarter.ops, a release of its own", "releases are not read"),
], ids=["release", "table", "name", "fact", "nested"])
def test_a_release_qualifier_is_checked_where_it_is_written(rule, col, message, expected):
    with pytest.raises((RuleError, RuleErrors)) as info:
        pack(RELEASED + f'rule T-1 "t":\n    ops["Revenue"] = {rule}\n')
    err = info.value if isinstance(info.value, RuleError) else info.value.errors[0]
    assert (err.file, err.line, err.col) == ("t.rules", 8, col), err.render()
    assert message in err.message and expected in (err.expected or "")
    assert err.render().splitlines()[2] == "    " + " " * (col - 1) + "^"


def test_the_rules_that_read_an_earlier_release_through_their_definitions():
    rs = pack(RELEASED + 'let growth = rev / prior_year.rev @prior\n'
              'rule T-1 "a": ops["Revenue"] @prior = prior_year.ops["Revenue"]\n'
              'rule T-2 "b": growth > 0\n'
              'rule T-3 "c": back = rev @previous\n'
              'rule T-4 "d": rev = rev\n')
    assert rs.earlier == {"T-1": ("prior_year",), "T-2": ("prior_year",), "T-3": ("prior_quarter",)}
    bound = rs.lets["prior_year.rev"].expr  # the definition read in that release: its tables qualified
    assert (bound.table, bound.release, bound.mods) == ("prior_year.ops", "prior_year", ("release:prior_year",))
    assert rs.tables["prior_year.ops"].release == "prior_year" and rs.tables["ops"].release is None


ROLES = """<html><body><p>Acme Corp reports its results.</p>
<p><b>Reconciliation of GAAP to Non-GAAP Measures</b></p><p>(in millions)</p>
<table>
<tr><td></td><td colspan="3">Three months ended March 31, 2024</td></tr>
<tr><td></td><td>GAAP</td><td>Adjustments</td><td>Non-GAAP</td></tr>
<tr><td>Operating expenses</td><td>900</td><td>(120)</td><td>780</td></tr>
<tr><td>Operating income</td><td>300</td><td>120</td><td>420</td></tr>
</table></body></html>"""
ROLE_RULES = ('table rec = "Reconciliation of GAAP to Non-GAAP Measures"\n'
              'rule T-1 "non-GAAP = GAAP + adjustments" columns "Non-GAAP":\n'
              '    rec["Operating income"] = rec["Operating income"] @"GAAP" + rec["Operating income"] @"Adjustments"\n')


def test_columns_by_role():
    filing = extract(ROLES, "roles.htm")
    roles = [c.role for t in filing.tables for c in t.columns]
    assert roles == ["GAAP", "Adjustments", "Non-GAAP"], roles
    assert set(statuses(run(ROLE_RULES, filing)).values()) == {"pass"}
    assert len(statuses(run(ROLE_RULES, filing))) == 1
    wrong = extract(ROLES.replace("<td>420</td>", "<td>402</td>"), "roles.htm")
    assert set(statuses(run(ROLE_RULES, wrong)).values()) == {"fail"}


# -- 3. ranges: open ranges, sections without totals, kinds -----------------------------------

BETWEEN = (f"table ops = {OPS}\n"
           'rule T-1 "costs foot": ops["Total operating costs and expenses"] =\n'
           '    sum(ops[between "Total net revenue" and "Total operating costs and expenses"])\n')


def test_rows_strictly_between_two_labels(filing, fixture_text):
    assert set(statuses(run(BETWEEN, filing)).values()) == {"pass"}
    wrong = extract(replace_on_line(fixture_text, 325, "103,768", "130,768"), "w.txt")
    assert statuses(run(BETWEEN, wrong))["3M to 2022-03-31 RMB"] == "fail"


def test_a_range_keeps_one_kind_unless_asked(filing):
    rules = (f"table rec = {REC}\n"
             'rule T-1 "range of amounts": rec["Non-GAAP net income"] =\n'
             '    sum(rec["Net income" .. "Non-GAAP net income margin"]) - rec["Non-GAAP net income"]\n')
    result = run(rules, filing)
    assert set(statuses(result).values()) == {"pass"}
    assert all(g.kind == "amount" for f in result.findings for g in f.figures)
    asked = rules.replace('margin"]', 'margin" where amount, percent]')
    assert any(g.kind == "percent" for f in run(asked, filing).findings for g in f.figures)


def test_a_sum_of_mixed_kinds_is_an_error_not_a_number(filing):
    rules = (f"table rec = {REC}\n"
             'rule T-1 "mixed": rec["Net income"] = sum(rec["Net income"], rec["GAAP net income margin"])\n')
    result = run(rules, filing)
    got = [f for f in result.findings if f.rule.id == "T-1"]
    assert got and got[0].status == "error" and "mixes amount and percent" in got[0].reason
    assert result.verdict.status == "fail"


def test_where_needs_a_range():
    with pytest.raises((RuleError, RuleErrors)) as err:
        pack(f'table rec = {REC}\nrule T-1 "t": sum(rec["Net income" where amount]) = 1\n')
    assert "'where' chooses the row kinds" in str(err.value)


# -- 4. labels that change over the years, footnote markers -----------------------------------

def test_the_first_alternative_that_exists_is_used(filing):
    rules = (f"table ops = {OPS}\n"
             'rule T-1 "renamed row": ops["Goodwill impairment" | "Funding costs" | "Sales and marketing"] ='
             ' ops["Funding costs"]\n')
    assert set(statuses(run(rules, filing)).values()) == {"pass"}
    flipped = rules.replace('"Funding costs" | "Sales and marketing"', '"Sales and marketing" | "Funding costs"')
    assert set(statuses(run(flipped, filing)).values()) == {"fail"}


@pytest.mark.parametrize("marker", ["*", "**", " (A)", " (1)", "\u00b9"])
def test_footnote_markers_are_not_part_of_a_label(ruleset, fixture_text, marker):
    text = replace_on_line(fixture_text, 325, "Funding costs", "Funding costs" + marker)
    result = audit(ruleset, extract(text, "marked.txt"))
    assert result.verdict.status == "pass", result.verdict.line()
    assert any(f.status == "pass" and any(g.row.startswith("Funding costs") for g in f.figures if g.row)
               for f in result.findings)


# -- 6. the precision of restated figures -----------------------------------------------------

@pytest.mark.parametrize("factor, status", [(None, "fail"), (100, "fail"), (1000, "pass")])
def test_coarse_gives_a_restated_figure_its_earlier_precision(filing, factor, status):
    left = f'coarse(ops["Net income"], {factor})' if factor else 'ops["Net income"]'
    rules = f"table ops = {OPS}\nrule T-1 \"restated\" columns RMB 2023:\n    {left} = 929900000\n"
    assert statuses(run(rules, filing)) == {"3M to 2023-03-31 RMB": status}


def test_coarse_needs_a_factor():
    with pytest.raises((RuleError, RuleErrors)) as err:
        pack(f'table ops = {OPS}\nrule T-1 "t": coarse(ops["Net income"], ops["Net income"]) = 1\n')
    assert "coarse()'s second argument" in str(err.value)


# -- 7. notes say which alternative held, and why ---------------------------------------------

def test_rounding_order_notes_are_only_about_rounding(clean_result):
    notes = [f.note for f in clean_result.findings if f.note]
    assert len(notes) == 3 and all(n.startswith("rounding order:") for n in notes)


def test_an_alternative_that_is_not_rounding_says_what_held(filing):
    rules = (f"table ops = {OPS}\n"
             'rule T-1 "either" columns RMB 2023: ops["Net income"] = ops["Income from operations"] or '
             'ops["Net income"] = ops["Income before income tax expense"] + ops["Income taxes expense"]\n')
    got = [f for f in run(rules, filing).findings if f.rule.id == "T-1"]
    assert got[0].status == "pass"
    assert got[0].note.startswith("the printed 929,822 follows") and "rounding" not in got[0].note


def test_the_bundled_fixture_still_passes(ruleset):
    result = audit(ruleset, extract(FIXTURE.read_text(encoding="utf-8"), str(FIXTURE)))
    assert result.verdict.status == "pass"
    assert RULES.exists()


# -- 5. prose anchors --------------------------------------------------------------------------

PROSE = ("Acme Corp reports its results.\n\n"
         "Revenue was $10.0 million. Non-GAAP operating income was $3.0 million, and operating income "
         "was $2.0 million.\n")


def test_an_anchor_is_not_found_inside_a_longer_anchor_of_the_pack():
    filing = extract(PROSE, "p.txt")
    alone = 'rule T-1 "operating income": prose["operating income was"] = 2000000\n'
    assert [f.status for f in run(alone, filing).findings] == ["fail", "pass"]  # inside "Non-GAAP ..." too
    both = alone + 'rule T-2 "non-GAAP operating income": prose["Non-GAAP operating income was"] = 3000000\n'
    got = {(f.rule.id, f.status) for f in run(both, filing).findings}
    assert got == {("T-1", "pass"), ("T-2", "pass")}


@pytest.mark.parametrize("anchor, value", [("and operating income was {}", 2000000),
                                           ("{}, and operating income", 3000000),
                                           ("Non-GAAP operating income was {}, and", 3000000)])
def test_the_placeholder_stands_anywhere_in_an_anchor(anchor, value):
    """`{}` marks where the figure stands: at the end, at the start or inside the anchor's words."""
    filing = extract(PROSE, "p.txt")
    rules = f'rule T-1 "placeholder": prose["{anchor}"] = {value}\n'
    findings = run(rules, filing).findings
    assert findings and {f.status for f in findings} == {"pass"}, [(f.status, f.reason) for f in findings]


# -- what a multi-year pack needed (found writing rules/xpeng) -------------------------------

YEAR_WORDS = QUARTERS.replace("Acme Corp reports its results.\n",
                              "Acme Corp reports its results.\n\nFor the full year 2024, revenue was $2.6 million.\n")


def test_a_sentence_period_the_table_lacks_is_never_another_column():
    """'For the full year' against a table of quarters and six months: not checked against either."""
    filing = extract(YEAR_WORDS, "q2.txt")
    rules = ('table ops = "Condensed Statements of Operations"\n'
             'rule T-1 "the year in the prose": prose["revenue was"] = ops["Revenue"]\n'
             'rule T-2 "its last quarter": prose["revenue was"] > ops["Revenue"] @3M\n')
    got = {f.rule.id: (f.status, f.cause) for f in run(rules, filing).findings}
    assert got["T-1"] == ("skip", "column not found")
    assert got["T-2"] == ("pass", None)  # @3M: the quarter ending with the year the words name


def test_signed_of_an_optional_anchor_is_not_applicable():
    filing = extract(PROSE, "p.txt")
    got = run('rule T-1 "signed": signed(prose["Deliveries rose"]?) = 1\n', filing).findings
    assert [(f.status, f.cause) for f in got] == [("skip", "not applicable")]
    got = run('rule T-1 "signed": signed(prose["Deliveries rose"]) = 1\n', filing).findings
    assert [(f.status, f.cause) for f in got] == [("skip", "anchor not found")]


def test_for_each_row_goes_on_past_an_optional_table_that_is_absent(filing):
    rules = (f'table ops = {OPS}\ntable seg = "Segment Information" optional\n'
             'rule T-1 "rows are numbers" severity warning:\n'
             '    for each row in seg, ops where amount:\n    row = row\n')
    got = [f for f in run(rules, filing).findings if f.rule.id == "T-1"]
    assert len(got) > 50 and {f.status for f in got} == {"pass"}
