"""The rule grammar: valid snippets build the right positioned nodes; invalid ones give
file:line:col, the line, a caret and what was expected."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from audit.base.errors import RuleError
from audit.lang import nodes as n
from audit.lang.grammar import _blanked, parse


def only_rule(text: str) -> n.Rule:
    statements = parse(text, "t.rules").statements
    rules = [s for s in statements if isinstance(s, n.Rule)]
    assert len(rules) == 1
    return rules[0]


def test_balance_sheet_rule_builds_positioned_nodes():
    text = ('table bs = "Balance Sheets"\n'
            'rule BS-001 "Balance sheet balances" severity error:\n'
            '    bs["TOTAL ASSETS"] = bs["TOTAL LIABILITIES AND EQUITY"]\n')
    table, rule = parse(text, "t.rules").statements
    assert isinstance(table, n.TableDecl) and table.name == "bs"
    assert table.titles[0].value == "Balance Sheets"
    assert (rule.id, rule.title, rule.severity) == ("BS-001", "Balance sheet balances", "error")
    check = rule.check
    assert isinstance(check, n.Compare) and check.op == "="
    assert isinstance(check.left, n.CellRef) and check.left.table == "bs"
    assert check.left.path[0].options[0].value == "TOTAL ASSETS"
    assert (rule.span.line, rule.span.col) == (2, 1)
    assert (check.span.line, check.span.col) == (3, 5)
    assert (check.right.span.line, check.right.span.col) == (3, 26)


def test_operator_precedence_and_unary_minus():
    rule = only_rule('rule R-1 "p": 1 + 2 * 3 = -(4 - 5) / 2')
    left, right = rule.check.left, rule.check.right
    assert isinstance(left, n.Binary) and left.op == "+"
    assert isinstance(left.right, n.Binary) and left.right.op == "*"
    assert isinstance(right, n.Binary) and right.op == "/"
    assert isinstance(right.left, n.Unary) and right.left.op == "-"


def test_left_associative_subtraction():
    rule = only_rule('rule R-1 "p": 10 - 3 - 2 = 5')
    left = rule.check.left
    assert left.op == "-" and isinstance(left.left, n.Binary) and left.left.op == "-"
    assert left.right.value == Decimal(2)


def test_percent_literal_is_a_fraction_and_numbers_are_exact():
    rule = only_rule('rule R-1 "p": 50% = 0.5')
    assert rule.check.left.value == Decimal("0.5")
    assert rule.check.right.value == Decimal("0.5")


def test_paths_aliases_patterns_sections_ranges_and_modifiers():
    rule = only_rule(
        'rule R-1 "p" columns USD 2023 tolerance 1:\n'
        '  t["Credit driven services" / "Other services fees" | /other fees/i] @RMB @end\n'
        '    = sum(t["Current assets" / *]) + sum(t["A" .. "B"])\n'
        '  message "off by {difference}"')
    left = rule.check.left
    assert [type(s) for s in left.path] == [n.Label, n.Label]
    assert isinstance(left.path[1].options[1], n.Pattern) and left.path[1].options[1].flags == "i"
    assert left.mods == ("RMB", "end")
    section, ranged = rule.check.right.left.args[0], rule.check.right.right.args[0]
    assert isinstance(section.path[-1], n.Star)
    assert ranged.until and ranged.until[0].options[0].value == "B"
    assert rule.columns == ("USD", "2023")
    assert rule.tolerance.value == Decimal(1)
    assert rule.message == "off by {difference}"


def test_for_each_row_rules_and_functions():
    rule = only_rule('rule FX-1 "usd" columns USD:\n'
                     '  for each row in bs, ops where amount, per_share:\n'
                     '  row = translate(row @RMB, fact("exchange_rate"))')
    assert rule.foreach.tables == ("bs", "ops") and rule.foreach.kinds == ("amount", "per_share")
    call = rule.check.right
    assert call.func == "translate" and isinstance(call.args[0], n.RowRef) and call.args[0].mods == ("RMB",)
    assert isinstance(call.args[1].args[0], n.Str) and call.args[1].args[0].value == "exchange_rate"


def test_alternatives_and_restates_and_unchecked():
    statements = parse(
        'rule NR-1 "prose" severity info:\n'
        '  prose["Total net revenue was"] restates ops["Total net revenue"]\n'
        '  or prose["{} loans across"] <= abs(round(ops["x"], 2))\n'
        'unchecked "metric": prose["tenor" / "approximately"], prose["a" | /b/]\n', "t.rules").statements
    rule, unchecked = statements
    assert isinstance(rule.check, n.Either) and len(rule.check.options) == 2
    assert isinstance(rule.check.options[0], n.Restates)
    assert rule.check.options[1].op == "<="
    assert unchecked.reason == "metric" and len(unchecked.refs) == 2
    assert len(unchecked.refs[1].anchors[0].options) == 2


def test_comments_and_escaped_quotes():
    rule = only_rule('# heading\nrule R-1 "say \\"hi\\"": # trailing\n  prose["the \\"ICE\\" was"] = 1\n')
    assert rule.title == 'say "hi"'
    assert rule.check.left.anchors[0].options[0].value == 'the "ICE" was'


def test_a_release_qualifier_reads_a_table_or_definition_of_an_earlier_release():
    rule = only_rule('rule XR-1 "q" columns 3M:\n'
                     '    is["Total revenues"] = prior_quarter.is["Total revenues"]? @3M + prior_year.net @prior\n')
    ref, name = rule.check.right.left, rule.check.right.right
    assert isinstance(ref, n.CellRef) and (ref.release, ref.table, ref.optional) == ("prior_quarter", "prior_quarter.is", True)
    assert ref.mods == ("3M", "release:prior_quarter")  # the engine's column lookups of that release
    assert (ref.span.line, ref.span.col, ref.span.end_col) == (2, 28, 44)  # from the qualifier
    assert isinstance(name, n.Name) and (name.release, name.name, name.mods) == ("prior_year", "prior_year.net", ("prior",))
    assert rule.check.left.release is None and rule.check.left.table == "is"
    from audit.lang.graph import ref_key
    assert ref_key(ref) == 'prior_quarter.is["Total revenues"]? @3M'


BAD = [
    # (snippet, line, col, message fragment, expected fragment)
    ('rule BS-001 "x" severity fatal:\n  1 = 1', 1, 26, "found 'fatal'", "severity (error, warning or info)"),
    ('table bs = "B"\nrule BS-001 "x":\n    bs["A"] = bs["B" +\n', 3, 22, "found '+'", "']'"),
    ('rul BS-001 "x":\n  1 = 1', 1, 1, "found 'rul'", "a statement (pack, table, let, rule or unchecked)"),
    ('rule BS-001 "x":\n    bs["A"] bs["B"]', 2, 13, "found 'bs'", "comparison"),
    ('let x = (1 + 2', 1, 15, "syntax error", "balanced parentheses"),
    ('rule BS-001 "x":\n    bs["TOTAL ASSETS] = 1', 2, 8, "unterminated string", 'a closing "'),
    ('rule A-1 "x" columns rmb:\n  1 = 1', 1, 22, "found 'rmb'", "column"),
    ('let x = 1 +\nrule A "t": 1 = 2', 1, 12, "syntax error", "value"),
    ('rule A-1 "x":\n', 2, 1, "syntax error", "check"),
    # what an earlier release does not give: its prose, its `row`, a function of it (issue 17)
    ('rule X "x":\n  1 = prior_year.prose["Revenue was"]', 2, 18, "found 'prose'", "an earlier release's prose is not read"),
    ('rule X "x":\n  for each row in bs:\n  row = prior_year.row', 3, 20, "found 'row'", "'row' is this release's row"),
    ('rule X "x":\n  1 = prior_quarter.sum(bs["A"])', 2, 21, "found 'sum'", "qualify the references inside it"),
]


@pytest.mark.parametrize("snippet,line,col,message,expected", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_syntax_errors_point_at_file_line_col_with_caret(snippet, line, col, message, expected):
    with pytest.raises(RuleError) as info:
        parse(snippet, "pack/bad.rules")
    err = info.value
    assert (err.file, err.line, err.col) == ("pack/bad.rules", line, col), err.render()
    assert message in err.message
    assert expected in (err.expected or "")
    rendered = err.render().splitlines()
    assert rendered[0].startswith(f"pack/bad.rules:{line}:{col}: error:")
    source_line = snippet.splitlines()[line - 1] if line <= len(snippet.splitlines()) else ""
    assert rendered[1] == "    " + source_line
    assert rendered[2] == "    " + " " * (col - 1) + "^"


def test_deeply_nested_parentheses_parse_quickly():
    # A recursive infix_notation (pyparsing before 3.3.3) without packrat parsing is exponential in the
    # nesting depth; the grammar has no packrat and relies on the iterative one (pyproject.toml).
    depth = 40
    rule = only_rule('rule R-1 "deep": ' + "(" * depth + "1" + ")" * depth + " = 1")
    assert rule.check.left.value == Decimal(1)


def test_blanking_comments_parses_as_the_grammar_that_skips_comments_anywhere():
    """parse() turns comments into spaces, on lines of their own and after code (twice as fast): every
    bundled rule file and drafted packs give the nodes, spans included, of the grammar that skips a
    comment before any token."""
    from audit.lang.grammar import build_grammar

    skipping = build_grammar(comments=True)
    root = Path(__file__).resolve().parent.parent
    texts = [(p.read_text(encoding="utf-8"), str(p)) for p in sorted(root.glob("rules/**/*.rules"))]
    texts.append(("# a drafted pack\ntable bs = \"B\"\n\n# holds in 2 of 2 columns\nrule R-1 \"t\":\n"
                  "    # between the tokens of a check\n    bs[\"A\"] =\n  # and again\n        bs[\"B\"]\n", "d.rules"))
    # comments after code, as drafted packs write them, and a '#' in a string before one: blanked too
    after_code = ('table t1 = "Balance # sheets"   # line 9: BALANCE SHEETS\ntable t2 = "b"# line 40\n'
                  'rule R-2 "a # \\" b":   # trailing\n    t1["A"] = t2["C"]  # and one more\n')
    texts += [(after_code, "drafted.rules"), ('table t = "x"\nrule R "r":\n  t["A" / "B"] = 1  # after a path\n', "p.rules")]
    assert sum("#" in t for t, _ in texts) > 10
    for text, path in texts:
        assert parse(text, path).statements == tuple(skipping.parse_string(text, parse_all=True)), path
    assert _blanked(after_code) is not None  # (the grammar without comment skipping read it)
    assert _blanked('table t = /a#b/\n') is None  # a '#' after a '/' may be a pattern's: left to the other
    # a '#' after code, or inside a string, is left to the grammar that skips comments: still read right
    rule = only_rule('# c\nrule R-1 "a # b": # trailing\n  1 = 1\n')
    assert rule.title == "a # b" and (rule.span.line, rule.span.col) == (2, 1)
