"""Narrative tie-out: prose figures bound to table rows or to other prose, ambiguity reported,
signs matched, and mutations of prose figures (a digit, a percentage, a minus sign) caught."""
from __future__ import annotations

import os
import re

import pytest
from conftest import parsed_rules
from conftest import replace_figure as mutate

from audit.check.engine import audit  # findings only: these tests never read suspects
from audit.lang.grammar import parse
from audit.lang.graph import compile_rules
from audit.read.extract import extract

SECTIONS = range(51, 179)  # business highlights, financial highlights and financial results


def prose_in_sections(filing):
    return [f for f in filing.prose if f.span.line in SECTIONS]


def checked_keys(result):
    return {(g.span.line, g.span.col) for f in result.findings if f.status in ("pass", "fail") for g in f.figures}


def checkable(result, filing):
    """Prose figures in the sections that a check on the clean fixture used."""
    keys = checked_keys(result)
    return [f for f in prose_in_sections(filing) if (f.span.line, f.span.col) in keys]


def fails_naming(ruleset, text: str, fig) -> set[str]:
    result = audit(ruleset, extract(text, "mutant.txt"))
    return {f.rule.id for f in result.findings if f.status in ("fail", "error")
            and any((g.span.line, g.span.col) == (fig.span.line, fig.span.col) for g in f.figures)}


#: Figures bounded only by "cannot exceed" (footnotes 5 and 7: ICE and other technology volumes
#: and balances are part of the capital-light amount). A change that stays under the bound is no
#: inconsistency, so a digit change is not caught; a sign change is (amounts are not negative).
BOUNDED_ONLY = {(72, "RMB4,894 million"), (74, "RMB 22,912 million"), (78, "RMB7,406 million"),
                (78, "RMB37,807 million")}


def bump_first_digit(text: str) -> str:
    i = next(k for k, ch in enumerate(text) if ch.isdigit() and ch != "0")
    return text[:i] + str(int(text[i]) % 9 + 1) + text[i + 1:]


def toggle_minus(text: str) -> str:
    if "-" in text:
        return text.replace("-", "", 1)
    i = next(k for k, ch in enumerate(text) if ch.isdigit())
    return text[:i] + "-" + text[i:]


def test_three_ties_from_one_sentence(clean_result):
    got = {f.column: f for f in clean_result.findings if f.rule.id == "NR-001" and f.column.startswith("line 86")}
    assert set(got) == {"line 86 current RMB", "line 86 current USD", "line 86 same period 2022 RMB"}
    rmb = got["line 86 current RMB"]
    assert rmb.status == "pass"
    assert [(g.span.line, g.text) for g in rmb.figures] == [(86, "RMB3,599.2 million"), (323, "3,599,174")]
    assert [(g.span.line, g.text) for g in got["line 86 current USD"].figures][1] == (323, "524,079")
    assert [(g.span.line, g.text) for g in got["line 86 same period 2022 RMB"].figures][1] == (323, "4,320,047")


def test_sentence_precision_not_a_fixed_tolerance(ruleset, fixture_lines):
    # 3,599.2 million stands for [3,599.15, 3,599.25] million; 3,599.3 does not contain 3,599,174 thousand.
    lines = list(fixture_lines)
    lines[85] = lines[85].replace("RMB3,599.2 million", "RMB3,599.3 million")
    result = audit(ruleset, extract("\n".join(lines), "m.txt"))
    [f] = [f for f in result.findings if f.rule.id == "NR-001" and f.column == "line 86 current RMB"]
    assert f.status == "fail"


def test_duplicate_labels_bind_by_their_group_sentence(clean_result):
    credit = [f for f in clean_result.findings if f.rule.id == "NR-006" and f.status == "pass"]
    platform = [f for f in clean_result.findings if f.rule.id == "NR-010" and f.status == "pass"]
    assert {g.span.line for f in credit for g in f.figures} == {125, 318}
    assert {g.span.line for f in platform for g in f.figures} == {133, 322}


def test_an_ambiguous_binding_is_reported_not_guessed(filing):
    files = list(parsed_rules())
    extra = parse('rule T-1 "ambiguous": prose["Other services fees were"] restates ops["Other services fees"]\n',
                  "extra.rules")
    result = audit(compile_rules(files + [extra]), filing)
    got = [f for f in result.findings if f.rule.id == "T-1"]
    assert got and all(f.status == "error" for f in got)
    assert "line 318" in got[0].reason and "line 322" in got[0].reason


def test_negative_amounts_must_match_their_sign(ruleset, fixture_lines):
    lines = list(fixture_lines)
    lines[148] = lines[148].replace("RMB-2.2 million", "RMB2.2 million").replace("US\\$-0.3", "US\\$0.3")
    result = audit(ruleset, extract("\n".join(lines), "m.txt"))
    failed = {f.column for f in result.findings if f.rule.id == "NR-018" and f.status == "fail"}
    assert failed == {"line 149 current RMB", "line 149 current USD"}


def test_derived_claims_and_quotes_are_checked(clean_result):
    by_rule = {}
    for f in clean_result.findings:
        if f.status == "pass":
            by_rule.setdefault(f.rule.id, []).append(f)
    texts = lambda rid: {g.text for f in by_rule[rid] for g in f.figures}  # noqa: E731
    assert "28.0%" in texts("NR-030") and "27.1%" in texts("NR-033")
    assert {"RMB5.64", "US\\$0.82"} <= texts("NR-034")
    assert "161.43 million" in texts("NR-036")
    assert "RMB3.60 billion" in texts("NR-040") and "RMB976 million" in texts("NR-041")
    assert {"RMB9.0 billion", "5,128,335", "3,617,009", "276,728"} <= texts("NR-042")
    assert "RMB1.8 billion" in texts("NR-043")
    assert {"14,302,153", "5,113,847", "9,188,306"} <= texts("NR-053")
    assert {"RMB7,406 million", "RMB37,807 million", "RMB104,523 million"} <= texts("NR-060")


def test_unchecked_figures_are_listed_with_reasons(clean_result):
    reasons = {(u.figure.span.line, u.figure.text): u.reason for u in clean_result.coverage.unchecked
               if u.where == "narrative"}
    for key in [(60, "11.21"), (60, "10.99"), (61, "2.18%"), (62, "91.9%"), (97, "4.7%"), (105, "4.1%")]:
        assert reasons.get(key), f"{key} should be listed as unchecked with a reason"
    assert "prior quarter" in reasons[(97, "4.7%")]
    assert "no column" in reasons[(115, "RMB3,906.6 million")]


def test_narrative_coverage_is_at_least_ninety_percent(clean_result, filing):
    keys = checked_keys(clean_result)
    reasons = {(u.figure.span.line, u.figure.span.col) for u in clean_result.coverage.unchecked if u.reason}
    section = prose_in_sections(filing)
    can = [f for f in section if (f.span.line, f.span.col) not in reasons]
    done = [f for f in can if (f.span.line, f.span.col) in keys]
    rate = len(done) / len(can)
    print(f"\nnarrative coverage, lines 51-178: {len(done)}/{len(can)} checkable figures checked ({rate:.1%})")
    assert rate >= 0.9
    assert clean_result.coverage.narrative_ratio >= 0.9


PARTS = 3  # the sweep is cut in parts so pytest-xdist spreads it
#: The suite mutates a fixed two thirds of the figures; `make sweeps` (QFIN_FULL_SWEEP=1) every one.
SWEPT = range(PARTS) if os.environ.get("QFIN_FULL_SWEEP") == "1" else (0, 1)


@pytest.mark.parametrize("k", SWEPT)
def test_changing_a_digit_of_any_checked_prose_figure_is_caught(ruleset, clean_result, filing, fixture_lines, k):
    figs = checkable(clean_result, filing)[k::PARTS]
    missed = {(f.span.line, f.text) for f in figs
              if not fails_naming(ruleset, mutate(fixture_lines, f, bump_first_digit(f.text)), f)}
    print(f"\nprose digit changes (part {k + 1} of {PARTS}): {len(figs) - len(missed)}/{len(figs)} caught; "
          f"bounded only: {sorted(missed)}")
    assert missed == BOUNDED_ONLY & {(f.span.line, f.text) for f in figs}


def test_the_bounded_only_figures_are_checkable_figures(clean_result, filing):
    assert BOUNDED_ONLY <= {(f.span.line, f.text) for f in checkable(clean_result, filing)}


@pytest.mark.parametrize("k", SWEPT)
def test_dropping_or_adding_a_minus_sign_is_caught(ruleset, clean_result, filing, fixture_lines, k):
    figs = checkable(clean_result, filing)[k::PARTS]
    missed = [(f.span.line, f.text) for f in figs
              if not fails_naming(ruleset, mutate(fixture_lines, f, toggle_minus(f.text)), f)]
    print(f"\nprose sign changes: {len(figs) - len(missed)}/{len(figs)} caught")
    assert missed == []


def test_swapping_percentages_is_caught(ruleset, clean_result, filing, fixture_lines):
    percents = [f for f in checkable(clean_result, filing) if f.unit == "%"]
    missed = []
    for k, fig in enumerate(percents):
        # a percentage from elsewhere that differs by more than the rounding of either
        other = next(p for p in percents[k + 1:] + percents[:k] if abs(p.value - fig.value) > 1)
        if not fails_naming(ruleset, mutate(fixture_lines, fig, other.text), fig):
            missed.append((fig.span.line, fig.text, other.text))
    print(f"\npercentage swaps: {len(percents) - len(missed)}/{len(percents)} caught")
    assert missed == []


@pytest.mark.parametrize("line,old,new,rule", [
    (89, "Operating margin was 28.0%. Non-GAAP operating margin was 29.3%",
     "Operating margin was 29.3%. Non-GAAP operating margin was 28.0%", "NR-030"),
    (68, "9,188,306", "9,188,360", "NR-053"),
    (78, "RMB37,807 million", "RMB97,807 million", "NR-060"),
    (58, "16.8%", "18.6%", "NR-058"),
])
def test_specific_prose_errors(ruleset, fixture_lines, line, old, new, rule):
    lines = list(fixture_lines)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    result = audit(ruleset, extract("\n".join(lines), "m.txt"))
    failing = [f for f in result.findings if f.rule.id == rule and f.status == "fail"]
    assert failing and all(line in {g.span.line for g in f.figures} for f in failing)
    assert not re.search("Traceback", " ".join(f.message for f in result.findings))
