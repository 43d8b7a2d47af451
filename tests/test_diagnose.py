"""Diagnosis (issue 7): name the wrong printed figure and the value it should have.

Every test audits a variant of the fixture (the fixture itself is never modified) with the
real rule pack, parsed once per session. The sweep transposes two adjacent digits of every
numeric cell of the five statements, one cell at a time, and measures how often the changed
figure is the top suspect with its exact original value implied.
"""
from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from sweep import Sweep, at, eligible, measure, variant

from audit.diagnose import audit
from audit.diagnose.hints import classify, neighbour_copy, shaped
from audit.diagnose.solver import diagnose
from audit.diagnose.suspect import render
from audit.lang.graph import load
from audit.read.extract import extract
from audit.report.json import result_document
from audit.report.text import run_summary

ROOT = Path(__file__).resolve().parent.parent

# Lines of the fixture's statements used below (the fixture never changes).
CASH, RESTRICTED, SHORT_TERM_INV, SHORT_TERM_LOANS = 262, 263, 264, 290
TOTAL_ASSETS, TOTAL_LIAB_EQUITY = 284, 305
FUNDING_COSTS, PROVISION_AR, EPS_BASIC = 325, 330, 344
CF_BEGIN, CF_END = 365, 366
RATE_LINE = 231
COL_2022, COL_2023, COL_USD = 0, 1, 2


@pytest.fixture(scope="session")
def ruleset():
    return load([str(ROOT / "rules" / "qfin")])


@pytest.fixture(scope="session")
def cells(filing):
    """(line, column index) -> table figure, for the fixture."""
    return {(f.span.line, f.column.index): f for t in filing.tables for f in t.figures()}




def run(ruleset, text: str):
    return audit(ruleset, extract(text, "variant.txt"))






# -- hints ---------------------------------------------------------------------------------


@pytest.mark.parametrize("printed, implied, decimals, kind", [
    ("5128353", "5128335", 0, "transposed"),
    ("5125338", "5128335", 0, "transposed-apart"),
    ("2236", "-2236", 0, "sign"),
    ("150", "150000", 0, "scale"),
    ("150000000", "150000", 0, "scale"),
    ("5128395", "5128335", 0, "digit"),
    ("2.98", "2.89", 2, "transposed"),
    ("28.5", "25.8", 1, "transposed"),
    ("1,234.5".replace(",", ""), "5234.1", 1, "transposed-apart"),
    ("5128353", "5128000", 0, None),
    ("-2263", "-2236", 0, "transposed"),
])
def test_classify_shapes(printed, implied, decimals, kind):
    hint = classify(Decimal(printed), Decimal(implied), decimals)
    assert (hint.kind if hint else None) == kind


def test_shaped_values_include_every_shape():
    values = set(shaped(Decimal("5128353"), 0))
    assert {Decimal("5128335"), Decimal("-5128353"), Decimal("5128353000"), Decimal("5128393")} <= values
    assert Decimal("150000") in set(shaped(Decimal("150"), 0))
    assert Decimal("2.89") in set(shaped(Decimal("2.98"), 2))
    assert not {Decimal("15"), Decimal("5")} & set(shaped(Decimal("105"), 0))  # no leading zero


def test_render_keeps_the_printed_style(cells):
    assert render(cells[(PROVISION_AR, COL_2023)], Decimal("-2263")) == "(2,263)"
    assert render(cells[(PROVISION_AR, COL_2023)], Decimal("2236")) == "2,236"
    assert render(cells[(CASH, COL_2023)], Decimal("-5128335")) == "(5,128,335)"
    assert render(cells[(EPS_BASIC, COL_2023)], Decimal("2.98")) == "2.98"
    margin = next(f for f in cells.values() if f.text == "25.8%")
    assert render(margin, Decimal("28.5")) == "28.5%"


def test_neighbour_copy_hint(fixture_lines, cells):
    copied = extract(variant(fixture_lines, (cells[(RESTRICTED, COL_2023)], cells[(CASH, COL_2023)].text)), "v")
    fig = next(f for t in copied.tables for f in t.figures() if f.span.line == RESTRICTED and f.column.index == 1)
    hint = neighbour_copy(fig, copied)
    assert hint is not None and hint.kind == "neighbour" and "above" in hint.text
    # a total may rightly repeat its only item: no hint there
    ci = next(t for t in copied.tables if "comprehensive" in t.id)
    total = next(r for r in ci.rows if r.label == "Other comprehensive loss")
    assert neighbour_copy(total.cells[0], copied) is None


# -- single errors -------------------------------------------------------------------------


def test_clean_fixture_has_no_suspects(ruleset, filing):
    result = audit(ruleset, filing)
    assert not any(f.status == "fail" for f in result.findings)
    assert result.suspects == ()
    assert diagnose(result) == ()


def test_transposed_digits_named_with_the_right_value(ruleset, fixture_lines, cells):
    fig = cells[(CASH, COL_2023)]
    result = run(ruleset, variant(fixture_lines, (fig, "5,128,353")))
    top = result.suspects[0]
    assert at(top) == (CASH, fig.span.col)
    assert top.implied == Decimal("5128335") and top.hint == "transposed digits" and not top.tie
    assert {"BS-001", "X-006", "FX-001"} <= set(top.rule_ids)
    assert top.range[0] <= top.implied <= top.range[1]
    assert top.describe().startswith("L262:37 5,128,353 should be 5,128,335 (transposed digits) — fixes ")
    failing = {id(f) for f in result.findings if f.status == "fail"}
    assert {id(f) for f in top.explains} == failing  # one figure explains every failure


@pytest.mark.parametrize("line, col, printed, implied, hint", [
    (PROVISION_AR, COL_2023, "2,236", "-2236", "sign flip"),
    (SHORT_TERM_LOANS, COL_2023, "150", "150000", "scale slip"),
    (CASH, COL_2023, "5,128,395", "5128335", "one digit off (9 printed for 3)"),
    (CASH, COL_2023, "5,125,338", "5128335", "transposed digits (not adjacent)"),
    (RESTRICTED, COL_2023, "5,128,335", "3617009", "repeats the row above"),
    (EPS_BASIC, COL_2023, "2.98", "2.89", "transposed digits"),
    (EPS_BASIC, COL_USD, "0.24", "0.42", "transposed digits"),
])
def test_each_shape_of_misprint(ruleset, fixture_lines, cells, line, col, printed, implied, hint):
    fig = cells[(line, col)]
    result = run(ruleset, variant(fixture_lines, (fig, printed)))
    top = result.suspects[0]
    assert at(top) == (line, fig.span.col), top.describe()
    assert top.implied == Decimal(implied)
    assert top.hint.startswith(hint)
    assert top.implied_text == fig.text


def test_wrong_exchange_rate_is_named(ruleset, fixture_lines):
    """The stated rate feeds every USD check through fact(): overriding its figure must reach it."""
    line = fixture_lines[RATE_LINE - 1]
    assert "RMB6.8676" in line
    lines = list(fixture_lines)
    lines[RATE_LINE - 1] = line.replace("RMB6.8676", "RMB6.8667")
    result = run(ruleset, "\n".join(lines))
    fails = [f for f in result.findings if f.status == "fail"]
    top = result.suspects[0]
    assert top.figure.text == "RMB6.8667" and top.implied == Decimal("6.8676") and top.hint == "transposed digits"
    assert len(top.explains) == len(fails) > 20


# -- several errors, ties, groups ----------------------------------------------------------


def test_two_errors_in_different_statements(ruleset, fixture_lines, cells):
    cash, funding = cells[(CASH, COL_2023)], cells[(FUNDING_COSTS, COL_2023)]
    result = run(ruleset, variant(fixture_lines, (cash, "5,128,353"), (funding, "159,032")))
    figures = [s for s in result.suspects if s.figure is not None]
    assert len(figures) == 2 and len(result.suspects) == 2
    found = {at(s): s.implied for s in figures}
    assert found == {(CASH, cash.span.col): Decimal("5128335"), (FUNDING_COSTS, funding.span.col): Decimal("159023")}
    explained = [id(f) for s in figures for f in s.explains]
    assert len(explained) == len(set(explained)) == sum(f.status == "fail" for f in result.findings)


def test_two_errors_in_one_check(ruleset, fixture_lines, cells):
    """Both items of one footing are wrong: found one after the other, the shared check noted."""
    cash, inv = cells[(CASH, COL_2023)], cells[(SHORT_TERM_INV, COL_2023)]
    result = run(ruleset, variant(fixture_lines, (cash, "5,128,353"), (inv, "236,082")))
    found = {at(s): s.implied for s in result.suspects}
    assert found == {(CASH, cash.span.col): Decimal("5128335"), (SHORT_TERM_INV, inv.span.col): Decimal("236028")}
    partial = next(s for s in result.suspects if not s.full)
    assert "BS-001" in partial.note and "corrected too" in partial.note


def test_equally_suspect_figures_are_a_tie(ruleset, fixture_lines, cells):
    """Beginning and end cash of 2022 meet in one check (CF-002) and nowhere else."""
    end = cells[(CF_END, COL_2022)]
    result = run(ruleset, variant(fixture_lines, (end, "8,811,200")))  # no known shape
    top = result.suspects[0]
    assert [f.rule.id for f in top.explains] == ["CF-002"]
    pair = {at(top): top.implied, **{at(t): t.implied for t in top.tie}}
    assert pair[(CF_END, end.span.col)] == Decimal("8811113")
    assert (CF_BEGIN, cells[(CF_BEGIN, COL_2022)].span.col) in pair
    assert "tie" in top.describe() and "cannot tell" in top.note
    assert top.as_dict()["tie"][0]["implied"] is not None


def test_failures_no_single_figure_explains(ruleset, fixture_lines, cells):
    """The same wrong total on both sides of the balance sheet: each total is pinned by BS-009."""
    ta, tle = cells[(TOTAL_ASSETS, COL_2022)], cells[(TOTAL_LIAB_EQUITY, COL_2022)]
    result = run(ruleset, variant(fixture_lines, (ta, "40,343,710"), (tle, "40,343,710")))
    assert result.suspects and all(s.figure is None for s in result.suspects)
    assert {f.rule.id for s in result.suspects for f in s.explains} == {"BS-003", "BS-008"}
    doc = result.suspects[0].as_dict()
    assert doc["kind"] == "group" and doc["line"] is None and doc["figures"]
    assert result.suspects[0].describe().startswith("no single figure explains BS-00")


# -- reports -------------------------------------------------------------------------------


def test_json_and_console_show_suspects(ruleset, fixture_lines, cells):
    fig = cells[(CASH, COL_2023)]
    result = run(ruleset, variant(fixture_lines, (fig, "5,128,353")))
    doc = result_document(result)["suspects"][0]
    assert {"line", "col", "text", "value", "implied", "explains", "hint", "table", "row", "column", "tie"} <= set(doc)
    assert (doc["line"], doc["col"], doc["text"], doc["value"], doc["implied"]) == (262, 37, "5,128,353", "5128353",
                                                                                    "5128335")
    assert doc["hint"] == "transposed digits" and doc["row"] == "Cash and cash equivalents"
    assert all(isinstance(v, str) for v in doc["range"])
    text = run_summary(result)
    assert "Likely wrong figures" in text and result.suspects[0].describe() in text


# -- the sweep: a fixed-seed sample of statement cells, two adjacent digits transposed ---------
# The full sweep over every cell (the measurement) is benchmarks/bench_diagnose_sweep.py.

SAMPLE, SEED = 60, 2023


@pytest.fixture(scope="module")
def sweep(ruleset, filing, fixture_lines, request) -> Sweep:
    cells = eligible(filing)
    assert len(cells) > 250
    out = measure(ruleset, fixture_lines, random.Random(SEED).sample(cells, SAMPLE), run)
    summary = _Summary()
    summary.lines = out.lines(f"sample of {SAMPLE}, seed {SEED}")
    request.config.pluginmanager.register(summary, "qfin-diagnose-sweep")
    return out


class _Summary:
    """Prints the sweep's numbers at the end of the pytest run (also visible without -s)."""

    def __init__(self):
        self.lines: list[str] = []

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.section("diagnosis: transposed digits in a sample of statement cells")
        for line in self.lines:
            terminalreporter.write_line(line)


def test_sweep_ranks_the_changed_figure_first(sweep):
    assert sweep.cells == SAMPLE
    assert sweep.rate >= 0.90, f"{len(sweep.first)} of {sweep.detected} ({sweep.rate:.1%})"


def test_sweep_reports_ties_honestly(sweep):
    """Where the changed figure is not first, the top suspect explains exactly the same checks
    and says so: the figures are tied on the evidence of the rules."""
    for _fig, _mutated, top in sweep.ties:
        assert top.tie and top.note and "cannot tell" in top.note, top.describe()


def test_sweep_absorbed_mutations_really_pass(sweep):
    """A transposition absorbed by rounding intervals is no diagnosis failure; it is listed."""
    assert len(sweep.absorbed) <= sweep.cells * 0.05, [f"{f.text}->{m}" for f, m, _ in sweep.absorbed]


def _regions_by_every_point(optional, mandatory, near):
    """The plain definition of search.regions (each point against every set), for comparison."""
    from audit.diagnose.search import _contains

    points = {near} | {p for sets in list(optional.values()) + mandatory for b in sets for p in b if p is not None}
    best, top = {}, 0
    for p in sorted(points):
        hits = [next((b for b in sets if _contains(b, p)), None) for sets in mandatory]
        if None in hits:
            continue
        covered = [i for i, sets in optional.items() if any(_contains(b, p) for b in sets)]
        hits += [next(b for b in optional[i] if _contains(b, p)) for i in covered]
        if not covered or len(covered) < top:
            continue
        if len(covered) > top:
            top, best = len(covered), {}
        lo = max((b[0] for b in hits if b[0] is not None), default=None)
        hi = min((b[1] for b in hits if b[1] is not None), default=None)
        best.setdefault((lo, hi), frozenset(covered))
    return list(best.items())


def test_regions_sweep_gives_what_every_point_against_every_set_gives():
    """regions() sweeps the points once (issue 20: a figure in u failing checks costs u log u)."""
    from audit.diagnose.search import regions

    rng = random.Random(20)

    def bound():
        lo, hi = (None if rng.random() < 0.15 else Decimal(rng.randint(-20, 20)) for _ in range(2))
        return (hi, lo) if lo is not None and hi is not None and lo > hi and rng.random() < 0.9 else (lo, hi)

    for _ in range(3000):
        optional = {i: [bound() for _ in range(rng.choice((1, 1, 2, 3)))]
                    for i in rng.sample(range(30), rng.randint(0, 8))}
        mandatory = [[bound() for _ in range(rng.choice((1, 1, 2)))] for _ in range(rng.choice((0, 0, 1, 2)))]
        near = Decimal(rng.randint(-25, 25))
        assert regions(optional, mandatory, near) == _regions_by_every_point(optional, mandatory, near)
