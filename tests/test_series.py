"""Cross-filing series (issue 17): releases derived from the bundled fixture inside the tests (a
prior-year release, a restatement, a half year with a planted year-to-date slip, a 10:1 split) and
the real XPeng releases in ../shared/filings/ (read in place, never copied)."""
from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from audit.lang.cache import load_rules
from audit.lang.packs import choose, compile_packs
from audit.read.extract import extract
from audit.series.build import build_series
from audit.series.keys import label_key

pytest_plugins = ("browser_kit",)  # its `browser`: one Chromium per worker, shared with the browser tests

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "qfin-2023q1-6k.txt"
FILINGS = ROOT.parent / "shared" / "filings"
XPENG = ["xpeng-6k-2024q4-ex99-1-d829413dex991.htm", "xpeng-6k-2025q1-ex99-1-d13244dex991.htm",
         "xpeng-6k-2025q2-ex99-2-d59478dex992.htm", "xpeng-6k-2025q4-ex99-1-d270013dex991.htm"]
DURATION = ("statements-of-operations", "statements-of-cash-flows", "statements-of-comprehensive-income",
            "reconciliations-of-gaap-and-non-gaap-results")
SPLIT_TABLES = ("statements-of-operations", "reconciliations-of-gaap-and-non-gaap-results")


# -- variants of the fixture ---------------------------------------------------------------------

def printed(value: Decimal, decimals: int) -> str:
    """A value as a statement prints it: separators, parentheses for negatives."""
    text = f"{abs(value):,.{decimals}f}"
    return f"({text})" if value < 0 else text


def edit(text: str, changes: dict) -> str:
    """The text with figures replaced: {figure: new text}, each at its own line and columns."""
    lines = text.split("\n")
    for fig, new in sorted(changes.items(), key=lambda kv: (kv[0].span.line, -kv[0].span.col)):
        line = lines[fig.span.line - 1]
        start, end = fig.span.col - 1, fig.span.end_col - 1
        assert line[start:end] == fig.text
        lines[fig.span.line - 1] = line[:start] + new + line[end:]
    return "\n".join(lines)


def cells(filing, tables, column: int):
    for table in filing.tables:
        if table.id in tables:
            for row in table.rows:
                if len(row.cells) > column and row.cells[column] is not None:
                    yield row, row.cells[column]


def prior_year_release(text: str, filing) -> str:
    """The release a year earlier: its current-year column is the fixture's prior-year column."""
    changes = {}
    for row, _ in cells(filing, DURATION, 1):
        if row.cells[0] is not None:
            changes[row.cells[1]] = row.cells[0].text
    out = edit(text, changes)
    out = out.replace("\n\t2022\t2023\t2023\n", "\n\t2021\t2022\t2022\n")
    return out.replace("\tDecember 31, 2022\tMarch 31, 2023\tMarch 31, 2023",
                       "\tDecember 31, 2021\tMarch 31, 2022\tMarch 31, 2022")


def block(text: str, filing, table_id: str, heading: str, factor: int, plant: dict = None) -> list[str]:
    """A duration statement re-dated under `heading`, its figures times `factor` (per-share rows too: only
    amounts are summed; balances at the start or end of the period once), with figures in `plant`
    ({(row label, column): delta}) moved."""
    table = next(t for t in filing.tables if t.id == table_id)
    changes = {}
    for row in table.rows:
        balance = " of period" in row.label
        for i, fig in enumerate(row.cells):
            if fig is None or fig.kind == "nil":
                continue
            value = fig.value * (1 if balance else factor) + (plant or {}).get((row.label, i), 0)
            changes[fig] = printed(value, fig.decimals)
    edited = edit(text, changes).split("\n")[table.span.line - 1:table.rows[-1].span.line]
    return [heading if line.startswith("\tThree months ended March 31,") else line for line in edited]


def half_year_release(text: str, filing, plant: dict = None, note: str = "") -> str:
    """A second-quarter release: the quarter to June 30 (the fixture's figures again) and the six months,
    which must be the first quarter (the fixture) plus the second, for operations and cash flows."""
    first = filing.tables[0].span.line
    out = text.split("\n")[:first - 1]
    for table_id in ("statements-of-operations", "statements-of-cash-flows"):
        out += block(text, filing, table_id, "\tThree months ended June 30,\t\t", 1) + [""]
        out += block(text, filing, table_id, "\tSix months ended June 30,\t\t", 2, plant) + [note, ""]
    return "\n".join(out)


def split_release(text: str, filing, words: str = "", wrong: dict = None) -> str:
    """The fixture after a 10:1 split: its prior-year share counts times 10 and per-share amounts divided
    by 10, printed to the decimals the filer uses."""
    changes = {}
    for _, fig in cells(filing, SPLIT_TABLES, 0):
        if fig.kind == "shares":
            changes[fig] = printed(fig.value * 10, 0)
        elif fig.kind == "per_share":
            changes[fig] = printed((fig.value / 10).quantize(Decimal("0.01")), 2)
    for fig, new in (wrong or {}).items():
        changes[fig] = new
    out = edit(text, changes)
    return out.replace("\nFirst Quarter 2023 Financial Results\n", f"\nFirst Quarter 2023 Financial Results\n{words}\n") \
        if words else out


def cell(filing, table_id: str, label: str, column: int):
    table = next(t for t in filing.tables if t.id == table_id)
    return next(r for r in table.rows if r.label == label).cells[column]


@pytest.fixture(scope="module")
def base():
    text = FIXTURE.read_text(encoding="utf-8")
    return text, extract(text, str(FIXTURE))


@pytest.fixture(scope="module")
def packs():
    return compile_packs([str(ROOT / "rules")], load_rules)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def series(packs, *named):
    return build_series([extract(text, name) for name, text in named], packs, choose)


# -- the fixture's series --------------------------------------------------------------------------

def test_prior_year_release_agrees_on_every_shared_figure(base, packs):
    text, filing = base
    result = series(packs, ("qfin-2022q1.txt", prior_year_release(text, filing)), ("qfin-2023q1.txt", text))
    assert [r.name for r in result.releases] == ["qfin-2022q1.txt", "qfin-2023q1.txt"]
    # a row printed several times with one value ("Add: Share-based compensation expenses") is one figure
    shared = {(row.cells[0].table, label_key(row.label), fig.value) for row, fig in cells(filing, DURATION, 0)}
    assert len(result.matches) == len(shared) > 60
    assert {m.status for m in result.matches} == {"agree"}
    assert result.status == "pass" and result.counts()["mismatch"] == 0
    assert any("applies to qfin-2022q1.txt, qfin-2023q1.txt" in line for line in result.packs)
    m = next(m for m in result.matches if m.a.row == "Total net revenue")
    assert (m.a.release, m.b.release) == (0, 1) and m.a.figure.text == m.b.figure.text == "4,320,047"
    assert "row 'Total net revenue'" in m.how and "3M to 2022-03-31 RMB" in m.how


def test_changed_figure_is_a_disagreement_located_in_both(base, packs):
    text, filing = base
    fig = cell(filing, "statements-of-operations", "Sales and marketing", 0)
    later = edit(text, {fig: "562,577"})
    result = series(packs, ("qfin-2022q1.txt", prior_year_release(text, filing)), ("qfin-2023q1.txt", later))
    bad = [m for m in result.matches if m.failed]
    assert len(bad) == 1 and result.status == "fail"
    m = bad[0]
    assert (m.a.figure.text, m.b.figure.text) == ("552,577", "562,577")
    assert m.b.where == f"{fig.span.line}:{fig.span.col}"  # the later release: the fixture's place
    assert m.a.figure.span.line == fig.span.line and m.a.figure.span.col == fig.span.col + 0 or m.a.where
    assert "qfin-2022q1.txt prints 552,577" in m.note and "qfin-2023q1.txt prints 562,577" in m.note


def test_restatement_is_reported_with_both_values_not_failed(base, packs):
    text, filing = base
    fig = cell(filing, "statements-of-operations", "Sales and marketing", 0)
    table = next(t for t in filing.tables if t.id == "statements-of-operations")
    lines = edit(text, {fig: "562,577"}).split("\n")
    lines.insert(table.rows[-1].span.line, "Note: sales and marketing expenses for the three months ended "
                                           "March 31, 2022 have been restated to include brand promotion costs.")
    result = series(packs, ("qfin-2022q1.txt", prior_year_release(text, filing)), ("qfin-2023q1.txt", "\n".join(lines)))
    restated = [m for m in result.matches if m.status == "restated"]
    assert len(restated) == 1 and not any(m.failed for m in result.matches)
    assert result.status == "pass"
    m = restated[0]
    assert "552,577" in m.note and "562,577" in m.note
    assert "restated" in m.evidence and f"line {table.rows[-1].span.line + 1}" in m.evidence


def test_a_sentence_about_prior_periods_covers_their_figures(base, packs):
    text, filing = base
    fig = cell(filing, "statements-of-operations", "Sales and marketing", 0)
    later = edit(text, {fig: "562,577"}).replace(
        "\nFirst Quarter 2023 Financial Results\n",
        "\nFirst Quarter 2023 Financial Results\nCertain prior period amounts have been reclassified to conform to "
        "the current period presentation.\n")
    result = series(packs, ("qfin-2022q1.txt", prior_year_release(text, filing)), ("qfin-2023q1.txt", later))
    assert [(m.status, m.a.figure.text, m.b.figure.text) for m in result.matches if m.status != "agree"] == \
        [("restated", "552,577", "562,577")]
    assert any("prior period amounts have been reclassified" in m.evidence for m in result.matches)
    legal = edit(text, {fig: "562,577"}).replace(  # a plan "amended and restated" says nothing of the figures
        "\nFirst Quarter 2023 Financial Results\n",
        "\nFirst Quarter 2023 Financial Results\nThe 2019 plan, as amended and restated in August 2020, ...\n")
    result = series(packs, ("qfin-2022q1.txt", prior_year_release(text, filing)), ("qfin-2023q1.txt", legal))
    assert [m.status for m in result.matches if m.status != "agree"] == ["mismatch"]


def test_year_to_date_sums_hold_on_a_clean_half_year(base, packs):
    text, filing = base
    result = series(packs, ("qfin-2023q2.txt", half_year_release(text, filing)), ("qfin-2023q1.txt", text))
    assert [r.name for r in result.releases] == ["qfin-2023q1.txt", "qfin-2023q2.txt"]
    assert len(result.sums) >= 60 and not any(s.failed for s in result.sums)
    assert result.status == "pass"
    opening = [s for s in result.sums if "beginning of period" in s.total.row]
    assert len(opening) == 3 and all("opening balance" in s.note for s in opening)  # 2022, 2023 RMB, 2023 USD
    months = {s.total.period.months for s in result.sums}
    assert months == {6}
    releases = {p.release for s in result.sums for p in s.parts}
    assert releases == {0, 1}  # the first quarter from the first release, the second from the half-year one


def test_planted_year_to_date_slip_is_found_in_both_releases(base, packs):
    text, filing = base
    half = half_year_release(text, filing, plant={("Total net revenue", 1): 3})
    result = series(packs, ("qfin-2023q2.txt", half), ("qfin-2023q1.txt", text))
    failed = [s for s in result.sums if s.failed]
    assert len(failed) == 1 and result.status == "fail"
    s = failed[0]
    assert s.total.row == "Total net revenue" and s.total.figure.text == "7,198,351"
    assert s.total.period.months == 6 and s.total.measure == "RMB"
    q1 = cell(filing, "statements-of-operations", "Total net revenue", 1)
    first = next(p for p in s.parts if p.release == 0)
    assert first.where == f"{q1.span.line}:{q1.span.col}" and first.figure.text == "3,599,174"
    assert any(p.release == 1 for p in s.parts)
    assert "qfin-2023q1.txt" in s.note and "qfin-2023q2.txt" in s.note


def test_year_to_date_slip_the_release_says_it_restated(base, packs):
    text, filing = base
    half = half_year_release(text, filing, plant={("Total net revenue", 1): 3},
                             note="Total net revenue for the six months has been recast for a change in presentation.")
    result = series(packs, ("qfin-2023q2.txt", half), ("qfin-2023q1.txt", text))
    assert not any(s.failed for s in result.sums) and result.status == "pass"
    restated = [s for s in result.sums if s.status == "restated"]
    assert len(restated) == 1 and "recast" in restated[0].note and "7,198,351" in restated[0].note
    prior = half_year_release(text, filing, plant={("Total net revenue", 1): 3},
                              note="Amounts of prior periods have been reclassified to conform to this presentation.")
    result = series(packs, ("qfin-2023q2.txt", prior), ("qfin-2023q1.txt", text))
    assert [s.status for s in result.sums if s.status != "pass"] == ["restated"]  # the first quarter it adds


def test_ten_for_one_split_from_the_figures(base, packs):
    text, filing = base
    result = series(packs, ("qfin-2022q1.txt", prior_year_release(text, filing)),
                    ("qfin-2023q1.txt", split_release(text, filing)))
    assert [(s.ratio, s.source) for s in result.splits] == [("10:1", "figures")]
    split = [m for m in result.matches if m.status == "split"]
    per_split_row = sum(1 for _, f in cells(filing, SPLIT_TABLES, 0) if f.kind in ("shares", "per_share"))
    assert len(split) == per_split_row >= 8
    assert not any(m.failed for m in result.matches) and result.status == "pass"
    shares = next(m for m in split if m.a.figure.text == "310,597,659")
    assert shares.b.figure.text == "3,105,976,590"
    assert "310,597,659" in shares.note and "3,105,976,590 \u00b1 5" in shares.note
    assert "precision printed before the split" in shares.note


def test_split_from_words_and_a_wrong_restated_figure(base, packs):
    text, filing = base
    eps = cell(filing, "statements-of-operations", "Basic", 0)  # 3.80, which is 0.38 after the split
    later = split_release(text, filing, words="On April 3, 2023 the Company effected a ten-for-one share split.",
                          wrong={eps: "0.48"})
    result = series(packs, ("qfin-2022q1.txt", prior_year_release(text, filing)), ("qfin-2023q1.txt", later))
    assert [(s.ratio, s.source) for s in result.splits] == [("10:1", "words")]
    assert "ten-for-one share split" in result.splits[0].evidence
    bad = [m for m in result.matches if m.failed]
    assert [(m.a.figure.text, m.b.figure.text) for m in bad] == [("3.80", "0.48")]
    assert bad[0].b.where == f"{eps.span.line + 1}:{eps.span.col}"  # a line of words was added above it


def test_pack_label_alternatives_match_renamed_rows(base, packs, tmp_path):
    text, filing = base
    table = next(t for t in filing.tables if t.id == "balance-sheets")
    changes = {row.cells[0]: row.cells[0].text for row in table.rows if row.cells and row.cells[0] is not None}
    later = edit(text, changes)  # the same balance at December 31, 2022, printed by a later release
    later = later.replace("\tDecember 31, 2022\tMarch 31, 2023\tMarch 31, 2023",
                          "\tDecember 31, 2022\tJune 30, 2023\tJune 30, 2023")
    later = later.replace("TOTAL QIFU TECHNOLOGY INC EQUITY\t", "Total Qifu Technology Inc. shareholders' equity\t")
    with_pack = series(packs, ("q2.txt", later), ("q1.txt", text))
    renamed = [m for m in with_pack.matches if m.a.row != m.b.row]  # the one column both print: 2022-12-31 RMB
    assert len(renamed) == 1 and "TOTAL QIFU TECHNOLOGY INC EQUITY" in renamed[0].a.label
    assert "with 'LIABILITIES AND EQUITY / Total Qifu Technology Inc. shareholders' equity'" in renamed[0].how
    without = series([p for p in packs if p.name == "buckle"], ("q2.txt", later), ("q1.txt", text))
    assert len(without.matches) == len(with_pack.matches) - 1  # the 2022-12-31 RMB figure is the one shared


# -- rules across releases (`prior_year.ops[...]`) ------------------------------------------------------

ACROSS = """pack qx "Qifu releases, tied to the releases before them": issuer = "Qifu Technology"
table ops = "Statements of Operations"
table bs  = "Balance Sheets"
let revenue = ops["Total net revenue"]?

rule BS-1 "The balance sheet balances":
    bs["TOTAL ASSETS"] = bs["TOTAL LIABILITIES AND EQUITY"]
rule XR-1 "Revenue of a quarter both print = the prior year's release's" columns RMB:
    ops["Total net revenue"] = prior_year.ops["Total net revenue"]?
rule XR-2 "Short term investments at a date both print = the prior quarter's release's" columns RMB:
    bs["Short term investments"] = prior_quarter.bs["Short term investments"]?
rule XR-3 "The year-earlier revenue, through a definition read in the prior year's release" columns RMB:
    ops["Total net revenue"]? @prior = prior_year.revenue @prior
rule XR-4 "The year-earlier revenue in the prose = the prior year's release's statement":
    prose["Total net revenue was" / "compared to"] = prior_year.ops["Total net revenue"]
"""


@pytest.fixture(scope="module")
def across(tmp_path_factory):
    folder = tmp_path_factory.mktemp("across")
    (folder / "across.rules").write_text(ACROSS, encoding="utf-8")
    return compile_packs([str(folder)], load_rules)


def rule_checks(result, rule_id, status=None):
    return [r for r in result.rules if r.finding.rule.id == rule_id and (status is None or r.status == status)]


def located(result, check) -> list:
    """(release name, text, line, col) of each figure of a rule's finding."""
    return [(result.releases[i].name, f.text, f.span.line, f.span.col) for i, f in check.figures]


def test_rules_across_releases_hold_on_a_clean_series(base, across):
    text, filing = base
    result = series(across, ("qfin-2022q1.txt", prior_year_release(text, filing)), ("qfin-2023q1.txt", text),
                    ("qfin-2023q2.txt", later_balance_sheet(text, filing, "June")))
    assert [r.name for r in result.releases] == ["qfin-2022q1.txt", "qfin-2023q1.txt", "qfin-2023q2.txt"]
    assert result.status == "pass" and not any(r.status in ("fail", "error") for r in result.rules)
    assert not any(r.finding.missing for r in result.rules)
    xr1 = rule_checks(result, "XR-1", "pass")  # the 2023 release, its 2022 column against the 2022 release
    assert [(result.releases[r.release].name, r.finding.column) for r in xr1] == [("qfin-2023q1.txt", "3M to 2022-03-31 RMB")]
    revenue = cell(filing, "statements-of-operations", "Total net revenue", 0)
    assert located(result, xr1[0]) == [("qfin-2023q1.txt", "4,320,047", revenue.span.line, revenue.span.col),
                                       ("qfin-2022q1.txt", "4,320,047", revenue.span.line, revenue.span.col + 10)]
    assert xr1[0].read == (("prior_year", 0),)
    assert [located(result, r)[1][0] for r in rule_checks(result, "XR-2", "pass")] == ["qfin-2023q1.txt"]
    assert len(rule_checks(result, "XR-3", "pass")) == 1
    prose = rule_checks(result, "XR-4", "pass")  # both sentences' "RMB4,320.0 million ... same period of 2022"
    assert len(prose) == 2 and {located(result, r)[1][:2] for r in prose} == {("qfin-2022q1.txt", "4,320,047")}
    # the first release has no release before it: its rules are not run, with the cause, and not counted
    first = [r for r in result.rules if r.release == 0]
    assert first and {(r.status, r.finding.cause) for r in first} == {("skip", "needs an earlier release")}
    assert "the series has no release of a period ending 2021-03-31" in first[0].finding.reason
    c = result.counts()
    assert c["rule_pass"] == 5 and c["rule_fail"] == 0
    assert "5 check(s) of rules across releases: 5 held, 0 failed" in result.verdict_line()


def test_planted_mismatches_are_caught_by_rules_and_located_in_both_releases(base, across):
    text, filing = base
    prior = prior_year_release(text, filing)
    revenue = cell(extract(prior, "prior"), "statements-of-operations", "Total net revenue", 1)
    slipped = edit(prior, {revenue: "4,320,947"})  # the 2022 release printed another revenue
    june = later_balance_sheet(text, filing, "June", {"Short term investments": "67,000"})
    result = series(across, ("qfin-2022q1.txt", slipped), ("qfin-2023q1.txt", text), ("qfin-2023q2.txt", june))
    assert result.status == "fail"
    failed = {(r.finding.rule.id, result.releases[r.release].name) for r in result.rules if r.status == "fail"}
    assert failed == {("XR-1", "qfin-2023q1.txt"), ("XR-2", "qfin-2023q2.txt"), ("XR-3", "qfin-2023q1.txt"),
                      ("XR-4", "qfin-2023q1.txt")}
    xr1 = rule_checks(result, "XR-1", "fail")[0]
    printed = cell(filing, "statements-of-operations", "Total net revenue", 0)
    assert located(result, xr1) == [("qfin-2023q1.txt", "4,320,047", printed.span.line, printed.span.col),
                                    ("qfin-2022q1.txt", "4,320,947", revenue.span.line, revenue.span.col)]
    assert "prior_year.ops[\"Total net revenue\"]" in xr1.finding.message
    xr2 = rule_checks(result, "XR-2", "fail")[0]
    investments = cell(filing, "balance-sheets", "Short term investments", 0)
    assert located(result, xr2) == [("qfin-2023q2.txt", "67,000", investments.span.line, investments.span.col),
                                    ("qfin-2023q1.txt", "57,000", investments.span.line, investments.span.col)]
    assert xr2.read == (("prior_quarter", 1),)
    from audit.report.series_data import document, junit
    from audit.report.series_text import console, markdown

    shown = console(result)
    assert "RULES ACROSS RELEASES THAT FAIL (5):" in shown  # XR-4: each of the two sentences
    assert f"67,000 (qfin-2023q2.txt {investments.span.line}:{investments.span.col}); 57,000 (qfin-2023q1.txt" in shown
    doc = document(result)
    bad = [r for r in doc["rules"] if r["status"] == "fail" and r["rule"] == "XR-2"][0]
    assert [(f["release"], f["line"], f["col"]) for f in bad["figures"]] == [
        ("qfin-2023q2.txt", investments.span.line, investments.span.col),
        ("qfin-2023q1.txt", investments.span.line, investments.span.col)]
    assert 'failures="5"' in junit(result) and "XR-2" in markdown(result)


def test_run_skips_rules_that_read_an_earlier_release(base, across):
    from audit.check.engine import audit

    _, filing = base
    result = audit(across[0].ruleset, filing)
    skipped = [f for f in result.findings if f.id.startswith("XR-")]
    assert len(skipped) == 4 and {(f.status, f.cause) for f in skipped} == {("skip", "needs an earlier release")}
    assert skipped[0].reason == "needs the prior year's release of the same period: run `qfin-audit series` with it"
    assert skipped[1].reason == "needs the prior quarter's release: run `qfin-audit series` with it"
    verdict = result.verdict  # not PASS for them, not counted as checks that ran, not INCOMPLETE either
    assert (verdict.status, verdict.evaluated, verdict.missing) == ("pass", 3, 0)  # BS-1 in its 3 columns
    assert "4 needs an earlier release" in verdict.line()


def test_run_says_why_a_rule_across_releases_did_not_run(across, tmp_path):
    done = subprocess.run([sys.executable, "-m", "audit", "run", across[0].path, str(FIXTURE), "--no-html", "-v"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr  # PASS: what ran held; the four rules across releases did not run
    assert "skipped: 4 needs an earlier release" in done.stdout
    assert "XR-2 [-] needs the prior quarter's release: run `qfin-audit series` with it" in done.stdout


# -- the real XPeng releases -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def xpeng(packs):
    paths = [FILINGS / name for name in XPENG]
    if not all(p.is_file() for p in paths):
        pytest.skip(f"the XPeng releases are not in {FILINGS}")
    from audit.read.source import read_text

    return build_series([extract(read_text(str(p)), f"../shared/filings/{p.name}") for p in paths], packs, choose)


def test_xpeng_series_matches_hundreds_of_figures_with_no_false_failure(xpeng):
    c = xpeng.counts()
    assert [r.name for r in xpeng.releases] == XPENG
    assert [r.latest.label() for r in xpeng.releases] == ["12M to 2024-12-31", "3M to 2025-03-31",
                                                         "6M to 2025-06-30", "12M to 2025-12-31"]
    assert c["mismatch"] == 0 and c["sum_fail"] == 0 and xpeng.status == "pass"
    assert xpeng.figures >= 120 and len(xpeng.matches) >= 200 and c["sum_pass"] >= 20  # 142, 246, 27 when written
    # the full year 2024 is the interim's half year plus the third and fourth quarters of other releases
    year = [s for s in xpeng.sums if s.total.row == "Revenues / Total revenues" and s.total.period.end.year == 2024]
    assert year and {p.period.months for p in year[0].parts} == {6, 3} and len({p.release for p in year[0].parts}) > 1


def test_xpeng_rules_across_releases_hold_against_the_right_earlier_release(xpeng):
    c = xpeng.counts()
    assert c["rule_fail"] == c["rule_error"] == 0 and c["rule_pass"] >= 18  # 20 when written
    assert not any(r.finding.missing for r in xpeng.rules)
    read = {(r.release, q, i) for r in xpeng.rules for q, i in r.read}
    # 2025 Q1 reads 2024 Q4 (its prior quarter), the interim 2025 Q1, 2025 Q4 the interim and 2024 Q4
    assert read == {(1, "prior_quarter", 0), (2, "prior_quarter", 1), (3, "prior_half", 2), (3, "prior_year", 0)}
    year = [r for r in xpeng.rules if r.finding.rule.id == "XR-009" and r.status == "pass"]
    assert [[(i, f.text) for i, f in r.figures] for r in year] == [
        [(3, "76,719,742"), (2, "34,085,033"), (3, "20,380,950"), (3, "22,253,759")]]  # = H1 + Q3 + Q4
    wanting = [r for r in xpeng.rules if r.finding.cause == "needs an earlier release"]
    assert wanting and all("the series has no release of a period ending" in r.finding.reason for r in wanting)


def test_xpeng_slips_planted_in_one_release_are_caught_against_the_releases_on_either_side(xpeng, packs):
    from audit.read.source import read_text

    path = FILINGS / XPENG[1]  # 2025 Q1: its December 31, 2024 total assets and accounts and notes payable
    text = read_text(str(path)).replace("82,706,105", "82,706,150", 1).replace("23,080,481", "23,080,581", 1)
    docs = [r.filing for r in xpeng.releases]
    docs[1] = extract(text, f"../shared/filings/{path.name}")
    result = build_series(docs, packs, choose)
    failed = [r for r in result.rules if r.status == "fail"]
    assert [(r.finding.rule.id, r.release, [(i, f.text) for i, f in r.figures]) for r in failed] == [
        ("XR-003", 1, [(1, "82,706,150"), (0, "82,706,105")]),  # 2025 Q1 against 2024 Q4, its prior quarter
        ("XR-003", 2, [(2, "82,706,105"), (1, "82,706,150")]),  # the interim against 2025 Q1
        ("XR-007", 2, [(2, "15,181,585"), (2, "7,898,896"), (1, "23,080,581")])]  # a row split in two
    assert result.status == "fail" and "3 failed" in result.verdict_line()
    assert [f.span.line for _, f in failed[0].figures] == [249, 298]  # each at its line in its own release


def test_xpeng_run_skips_the_rules_across_releases(xpeng, packs):
    from audit.check.engine import audit

    pack = next(p for p in packs if p.name == "xpeng")
    result = audit(pack.ruleset, xpeng.releases[1].filing)
    across = [f for f in result.findings if f.id.startswith("XR-")]
    assert len(across) == len(pack.ruleset.earlier) == 12
    assert {(f.status, f.cause) for f in across} == {("skip", "needs an earlier release")}
    verdict = result.verdict
    ran = [f for f in result.findings if f.status in ("pass", "fail") and f.severity == "error"]
    assert verdict.status == "pass" and verdict.evaluated == len(ran) and not any(f.id.startswith("XR-") for f in ran)


# -- the command -------------------------------------------------------------------------------------

def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "audit", "series", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_cli_outputs_and_exit_codes(base, tmp_path):
    text, filing = base
    prior = write(tmp_path, "qfin-2022q1.txt", prior_year_release(text, filing))
    current = write(tmp_path, "qfin-2023q1.txt", text)
    out = tmp_path / "out"
    done = cli(ROOT / "rules", prior, current, "--json", out / "s.json", "--junit", out / "s.xml",
               "--markdown", out / "s.md", "--html", out / "s.html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "verdict: PASS" in done.stdout and "matched (a figure against its printing" in done.stdout
    doc = json.loads((out / "s.json").read_text())
    assert doc["summary"]["verdict"] == "pass" and doc["summary"]["matched"] == len(doc["matches"]) > 60
    assert doc["matches"][0]["earlier"]["release"] == "qfin-2022q1.txt" and doc["matches"][0]["later"]["line"]
    suites = ET.parse(out / "s.xml").getroot()
    assert suites.find("testsuite").get("failures") == "0"
    assert "**PASS**" in (out / "s.md").read_text()
    html = (out / "s.html").read_text()
    assert 'href="../qfin-2022q1.txt"' in html and "Content-Security-Policy" in html
    # each release's audit report (the qfin pack applies), its figures linked from the matrix
    assert sorted(p.name for p in (out / "s-releases").iterdir()) == ["01-qfin-2022q1.html", "02-qfin-2023q1.html"]
    assert 'href="s-releases/02-qfin-2023q1.html#F-L' in html

    fig = cell(filing, "statements-of-operations", "Sales and marketing", 0)
    write(tmp_path, "qfin-2023q1.txt", edit(text, {fig: "562,577"}))
    done = cli(ROOT / "rules", prior, current, "--no-html", "--junit", "-", cwd=tmp_path)
    assert done.returncode == 1
    assert 'failures="1"' in done.stdout and "562,577" in done.stdout

    other = write(tmp_path, "other.txt", "Nothing here.\n")
    done = cli(ROOT / "rules", prior, other, "--no-html", cwd=tmp_path)
    assert done.returncode == 3 and "verdict: INCOMPLETE" in done.stdout
    done = cli(ROOT / "rules", prior, cwd=tmp_path)
    assert done.returncode == 2 and "at least two" in done.stderr and "Traceback" not in done.stderr
    folder = tmp_path / "releases"
    folder.mkdir()
    for path in (prior, current):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    done = cli(ROOT / "rules", folder, "--no-html", cwd=tmp_path)  # a folder of releases
    assert done.returncode == 1 and "2. qfin-2023q1.txt" in done.stdout
    done = cli(ROOT / "rules", prior, prior, cwd=tmp_path)
    assert done.returncode == 2 and "more than once" in done.stderr
    done = cli(ROOT / "rules", prior, tmp_path / "missing.txt", cwd=tmp_path)
    assert done.returncode == 2 and "missing.txt" in done.stderr and "Traceback" not in done.stderr


# -- the HTML series report in Chromium ---------------------------------------------------------------

def test_series_report_in_chromium(base, tmp_path, browser):
    text, filing = base
    fig = cell(filing, "statements-of-operations", "Sales and marketing", 0)
    prior = write(tmp_path, "qfin-2022q1.txt", prior_year_release(text, filing))
    current = write(tmp_path, "qfin-2023q1.txt", edit(text, {fig: "562,577"}))
    report = tmp_path / "series.html"
    done = cli(ROOT / "rules", prior, current, "--html", report, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    page = browser.new_page()
    errors, requests = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: requests.append(req.url) if not req.url.startswith(("file:", "data:")) else None)
    page.goto(report.as_uri())
    assert page.inner_text("#verdict") == "FAIL"
    bad = page.locator("table.matrix td.mismatch")
    assert bad.count() == 2  # the figure in each release
    assert sorted(bad.all_inner_texts()) == ["552,577", "562,577"]
    assert "qfin-2023q1.txt line" in bad.nth(1).get_attribute("title")
    page.click("tr.problem a")  # the disagreement's row of the matrix
    assert page.evaluate("location.hash") == page.locator(".row.bad").get_attribute("id").join(["#", ""])
    rows = page.locator(".row")
    total = rows.count()
    page.check("#only-problems")
    assert page.locator(".row:visible").count() == 1 < total
    links = page.locator("#releases a.release")
    assert links.count() == 2 and links.first.get_attribute("href") == "qfin-2022q1.txt"
    page.click("#releases a.release >> nth=0")
    page.wait_for_load_state()
    assert page.url.endswith("qfin-2022q1.txt")
    page.goto(report.as_uri())
    page.check("#only-problems")
    page.click("table.matrix td.mismatch a >> nth=1")  # the later release's figure, in its audit report
    page.wait_for_load_state()
    assert page.url.endswith(f"series-releases/02-qfin-2023q1.html#F-L{fig.span.line}C{fig.span.col}")
    assert page.locator(f"#F-L{fig.span.line}C{fig.span.col}").inner_text() == "562,577"
    assert not errors and not requests
    page.close()


def later_balance_sheet(text: str, filing, month: str, changes: dict = None, note: str = "") -> str:
    """A later release reprinting the fixture's December 31, 2022 balance sheet next to `month` 30, 2023."""
    table = next(t for t in filing.tables if t.id == "balance-sheets")
    keep = {row.cells[0]: (changes or {}).get(row.label, row.cells[0].text)
            for row in table.rows if row.cells and row.cells[0] is not None}
    out = edit(text, keep).replace("\tDecember 31, 2022\tMarch 31, 2023\tMarch 31, 2023",
                                   f"\tDecember 31, 2022\t{month} 30, 2023\t{month} 30, 2023")
    lines = out.split("\n")
    lines.insert(table.rows[-1].span.line, note)
    return "\n".join(lines)


def test_a_restatement_is_said_once_and_later_releases_follow_it(base, packs):
    text, filing = base
    restated = later_balance_sheet(text, filing, "June", {"Short term investments": "67,000"},
                                   "Short term investments as of December 31, 2022 have been restated.")
    follows = later_balance_sheet(text, filing, "September", {"Short term investments": "67,000"})
    result = series(packs, ("q3.txt", follows), ("q1.txt", text), ("q2.txt", restated))
    assert [r.name for r in result.releases] == ["q1.txt", "q2.txt", "q3.txt"]
    said = [m for m in result.matches if m.status != "agree"]
    assert [(m.status, m.a.figure.text, m.b.figure.text) for m in said] == [("restated", "57,000", "67,000")]
    assert result.status == "pass"
    again = [m for m in result.matches if m.a.row.endswith("Short term investments") and m.b.release == 2]
    assert again and again[0].status == "agree"  # the third release against the second, not the first

    wrong = later_balance_sheet(text, filing, "June", {"Short term investments": "67,000"})
    result = series(packs, ("q3.txt", follows.replace("\t67,000\t", "\t57,000\t")), ("q1.txt", text), ("q2.txt", wrong))
    bad = [m for m in result.matches if m.failed]
    assert [(m.a.release, m.b.release, m.a.figure.text, m.b.figure.text) for m in bad] == \
        [(0, 1, "57,000", "67,000"), (1, 2, "67,000", "57,000")]  # the odd release disagrees with both neighbours


def test_retail_quarters_chain_into_the_half_year_by_printed_ends():
    import datetime as dt

    from audit.read.filing import Period
    from audit.series.sums import _chain

    day = dt.date
    q1, q2 = Period(day(2024, 5, 4), day(2024, 2, 4)), Period(day(2024, 8, 3), day(2024, 5, 5))  # 13 weeks each
    half, q2_calendar = Period(day(2024, 8, 3), day(2024, 2, 4)), Period(day(2024, 8, 3), day(2024, 5, 4))
    assert _chain(half.start, half.end, half.months, [q2, q1]) == [q1, q2]
    assert _chain(half.start, half.end, half.months, [q1, q2_calendar]) == [q1, q2_calendar]  # a start a day off
    assert _chain(half.start, half.end, half.months, [q1]) is None
    assert _chain(half.start, half.end, half.months, [q1, q1, Period(day(2024, 7, 27), day(2024, 5, 5))]) is None


def test_a_sign_turned_with_a_renamed_row_is_not_a_disagreement(base, tmp_path):
    text, filing = base
    rules = tmp_path / "qs"
    rules.mkdir()
    (rules / "00-pack.rules").write_text(
        'pack qs "Qifu releases, rows renamed over the years": issuer = "Qifu Technology"\n'
        'table ops = "Statements of Operations"\n'
        'rule S-1 "Net income" optional:\n'
        '    ops["Net income" | "Net loss" | "Net income (loss)"] = ops["Net income" | "Net loss" | "Net income (loss)"]\n')
    packs = compile_packs([str(rules)], load_rules)
    prior = prior_year_release(text, filing)
    prior_net = cell(extract(prior, "prior"), "statements-of-operations", "Net income", 1)
    net = cell(filing, "statements-of-operations", "Net income", 0)  # 1,174,357 in the first quarter of 2022

    def run(earlier_label, earlier, later_label, later):
        a = edit(prior, {prior_net: earlier})
        b = edit(text, {net: later})
        a, b = (x.replace("\nNet income\t", f"\n{label}\t", 1) for x, label in ((a, earlier_label), (b, later_label)))
        result = series(packs, ("qfin-2022q1.txt", a), ("qfin-2023q1.txt", b))
        return [(m.status, m.a.figure.text, m.b.figure.text) for m in result.matches if m.status != "agree"]

    # a loss printed as a positive number under "Net loss", then negative under "Net income (loss)"
    assert run("Net loss", "1,174,357", "Net income (loss)", "(1,174,357)") == [("sign", "1,174,357", "(1,174,357)")]
    # the number carried the sign under both labels: the sign turned, the amount did not agree
    assert run("Net loss", "(1,174,357)", "Net income (loss)", "1,174,357") == [
        ("mismatch", "(1,174,357)", "1,174,357")]
    # the same label, the other sign: a disagreement
    assert run("Net income", "1,174,357", "Net income", "(1,174,357)") == [("mismatch", "1,174,357", "(1,174,357)")]
