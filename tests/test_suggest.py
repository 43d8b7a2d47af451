"""`qfin-audit suggest` and `run --auto` (issue 16): a pack drafted from the filing's own layout
lints, runs clean on the release it came from, catches a changed cell and a flipped sign with the
changed figure as the top suspect, and keeps an identity that one wrong column breaks."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from conftest import FIXTURE, replace_on_line

from audit.cli import main
from audit.diagnose import audit
from audit.read.extract import extract
from audit.read.filing import Column, Figure, Filing, Period, Row, Span, Table
from audit.suggest.compile import compile_files
from audit.suggest.draft import draft
from audit.suggest.layout import Layout
from audit.suggest.names import Names

TOTAL_CURRENT_ASSETS = 272  # Total current assets  34,097,466  35,018,565  5,099,098
TOTAL_NON_CURRENT = 283  # Total non-current assets  6,245,704  5,860,801  853,399
FUNDING_COSTS = 325  # Funding costs  103,768  159,023  23,156


@pytest.fixture(scope="module")
def drafted(filing):
    return draft(filing)


@pytest.fixture(scope="module")
def ruleset(drafted):
    return compile_files(drafted.files, "suggested")


def _run(text: str, ruleset):
    return audit(ruleset, extract(text, str(FIXTURE)))


def test_the_drafted_pack_lints_and_runs_clean_on_its_own_release(tmp_path, fixture_text):
    out = tmp_path / "drafted"
    runner = CliRunner()
    made = runner.invoke(main, ["suggest", str(FIXTURE), "-o", str(out)])
    assert made.exit_code == 0, made.output
    files = sorted(p.name for p in out.glob("*.rules"))
    assert {"00-tables.rules", "balance_sheet.rules", "income_statement.rules", "cross_statement.rules",
            "narrative.rules", "usd_translation.rules"} <= set(files)
    head = (out / "00-tables.rules").read_text(encoding="utf-8")
    assert 'pack qfin "Qifu Technology, Inc. (drafted by qfin-audit suggest)":' in head
    assert 'issuer = "Qifu Technology, Inc." or ticker = "QFIN"' in head
    linted = runner.invoke(main, ["lint", str(out)])
    assert linted.exit_code == 0 and "ok: pack qfin" in linted.output, linted.output
    ran = runner.invoke(main, ["run", str(out), str(FIXTURE), "--no-html", "--json", "-"])
    assert ran.exit_code == 0, ran.output
    doc = json.loads(ran.output)
    assert doc["summary"]["fail"] == 0 and doc["summary"]["pass"] > 200
    # every rule carries its evidence: certain or guess, and where it holds
    bs = (out / "balance_sheet.rules").read_text(encoding="utf-8")
    assert ("# certain: a total under a run of 10 row(s) bounded by a heading or a total; holds in 3 of 3 columns"
            in bs)
    assert 'bs["Total current assets"] =\n        sum(bs["Current assets:" / *])' in bs


def test_the_same_filing_drafts_the_same_pack(filing, drafted):
    again = draft(filing)
    assert again.files == drafted.files
    assert drafted.tried > len(drafted.candidates) > 50


@pytest.mark.parametrize("line,old,new", [
    (TOTAL_CURRENT_ASSETS, "35,018,565", "35,018,556"),  # a changed table cell (digits swapped)
    (FUNDING_COSTS, "159,023", "(159,023)"),  # a flipped sign
])
def test_a_changed_figure_fails_and_is_the_top_suspect(fixture_text, ruleset, line, old, new):
    result = _run(replace_on_line(fixture_text, line, old, new), ruleset)
    failed = [f for f in result.findings if f.blocking]
    assert failed, "the drafted pack did not catch the change"
    top = result.suspects[0]
    assert top.figure.span.line == line and top.figure.text.strip("()") == new.strip("()")


def test_one_wrong_column_keeps_its_identity_and_fails_in_that_column(fixture_text):
    text = replace_on_line(fixture_text, TOTAL_NON_CURRENT, "853,399", "835,399")
    changed = extract(text, str(FIXTURE))
    pack = draft(changed)
    rules = pack.files["balance_sheet"]
    assert 'bs["Total non-current assets"] =' in rules
    comment = next(line for line in rules.splitlines() if "FAILS in" in line and "2 of 3 columns" in line)
    assert comment.startswith("# guess:") and comment.endswith("FAILS in 2023-03-31 USD")
    result = audit(compile_files(pack.files, "suggested"), changed)
    rule_id = next(r.id for r in result.ruleset.rules if r.title.startswith("Total non-current assets"))
    by_column = {f.column: f.status for f in result.findings if f.rule.id == rule_id}
    assert by_column == {"2022-12-31 RMB": "pass", "2023-03-31 RMB": "pass", "2023-03-31 USD": "fail"}


def test_run_auto_marks_suggested_findings_and_exits_by_verdict(tmp_path, fixture_text):
    runner = CliRunner()
    clean = runner.invoke(main, ["run", "--auto", str(FIXTURE), "--no-html", "--json", "-"])
    assert clean.exit_code == 0, clean.output
    doc = json.loads(clean.stdout)
    assert clean.stderr.startswith("suggested: ") and " candidates tried in " in clean.stderr
    assert doc["results"] and all(r["id"].startswith("AUTO-") and r["suggested"] is True for r in doc["results"])
    both = runner.invoke(main, ["run", "--auto", "rules/", str(FIXTURE), "--no-html", "--json", "-"])
    assert both.exit_code == 0, both.output
    results = json.loads(both.stdout)["results"]
    assert any("suggested" not in r for r in results) and any(r.get("suggested") for r in results)
    assert all(r["id"].startswith("AUTO-") == bool(r.get("suggested")) for r in results)
    bad = tmp_path / "changed.txt"
    bad.write_text(replace_on_line(fixture_text, FUNDING_COSTS, "159,023", "195,023"), encoding="utf-8")
    failed = runner.invoke(main, ["run", "--auto", str(bad), "--no-html"])
    assert failed.exit_code == 1, failed.output
    assert "AUTO-OPS-" in failed.output and "verdict: FAIL" in failed.output
    usage = runner.invoke(main, ["run", str(FIXTURE)])
    assert usage.exit_code == 2 and "--auto" in usage.output


def test_suggest_prints_without_out_and_refuses_a_folder_of_other_rules(tmp_path):
    runner = CliRunner()
    printed = runner.invoke(main, ["suggest", str(FIXTURE)])
    assert printed.exit_code == 0
    assert "# ---- 00-tables.rules ----" in printed.output and "rule BS-001 " in printed.output
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "mine.rules").write_text("# a rule file of someone else\n", encoding="utf-8")
    refused = runner.invoke(main, ["suggest", str(FIXTURE), "-o", str(folder)])
    assert refused.exit_code == 2 and "already holds other rule files (mine.rules)" in refused.output
    assert not (folder / "00-tables.rules").exists()
    collection = tmp_path / "rules"
    (collection / "acme").mkdir(parents=True)
    (collection / "acme" / "00-pack.rules").write_text("# a pack\n", encoding="utf-8")
    refused = runner.invoke(main, ["suggest", str(FIXTURE), "-o", str(collection)])
    assert refused.exit_code == 2 and "holds rule packs (acme)" in refused.output
    assert not (collection / "00-tables.rules").exists()


# -- the layout search on a table made by hand -----------------------------------------------

def _table(rows: list[tuple[str, tuple[str, ...], tuple, bool]]) -> Filing:
    """A two-column statement; each row is (label, section, (value, value) or None, is_total)."""
    columns = tuple(Column(i, f"FY{y}", Period(dt.date(y, 12, 31), dt.date(y, 1, 1)), "USD")
                    for i, y in enumerate((2024, 2023)))
    built = []
    for index, (label, section, values, is_total) in enumerate(rows):
        line = 10 + index
        cells = tuple(Figure(Decimal(v), 0, "USD", 0, "amount", v, Span(line, 40 + 12 * k, 40 + 12 * k + len(v)),
                             table="t", row=label, section=section, column=columns[k])
                      for k, v in enumerate(values)) if values else (None, None)
        built.append(Row(index, label, section, "amount" if values else "header", cells, Span(line, 1, 1 + len(label)),
                         is_total=is_total))
    table = Table("income", "Statements of Income", Span(8, 1, 20), "", 0, columns, tuple(built))
    return Filing("hand-made.txt", "", "0" * 64, tables=[table], lines=[""] * 40)


def test_the_layout_search_finds_totals_and_differences_and_nothing_else():
    filing = _table([
        ("Revenue:", (), None, False),
        ("Products", ("Revenue:",), ("100", "90"), False),
        ("Services", ("Revenue:",), ("50", "40"), False),
        ("Total revenue", ("Revenue:",), ("150", "130"), True),
        ("Cost of revenue", (), ("60", "55"), False),
        ("Gross profit", (), ("90", "75"), False),
        ("Other income", (), ("7", "3"), False),
        ("Net income", (), ("97", "78"), False),
        ("Dividends declared", (), ("20", "20"), False),
    ])
    layout = Layout(filing.tables[0], Names(filing))
    found = {c.check.split(" =")[0]: (c.kind, " ".join(c.check.split("=", 1)[1].split()), c.certain)
             for c in layout.run()}
    assert found == {
        'ops["Total revenue"]': ("footing", 'ops["Products"] + ops["Services"]', True),
        'ops["Gross profit"]': ("difference", 'ops["Total revenue"] - ops["Cost of revenue"]', False),
        'ops["Net income"]': ("footing", 'ops["Gross profit"] + ops["Other income"]', True),
    }
    assert 5 <= layout.tried <= 20  # runs above each row, two sign patterns each; 8 rows have 255 subsets


def test_batch_auto_marks_suggested_checks_in_each_report(tmp_path):
    out = tmp_path / "batch"
    ran = CliRunner().invoke(main, ["batch", "--auto", "rules/", str(FIXTURE), "--out", str(out), "--jobs", "1",
                                    "--no-html"])
    assert ran.exit_code == 0, ran.output
    line = json.loads((out / "summary.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert line["verdict"] == "pass" and line["packs"] == ["qfin"]
    report = json.loads((out / line["json"]).read_text(encoding="utf-8"))
    suggested = [r for r in report["results"] if r.get("suggested")]
    assert suggested and all(r["id"].startswith("AUTO-") for r in suggested)
    assert len(suggested) < len(report["results"])  # the pack's own checks ran too


APPLE = FIXTURE.parent.parent.parent / "shared" / "filings" / "apple-8k-fy2024q1-0000320193-24-000005.txt"


@pytest.mark.skipif(not APPLE.is_file(), reason="../shared/filings is absent")
def test_a_misprint_in_the_prior_year_column_of_a_two_column_statement_keeps_its_identity():
    from audit.read.source import read_text

    raw = read_text(str(APPLE))
    assert raw.count("143,566") == 1  # total current assets at September 30, 2023
    changed = extract(raw.replace("143,566", "143,656"), "../shared/filings/" + APPLE.name)
    pack = draft(changed)
    result = audit(compile_files(pack.files, "suggested"), changed)
    rule_id = next(r.id for r in result.ruleset.rules if r.title.startswith("Total current assets foots"))
    by_column = {f.column: f.status for f in result.findings if f.rule.id == rule_id}
    assert by_column == {"2023-12-30 USD": "pass", "2023-09-30 USD": "fail"}
    assert result.suspects[0].figure.text.strip("$") == "143,656"


PER_ADS_BASIC = 347  # Basic  7.60  5.78  0.84 (net income per ADS)


def test_the_ads_ratio_the_counts_state_ties_per_ads_earnings(fixture_text, drafted, ruleset):
    """The fixture never says how many shares an ADS is; its ADS counts are the share counts / 2 in
    every column, so per-ADS earnings = 2 x per-share earnings are drafted, and a changed one fails."""
    head = drafted.files["00-tables"]
    assert "let ads_ratio = 2" in head and "# the ADS ratio the counts state (" in head
    assert "ads_ratio * ops[" in drafted.files["income_statement"]
    result = _run(replace_on_line(fixture_text, PER_ADS_BASIC, "5.78", "5.87"), ruleset)
    assert any(f.blocking for f in result.findings)
    assert result.suspects[0].figure.span.line == PER_ADS_BASIC


FILINGS = FIXTURE.parent.parent.parent / "shared" / "filings"
XPENG_Q1 = "xpeng-6k-2025q1-ex99-1-d13244dex991.htm"
XPENG_OTHERS = ("xpeng-6k-2024q4-ex99-1-d829413dex991.htm", "xpeng-6k-2025q2-ex99-2-d59478dex992.htm",
                "xpeng-6k-2025q4-ex99-1-d270013dex991.htm")


def _filing(name: str):
    from audit.read.source import read_text

    return extract(read_text(str(FILINGS / name)), f"../shared/filings/{name}")


@pytest.mark.skipif(not (FILINGS / XPENG_Q1).is_file(), reason="../shared/filings is absent")
def test_xpeng_q1_drafted_pack_gives_no_failure_in_the_issuers_other_releases():
    """XPeng 2025 Q1's drafted pack on 2024 Q4, the 2025 interim and 2025 Q4: no failure. US$ figures
    are RMB / rate through translate(), never a tolerance; the US$ item the release makes its
    current assets foot on is stated as the total less the other items (so translate() allows for
    their rounding); labels that change with the sign ('Net loss', 'Net (loss) profit') are found
    either way, so 2025 Q4's US$ non-GAAP profit (72,230, 2.66 off 505,093 / 6.9931) is a subtotal."""
    pack = draft(_filing(XPENG_Q1))
    text = "".join(pack.files.values())
    assert " tolerance " not in text and "row = translate(row @RMB, usd_rate)" in text
    assert ('bs["Prepayments and other current assets"] =\n        bs["Total current assets"] - '
            in pack.files["balance_sheet"])
    assert 'rec["Non-GAAP net loss" | /^Non\\-GAAP net (?:loss|\\(loss\\) (?:profit|income)|' in text
    ruleset = compile_files(pack.files, "suggested")
    assert not [f for f in audit(ruleset, _filing(XPENG_Q1)).findings if f.blocking]
    for name in XPENG_OTHERS:
        result = audit(ruleset, _filing(name))
        failed = [f"{f.rule.id} {f.column} {f.row}: {f.message or f.reason}" for f in result.findings if f.blocking]
        assert not failed, f"{name}: {failed}"
        assert sum(f.status == "pass" for f in result.findings) > 30
    q4 = audit(ruleset, _filing(XPENG_OTHERS[-1]))
    held = [f for f in q4.findings if f.status == "pass" and f.row == "Non-GAAP net (loss) profit"
            and f.column == "3M to 2025-12-31 USD" and f.allowance]
    assert held and "72,230 = 72,227.34 within rounding, allowing 8 for the rounding of the items" in held[0].message


LOAN_VOLUME = 56  # ... reached RMB109,456 million, an increase of 10.7% from RMB98,833 million in the same period


def test_prose_figures_no_table_prints_are_tied_to_each_other(fixture_text, drafted, ruleset):
    """A growth rate stated between two prose amounts, and an amount restated coarser elsewhere in
    the prose (RMB109.5 billion in the CEO quote), are drafted; a changed comparative fails."""
    narrative = drafted.files["narrative"]
    assert "'10.7%' at 56:216 is the change from 'RMB98,833 million' to 'RMB109,456 million'" in narrative
    assert "'RMB109.5 billion' at 97:339 restates 'RMB109,456 million' at 56:176" in narrative
    result = _run(replace_on_line(fixture_text, LOAN_VOLUME, "RMB98,833 million", "RMB98,383 million"), ruleset)
    assert any(f.blocking for f in result.findings)
    assert result.suspects[0].figure.text == "RMB98,383 million"
