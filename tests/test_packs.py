"""Rule packs: discovery, `pack` declarations, choosing the packs that apply, and what the
reports say about them. Real packs (rules/qfin, rules/buckle) on the real fixtures."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import FIXTURE, ROOT

from audit.base.errors import InputError, RuleError, RuleErrors
from audit.cli import main
from audit.lang.grammar import parse
from audit.lang.graph import compile_rules
from audit.lang.packs import applies, compile_packs, discover
from audit.read.extract import extract

ALL_RULES = ROOT / "rules"
BUCKLE = ROOT.parent / "shared" / "filings" / "buckle-8k-ex99-1-2024-11-22.htm"


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def run_json(runner, *args):
    result = runner.invoke(main, ["run", *map(str, args), "--no-html", "--json", "-"])
    return result, (json.loads(result.stdout) if result.exit_code in (0, 1) else None)


def condition(text: str):
    """The condition of a one-line pack declaration."""
    return compile_rules([parse(f'pack p "t": {text}\n', "p.rules")]).packs[0][0].condition


def test_the_bundled_rules_folder_holds_its_packs_each_with_its_declaration():
    packs = compile_packs([str(ALL_RULES)], lambda files: compile_rules(
        [parse(open(f, encoding="utf-8").read(), f) for f in files]))
    assert [(p.name, p.path) for p in packs] == [("buckle", str(ALL_RULES / "buckle")),
                                                  ("qfin", str(ALL_RULES / "qfin")),
                                                  ("xpeng", str(ALL_RULES / "xpeng"))]
    assert all(p.decl is not None and p.title for p in packs)


def test_qifu_filing_runs_only_the_qifu_pack(runner):
    result, doc = run_json(runner, ALL_RULES, FIXTURE)
    assert result.exit_code == 0, result.output
    packs = {p["name"]: p for p in doc["packs"]}
    assert packs["qfin"]["applied"] and not packs["buckle"]["applied"]
    assert packs["qfin"]["reason"].startswith('issuer "Qifu Technology, Inc." (line 16) matches')
    assert 'does not match "Buckle"' in packs["buckle"]["reason"]
    assert {r["rule"]["file"].split("/")[-2] for r in doc["results"]} == {"qfin"}
    assert doc["summary"]["fail"] == 0 and doc["summary"]["total"] == 399
    assert doc["filing"]["issuer"] == "Qifu Technology, Inc." and doc["filing"]["ticker"] == "QFIN"
    assert doc["filing"]["form"] == "6-K"


def test_buckle_filing_runs_only_the_buckle_pack(runner):
    result, doc = run_json(runner, ALL_RULES, BUCKLE)
    assert result.exit_code == 0, result.output
    assert [p["name"] for p in doc["packs"] if p["applied"]] == ["buckle"]
    assert {r["rule"]["file"].split("/")[-2] for r in doc["results"]} == {"buckle"}
    assert doc["summary"]["fail"] == 0 and doc["summary"]["error"] == 0


def test_console_says_which_packs_applied_and_why(runner):
    result = runner.invoke(main, ["run", str(ALL_RULES), str(BUCKLE), "--no-html"])
    assert result.exit_code == 0
    assert f"pack buckle ({ALL_RULES / 'buckle'}): applied, issuer \"The Buckle, Inc.\" (line 3)" in result.stdout
    assert f"pack qfin ({ALL_RULES / 'qfin'}): skipped, issuer \"The Buckle, Inc.\"" in result.stdout


def test_no_pack_applies_is_a_clear_error_and_writes_nothing(runner, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Acme Widgets, Inc. (NYSE: ACME) reports revenue of $5.0 million.\n", encoding="utf-8")
    html = tmp_path / "r.html"
    result = runner.invoke(main, ["run", str(ALL_RULES), str(other), "--html", str(html)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{other}: no rule pack applies to this filing" in result.stderr
    assert 'qfin (' in result.stderr and 'issuer "Acme Widgets, Inc." (line 1) does not match' in result.stderr
    assert 'ticker "ACME" (line 1) does not match "BKE"' in result.stderr
    assert not html.exists()


def test_a_pack_without_declaration_applies_to_every_filing_and_runs_with_the_issuer_pack(runner, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ALL_RULES / "qfin", rules / "qfin")
    (rules / "generic").mkdir()
    (rules / "generic" / "any.rules").write_text(
        'table gen_bs = "Balance Sheets"\n'
        'rule GEN-001 "Assets are positive":\n    gen_bs["Total assets"] > 0\n', encoding="utf-8")
    result, doc = run_json(runner, rules, FIXTURE)
    assert result.exit_code == 0, result.output
    assert [(p["name"], p["applied"]) for p in doc["packs"]] == [("generic", True), ("qfin", True)]
    assert doc["packs"][0]["reason"] == "applies to every filing (no pack condition)"
    ids = {r["id"] for r in doc["results"]}
    assert "GEN-001" in ids and "BS-001" in ids


def test_packs_that_apply_together_and_clash_say_so(runner, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ALL_RULES / "qfin", rules / "qfin")
    (rules / "generic").mkdir()
    (rules / "generic" / "any.rules").write_text('table bs = "Balance Sheets"\n', encoding="utf-8")
    result = runner.invoke(main, ["run", str(rules), str(FIXTURE), "--no-html"])
    assert result.exit_code == 2
    assert "all apply to this filing and share one namespace" in result.stderr
    assert "table 'bs' is declared twice" in result.stderr


def test_a_broken_pack_is_reported_even_when_it_would_not_apply(runner, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ALL_RULES / "qfin", rules / "qfin")
    (rules / "broken").mkdir()
    (rules / "broken" / "x.rules").write_text('pack broken "x": issuer = "Nobody"\nrule X "x":\n  a[ = 1\n',
                                              encoding="utf-8")
    result = runner.invoke(main, ["run", str(rules), str(FIXTURE), "--no-html"])
    assert result.exit_code == 2 and "x.rules:3:" in result.stderr and "^" in result.stderr


def test_lint_lists_each_pack_and_its_condition(runner):
    result = runner.invoke(main, ["lint", str(ALL_RULES)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"ok: pack buckle ({ALL_RULES / 'buckle'}):")
    assert lines[0].endswith('applies to issuer = "Buckle" or ticker = "BKE"')
    assert lines[1].startswith(f"ok: pack qfin ({ALL_RULES / 'qfin'}): 11 rule file(s), 108 rules, 5 definitions")
    # the declarations written, not those made for the earlier releases its rules read (prior_quarter.x)
    xpeng = ALL_RULES / "xpeng"
    written = [w for p in xpeng.glob("*.rules") for line in p.read_text(encoding="utf-8").splitlines()
               for w in line.split()[:1]]
    assert f"read earlier releases: `qfin-audit series`), {written.count('let')} definitions, " \
           f"{written.count('table')} tables;" in lines[2]


def test_graph_of_several_packs_asks_for_one(runner):
    result = runner.invoke(main, ["graph", str(ALL_RULES)])
    assert result.exit_code == 2 and "holds 3 rule packs" in result.stderr
    assert runner.invoke(main, ["graph", str(ALL_RULES / "qfin")]).exit_code == 0


@pytest.mark.parametrize("source, message", [
    ('pack p "t": isuer = "X"\n', "unknown filing field 'isuer'"),
    ('pack p "t": issuer = /(unclosed/\n', "invalid regular expression"),
    ('pack p "t": issuer = "A"\npack p "u": ticker = "B"\n', "pack 'p' is declared twice"),
])
def test_bad_pack_declarations_point_at_file_line_col(source, message):
    with pytest.raises((RuleError, RuleErrors)) as caught:
        compile_rules([parse(source, "p.rules")])
    assert message in str(caught.value) and "p.rules:" in str(caught.value) and "^" in str(caught.value)


def test_unknown_field_suggests_the_close_one():
    with pytest.raises(RuleError) as caught:
        compile_rules([parse('pack p "t": isuer = "X"\n', "p.rules")])
    assert "did you mean 'issuer'?" in str(caught.value) and caught.value.line == 1 and caught.value.col == 13


def test_two_declarations_in_one_folder_are_an_error(tmp_path):
    (tmp_path / "a.rules").write_text('pack a "A": issuer = "A"\n', encoding="utf-8")
    (tmp_path / "b.rules").write_text('pack b "B": issuer = "B"\n', encoding="utf-8")
    from audit.lang.graph import load

    with pytest.raises(RuleError) as caught:
        compile_packs([str(tmp_path)], load)
    assert "a folder is one pack" in str(caught.value)


def test_two_packs_with_one_name_are_an_error(tmp_path):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "p.rules").write_text('pack same "S": issuer = "S"\n', encoding="utf-8")
    from audit.lang.graph import load

    with pytest.raises(InputError, match="two packs are named 'same'"):
        compile_packs([str(tmp_path)], load)


def test_discovery_finds_nested_folders_and_loose_files(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.rules").write_text("", encoding="utf-8")
    (tmp_path / "a" / "b" / "two.rules").write_text("", encoding="utf-8")
    (tmp_path / "a" / "b" / "three.rules").write_text("", encoding="utf-8")
    (tmp_path / "loose.rules").write_text("", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    packs = discover([str(tmp_path / "a"), str(tmp_path / "loose.rules")])
    # a/ holds a pack folder (b/), so a/one.rules is a pack of its own; b/'s two files are one pack
    assert [(p.name, len(p.files)) for p in packs] == [("loose", 1), ("one", 1), ("b", 2)]
    assert [(p.name, len(p.files)) for p in discover([str(tmp_path / "a" / "b")])] == [("b", 2)]
    with pytest.raises(InputError, match="no .rules files in this directory or its subfolders"):
        discover([str(tmp_path / "empty")])


def test_a_single_rule_file_in_the_rules_folder_is_a_pack_with_its_own_declaration(runner, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ALL_RULES, rules)
    (rules / "acme.rules").write_text('pack acme "Acme Widgets releases": issuer = "Acme Widgets"\n'
                                      'table acme_ops = "Statements of Operations"\n'
                                      'rule ACME-001 "Revenue is positive":\n    acme_ops["Revenue"] > 0\n',
                                      encoding="utf-8")
    result, doc = run_json(runner, rules, FIXTURE)
    assert result.exit_code == 0, result.output
    assert [(p["name"], p["applied"]) for p in doc["packs"]] == [("acme", False), ("buckle", False), ("qfin", True),
                                                                       ("xpeng", False)]
    assert doc["packs"][0]["path"] == str(rules / "acme.rules")


@pytest.fixture(scope="module")
def qifu():
    return extract(FIXTURE.read_text(encoding="utf-8"), str(FIXTURE))


@pytest.mark.parametrize("text, verdict", [
    ('issuer = "Qifu Technology"', True),
    ('issuer = "qifu  technology, inc."', True),  # any case, any spacing
    ('issuer = "Qifu Tech"', False),  # a whole word or phrase, not a prefix
    ('issuer = /^Qifu/', True),
    ('issuer = /^qifu/', False),
    ('issuer = /^qifu/i', True),
    ('ticker = "QFIN" and form = "6-K"', True),
    ('ticker = "QFIN" and form = "8-K"', False),
    ('ticker = "BKE" or form = "6-K"', True),
    ('not ticker = "BKE"', True),
    ('not (ticker = "QFIN" or ticker = "BKE")', False),
    ('text = "Credit-Tech platform"', True),
    ('text = /HKEx:\\s*3660/', True),
    ('text = "Buckle"', False),
    ('filename = /6k\\.txt$/', True),
])
def test_conditions(qifu, text, verdict):
    assert applies(condition(text), qifu)[0] is verdict


def test_reasons_quote_the_filing(qifu):
    assert applies(condition('form = "8-K"'), qifu) == (False, 'form "6-K" (line 6) does not match "8-K"')
    assert applies(condition('text = /HKEx: \\d+/'), qifu) == (True, "the text says 'HKEx: 3660' (line 49)")
    ok, why = applies(condition('ticker = "QFIN" and issuer = /Qifu/'), qifu)
    assert ok and why == 'ticker "QFIN" (line 49) matches "QFIN" and issuer "Qifu Technology, Inc." (line 16) matches /Qifu/'
    bare = extract("Revenue was $5.0 million.\n", "bare.txt")
    assert applies(condition('issuer = "X"'), bare) == (False, "the filing does not state its issuer")


def test_batch_audits_each_issuer_with_its_own_pack(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(ALL_RULES), str(FIXTURE), str(BUCKLE), str(tmp_path / "none.txt"),
                                  "--jobs", "1", "--out", str(out), "--no-html"])
    assert result.exit_code == 1  # the missing file
    lines = {json.loads(t)["path"]: json.loads(t) for t in (out / "summary.jsonl").read_text().splitlines()}
    assert lines[str(FIXTURE)]["packs"] == ["qfin"] and lines[str(FIXTURE)]["verdict"] == "pass"
    assert lines[str(BUCKLE)]["packs"] == ["buckle"] and lines[str(BUCKLE)]["verdict"] == "pass"
    assert lines[str(tmp_path / "none.txt")]["verdict"] == "error"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<td>qfin</td>" in index and "<td>buckle</td>" in index


def test_pack_option_runs_a_pack_whatever_its_condition_says(runner, tmp_path):
    other = tmp_path / "renamed.txt"
    text = FIXTURE.read_text(encoding="utf-8")
    cover = "Qifu Technology, Inc.\n\n(Translation"
    assert cover in text and "NASDAQ: QFIN" in text
    other.write_text(text.replace(cover, "Acme Lending, Inc.\n\n(Translation").replace("NASDAQ: QFIN", "NASDAQ: ACME"),
                     encoding="utf-8")
    assert runner.invoke(main, ["run", str(ALL_RULES), str(other), "--no-html"]).exit_code == 2
    result, doc = run_json(runner, ALL_RULES, other, "--pack", "qfin")
    assert result.exit_code == 0, result.output
    assert [(p["name"], p["applied"], p["reason"]) for p in doc["packs"]] == [
        ("buckle", False, "not chosen (--pack)"), ("qfin", True, "chosen with --pack"),
        ("xpeng", False, "not chosen (--pack)")]
    assert doc["summary"]["fail"] == 0 and doc["summary"]["total"] == 399
    bad = runner.invoke(main, ["run", str(ALL_RULES), str(FIXTURE), "--no-html", "--pack", "qifu"])
    assert bad.exit_code == 2 and "no pack named 'qifu'; the packs are buckle" in bad.stderr
