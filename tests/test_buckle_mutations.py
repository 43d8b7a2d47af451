"""Every check of the Buckle pack bites, on the HTML itself: change one figure in the exhibit's
markup, extract and audit it in process, and an error-severity check that names that figure
fails.

Table cells are found in the markup, not in the rendered text (whose line and column are not
HTML offsets): Workiva prints each value alone in a <font> inside its <td> ("293,618&#160;",
"(365,241)", "0.89&#160;"; the "$" sits in a cell of its own), so the numeric text nodes of the
document, in document order, are exactly the statements' numeric cells in reading order. The
module checks that correspondence once, and every mutant is extracted again to prove that the
one intended figure, and nothing else, changed.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.check.engine import audit  # findings only: these tests never read suspects
from audit.lang.graph import load
from audit.read.extract import extract

ROOT = Path(__file__).resolve().parent.parent
BUCKLE = ROOT.parent / "shared" / "filings" / "buckle-8k-ex99-1-2024-11-22.htm"
RULES = ROOT / "rules" / "buckle"

#: A text node that is a number and nothing else (a Workiva table cell's value).
CELL = re.compile(r"<font[^>]*>(\(?\d[\d,]*(?:\.\d+)?\)?)(?:&#160;)?</font>")

#: Last-digit changes that the rounding intervals really absorb, with the reason: each weighted
#: share count is checked only through an EPS printed to the cent, which admits a range of share
#: counts (net income +/- 0.5 thousand over EPS +/- 0.005), and no other figure restates it.
#: The test fails if this list is wrong in either direction.
ABSORBED = {
    (62, "49,854", "3M to 2024-11-02"): "44,172 / [0.885, 0.895] admits 49,354 to 49,912 thousand basic shares",
    (62, "49,513", "3M to 2023-10-28"): "51,762 / [1.045, 1.055] admits 49,063 to 49,533 thousand basic shares",
    (62, "49,854", "9M to 2024-11-02"): "118,270 / [2.365, 2.375] admits 49,798 to 50,009 thousand basic shares",
    (62, "49,513", "9M to 2023-10-28"): "140,338 / [2.825, 2.835] admits 49,502 to 49,677 thousand basic shares",
    (63, "50,297", "3M to 2024-11-02"): "44,172 / [0.875, 0.885] admits 49,911 to 50,483 thousand diluted shares",
    (63, "49,937", "3M to 2023-10-28"): "51,762 / [1.035, 1.045] admits 49,533 to 50,012 thousand diluted shares",
    (63, "50,230", "9M to 2024-11-02"): "118,270 / [2.345, 2.355] admits 50,221 to 50,435 thousand diluted shares",
    (63, "49,891", "9M to 2023-10-28"): "140,338 / [2.805, 2.815] admits 49,853 to 50,032 thousand diluted shares",
}


@pytest.fixture(scope="module")
def html() -> str:
    return BUCKLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ruleset():
    return load([str(RULES)])


@pytest.fixture(scope="module")
def clean(html):
    return extract(html, str(BUCKLE))


def table_figures(filing):
    """Every numeric cell of the statements, in reading order."""
    return [cell for table in filing.tables for row in table.rows for cell in row.cells
            if cell is not None and cell.kind != "nil"]


@pytest.fixture(scope="module")
def cells(html, clean):
    """(figure, match of its text node in the HTML) for every numeric table cell."""
    figures = table_figures(clean)
    nodes = list(CELL.finditer(html))
    assert [m.group(1) for m in nodes] == [fig.text.removeprefix("$") for fig in figures]
    return list(zip(figures, nodes))


def far_last_digit(text: str) -> str:
    """Change the last printed digit as far as it goes: 0-4 -> 9, 5-9 -> 0."""
    i = max(k for k, ch in enumerate(text) if ch.isdigit())
    return text[:i] + ("9" if int(text[i]) < 5 else "0") + text[i + 1:]


def flip_sign(text: str) -> str:
    return text[1:-1] if text.startswith("(") else f"({text})"


def mutant(html: str, start: int, end: int, new: str, path: str = "buckle-mutant.htm"):
    return extract(html[:start] + new + html[end:], path)


def caught_by(ruleset, filing, fig) -> list[str]:
    """Error-severity rules whose failing (or undecidable) finding names the figure."""
    result = audit(ruleset, filing)
    return sorted({f.rule.id for f in result.findings
                   if f.status in ("fail", "error") and f.rule.severity == "error"
                   and any(g.key == fig.key for g in f.figures)})


def mutate_cell(html, clean_figures, index, node, new_text, expect_value=None):
    """The mutant filing and its mutated figure, after proving only that cell changed."""
    filing = mutant(html, node.start(1), node.end(1), new_text)
    figures = table_figures(filing)
    assert len(figures) == len(clean_figures)
    changed = [k for k, (a, b) in enumerate(zip(clean_figures, figures)) if (a.text, a.value) != (b.text, b.value)]
    assert changed == [index], f"mutating {clean_figures[index].text!r} changed cells {changed}"
    fig = figures[index]
    assert fig.text.replace("$", "") == new_text  # "$" "(293,618)" renders as "($293,618)"
    if expect_value is not None:
        assert fig.value == expect_value
    return filing, fig


def test_every_numeric_cell_is_found_in_the_markup(cells):
    assert len(cells) == 144


def test_last_digit_changes_are_caught(html, ruleset, clean, cells):
    figures = [fig for fig, _ in cells]
    missed = {}
    for index, (fig, node) in enumerate(cells):
        filing, changed = mutate_cell(html, figures, index, node, far_last_digit(node.group(1)))
        if not caught_by(ruleset, filing, changed):
            missed[(fig.span.line, fig.text, _period(clean, fig))] = True
    print(f"\nlast-digit changes of table cells: {len(cells) - len(missed)}/{len(cells)} caught; "
          f"absorbed by rounding: {sorted(missed)}")
    assert set(missed) == set(ABSORBED), "update ABSORBED (with the reason) only if rounding really absorbs it"


def test_sign_flips_are_caught(html, ruleset, cells):
    figures = [fig for fig, _ in cells]
    missed = []
    for index, (fig, node) in enumerate(cells):
        filing, changed = mutate_cell(html, figures, index, node, flip_sign(node.group(1)), expect_value=-fig.value)
        if not caught_by(ruleset, filing, changed):
            missed.append((fig.span.line, fig.text))
    print(f"\nsign flips of table cells: {len(cells) - len(missed)}/{len(cells)} caught")
    assert missed == []


def _period(filing, fig) -> str:
    """The column label of a table figure without its currency: '3M to 2024-11-02'."""
    for table in filing.tables:
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells):
                if cell is fig:
                    return column.period.label()
    raise AssertionError(f"{fig.text} is in no table")


# -- prose ---------------------------------------------------------------------------------

def prose_nodes(html: str, filing):
    """(figure, start, end) in the HTML for every prose figure: its printed text, matched in
    document order outside the tables' numeric cells (prose texts such as "$44.2 million" or
    "3.2 percent" never appear in a cell)."""
    out, taken = [], set()
    for fig in filing.prose:
        at = -1
        while True:
            at = html.find(fig.text, at + 1)
            assert at >= 0, f"{fig.text!r} not found in the markup"
            if at not in taken and not html[at - 1].isdigit() and not html[at + len(fig.text)].isdigit() \
                    and html[at - 1] != "." and html[at + len(fig.text)] != ".":
                break
        taken.add(at)
        out.append((fig, at, at + len(fig.text)))
    return out


@pytest.fixture(scope="module")
def clean_result(ruleset, clean):
    return audit(ruleset, clean)


def checked_prose(clean_result, clean):
    used = {g.key for f in clean_result.findings if f.status == "pass" for g in f.figures}
    return [fig for fig in clean.prose if fig.key in used]


def mutate_prose(html, clean, fig, start, end, new_text):
    filing = mutant(html, start, end, new_text)
    before = [(f.span.line, f.text) for f in clean.prose]
    after = [(f.span.line, f.text) for f in filing.prose]
    assert len(after) == len(before)
    changed = [k for k, (a, b) in enumerate(zip(before, after)) if a != b]
    k = clean.prose.index(fig)
    assert changed == [k], f"mutating {fig.text!r} changed prose figures {changed}"
    assert [(f.text, f.value) for f in table_figures(filing)] == [(f.text, f.value) for f in table_figures(clean)]
    return filing, filing.prose[k]


def test_every_checked_prose_figure_bites(html, ruleset, clean, clean_result):
    """Change the last digit of each checked prose figure ("$44.2 million" -> "$44.9 million")."""
    nodes = {id(fig): (start, end) for fig, start, end in prose_nodes(html, clean)}
    checked = checked_prose(clean_result, clean)
    assert len(checked) == 27
    missed = []
    for fig in checked:
        start, end = nodes[id(fig)]
        filing, changed = mutate_prose(html, clean, fig, start, end, far_last_digit(fig.text))
        if not caught_by(ruleset, filing, changed):
            missed.append((fig.span.line, fig.text))
    print(f"\nlast-digit changes of checked prose figures: {len(checked) - len(missed)}/{len(checked)} caught")
    assert missed == []


@pytest.mark.parametrize("old,occurrence,new,rule", [
    ("$44.2 million", 0, "$45.2 million", "BKE-NR-001"),     # opening paragraph net income
    ("$44.2 million", 1, "$45.2 million", "BKE-NR-012"),     # results paragraph net income
    ("$0.89 per share", 0, "$0.98 per share", "BKE-NR-002"),  # transposed EPS
    ("$0.88 per share on a diluted", 1, "$0.86 per share on a diluted", "BKE-NR-014"),
    ("$1.05 per share", 0, "$1.50 per share", "BKE-NR-016"),  # prior-year EPS
    ("decreased 3.2 percent", 0, "decreased 2.3 percent", "BKE-NR-004"),
    ("decreased 4.6 percent", 0, "decreased 4.4 percent", "BKE-NR-008"),
    ("increased 1.1 percent", 0, "increased 1.6 percent", "BKE-NR-007"),
    ("$303.5 million", 0, "$330.5 million", "BKE-NR-006"),
    ("$878.7 million", 0, "$887.7 million", "BKE-NR-010"),
    ("$141.0 million", 0, "$114.0 million", "BKE-NR-007"),
    ("decreased 3.2 percent", 0, "increased 3.2 percent", "BKE-NR-004"),  # the wrong verb
    ("decreased 9.2 percent", 0, "increased 9.2 percent", "BKE-NR-007"),
    ("increased 1.1 percent", 0, "decreased 1.1 percent", "BKE-NR-007"),
    ("$140.3 million", 0, "$143.0 million", "BKE-NR-021"),
])
def test_known_prose_errors_fail_their_rule(html, ruleset, old, occurrence, new, rule):
    at = -1
    for _ in range(occurrence + 1):
        at = html.find(old, at + 1)
        assert at >= 0
    filing = mutant(html, at, at + len(old), new)
    result = audit(ruleset, filing)
    failed = [f for f in result.findings if f.status == "fail"]
    assert {f.rule.id for f in failed} == {rule}
    assert all(f.rule.severity == "error" for f in failed)
    number = re.search(r"\$?\d[\d.]*(?: (?:million|percent))?", new).group()
    assert number in {g.text for g in failed[0].figures}


def test_an_unchecked_prose_figure_changes_nothing(html, ruleset):
    """Comparable store sales are declared unchecked: a change passes, with the reason shown."""
    old = "decreased 0.7 percent"
    assert html.count(old) == 1
    at = html.find(old)
    filing = mutant(html, at, at + len(old), "decreased 0.9 percent")
    result = audit(ruleset, filing)
    assert [f for f in result.findings if f.status != "pass"] == []
    reasons = {(u.figure.span.line, u.figure.text): u.reason for u in result.coverage.unchecked}
    assert "comparable store net sales" in reasons[(18, "0.9 percent")]


def test_a_prose_anchor_that_finds_nothing_is_a_skip_with_the_reason(html, ruleset):
    """A sentence reworded so that a rule's anchor is gone: the rule skips and says which anchor."""
    old = "Net sales for the 13-week fiscal quarter ended"
    at = html.find(old)
    filing = mutant(html, at, at + len(old), "Sales for the thirteen weeks ended")
    result = audit(ruleset, filing)
    skipped = [f for f in result.findings if f.rule.id == "BKE-NR-004"]
    assert [f.status for f in skipped] == ["skip"]
    assert skipped[0].reason == 'no prose matches prose["Net sales for the 13-week fiscal quarter ended"]'

