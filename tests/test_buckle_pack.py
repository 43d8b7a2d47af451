"""The Buckle rule pack (rules/buckle) on the bundled 8-K exhibit 99.1: no false failures, every
statement identity checked in every column, every numeric table cell covered, and every prose
figure either checked or declared unchecked with its reason."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit.cli import main
from audit.diagnose import audit
from audit.lang.graph import load
from audit.read.extract import extract

ROOT = Path(__file__).resolve().parent.parent
BUCKLE = ROOT.parent / "shared" / "filings" / "buckle-8k-ex99-1-2024-11-22.htm"
RULES = ROOT / "rules" / "buckle"

OPS_COLUMNS = {"3M to 2024-11-02 USD", "3M to 2023-10-28 USD", "9M to 2024-11-02 USD", "9M to 2023-10-28 USD"}
BS_COLUMNS = {"2024-11-02 USD", "2024-02-03 USD", "2023-10-28 USD"}

#: The identities the pack must hold in every column, and the rows each one reads (rendered lines).
IDENTITIES = {
    "BKE-OPS-001": {47, 48, 49},              # gross profit = sales - cost of sales
    "BKE-OPS-002": {51, 52, 53},              # the unlabeled operating expenses total
    "BKE-OPS-003": {49, 53, 54},              # income from operations
    "BKE-OPS-004": {54, 55, 56},              # income before income taxes
    "BKE-OPS-005": {56, 57, 58},              # net income
    "BKE-EPS-001": {58, 60, 62},              # basic EPS = net income / basic shares
    "BKE-EPS-002": {58, 61, 63},              # diluted EPS = net income / diluted shares
    "BKE-BS-001": {74, 75, 76, 77, 78, 79},   # current assets
    "BKE-BS-002": {80, 81, 82},               # property and equipment, net
    "BKE-BS-003": {79, 82, 83, 84, 85, 86},   # total assets
    "BKE-BS-004": {89, 90, 91, 92, 93, 94, 95},  # current liabilities
    "BKE-BS-005": {95, 96, 97, 98},           # total liabilities
    "BKE-BS-006": {101, 102, 103, 104},       # stockholders' equity
    "BKE-BS-007": {98, 104, 105},             # liabilities and equity
    "BKE-BS-008": {86, 98, 104},              # assets = liabilities + equity
    "BKE-BS-009": {86, 105},                  # the sheet balances
}

#: Prose figures this filing cannot check, by (line, text), and the words of their reason.
DECLARED = {
    (18, "0.7 percent"): "comparable store net sales",
    (20, "5.4 percent"): "comparable store net sales",
    (32, "445"): "store and state counts",
    (32, "42"): "store and state counts",
    (32, "443"): "store and state counts",
}


@pytest.fixture(scope="module")
def ruleset():
    return load([str(RULES)])


@pytest.fixture(scope="module")
def filing():
    return extract(BUCKLE.read_text(encoding="utf-8"), str(BUCKLE))


@pytest.fixture(scope="module")
def result(ruleset, filing):
    return audit(ruleset, filing)


def table_figures(filing):
    return [cell for table in filing.tables for row in table.rows for cell in row.cells
            if cell is not None and cell.kind != "nil"]


def test_the_clean_filing_passes_every_check(result):
    bad = [f"{f.rule.id} [{f.column}] {f.status}: {f.message}" for f in result.findings if f.status != "pass"]
    assert bad == []
    assert len(result.findings) >= 86


def test_every_identity_holds_in_every_column(result):
    by_rule: dict[str, list] = {}
    for finding in result.findings:
        by_rule.setdefault(finding.rule.id, []).append(finding)
    for rule_id, lines in IDENTITIES.items():
        findings = by_rule.get(rule_id, [])
        wanted = OPS_COLUMNS if rule_id.startswith(("BKE-OPS", "BKE-EPS")) else BS_COLUMNS
        assert {f.column for f in findings} == wanted, rule_id
        assert all(f.status == "pass" and f.rule.severity == "error" for f in findings), rule_id
        for finding in findings:
            assert {g.span.line for g in finding.figures} == lines, f"{rule_id} [{finding.column}]"


def test_every_numeric_table_cell_is_checked(result, filing):
    checked = {g.key for f in result.findings if f.status in ("pass", "fail") for g in f.figures}
    figures = table_figures(filing)
    assert len(figures) == 144
    assert [(fig.span.line, fig.text) for fig in figures if fig.key not in checked] == []
    assert (result.coverage.table_checked, result.coverage.table_total) == (144, 144)


def test_every_prose_figure_is_checked_or_declared_unchecked(result, filing):
    checked = {g.key for f in result.findings if f.status in ("pass", "fail") for g in f.figures}
    unchecked = {(u.figure.span.line, u.figure.text): u.reason for u in result.coverage.unchecked}
    assert all(u.where == "narrative" for u in result.coverage.unchecked)
    for fig in filing.prose:
        where = (fig.span.line, fig.text)
        if fig.key in checked:
            assert where not in DECLARED, f"{where} is declared unchecked but a rule checks it"
        else:
            assert where in DECLARED, f"prose figure {where} is neither checked nor declared unchecked"
            assert DECLARED[where] in unchecked[where]
    coverage = result.coverage
    assert coverage.narrative_total == len(filing.prose) == 35
    assert coverage.narrative_uncheckable == 8
    assert coverage.narrative_checked == 27
    assert coverage.narrative_ratio == 1.0


def test_prior_year_prose_figures_are_compared_with_the_prior_year_columns(result):
    """'$51.8 million ... for the third quarter of fiscal 2023' ties to the 2023 column, and so on."""
    wanted = {
        ("BKE-NR-006", "$303.5 million"): "$303,457",
        ("BKE-NR-010", "$878.7 million"): "$878,719",
        ("BKE-NR-015", "$51.8 million"): "$51,762",
        ("BKE-NR-016", "$1.05"): "$1.05",
        ("BKE-NR-017", "$1.04"): "$1.04",
        ("BKE-NR-021", "$140.3 million"): "$140,338",
        ("BKE-NR-022", "$2.83"): "$2.83",
        ("BKE-NR-023", "$2.81"): "$2.81",
    }
    seen = {}
    for f in result.findings:
        if f.status == "pass" and (f.rule.id, f.figures[0].text) in wanted:
            seen[(f.rule.id, f.figures[0].text)] = f.figures[1]
    assert {k: v.text for k, v in seen.items()} == wanted
    # The table figure each one meets is on the prior-year columns (columns 2 and 4).
    assert all(v.span.line in (47, 58, 60, 61) for v in seen.values())


def test_sales_decreases_are_checked_against_the_statements(result):
    decreases = {f.rule.id: f for f in result.findings if f.rule.id in ("BKE-NR-004", "BKE-NR-008")}
    assert [g.text for g in decreases["BKE-NR-004"].figures] == ["3.2 percent", "$293,618", "$303,457"]
    assert [g.text for g in decreases["BKE-NR-008"].figures] == ["4.6 percent", "$838,490", "$878,719"]
    assert all(f.status == "pass" for f in decreases.values())


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QFIN_AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    return CliRunner()


def test_cli_run_passes_with_full_coverage(runner):
    result = runner.invoke(main, ["run", str(RULES), str(BUCKLE), "--no-html", "--json", "-"])
    assert result.exit_code == 0, result.output + result.stderr
    summary = json.loads(result.stdout)["summary"]
    assert summary["verdict"] == "pass"
    assert summary["fail"] == summary["error"] == summary["skip"] == 0
    assert summary["pass"] == summary["total"] >= 86
    coverage = summary["coverage"]
    assert coverage["tables"] == {"figures": 144, "checked": 144, "ratio": 1.0, "text": "144/144 (100.0%)",
                                  "stray_lines": []}
    assert coverage["narrative"]["figures"] == 35
    assert coverage["narrative"]["checked"] == 27 and coverage["narrative"]["uncheckable"] == 8
    assert coverage["narrative"]["ratio"] == 1.0
    assert all(u["reason"] for u in coverage["unchecked"])


def test_cli_console_summary_and_lint(runner):
    result = runner.invoke(main, ["run", str(RULES), str(BUCKLE), "--no-html"])
    assert result.exit_code == 0, result.output + result.stderr
    assert "table figures 144/144 (100.0%)" in result.output
    assert "narrative figures 27/27 checkable (100.0%), 8 not checkable" in result.output
    lint = runner.invoke(main, ["lint", str(RULES)])
    assert lint.exit_code == 0, lint.output + lint.stderr


def test_cli_fails_on_a_wrong_prose_figure(runner, tmp_path):
    html = BUCKLE.read_text(encoding="utf-8")
    assert html.count("$118.3 million") == 1
    mutated = tmp_path / "buckle-prose.htm"
    mutated.write_text(html.replace("$118.3 million", "$113.8 million"), encoding="utf-8")
    result = runner.invoke(main, ["run", str(RULES), str(mutated), "--no-html", "--json", "-"])
    assert result.exit_code == 1, result.output + result.stderr
    failed = [r for r in json.loads(result.stdout)["results"] if r["status"] == "fail"]
    assert [r["id"] for r in failed] == ["BKE-NR-018"]
    first = failed[0]["figures"][0]
    assert (first["line"], first["col"], first["text"], first["value"]) == (26, 69, "$113.8 million", "113.8")
