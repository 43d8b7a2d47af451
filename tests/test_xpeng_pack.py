"""The XPeng pack (rules/xpeng/): one pack for four years of one issuer's layouts, written in the
rule language alone, audited against the four releases in ../shared/filings/ (read in place,
never copied): 2024 Q4 with the full year, 2025 Q1, the 2025 HK interim results announcement
(RMB'000, six months) and 2025 Q4 with the full year.

* the pack lints (every file compiles, no unknown names, no cycles);
* each release gives verdict PASS with no failed check and at least a floor of error-severity
  checks evaluated (the floors are a little under the counts at the time of writing, so a rule
  that silently stops applying, say through a misspelt optional label, is noticed);
* mutants built in the test from the real file's text (never editing the file) are caught: a
  statement cell, a Key Financial Results figure and a sign flip, on 2024 Q4, 2025 Q1 and 2025 Q4.

The interim's statement of comprehensive loss has a "Note" column under the spanning "For the
Six Months Ended June 30," heading: the reader must read it as note references, never as the
six months' values (its note numbers 3, 4, 5 would otherwise be the revenues); the interim then
passes like the others.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from audit.check.engine import audit  # findings only: these tests never read suspects
from audit.lang.graph import load
from audit.read.extract import extract
from audit.read.source import read_text

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "xpeng"
FILINGS = ROOT.parent / "shared" / "filings"

Q4_2024 = "xpeng-6k-2024q4-ex99-1-d829413dex991.htm"
Q1_2025 = "xpeng-6k-2025q1-ex99-1-d13244dex991.htm"
H1_2025 = "xpeng-6k-2025q2-ex99-2-d59478dex992.htm"
Q4_2025 = "xpeng-6k-2025q4-ex99-1-d270013dex991.htm"

#: At least this many error-severity checks evaluated (all held) on each release.
FLOORS = {Q4_2024: 600, Q1_2025: 380, H1_2025: 150, Q4_2025: 600}

pytestmark = pytest.mark.skipif(
    not all((FILINGS / name).is_file() for name in FLOORS),
    reason=f"the XPeng releases are not in {FILINGS} (they are read in place, never copied)")


@pytest.fixture(scope="module")
def ruleset():
    return load([str(RULES)])


def run(ruleset, text: str, name: str):
    return audit(ruleset, extract(text, name))


def note_references(filing) -> set:
    """The figures the reader takes from the interim statement's "Note" column, read as a value
    column (empty once the reader reads that column as note references)."""
    return {row.cells[column.index].key
            for table in filing.tables if "COMPREHENSIVE LOSS" in table.title.upper()
            for column in table.columns if column.period is not None and "note" in column.header.casefold()
            for row in table.rows if column.index < len(row.cells) and row.cells[column.index] is not None}


def failures(result) -> list[str]:
    return [f"{f.rule.id} [{f.column}] {f.message}" for f in result.findings if f.blocking]


def test_the_pack_lints(ruleset):
    assert [decl.name for decl, _ in ruleset.packs] == ["xpeng"]
    assert len(ruleset.rules) >= 60
    assert {"kfr", "bs", "ci", "cq", "cy", "rec", "recy"} <= set(ruleset.tables)


@pytest.mark.parametrize("name", [Q4_2024, Q1_2025, H1_2025, Q4_2025])
def test_each_release_passes(ruleset, name):
    text = read_text(str(FILINGS / name))
    filing = extract(text, name)
    result = audit(ruleset, filing)
    verdict = result.verdict
    assert note_references(filing) == set()  # the interim's "Note" column holds no values
    assert failures(result) == []
    assert verdict.status == "pass", verdict.line()
    assert verdict.evaluated >= FLOORS[name], verdict.line()


# -- mutants: (release, printed text, replacement, rule ids one of which must fail naming it) ----

MUTANTS = [
    # 2024 Q4: the quarter's gross profit (statement cell), the Key Financial Results' total
    # revenues, and the quarter's vehicle sales revenue turned negative.
    (Q4_2024, ">2,324,777<", ">2,324,787<", "2,324,787", {"CI-003", "KFR-003", "FX-001"}),
    (Q4_2024, ">16.11<", ">16.21<", "16.21", {"KFR-002", "NR-004", "NR-005", "NR-006", "NR-141"}),
    (Q4_2024, ">14,671,128<", ">(14,671,128)<", "(14,671,128)", {"CI-001", "KFR-001", "FX-001"}),
    # 2025 Q1: the same three kinds.
    (Q1_2025, ">2,459,530<", ">2,459,580<", "2,459,580", {"CI-003", "KFR-003", "FX-001"}),
    (Q1_2025, ">15.81<", ">15.18<", "15.18", {"KFR-002", "NR-004", "NR-005", "NR-006", "NR-142"}),
    (Q1_2025, ">14,369,298<", ">(14,369,298)<", "(14,369,298)", {"CI-001", "KFR-001", "FX-001"}),
    # 2025 Q4: the quarter's statement is titled PROFIT/(LOSS) (table cq); the Key Financial
    # Results print signed profits.
    (Q4_2025, ">4,741,806<", ">4,741,860<", "4,741,860", {"CQ-003", "KFR-003", "FX-003"}),
    (Q4_2025, ">22.25<", ">22.52<", "22.52", {"KFR-002", "NR-004", "NR-005", "NR-006", "NR-142"}),
    (Q4_2025, ">19,072,174<", ">(19,072,174)<", "(19,072,174)", {"CQ-001", "KFR-001", "FX-003"}),
]


@pytest.mark.parametrize("name, old, new, printed, rules", MUTANTS,
                         ids=[f"{m[0][9:15]}:{m[1].strip('<>')}->{m[2].strip('<>')}" for m in MUTANTS])
def test_mutants_are_caught(ruleset, name, old, new, printed, rules):
    text = read_text(str(FILINGS / name))
    assert text.count(old) == 1, f"{old!r} must be printed once in {name}"
    clean = run(ruleset, text, name)
    assert failures(clean) == []
    result = run(ruleset, text.replace(old, new), f"mutant-{name}")
    assert result.verdict.status == "fail"
    naming = {f.rule.id for f in result.findings if f.blocking and any(g.text == printed for g in f.figures)}
    assert naming & rules, f"no failing check names {printed}; failing: {failures(result)[:5]}"


def test_a_kfr_loss_printed_with_the_wrong_sign_is_caught(ruleset):
    """2024 Q4 prints the loss as a size under "Net loss" (1.33): printed negative, it fails KFR-006."""
    text = read_text(str(FILINGS / Q4_2024))
    old = ">1.33<"
    assert text.count(old) == 2  # net loss, then net loss attributable
    mutant = text.replace(old, ">(1.33)<", 1)
    result = run(ruleset, mutant, "mutant-kfr-sign")
    assert "KFR-006" in {f.rule.id for f in result.findings if f.blocking}, failures(result)[:5]


def test_the_interim_passes_once_its_note_references_are_not_read_as_values(ruleset):
    """The interim's failures are the reader's alone: with the note references of its statement
    of comprehensive loss blanked (in the text, here; the file is untouched), every check holds."""
    text = read_text(str(FILINGS / H1_2025))
    start = text.find("STATEMENT OF COMPREHENSIVE LOSS")
    end = text.find("BALANCE SHEETS", start)
    assert 0 < start < end
    blanked = text[start:end]
    for ref in ("Note", "3", "4", "5"):
        blanked = blanked.replace(f"<I>{ref}</I>", "<I>&nbsp;</I>")
    result = run(ruleset, text[:start] + blanked + text[end:], "interim-notes-blanked.htm")
    assert failures(result) == []
    assert result.verdict.status == "pass", result.verdict.line()
    assert result.verdict.evaluated >= 150, result.verdict.line()


def test_the_pack_ties_the_four_releases_as_a_series():
    """The pack's family names (comprehensive_loss, reconciliations) let `qfin-audit series` tie the
    quarter's, half year's and year's statements across releases: everything agrees, the year's
    figures are the sums of the half year and the quarters."""
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "audit", "series", str(RULES),
                           *(str(FILINGS / name) for name in FLOORS), "--no-html", "--json", "-"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)["summary"]
    assert summary["verdict"] == "pass", summary["verdict_line"]
    assert summary["counts"]["mismatch"] == 0 and summary["counts"]["sum_fail"] == 0
    assert summary["matched"] >= 250 and summary["counts"]["sum_pass"] >= 35, summary["verdict_line"]
