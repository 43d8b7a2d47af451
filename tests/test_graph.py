"""The dependency graph: unknown names, duplicates and cycles are errors at file:line:col;
definitions are ordered topologically; the graph exports as dot and JSON."""
from __future__ import annotations

import pytest

from audit.base.errors import RuleError, RuleErrors
from audit.lang.export import to_dot, to_json
from audit.lang.grammar import parse
from audit.lang.graph import compile_rules, load

HEAD = 'table bs = "Balance Sheets"\n'


def compile_text(*texts: str):
    files = [parse(text, f"f{i}.rules") for i, text in enumerate(texts)]
    return compile_rules(files)


def errors_of(*texts: str) -> list[RuleError]:
    with pytest.raises((RuleError, RuleErrors)) as info:
        compile_text(*texts)
    exc = info.value
    return exc.errors if isinstance(exc, RuleErrors) else [exc]


def test_unknown_name_points_at_its_use_and_suggests():
    [err] = errors_of(HEAD + 'let total = 1\nrule R-1 "x":\n  bs["A"] = totl\n')
    assert (err.file, err.line, err.col) == ("f0.rules", 4, 13)
    assert "unknown name 'totl'" in err.message
    assert "did you mean 'total'" in err.expected


def test_unknown_table_function_and_modifier():
    errs = errors_of('rule R-1 "x":\n  xs["A"] @sideways = median(1)\n')
    messages = " | ".join(e.message for e in errs)
    assert "unknown table 'xs'" in messages
    assert "unknown column modifier '@sideways'" in messages
    assert "unknown function 'median'" in messages


def test_duplicate_rule_ids_across_files_name_both_places():
    [err] = errors_of(HEAD + 'rule R-1 "a": 1 = 1\n', '\n\nrule R-1 "b": 2 = 2\n')
    assert (err.file, err.line) == ("f1.rules", 3)
    assert "duplicate rule id 'R-1'" in err.message
    assert any("f0.rules:2:1" in note for note in err.related)


def test_duplicate_definitions_and_tables():
    errs = errors_of(HEAD + HEAD + 'let a = 1\nlet a = 2\n')
    messages = [e.message for e in errs]
    assert "table 'bs' is declared twice" in messages
    assert "'a' is defined twice" in messages


def test_definition_cycle_is_an_error_with_the_path():
    [err] = errors_of('let a = b + 1\nlet b = c * 2\nlet c = a\nrule R-1 "x": a = 1\n')
    assert "cycle" in err.message
    assert "a -> b -> c -> a" in err.message or "b -> c -> a -> b" in err.message or "c -> a -> b -> c" in err.message
    assert err.line in (1, 2, 3)


def test_self_reference_is_a_cycle():
    [err] = errors_of('let a = a + 1\n')
    assert "cycle" in err.message and "a -> a" in err.message


def test_row_outside_for_each_and_sections_outside_sum():
    errs = errors_of(HEAD + 'rule R-1 "x": row = bs["A" / *]\n')
    messages = " | ".join(e.message for e in errs)
    assert "'row' is only defined inside 'for each row' rules" in messages
    assert "wrap it in sum(...)" in messages


def test_function_arity_and_bad_regex():
    errs = errors_of(HEAD + 'rule R-1 "x": abs(1, 2) = bs[/(unclosed/]\n')
    messages = " | ".join(e.message for e in errs)
    assert "abs() takes 1 argument(s), not 2" in messages
    assert "invalid regular expression" in messages


def test_definitions_are_ordered_topologically():
    rs = compile_text('let c = b + a\nlet b = a * 2\nlet a = 1\nrule R-1 "x": c = 3\n')
    order = rs.let_order
    assert order.index("a") < order.index("b") < order.index("c")


def test_edges_come_from_walking_the_ast():
    rs = compile_text(HEAD + 'let cash = bs["Cash"]\nrule R-1 "x": bs["Total"] = cash + fact("exchange_rate")\n')
    g = rs.graph
    assert g.has_edge(("let", "cash"), ("rule", "R-1"))
    assert g.has_edge(("ref", 'bs["Cash"]'), ("let", "cash"))
    assert g.has_edge(("table", "bs"), ("ref", 'bs["Total"]'))
    assert g.has_edge(("fact", "exchange_rate"), ("rule", "R-1"))


def test_rules_keep_file_order(ruleset):
    ids = [r.id for r in ruleset.rules]
    assert ids.index("BS-001") < ids.index("BS-009") < ids.index("CF-001")


def test_bundled_pack_compiles_and_exports(ruleset):
    dot = to_dot(ruleset)
    assert dot.startswith("digraph rules {") and '"rule:BS-009"' in dot
    doc = to_json(ruleset)
    ids = {node["id"] for node in doc["nodes"]}
    assert "rule:BS-009" in ids and "let:usd_rate" in ids
    assert ["let:usd_rate", "rule:FX-001"] in doc["edges"]


def test_several_errors_are_all_reported(tmp_path):
    (tmp_path / "a.rules").write_text('rule R-1 "x": nope = 1\nrule R-2 "y": nada = 2\n')
    with pytest.raises(RuleErrors) as info:
        load([str(tmp_path)])
    assert [e.line for e in info.value.errors] == [1, 2]


def test_one_file_of_a_pack_says_where_its_names_are_declared():
    from conftest import RULES

    with pytest.raises(RuleError) as info:
        load([str(RULES / "balance_sheet.rules")])
    err = info.value
    assert err.message == "unknown table 'bs'" and err.line == 4
    notes = " ".join(err.related)
    assert "used 21 more time(s) in this file" in notes
    assert "00-tables.rules" in notes and "pass the folder" in notes
