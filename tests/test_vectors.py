"""vectors: a one-comparison rule evaluated over all its instances at once finds what the general path
(Evaluator.evaluate, one instance at a time) finds, every field and message alike: on the seed and
variants of it with failing checks, with a figure blanked (an instance left to the general path),
and on the XPeng and Buckle filings with their packs. Every rule of a few instances is swept here
too (evaluate_all sweeps only `for each row` rules of many instances: for the others, whose instances
each read a column of their own, the general path is as quick)."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import replace_figure

from audit.check import outcomes
from audit.check.engine import audit
from audit.check.vectors import plan
from audit.lang.graph import load
from audit.read.extract import extract
from audit.read.source import read_text

ROOT = Path(__file__).resolve().parent.parent
FILINGS = ROOT.parent / "shared" / "filings"


@pytest.fixture(autouse=True)
def sweep_all(monkeypatch):
    monkeypatch.setattr(outcomes, "_SWEPT", 1)
    monkeypatch.setattr(outcomes, "_ROWS_ONLY", False)


def _fields(finding) -> tuple:
    """Everything a finding says, its message rendered."""
    return tuple(repr(x) for x in finding[:10]) + (finding.message,) + tuple(repr(x) for x in finding[11:])


def _compare_all(ruleset, filing) -> tuple[int, int, int]:
    """(findings compared, failed ones, instances the sweep decided) over every one-comparison rule."""
    ev = audit(ruleset, filing).evaluator
    compared = failed = swept = 0
    for rule in ruleset.rules:
        if len(ev._checks(rule)) != 1:
            continue
        try:
            instances = list(ev.instances(rule))
        except Exception:  # (run() reports it; nothing of evaluate_all's to compare)
            continue
        found = outcomes._swept(ev, ev._checks(rule)[0][0], instances) if rule.tolerance is None else None
        swept += sum(1 for o in (found or [])[:-1] if o is not None)
        inline = [_fields(f) for f in ev.evaluate_all(rule, instances)]
        one_by_one = [_fields(ev.evaluate(inst)) for inst in instances]
        assert inline == one_by_one, rule.id
        compared += len(inline)
        failed += sum(1 for f in inline if f[2] == "'fail'")
    return compared, failed, swept


def test_the_seed_and_variants(ruleset, filing, fixture_lines, fixture_text):
    rng = random.Random(2121)
    cells = [f for t in filing.tables for f in t.figures() if f.text[-1:].isdigit()]
    texts = [fixture_text]
    for fig in rng.sample(cells, 8):
        digit = "1" if fig.text[-1] != "1" else "2"
        texts.append(replace_figure(fixture_lines, fig, fig.text[:-1] + digit))
    for fig in rng.sample(cells, 3):  # a cell blanked: its instances are left to the general path
        texts.append(replace_figure(fixture_lines, fig, "-" + " " * (len(fig.text) - 1)))
    failing = 0
    for which, text in enumerate(texts):
        compared, failed, swept = _compare_all(ruleset, extract(text, "variant.txt"))
        assert compared > 300 and swept > 200
        if which == 0:
            assert failed == 0
        failing += failed > 0
    assert failing >= 5


def test_the_seed_sweeps_its_table_rules(ruleset):
    """The common shapes are swept: a plan for every check of a table rule but the few of unusual shapes."""
    table_rules = [r for r in ruleset.rules if not r.foreach and type(r.check).__name__ == "Compare"
                   and type(r.check.left).__name__ == "CellRef"]
    planned = [r for r in table_rules if plan(r.check) is not None]
    assert len(planned) >= len(table_rules) - 3
    assert all(plan(r.check) is not None for r in ruleset.rules if r.foreach)


@pytest.mark.parametrize("name, pack", [
    ("xpeng-6k-2024q4-ex99-1-d829413dex991.htm", "xpeng"),
    ("xpeng-6k-2025q2-ex99-2-d59478dex992.htm", "xpeng"),
    ("buckle-8k-ex99-1-2024-11-22.htm", "buckle"),
])
def test_real_filings(name, pack):
    path = FILINGS / name
    if not path.is_file():
        pytest.skip(f"{name} is not here")
    ruleset = load([str(ROOT / "rules" / pack)])
    compared, _, swept = _compare_all(ruleset, extract(read_text(path), str(path)))
    assert compared > 80 and swept > compared // 2, (compared, swept)
