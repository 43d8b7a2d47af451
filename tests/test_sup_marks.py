"""Footnote marks printed as letter, roman-numeral or symbol superscripts in prose ("Cash
position<sup>i</sup> was ...", "<sup>(a)</sup>", "<sup>*</sup>", "<sup>†</sup>", "<sup>ii,iii</sup>") are
shown as markers "^{i}", as a superscript "1" is shown as "^{1}": never glued to the word before, so
never part of a word, a figure's phrase or what an anchor is matched against. Ordinals and
trademarks ("1<sup>st</sup>", "Brand<sup>TM</sup>", "<sup>®</sup>") are no markers. On small
filings built here and on XPeng's 2025 Q4 release (read in place from ../shared/filings/)."""
from __future__ import annotations

import random
from decimal import Decimal as D
from pathlib import Path

import pytest

from audit.check.anchors import ProseIndex
from audit.check.prose_text import _MARKERS, _SPECIAL, _changes, _markers, normalise, normalised_text
from audit.lang import nodes as n
from audit.read.extract import extract
from audit.read.filing import Span
from audit.read.html_text import html_to_text
from audit.read.source import read_text

FILINGS = Path(__file__).resolve().parent.parent.parent / "shared" / "filings"
XPENG_Q4_2025 = FILINGS / "xpeng-6k-2025q4-ex99-1-d270013dex991.htm"
_SPAN = Span(1, 1, 1)


def filing_of(*paragraphs: str):
    html = ("<html><body><p>XYZ Inc. Reports Results</p>" + "".join(f"<p>{p}</p>" for p in paragraphs)
            + "</body></html>")
    return extract(html, "x.htm"), html_to_text(html)


def figure(filing, value: str):
    return next(f for f in filing.prose if f.value == D(value))


def anchored(filing, *words: str) -> list:
    """The figures a quoted anchor path (``words``) finds in the filing's prose."""
    path = tuple(n.Label((n.Text(w, _SPAN),), _SPAN) for w in words)
    return [hit[1] for hit in ProseIndex(filing, words).find(path) if hit is not None]


@pytest.mark.parametrize("sup, marker", [("i", "^{i}"), ("(a)", "^{a}"), ("*", "^{*}"), ("&#8224;", "^{†}"),
                                         ("ii,iii", "^{ii,iii}"), ("ii, iii", "^{ii,iii}"), ("[b]", "^{b}"),
                                         ("1,2", "^{1,2}"), ("1, 2", "^{1,2}"), ("(12,13)", "^{12,13}")])
def test_a_letter_symbol_or_number_list_superscript_in_prose_is_a_marker(sup, marker):
    filing, text = filing_of(f"Cash position<sup>{sup}</sup> was RMB47.66 billion as of December 31, 2025.")
    assert f"Cash position{marker} was RMB47.66 billion" in text
    assert [f.text for f in filing.prose] == ["RMB47.66 billion"]  # (a marker's numbers are no figures)
    fig = figure(filing, "47.66")
    assert fig.phrase == "Cash position was" and fig.context == "Cash position was"
    assert fig.scale == 9 and fig.unit == "RMB"
    assert anchored(filing, "Cash position was") == [fig]


def test_a_marker_styled_superscript_after_a_figure_and_its_scale():
    filing, text = filing_of('Revenues were $5.2 million<span style="vertical-align: super">a</span> in the quarter.',
                             '<span style="vertical-align:super">a</span> Excluding the sale of the unit.')
    assert "Revenues were $5.2 million^{a} in the quarter." in text
    assert "^{a} Excluding the sale of the unit." in text
    fig = figure(filing, "5.2")
    assert fig.scale == 6 and fig.phrase == "Revenues were"
    assert anchored(filing, "million in the quarter") == []  # (an anchor names the words after a figure, not this)
    assert anchored(filing, "Revenues were") == [fig]


def test_ordinals_and_trademarks_stay_words_beside_a_marker():
    filing, text = filing_of("In the 1<sup>st</sup> quarter, Brand<sup>TM</sup> sales<sup>b</sup> of "
                             "Widget<sup>&reg;</sup> were $7.5 million, up 3<sup>rd</sup> time.",
                             "Net income<sup>1</sup> was $2.0 million.")
    assert "In the 1st quarter, BrandTM sales^{b} of Widget® were $7.5 million" in text
    assert "Net income^{1} was $2.0 million." in text  # a superscript digit as before
    assert figure(filing, "7.5").phrase == "In the 1st quarter, BrandTM sales of Widget® were"
    assert figure(filing, "2.0").phrase == "Net income was"
    assert [f.value for f in anchored(filing, "BrandTM sales of")] == [D("7.5")]


def test_a_marker_in_a_table_row_is_no_part_of_its_label_nor_of_a_figure():
    html = ("<html><body><p>XYZ Inc.</p><table><tr><td></td><td>2025</td><td>2024</td></tr>"
            "<tr><td>Revenues<sup>a</sup></td><td>16.11</td><td>10.10</td></tr>"
            "<tr><td>Cost of revenues<sup>*</sup></td><td>(9.20)</td><td>(6.00)</td></tr>"
            "<tr><td>Gross profit</td><td>6.91<sup>b</sup></td><td>4.10<sup>1, 2</sup></td></tr></table>"
            "<p>Revenues were $16.11 million.</p></body></html>")
    text = html_to_text(html)
    assert "Revenues^{a}\t16.11\t10.10" in text and "Cost of revenues^{*}\t(9.20)\t(6.00)" in text
    assert "Gross profit ^{b} ^{1,2}\t6.91\t4.10" in text  # a figure's marker goes to its row's label, as "^{1}" does
    (table,) = extract(html, "x.htm").tables
    assert [r.label for r in table.rows] == ["Revenues^{a}", "Cost of revenues^{*}", "Gross profit ^{b} ^{1,2}"]
    assert [c.value for c in table.rows[0].cells] == [D("16.11"), D("10.10")]
    assert [c.value for c in table.rows[2].cells] == [D("6.91"), D("4.10")]  # (before: "6.91b", no figure)


@pytest.mark.skipif(not XPENG_Q4_2025.is_file(), reason=f"{XPENG_Q4_2025} is read in place, never copied")
def test_xpeng_cash_position_is_no_longer_glued_to_its_marker():
    filing = extract(read_text(str(XPENG_Q4_2025)), XPENG_Q4_2025.name)
    text = "\n".join(filing.lines)
    assert "positioni" not in text
    assert "Cash position^{i} was RMB47.66 billion (US$6.81 billion) as of December 31, 2025" in text
    assert "^{ii}  Except for vehicle margin and gross margin" in text  # the footnote it refers to
    fig = figure(filing, "47.66")
    assert fig.phrase == "• Cash position was" and fig.scale == 9  # (a bullet opens every phrase of the list, as before)
    assert anchored(filing, "Cash position was")[0] == fig  # (the first of its places; before: only a later one)
    tab = next(t for t in filing.tables if t.title == "Key Financial Results")
    assert all("^" not in c.header for c in tab.columns)  # a heading drops its marker, as before


def test_anchor_text_drops_every_marker_form_as_the_full_search_does():
    for line, plain in [("Cash position^{i} was", "Cash position was"), ("Sales^{ii,iii} of **cars**", "Sales of cars"),
                        ("Net^{**} loss^{†}", "Net loss"), ("a^{*} b ^{A} c", "a b c"), ("Net income^{*1} was", "Net income was")]:
        assert normalise(line)[0] == plain, line
        assert normalised_text(line) == plain, line
        assert _markers(line) == [m.span() for m in _MARKERS.finditer(line)], line
        assert _changes(line) == [m.span() for m in _SPECIAL.finditer(line)], line
    rng = random.Random(5)
    tokens = ["^{i}", "^{**}", "^{***}", "^{ii,iii}", "^{a}", "^{1}", "^{", "**", "*", "}", " ", "a"]
    for _ in range(20_000):
        text = "".join(rng.choice(tokens) for _ in range(rng.randint(0, 8)))
        assert _markers(text) == [m.span() for m in _MARKERS.finditer(text)], repr(text)
        assert _changes(text) == [m.span() for m in _SPECIAL.finditer(text)], repr(text)


def test_a_row_label_with_a_superscript_marker_is_found_by_its_words():
    """A table's row label keeps its footnote marker ("Revenues^{1}", "Cost of revenues^{a}"), but a rule
    names the row by its words: the marker is no part of the label, as "(1)" and "*" are not."""
    from audit.diagnose import audit
    from audit.lang.grammar import parse
    from audit.lang.graph import compile_rules

    html = ("<html><body><p>XYZ Inc. Reports Results</p><p>Condensed Statements of Operations</p><table>"
            "<tr><td></td><td>Three Months Ended March 31, 2025</td><td>Three Months Ended March 31, 2024</td></tr>"
            "<tr><td>Revenues<sup>1, 2</sup></td><td>100</td><td>90</td></tr>"
            "<tr><td>Cost of revenues<sup>(a)</sup></td><td>60</td><td>50</td></tr>"
            "<tr><td>Gross profit<sup>ii,iii</sup></td><td>40</td><td>{}</td></tr></table></body></html>")
    rules = ('table ops = "Condensed Statements of Operations"\n'
             'rule G-1 "gross profit":\n    ops["Revenues"] - ops["Cost of revenues"] = ops["Gross profit"]\n')
    ruleset = compile_rules([parse(rules, "t.rules")])
    filing = extract(html.format("40"), "x.htm")
    assert [r.label for r in filing.tables[0].rows] == ["Revenues^{1,2}", "Cost of revenues^{a}", "Gross profit^{ii,iii}"]
    assert [f.status for f in audit(ruleset, filing).findings] == ["pass", "pass"]
    changed = audit(ruleset, extract(html.format("45"), "x.htm")).findings  # the check reads the rows: it bites
    assert [f.status for f in changed] == ["pass", "fail"]
