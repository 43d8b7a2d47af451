"""Three verdicts (issue 13): PASS only when the checks ran and held; INCOMPLETE, with its causes and
exit code 3, when the pack expected something the filing did not give; FAIL when a check failed or
could not be decided. Optional parts of a pack (`table ... optional`, `rule ... optional`, `ref?`)
make an absence "not applicable" instead."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURE, RULES, parsed_rules

from audit.cli import main
from audit.diagnose import audit
from audit.lang.grammar import parse
from audit.lang.graph import compile_rules
from audit.read.extract import extract

CF_TITLE = "Unaudited Condensed Consolidated Statements of Cash Flows"
ALL_TITLES = ("Unaudited Condensed Consolidated Balance Sheets",
              "Unaudited Condensed Consolidated Statements of Operations",
              CF_TITLE, "Unaudited Condensed Consolidated Statements of Comprehensive Income",
              "Unaudited Reconciliations of GAAP and Non-GAAP Results")


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(runner, *args):
    return runner.invoke(main, ["run", *map(str, args), "--no-html"])


def pack_with(extra: str):
    return compile_rules([*parsed_rules(), parse(extra, "extra.rules")])


def renamed(fixture_text: str, *titles: str) -> str:
    for title in titles:
        assert title in fixture_text
        fixture_text = fixture_text.replace(title, "Selected Figures")
    return fixture_text


# -- the bundled filings pass honestly --------------------------------------------------------

def test_the_fixture_passes_with_every_skip_declared_not_applicable(clean_result):
    verdict = clean_result.verdict
    assert verdict.status == "pass"
    assert verdict.missing == 0 and verdict.evaluated == verdict.held > 300
    assert dict(verdict.skips) == {"not applicable": clean_result.counts()["skip"]}
    assert verdict.line().startswith(f"PASS, {verdict.evaluated} error-severity checks evaluated, all held;")


def test_a_pass_that_leaves_figures_out_says_how_many_are_in_a_check(filing, clean_result):
    """The whole pack ties every figure it can (no clause); the balance sheet's rules alone hold as
    well, and the PASS says how few of the figures read they used."""
    assert clean_result.verdict.reach == () and "figures read" not in clean_result.verdict.line()
    alone = audit(compile_rules([f for f in parsed_rules() if Path(f.path).stem in ("00-tables", "balance_sheet")]),
                  filing)
    cov, verdict = alone.coverage, alone.verdict
    assert verdict.status == "pass" and verdict.held > 10
    used = cov.table_checked + cov.narrative_checked
    readable = cov.table_total + cov.narrative_total - cov.narrative_uncheckable  # what no pack declared unfit
    assert verdict.reach == (used, readable) and used < readable / 2
    assert verdict.line().endswith(f"; {used:,} of the {readable:,} figures read are in a check")


def test_pass_exit_code_and_verdict_line(runner):
    result = run(runner, RULES, FIXTURE)
    assert result.exit_code == 0, result.output
    assert "verdict: PASS, 358 error-severity checks evaluated, all held; skipped: 29 not applicable" \
        in result.stdout


# -- INCOMPLETE: a table title changed, no tables at all --------------------------------------

def test_a_changed_table_title_is_incomplete_never_pass(runner, tmp_path, fixture_text):
    filing = write(tmp_path, "renamed-6k.txt", renamed(fixture_text, CF_TITLE))
    result = runner.invoke(main, ["run", str(RULES), str(filing), "--no-html", "--json", "out.json",
                                  "--junit", "out.xml", "--markdown", "out.md"])
    assert result.exit_code == 3, result.output
    assert "verdict: INCOMPLETE" in result.stdout and "PASS" not in result.stdout.split("verdict:")[-1]
    assert "NOT CHECKED, table not found (6):" in result.stdout
    assert "CF-001" in result.stdout

    summary = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["summary"]
    assert summary["verdict"] == "incomplete"
    assert summary["skips_by_cause"]["table not found"] == 6
    assert summary["error_checks"]["not_run"] == 6 and summary["error_checks"]["failed"] == 0
    assert "table not found: CF-001" in summary["incomplete"]

    junit = ET.parse(tmp_path / "out.xml").getroot()
    verdict = [c for c in junit.iter("testcase") if c.get("classname") == "verdict"]
    assert verdict and verdict[0].find("failure").get("type") == "incomplete"
    assert "[table not found]" in ET.tostring(junit, encoding="unicode")

    markdown = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert markdown.startswith("### qfin-audit: INCOMPLETE")
    assert "**Not checked, table not found** (6): CF-001" in markdown


def test_the_html_report_shows_incomplete_with_its_causes(runner, tmp_path, fixture_text):
    filing = write(tmp_path, "renamed-6k.txt", renamed(fixture_text, CF_TITLE))
    result = runner.invoke(main, ["run", str(RULES), str(filing), "--html", "out.html"])
    assert result.exit_code == 3
    html = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert 'class="verdict v-incomplete"' in html and ">INCOMPLETE<" in html
    assert "Not checked: table not found</b> (6)" in html


def test_a_pack_whose_titles_match_nothing_is_incomplete(fixture_text, ruleset):
    result = audit(ruleset, extract(renamed(fixture_text, *ALL_TITLES), "renamed.txt"))
    verdict = result.verdict
    assert verdict.status == "incomplete" and not result.failed
    assert dict(verdict.skips)["table not found"] > 50
    assert verdict.evaluated < 50  # only prose-to-prose checks are left


def test_a_filing_with_no_tables_is_incomplete_and_coverage_says_none_read(runner, tmp_path, fixture_text):
    prose_only = write(tmp_path, "prose-6k.txt", "\n".join(fixture_text.split("\n")[:180]))
    result = runner.invoke(main, ["run", str(RULES), str(prose_only), "--no-html", "--json", "-"])
    assert result.exit_code == 3
    summary = json.loads(result.stdout)["summary"]
    assert summary["verdict"] == "incomplete"
    assert summary["coverage"]["tables"]["figures"] == 0 and summary["coverage"]["tables"]["ratio"] == 0.0
    assert summary["coverage"]["tables"]["text"] == "none read"
    assert any("no table figures read" in p for p in summary["incomplete"])
    console = run(runner, RULES, prose_only).stdout
    assert "table figures none read" in console and "100.0%" not in console.split("narrative")[0]


def test_numbers_laid_out_as_rows_outside_every_table_are_reported(ruleset, fixture_text):
    """A statement the reader did not place (rows of numbers in plain text) is named in the coverage."""
    lines = fixture_text.split("\n")[:180] + [
        "Selected data (in thousands)", "",
        "Revenue                      1,234,567       1,111,222", "Net income                     234,567         211,222"]
    result = audit(ruleset, extract("\n".join(lines), "plain.txt"))
    assert result.coverage.stray_lines == (183, 184)
    assert "2 line(s) outside every table look like table rows (lines 183, 184)" in result.coverage.table_text()


# -- optional parts: not applicable, never a gap ----------------------------------------------

@pytest.mark.parametrize("rule, status, cause", [
    ('rule T-1 "absent row": ops["Goodwill impairment"] = 0', "incomplete", "row not found"),
    ('rule T-1 "optional row": ops["Goodwill impairment"]? = 0', "pass", "not applicable"),
    ('rule T-1 "optional rule" optional: ops["Goodwill impairment"] = 0', "pass", "not applicable"),
    ('rule T-1 "absent table": seg["Revenue"] = 0\ntable seg = "Segment Information"', "incomplete",
     "table not found"),
    ('rule T-1 "optional table": seg["Revenue"] = 0\ntable seg = "Segment Information" optional', "pass",
     "not applicable"),
    ('rule T-1 "absent anchor": prose["Goodwill impairment was"] restates ops["Net income"]', "incomplete",
     "anchor not found"),
    ('rule T-1 "optional anchor": prose["Goodwill impairment was"]? restates ops["Net income"]', "pass",
     "not applicable"),
    ('rule T-1 "absent column": ops["Net income"] @prior = ops["Net income"] @prior', "incomplete",
     "column not found"),
    ('rule T-1 "optional column": ops["Net income"]? @prior = ops["Net income"] @prior', "pass",
     "not applicable"),
])
def test_absences_have_causes_and_optional_ones_are_not_applicable(filing, rule, status, cause):
    result = audit(pack_with(rule + "\n"), filing)
    got = [f for f in result.findings if f.rule.id == "T-1" and f.status != "pass"]  # @prior: 2023 has 2022
    assert got and all(f.status == "skip" and f.cause == cause for f in got), [(f.cause, f.reason) for f in got]
    assert result.verdict.status == status
    if cause == "not applicable":
        assert got[0].reason.startswith("not applicable")


def test_an_optional_item_absent_from_a_sum_adds_nothing(filing):
    """`sum(a, b?)`: an item some filings do not print leaves the rest of the sum checked."""
    rs = pack_with('rule T-1 "sum": ops["Net income"] = sum(ops["Net income"], ops["Goodwill impairment"]?)\n'
                   'rule T-2 "sum, required": ops["Net income"] = sum(ops["Net income"], ops["Goodwill impairment"])\n')
    result = audit(rs, filing)
    assert {f.status for f in result.findings if f.rule.id == "T-1"} == {"pass"}
    assert {f.cause for f in result.findings if f.rule.id == "T-2"} == {"row not found"}


def test_an_optional_item_still_bites_when_printed(filing):
    rs = pack_with('rule T-1 "wrong": ops["Net income"] = ops["Net income"]? + 1000000\n')
    result = audit(rs, filing)
    assert {f.status for f in result.findings if f.rule.id == "T-1"} == {"fail"}
    assert result.verdict.status == "fail"


# -- FAIL: ambiguity is never a pass, and is counted ------------------------------------------

def test_ambiguity_is_counted_in_the_verdict_line(filing):
    result = audit(pack_with('rule T-1 "ambiguous": ops["Other services fees"] = 1\n'), filing)
    verdict = result.verdict
    assert verdict.status == "fail" and verdict.undecided == 3 and verdict.failed == 0  # one per column
    assert "3 could not be decided (ambiguous or undefined)" in verdict.line()


def test_warnings_skipped_do_not_make_the_verdict_incomplete(filing):
    result = audit(pack_with('rule T-1 "absent" severity warning: ops["Goodwill impairment"] = 0\n'), filing)
    assert result.verdict.status == "pass"
    assert ("row not found", 3) in result.verdict.skips  # one per column


# -- the language ------------------------------------------------------------------------------

def test_optional_marks_parse_and_misplaced_ones_are_errors():
    rf = parse('table s = "Segments" optional\nrule A "t" optional severity warning:\n'
               '    s["x"]? @prior = s["y"] + prose["z"]?\n', "t.rules")
    table, rule = rf.statements
    assert table.optional and rule.optional and rule.check.left.optional and not rule.check.right.left.optional
    assert rule.check.right.right.optional
    from audit.base.errors import RuleError
    with pytest.raises(RuleError) as err:
        parse('rule A "t": s["x"] ?? = 1\n', "bad.rules")
    assert "bad.rules:1:" in str(err.value)


# -- batch -------------------------------------------------------------------------------------

def test_batch_counts_incomplete_filings_and_exits_3(runner, tmp_path, fixture_text):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "clean-6k.txt", fixture_text)
    write(folder, "renamed-6k.txt", renamed(fixture_text, CF_TITLE))
    result = runner.invoke(main, ["batch", str(RULES), str(folder), "--out", str(tmp_path / "out"), "--no-html",
                                  "--jobs", "1"])
    assert result.exit_code == 3, result.output
    assert "incomplete" in result.stdout
    lines = [json.loads(x) for x in (tmp_path / "out" / "summary.jsonl").read_text().splitlines()]
    verdicts = {Path(x["path"]).name: x["verdict"] for x in lines}
    assert verdicts == {"clean-6k.txt": "pass", "renamed-6k.txt": "incomplete"}
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "1 incomplete" in index


def test_nothing_checked_is_never_a_pass(filing):
    """A pack whose only checks are warnings (or that has no checks) checked nothing that decides."""
    rs = compile_rules([parse('table ops = "Statements of Operations"\n'
                              'rule T-1 "a warning" severity warning: ops["Net income"] = ops["Net income"]\n',
                              "w.rules")])
    verdict = audit(rs, filing).verdict
    assert verdict.status == "incomplete" and "no error-severity check ran" in verdict.problems
    assert audit(compile_rules([parse("", "empty.rules")]), filing).verdict.status == "incomplete"
