"""The bundled rule pack: no false failures on the clean fixture, every table cell checked,
and every check bites: change a figure's last printed digit, or flip its sign, in a copy of
the fixture and a check that names that figure's line fails."""
from __future__ import annotations

import os
import re

import pytest
from conftest import replace_figure as mutate

from audit.check.engine import audit  # findings only: these tests never read suspects
from audit.read.extract import extract

#: Last-digit changes that the rounding intervals really absorb, with the reason. The test
#: fails if this list is wrong in either direction.
ABSORBED = {
    (267, "2,868,625"): "BS-001 sums 10 current-asset items and the total: each printed to the thousand, "
                        "so +/-5.5 thousand is within rounding; the December 2022 column has no USD cell",
    (274, "231,845"): "BS-002 sums 9 items (+/-5 thousand) and the USD cell 33,759 admits 231,840 / 6.8676 "
                      "= 33,758.5 at the edge of its rounding",
    (277, "3,136,994"): "BS-002 sums 9 non-current items: +/-5 thousand is within rounding (December 2022 column)",
    (279, "998,185"): "BS-002 sums 9 non-current items: +/-5 thousand is within rounding (December 2022 column)",
    (279, "993,004"): "BS-002 within +/-5 thousand, and 993,009 / 6.8676 = 144,593.4 still prints 144,593",
    (350, "310,597,659"): "9 shares in 310.6 million move basic EPS by 0.0000001, far below its 2 decimals",
}


def far_last_digit(text: str) -> str:
    """Change the last printed digit as far as it goes: 0-4 -> 9, 5-9 -> 0."""
    i = max(k for k, ch in enumerate(text) if ch.isdigit())
    digit = int(text[i])
    return text[:i] + ("9" if digit < 5 else "0") + text[i + 1:]


def flip_sign(text: str) -> str:
    return text[1:-1] if text.startswith("(") else f"({text})"


def caught(ruleset, text: str, fig) -> list[str]:
    """Rule ids of failing (or erroring) checks that name the mutated figure."""
    result = audit(ruleset, extract(text, "mutant.txt"))
    return sorted({f.rule.id for f in result.findings if f.status in ("fail", "error")
                   and any((g.span.line, g.span.col) == (fig.span.line, fig.span.col) for g in f.figures)})


def table_figures(filing):
    return [fig for fig in filing.figures() if fig.table is not None and fig.kind != "nil"]


def test_clean_fixture_gives_zero_failures(clean_result):
    bad = [f"{f.rule.id} [{f.column}] {f.message}" for f in clean_result.findings if f.status in ("fail", "error")]
    assert bad == []


def test_every_numeric_table_cell_is_checked(clean_result, filing):
    checked = {(g.span.line, g.span.col) for f in clean_result.findings if f.status in ("pass", "fail")
               for g in f.figures}
    unchecked = [(fig.span.line, fig.text) for fig in filing.figures()
                 if fig.table is not None and (fig.span.line, fig.span.col) not in checked]
    assert unchecked == []


PARTS = 4  # the sweep is cut in parts so pytest-xdist spreads it
#: The suite mutates a fixed half of the cells (parts 1 and 3); `make sweeps` (QFIN_FULL_SWEEP=1) every cell.
SWEPT = range(PARTS) if os.environ.get("QFIN_FULL_SWEEP") == "1" else (0, 2)


def part(figures: list, k: int) -> list:
    return figures[k::PARTS]


@pytest.mark.parametrize("k", SWEPT)
def test_last_digit_changes_are_caught(ruleset, filing, fixture_lines, k):
    missed = {}
    figures = part(table_figures(filing), k)
    for fig in figures:
        rules = caught(ruleset, mutate(fixture_lines, fig, far_last_digit(fig.text)), fig)
        if not rules:
            missed[(fig.span.line, fig.text)] = True
    print(f"\nlast-digit mutations of table cells (part {k + 1} of {PARTS}): "
          f"{len(figures) - len(missed)}/{len(figures)} caught; absorbed by rounding: {sorted(missed)}")
    expected = {(f.span.line, f.text) for f in figures} & set(ABSORBED)
    assert set(missed) == expected, "update ABSORBED (with the reason) only if rounding really absorbs it"


def test_the_sweep_parts_cover_every_cell_once(filing):
    figures = table_figures(filing)
    parts = [part(figures, k) for k in range(PARTS)]
    assert sorted(id(f) for p in parts for f in p) == sorted(id(f) for f in figures)
    assert set(ABSORBED) <= {(f.span.line, f.text) for f in figures}


@pytest.mark.parametrize("k", SWEPT)
def test_sign_flips_are_caught(ruleset, filing, fixture_lines, k):
    figures = part(table_figures(filing), k)
    missed = [(fig.span.line, fig.text) for fig in figures
              if not caught(ruleset, mutate(fixture_lines, fig, flip_sign(fig.text)), fig)]
    print(f"\nsign flips of table cells (part {k + 1} of {PARTS}): {len(figures) - len(missed)}/{len(figures)} caught")
    assert missed == []


@pytest.mark.parametrize("line,old,new,expected", [
    (262, "5,128,335", "5,128,353", {"BS-001", "X-006", "FX-001"}),        # transposed digits, cash
    (305, "40,879,366", "40,879,636", {"BS-008", "BS-009"}),               # total liabilities and equity
    (323, "3,599,174", "3,599,714", {"OPS-003", "OPS-005", "NR-001", "FX-001"}),
    (340, "929,822", "929,288", {"OPS-007", "OPS-008", "X-001", "X-002"}),
    (347, "5.78", "5.87", {"EPS-003", "FX-001"}),
    (364, "(1,767,019)", "(1,767,091)", {"CF-001", "CF-002"}),
    (380, "927,014", "927,041", {"CI-002", "CI-003"}),
    (401, "165,609,633", "165,609,336", {"EPS-007", "FX-002"}),
    (396, "27.1%", "27.7%", {"REC-007"}),
])
def test_known_errors_fail_the_right_rules(ruleset, fixture_lines, line, old, new, expected):
    text_line = fixture_lines[line - 1]
    assert old in text_line
    lines = list(fixture_lines)
    lines[line - 1] = text_line.replace(old, new, 1)
    result = audit(ruleset, extract("\n".join(lines), "mutant.txt"))
    failed = {f.rule.id for f in result.findings if f.status == "fail"}
    assert expected <= failed
    for f in result.findings:
        if f.status == "fail":
            assert line in {g.span.line for g in f.figures}, f"{f.rule.id} fails without naming line {line}"


def test_rules_readme_lists_every_rule_file():
    from conftest import RULES

    readme = (RULES / "README.md").read_text(encoding="utf-8")
    for path in RULES.glob("*.rules"):
        assert path.name in readme
    ids = {m for p in RULES.glob("*.rules") for m in re.findall(r"^rule (\S+)", p.read_text(), re.M)}
    assert len(ids) > 90
