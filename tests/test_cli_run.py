"""`qfin-audit run | lint | graph` through click's runner and a real subprocess: exit codes,
JSON shape, and errors for people (never a traceback)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURE, RULES, replace_on_line

from audit.cli import main

BIN = Path(sys.executable).parent / "qfin-audit"


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # reports written by default land in the temp dir
    return CliRunner()


@pytest.fixture
def bad_filing(tmp_path, fixture_text) -> Path:
    path = tmp_path / "bad-6k.txt"
    path.write_text(replace_on_line(fixture_text, 262, "5,128,335", "5,128,353"), encoding="utf-8")
    return path


def run_json(runner, *args):
    result = runner.invoke(main, ["run", *map(str, args), "--json", "-"])
    return result, (json.loads(result.stdout) if result.stdout.strip().startswith("{") else None)


def test_clean_fixture_exits_zero_with_results_and_source_lines(runner):
    result, doc = run_json(runner, RULES, FIXTURE)
    assert result.exit_code == 0, result.output
    assert set(doc) >= {"tool", "filing", "rules", "summary", "results"}
    assert doc["tool"]["name"] == "qfin-audit"
    assert len(doc["filing"]["sha256"]) == 64
    assert doc["rules"]["files"] and len(doc["rules"]["sha256"]) == 64
    summary = doc["summary"]
    assert summary["fail"] == 0 and summary["error"] == 0
    assert summary["total"] == summary["pass"] + summary["fail"] + summary["skip"] + summary["error"]
    for r in doc["results"]:
        assert set(r) >= {"id", "title", "severity", "status", "column", "expected", "actual", "difference",
                          "tolerance", "message", "figures"}
        assert r["status"] in ("pass", "fail", "skip", "error")
        for fig in r["figures"]:
            assert isinstance(fig["line"], int) and fig["line"] >= 1
            assert isinstance(fig["value"], str) and fig["text"]
    bs = [r for r in doc["results"] if r["id"] == "BS-009"]
    assert bs[0]["actual"] == "40343170" and bs[0]["expected"] == "40343170" and bs[0]["difference"] == "0"
    assert {f["line"] for f in bs[0]["figures"]} == {284, 305}


def test_json_is_deterministic(runner):
    first = runner.invoke(main, ["run", str(RULES), str(FIXTURE), "--json", "-"]).stdout
    second = runner.invoke(main, ["run", str(RULES), str(FIXTURE), "--json", "-"]).stdout
    assert first == second


def test_coverage_is_in_the_summary(runner):
    _, doc = run_json(runner, RULES, FIXTURE)
    cov = doc["summary"]["coverage"]
    assert cov["tables"] == {"figures": 308, "checked": 308, "ratio": 1.0, "text": "308/308 (100.0%)", "stray_lines": []}
    assert cov["narrative"]["ratio"] >= 0.9
    prior = [u for u in cov["unchecked"] if u["text"] == "RMB3,906.6 million"]
    assert prior and prior[0]["line"] == 115 and "no column" in prior[0]["reason"]


def test_a_wrong_figure_exits_one_and_names_its_line(runner, bad_filing):
    result = runner.invoke(main, ["run", str(RULES), str(bad_filing)])
    assert result.exit_code == 1
    assert "BS-001" in result.output and "L262:" in result.output and "5,128,353" in result.output
    assert "verdict: FAIL" in result.output
    _, doc = run_json(runner, RULES, bad_filing)
    failed = [r for r in doc["results"] if r["status"] == "fail"]
    assert failed and all(262 in {f["line"] for f in r["figures"]} for r in failed)


def test_json_to_a_file(runner, tmp_path):
    out = tmp_path / "out" / "result.json"
    result = runner.invoke(main, ["run", str(RULES), str(FIXTURE), "--json", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text())["summary"]["fail"] == 0
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".tmp")]


def test_rule_syntax_error_exits_two_with_file_line_col_and_caret(runner, tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(RULES, pack)
    (pack / "zz-broken.rules").write_text('rule ZZ-001 "broken":\n    bs["TOTAL ASSETS"] = bs["TOTAL" +\n')
    result = runner.invoke(main, ["run", str(pack), str(FIXTURE)])
    assert result.exit_code == 2
    err = result.stderr
    assert f"{pack / 'zz-broken.rules'}:2:37: error: syntax error" in err
    assert "    bs[\"TOTAL ASSETS\"] = bs[\"TOTAL\" +" in err and "^" in err and "expected" in err
    assert "Traceback" not in result.output + err
    lint = runner.invoke(main, ["lint", str(pack)])
    assert lint.exit_code == 2 and "zz-broken.rules:2:37" in lint.stderr


def test_unknown_name_in_rules_exits_two(runner, tmp_path):
    (tmp_path / "x.rules").write_text('let a = 1\nrule X-1 "x": a = b\n')
    result = runner.invoke(main, ["lint", str(tmp_path / "x.rules")])
    assert result.exit_code == 2
    assert "x.rules:2:19: error: unknown name 'b'" in result.stderr


@pytest.mark.parametrize("args,message", [
    (["run", "nowhere/", str(FIXTURE)], "nowhere/: no such rule file or directory"),
    (["run", str(RULES), "missing.txt"], "missing.txt: no such file"),
    (["lint", "nowhere/"], "nowhere/: no such rule file or directory"),
])
def test_bad_paths_exit_two_with_one_line(runner, args, message):
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.strip() == message


def test_empty_rules_folder_exits_two(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    result = runner.invoke(main, ["lint", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "no .rules files" in result.stderr


def test_usage_error_exits_two(runner):
    assert runner.invoke(main, ["run"]).exit_code == 2
    assert runner.invoke(main, ["graph", str(RULES), "--format", "png"]).exit_code == 2


def test_lint_bundled_rules(runner):
    result = runner.invoke(main, ["lint", str(RULES)])
    assert result.exit_code == 0 and result.output.startswith("ok:")


def test_graph_exports_dot_and_json(runner):
    dot = runner.invoke(main, ["graph", str(RULES)])
    assert dot.exit_code == 0 and dot.output.startswith("digraph rules {")
    doc = json.loads(runner.invoke(main, ["graph", str(RULES), "--format", "json"]).output)
    assert {"nodes", "edges"} <= set(doc)
    assert any(edge == ["let:ads_ratio", "rule:EPS-003"] for edge in doc["edges"])


def test_real_subprocess_exit_codes(tmp_path, bad_filing):
    clean = subprocess.run([str(BIN), "run", str(RULES), str(FIXTURE), "--json", str(tmp_path / "c.json")],
                           capture_output=True, text=True, cwd=tmp_path)
    assert clean.returncode == 0, clean.stderr
    bad = subprocess.run([str(BIN), "run", str(RULES), str(bad_filing)], capture_output=True, text=True,
                         cwd=tmp_path)
    assert bad.returncode == 1 and "L262:" in bad.stdout
    missing = subprocess.run([str(BIN), "run", str(RULES), str(tmp_path / "nope.txt")], capture_output=True,
                             text=True, cwd=tmp_path)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.strip().endswith("nope.txt: no such file")
