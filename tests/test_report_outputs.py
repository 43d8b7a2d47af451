"""`qfin-audit run` outputs: JUnit, Markdown, several reports in one run, atomic writes, exit codes."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from audit.base.output import write_atomic
from audit.diagnose import audit
from audit.lang.graph import load
from audit.read.extract import extract
from audit.report import junit, markdown

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "qfin"
STEM = "qfin-2023q1-6k"


def wrong_variant(fixture_text: str) -> str:
    """The fixture with cash on line 262 printed 5,128,353 instead of 5,128,335."""
    lines = fixture_text.split("\n")
    assert lines[261].count("5,128,335") == 1
    lines[261] = lines[261].replace("5,128,335", "5,128,353")
    return "\n".join(lines)


def cli(*args, cwd) -> subprocess.CompletedProcess:
    """The real command in a child process: real exit codes, files and imports."""
    env = {k: v for k, v in os.environ.items() if k != "QFIN_AUDIT_DEBUG"}
    return subprocess.run([sys.executable, "-m", "audit", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=120)


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def wrong_result(fixture_text):
    return audit(load([str(RULES)]), extract(wrong_variant(fixture_text), "wrong-6k.txt"))


@pytest.fixture()
def wrong_filing(tmp_path, fixture_text) -> Path:
    path = tmp_path / "wrong-6k.txt"
    path.write_text(wrong_variant(fixture_text), encoding="utf-8")
    return path


# -- JUnit --------------------------------------------------------------------------------


def test_junit_has_one_testcase_per_finding(wrong_result):
    root = ET.fromstring(junit.render(wrong_result))
    cases = root.findall("./testsuite/testcase")
    counts = wrong_result.counts()
    assert len(cases) == len(wrong_result.findings) == int(root.get("tests"))
    assert [c.get("name") for c in cases].count("BS-001 [2023-03-31 RMB]") == 1
    assert len(root.findall(".//failure")) == counts["fail"] == int(root.get("failures")) == 3
    assert len(root.findall(".//skipped")) == counts["skip"] == int(root.get("skipped"))
    assert len(root.findall(".//error")) == counts["error"]
    assert sum(int(s.get("tests")) for s in root.findall("testsuite")) == len(cases)
    bs = next(c for c in cases if c.get("name") == "BS-001 [2023-03-31 RMB]")
    assert bs.get("classname") == "balance_sheet" and bs.get("file").endswith("balance_sheet.rules")
    failure = bs.find("failure")
    assert failure.get("type") == "error" and "35,018,583" in failure.get("message")
    assert "line 262, col 37: 5,128,353" in failure.text and "difference: -18" in failure.text
    fx = [c for c in cases if c.get("name").startswith("FX-001 [2023-03-31 USD]") and c.find("failure") is not None]
    row = "ASSETS / Current assets: / Cash and cash equivalents"
    assert [c.get("name") for c in fx] == [f"FX-001 [2023-03-31 USD] {row}"]
    skipped = next(c for c in cases if c.find("skipped") is not None)
    assert skipped.find("skipped").get("message")


def test_junit_stays_valid_xml_whatever_the_filing_holds(fixture_text):
    text = fixture_text.replace("Cash and cash equivalents\t", "Cash <and> & \"cash\" \x01equivalents\t", 1)
    result = audit(load([str(RULES)]), extract(text, "odd.txt"))
    document = junit.render(result)
    root = ET.fromstring(document)
    names = [c.get("name") for c in root.iter("testcase")]
    assert any('Cash <and> & "cash" \ufffdequivalents' in n for n in names)
    assert "\x01" not in document


# -- Markdown -----------------------------------------------------------------------------


def test_markdown_summary_of_a_failing_filing(wrong_result):
    text = markdown.render(wrong_result)
    assert text.startswith("### qfin-audit: FAIL")
    assert "**FAIL**: 3 error-severity checks failed" in text
    counts = wrong_result.counts()
    assert f"{counts['total']} checks: {counts['pass']} pass, 3 fail, {counts['skip']} skip, 0 error." in text
    assert "**Coverage:** table figures 308/308 (100.0%)" in text
    assert "#### Failures (3)" in text
    rows = [line for line in text.splitlines() if line.startswith("| BS-001") or line.startswith("| X-006")
            or line.startswith("| FX-001")]
    assert len(rows) == 3
    bs = next(r for r in rows if r.startswith("| BS-001"))
    assert "| 35,018,565 | 35,018,583 | -18 |" in bs and "L262:37 `5,128,353`" in bs
    assert ("#### Likely errors" in text) == bool(wrong_result.suspects)
    if wrong_result.suspects:
        assert "`5,128,353` should read `5,128,335`" in text


def test_markdown_summary_of_a_clean_filing(filing):
    text = markdown.render(audit(load([str(RULES)]), filing))
    assert text.startswith("### qfin-audit: PASS")
    assert "**PASS**: 358 error-severity checks evaluated, all held; skipped: 29 not applicable." in text
    assert "#### Failures" not in text and "#### Likely errors" not in text


def test_markdown_escapes_markup_and_table_pipes(fixture_text, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    for source in RULES.glob("*.rules"):
        (rules / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (rules / "zz.rules").write_text('rule ZZ-001 "a | b <img src=x> *bold*" severity warning:\n'
                                    '    bs["TOTAL ASSETS"] = bs["TOTAL LIABILITIES AND EQUITY"] * 2\n',
                                    encoding="utf-8")
    text = markdown.render(audit(load([str(rules)]), extract(fixture_text, "f.txt")))
    row = next(line for line in text.splitlines() if line.startswith("| ZZ-001"))
    assert r"a \| b &lt;img src=x&gt; \*bold\*" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 10  # nine cells: the title's own pipe is escaped


def test_markdown_limits_the_failures_table(wrong_result):
    text = markdown.render(wrong_result, limit=1)
    assert "and 2 more; the HTML report lists every one" in text


# -- the run command ------------------------------------------------------------------------


def test_several_outputs_in_one_run(tmp_path, wrong_filing):
    out = tmp_path / "out"
    run = cli("run", RULES, wrong_filing, "--json", out / "r.json", "--junit", out / "j.xml", "--markdown",
              out / "m.md", "--html", out / "r.html", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert files_under(out) == {"r.json", "j.xml", "m.md", "r.html"}
    document = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert document["summary"]["verdict"] == "fail"
    cases = ET.parse(out / "j.xml").getroot().findall(".//testcase")
    assert len(cases) == len(document["results"])
    assert (out / "m.md").read_text(encoding="utf-8").startswith("### qfin-audit: FAIL")
    assert (out / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "verdict: FAIL" in run.stdout
    for name in ("r.json", "j.xml", "m.md", "r.html"):
        assert str(out / name) in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "reports").exists()  # --html replaced the default path


def test_html_by_default_to_reports_filing_stem(tmp_path, fixture_path):
    run = cli("run", RULES, fixture_path, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert files_under(tmp_path) == {f"reports/{STEM}.html"}
    assert f"html report: {os.path.join('reports', STEM + '.html')}" in run.stderr
    assert "verdict: PASS" in run.stdout


def test_no_html_writes_nothing(tmp_path, fixture_path):
    run = cli("run", RULES, fixture_path, "--no-html", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert files_under(tmp_path) == set() and not (tmp_path / "reports").exists()
    assert "verdict: PASS" in run.stdout and "report:" not in run.stderr


def test_one_output_may_go_to_stdout(tmp_path, wrong_filing):
    run = cli("run", RULES, wrong_filing, "--no-html", "--markdown", "-", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout.startswith("### qfin-audit: FAIL") and "verdict:" not in run.stdout
    assert files_under(tmp_path) == {"wrong-6k.txt"}


@pytest.mark.parametrize("args, message", [
    (["--html", "x.html", "--no-html"], "--html and --no-html cannot be used together"),
    (["--json", "-", "--markdown", "-"], "only one output can go to standard output"),
    (["--json", "same.out", "--junit", "same.out"], "two outputs name the same file"),
])
def test_conflicting_output_flags_are_usage_errors(tmp_path, fixture_path, args, message):
    run = cli("run", RULES, fixture_path, *args, cwd=tmp_path)
    assert run.returncode == 2
    assert message in run.stderr and "Traceback" not in run.stderr
    assert files_under(tmp_path) == set()


def test_input_and_rule_errors_exit_2_and_write_no_report(tmp_path, fixture_path):
    missing = cli("run", RULES, tmp_path / "nope.txt", cwd=tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    (tmp_path / "bad.rules").write_text("rule X-1 \"broken\":\n    bs[\"A\" = 1\n", encoding="utf-8")
    broken = cli("run", tmp_path / "bad.rules", fixture_path, cwd=tmp_path)
    assert broken.returncode == 2 and "bad.rules:" in broken.stderr and "Traceback" not in broken.stderr
    assert files_under(tmp_path) == {"bad.rules"}


def test_unwritable_report_path_is_a_clear_error(tmp_path, fixture_path):
    (tmp_path / "taken").mkdir()
    run = cli("run", RULES, fixture_path, "--html", tmp_path / "taken", cwd=tmp_path)
    assert run.returncode == 2
    assert "taken: cannot write" in run.stderr and "Traceback" not in run.stderr
    assert files_under(tmp_path) == set()  # the temporary file is gone too


def test_atomic_writes_leave_no_temporary_files(tmp_path, wrong_filing):
    out = tmp_path / "out"
    for _ in range(2):  # the second run replaces every report
        run = cli("run", RULES, wrong_filing, "--json", out / "r.json", "--junit", out / "j.xml",
                  "--markdown", out / "m.md", "--html", out / "r.html", cwd=tmp_path)
        assert run.returncode == 1
    assert sorted(os.listdir(out)) == ["j.xml", "m.md", "r.html", "r.json"]


def test_a_failed_write_keeps_the_old_report_whole(tmp_path):
    target = tmp_path / "report.html"
    write_atomic(str(target), "<!DOCTYPE html>old report")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(str(target), "<!DOCTYPE html>new report, then a crash: \ud800")
    assert target.read_text(encoding="utf-8") == "<!DOCTYPE html>old report"
    assert os.listdir(tmp_path) == ["report.html"]


def test_jinja2_is_imported_only_when_html_is_written(tmp_path, fixture_path):
    probe = ("import sys\nfrom audit.cli import main\n"
             "try:\n    main(sys.argv[1:], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
             "print('jinja2' in sys.modules)\n")
    base = [sys.executable, "-c", probe, "run", str(RULES), str(fixture_path)]
    without = subprocess.run(base + ["--no-html", "--junit", "j.xml", "--markdown", "m.md"], cwd=tmp_path,
                             capture_output=True, text=True, timeout=120)
    with_html = subprocess.run(base + ["--html", "r.html"], cwd=tmp_path, capture_output=True, text=True,
                               timeout=120)
    assert without.stdout.strip().splitlines()[-1] == "False", without.stderr
    assert with_html.stdout.strip().splitlines()[-1] == "True", with_html.stderr
