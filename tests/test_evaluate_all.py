"""Evaluator.evaluate_all (one loop per rule, the rule's file and check found once) finds what evaluate() finds
for each instance, on the seed and on variants with failing checks."""
from __future__ import annotations

import random

from conftest import replace_figure

from audit.diagnose import audit
from audit.read.extract import extract


def _fields(finding) -> tuple:
    """Everything a finding says, its message rendered."""
    rest = tuple(repr(x) for x in finding[11:])
    return tuple(repr(x) for x in finding[:10]) + (finding.message,) + rest


def _variants(filing, fixture_lines, fixture_text) -> list[str]:
    """The seed, and copies with a table cell or a prose figure changed in its last digit."""
    rng = random.Random(21)
    cells = [f for t in filing.tables for f in t.figures() if f.text[-1:].isdigit()]
    prose = [f for f in filing.prose if f.text[-1:].isdigit()]
    out = [fixture_text]
    for fig in rng.sample(cells, 6) + rng.sample(prose, 3):
        digit = "1" if fig.text[-1] != "1" else "2"
        out.append(replace_figure(fixture_lines, fig, fig.text[:-1] + digit))
    return out


def test_evaluate_all_finds_what_evaluate_finds(ruleset, filing, fixture_lines, fixture_text):
    failing_variants = 0
    for which, text in enumerate(_variants(filing, fixture_lines, fixture_text)):
        compared, failed = _compare_all(ruleset, text)
        assert compared > 300
        if which == 0:
            assert failed == 0
        failing_variants += failed > 0
    assert failing_variants >= 4  # (the inline path met failing checks, not only passing ones)


def _compare_all(ruleset, text: str) -> tuple[int, int]:
    """(findings compared, failed ones) over every one-comparison rule."""
    ev = audit(ruleset, extract(text, "variant.txt")).evaluator
    compared = failed = 0
    for rule in ruleset.rules:
        if len(ev._checks(rule)) != 1:
            continue
        try:
            instances = list(ev.instances(rule))
        except Exception:  # (run() reports it; nothing of evaluate_all's to compare)
            continue
        inline = [_fields(f) for f in ev.evaluate_all(rule, instances)]
        one_by_one = [_fields(ev.evaluate(inst)) for inst in instances]
        assert inline == one_by_one, rule.id
        compared += len(inline)
        failed += sum(1 for f in inline if f[2] == "'fail'")
    return compared, failed
