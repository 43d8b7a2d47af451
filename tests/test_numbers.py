"""Reading printed numbers: table cells (audit.read.numbers.read_cell) and the prose scanner."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from audit.read import masks, prose
from audit.read.numbers import currency_code, half_unit, read_cell, to_decimal
from audit.read.prose import extract_prose


def scan(line: str):
    """Prose figures of one line of text (no tables, no facts)."""
    return extract_prose([line], set(), {})


def scan_one(line: str):
    figures = scan(line)
    assert len(figures) == 1, f"expected one figure in {line!r}, got {[f.text for f in figures]}"
    return figures[0]


# -- read_cell -----------------------------------------------------------------------------

@pytest.mark.parametrize("text,value,decimals", [
    ("7,165,584", "7165584", 0),
    ("741", "741", 0),
    ("0", "0", 0),
    ("(2,236)", "-2236", 0),
    ("(326)", "-326", 0),
    ("( 4,900 )", "-4900", 0),
    ("3.80", "3.80", 2),
    ("0.42", "0.42", 2),
    ("1,234.567", "1234.567", 3),
    ("(1,234.5)", "-1234.5", 1),
    ("-1,234", "-1234", 0),
    ("\u22121,234", "-1234", 0),  # unicode minus
    ("\u20131,234", "-1234", 0),  # en dash as minus
    ("  310,597,659\t", "310597659", 0),
    ("12345678", "12345678", 0),
])
def test_read_cell_numbers(text, value, decimals):
    printed = read_cell(text)
    assert printed is not None
    assert type(printed.value) is Decimal
    assert str(printed.value) == value
    assert printed.decimals == decimals
    assert not printed.percent and not printed.nil


@pytest.mark.parametrize("text", ["-", "\u2013", "\u2014", "\u2212", "--", " - "])
def test_read_cell_dashes_are_nil(text):
    printed = read_cell(text)
    assert printed is not None
    assert printed.nil
    assert printed.value == 0 and type(printed.value) is Decimal
    assert printed.decimals == 0


@pytest.mark.parametrize("text,value,decimals", [
    ("27.2%", "27.2", 1),
    ("28.0%", "28.0", 1),
    ("56%", "56", 0),
    ("27.2 %", "27.2", 1),
    ("(3.5%)", "-3.5", 1),
    ("(3.5)%", "-3.5", 1),
    ("-0.25%", "-0.25", 2),
])
def test_read_cell_percent(text, value, decimals):
    printed = read_cell(text)
    assert printed.percent
    assert str(printed.value) == value
    assert printed.decimals == decimals


@pytest.mark.parametrize("text,value,currency", [
    ("RMB5.64", "5.64", "RMB"),
    (r"US\$0.82", "0.82", "USD"),
    ("US$0.82", "0.82", "USD"),
    ("$1,000", "1000", "USD"),
    (r"HK\$3.5", "3.5", "HKD"),
    ("(RMB2,236)", "-2236", "RMB"),
    ("RMB-2.2", "-2.2", "RMB"),
    ("-RMB2.2", "-2.2", "RMB"),
])
def test_read_cell_currency(text, value, currency):
    printed = read_cell(text)
    assert str(printed.value) == value
    assert printed.currency == currency


@pytest.mark.parametrize("text", [
    "", "   ", "Basic", "RMB", "USD", "March 31, 2023", "2023-03-31",
    "1,23,4", "12,34", "1,2345", "1234,567", ",123", "123,", "1.2.3", "1..2",
    "(1,234", "1,234)", "--5", "-(5)", "5-", "five", "1 234", "3.80x", "%",
])
def test_read_cell_rejects(text):
    assert read_cell(text) is None


def test_read_cell_keeps_trailing_zeros():
    assert str(read_cell("4,320.0").value) == "4320.0"
    assert read_cell("4,320.0").decimals == 1
    assert str(read_cell("0.00").value) == "0.00"


def test_to_decimal_never_float():
    value, decimals = to_decimal("0.1")
    assert value == Decimal("0.1") and value + value + value == Decimal("0.3")
    assert decimals == 1
    assert to_decimal("3,599.2") == (Decimal("3599.2"), 1)
    assert to_decimal("14,302,153") == (Decimal("14302153"), 0)


@pytest.mark.parametrize("symbol,code", [
    ("RMB", "RMB"), ("US$", "USD"), (r"US\$", "USD"), ("$", "USD"), ("HK$", "HKD"), (r"HK\$", "HKD"),
    ("¥", "RMB"), ("€", "EUR"), ("£", "GBP"), ("CNY", "RMB"), (None, None), ("", None),
])
def test_currency_code(symbol, code):
    assert currency_code(symbol) == code


def test_half_unit():
    assert half_unit(0) == Decimal("0.5")
    assert half_unit(1) == Decimal("0.05")
    assert half_unit(2) == Decimal("0.005")


# -- property: format then read back ----------------------------------------------------------

def group_thousands(digits: str) -> str:
    """'1234567' -> '1,234,567' without using format(), so the test does not mirror the reader."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return ",".join(groups)


def printed_form(units: int, places: int) -> tuple[str, str]:
    """(integer part with separators, fraction) of |units| * 10**-places."""
    digits = str(abs(units)).rjust(places + 1, "0")
    whole, frac = digits[:len(digits) - places], digits[len(digits) - places:]
    return group_thousands(whole), frac


decimals_st = st.integers(min_value=0, max_value=4)
units_st = st.integers(min_value=-10**15, max_value=10**15)


@settings(max_examples=300, deadline=None)
@given(units=units_st, places=decimals_st, style=st.sampled_from(["parens", "hyphen", "unicode", "en dash"]))
@example(units=-2236, places=0, style="parens")
@example(units=0, places=2, style="hyphen")
@example(units=1000, places=0, style="parens")
def test_cell_round_trip(units, places, style):
    value = Decimal(units).scaleb(-places)
    whole, frac = printed_form(units, places)
    body = whole + ("." + frac if places else "")
    if units < 0:
        text = {"parens": f"({body})", "hyphen": f"-{body}", "unicode": f"\u2212{body}",
                "en dash": f"\u2013{body}"}[style]
    else:
        text = body
    printed = read_cell(text)
    assert printed is not None, text
    assert type(printed.value) is Decimal
    assert printed.value == value
    assert printed.decimals == places
    assert not printed.nil
    # a percentage reads back the same number
    pct = read_cell(text + "%")
    assert pct.percent and pct.value == value and pct.decimals == places


@settings(max_examples=200, deadline=None)
@given(units=units_st, places=decimals_st,
       scale=st.sampled_from([("thousand", 3), ("million", 6), ("billion", 9), (None, 0)]),
       cur=st.sampled_from([("RMB", "RMB"), ("US\\$", "USD"), ("US$", "USD")]))
def test_prose_round_trip(units, places, scale, cur):
    value = Decimal(units).scaleb(-places)
    whole, frac = printed_form(units, places)
    body = ("-" if units < 0 else "") + whole + ("." + frac if places else "")
    word, exponent = scale
    amount = f"{cur[0]}{body}" + (f" {word}" if word else "")
    fig = scan_one(f"Total net revenue was {amount}, compared to the prior quarter.")
    assert fig.text == amount
    assert fig.value == value and type(fig.value) is Decimal
    assert fig.decimals == places
    assert (fig.unit, fig.scale, fig.kind) == (cur[1], exponent, "amount")


# -- prose scanner ----------------------------------------------------------------------------

@pytest.mark.parametrize("line,text,value,unit,scale,decimals", [
    ("Revenue was RMB3,599.2 million in total.", "RMB3,599.2 million", "3599.2", "RMB", 6, 1),
    (r"Revenue was US\$524.1 million in total.", r"US\$524.1 million", "524.1", "USD", 6, 1),
    ("Revenue was US$524.1 million in total.", "US$524.1 million", "524.1", "USD", 6, 1),
    ("Revenue was HK$5 billion in total.", "HK$5 billion", "5", "HKD", 9, 0),
    ("Revenue was $12 thousand in total.", "$12 thousand", "12", "USD", 3, 0),
    ("Revenue was RMB12 thousands in total.", "RMB12 thousands", "12", "RMB", 3, 0),
    ("Revenue was RMB1.25 trillion in total.", "RMB1.25 trillion", "1.25", "RMB", 12, 2),
    ("Revenue was RMB9.0 billion in total.", "RMB9.0 billion", "9.0", "RMB", 9, 1),
    ("Revenue was RMB 22,912 million in total.", "RMB 22,912 million", "22912", "RMB", 6, 0),
    ("Revenue was RMB5.64 per ADS.", "RMB5.64", "5.64", "RMB", 0, 2),
    ("Provision was RMB-2.2 million this quarter.", "RMB-2.2 million", "-2.2", "RMB", 6, 1),
    ("Provision was RMB\u22122.2 million this quarter.", "RMB\u22122.2 million", "-2.2", "RMB", 6, 1),
    (r"Provision was US\$-0.3 million this quarter.", r"US\$-0.3 million", "-0.3", "USD", 6, 1),
    ("Operating margin was 28.0%.", "28.0%", "28.0", "%", -2, 1),
    ("Operating margin was 28 %.", "28 %", "28", "%", -2, 0),
    ("Margin moved by -1.5% in total.", "-1.5%", "-1.5", "%", -2, 1),
    ("Users were 46.0 million at the end.", "46.0 million", "46.0", "count", 6, 1),
    ("Partners originated 14,302,153 loans through us.", "14,302,153", "14302153", "loans", 0, 0),
    ("The tenor was 11.21 months on average.", "11.21", "11.21", "months", 0, 2),
    ("We connected 150 financial institutional partners so far.", "150", "150",
     "financial institutional partners", 0, 0),
])
def test_prose_scanner(line, text, value, unit, scale, decimals):
    fig = scan_one(line)
    assert fig.text == text
    assert str(fig.value) == value
    assert (fig.unit, fig.scale, fig.decimals) == (unit, scale, decimals)
    assert fig.span.line == 1
    assert line[fig.span.col - 1:fig.span.end_col - 1] == text


@pytest.mark.parametrize("line", [
    "The loans numbered 1,23,4 in total.",
    "The loans numbered 12,34 in total.",
    "Revenue was RMB1,23,4 million in total.",
    "The version is 1.2.3 now.",
    "Commission File Number 001-38752",
    "Phone: +86-138-0111-0739",
    "Phone: +1-480-614-3004",
    "Pudong New Area, Shanghai 200122",
    "No. 1217 Dongfang Road",
    "Washington, D.C. 20549",
    "The call is at 8:30 PM on Thursday, May 18, 2023.",
    "Visit <https://ir.qifu.tech/q1-2023> for details.",
    "Visit https://ir.qifu.tech/news?page=12&id=345 for details.",
    "Write to ir+q1@360shuke.com or ir@360.cn for details.",
    "E-mail: ir@360shuke.com",
    "Our cooperation with 360 Group continued.",
    "Results for 2023 and 2022 were announced.",
    "The 90 day+ delinquency rate improved.",
    "Form 20-F was filed under Rule 13a-16.",
    "Total income^{*10} improved.",
    "Total income¹⁰ improved.",
])
def test_prose_scanner_rejects(line):
    assert [f.text for f in scan(line)] == []


def test_footnote_marker_at_line_start_needs_a_footnote():
    lines = ["Revenue^{*3} grew.", "3 Including 5,113,847 loans."]
    figures = extract_prose(lines, set(), {})
    assert [(f.span.line, f.text) for f in figures] == [(2, "5,113,847")]
    # without a marker 3 anywhere, a leading 3 is a count
    assert [f.text for f in scan("3 partners joined.")] == ["3"]


def test_negative_sign_attaches_only_before_digits():
    fig = scan_one("It was RMB-2.2 million.")
    assert fig.value == Decimal("-2.2")
    fig = scan_one("A non-GAAP margin of 5.5% held.")
    assert fig.value == Decimal("5.5")


def test_prose_values_are_decimals():
    for fig in scan("A RMB0.1 million, B RMB0.2 million and C 0.3% rose."):
        assert type(fig.value) is Decimal
    a, b, c = scan("A RMB0.1 million, B RMB0.2 million and C 0.3% rose.")
    assert a.value + b.value == Decimal("0.3") == c.value


# -- the scanner's fast paths agree with the plain definitions ------------------------------------
# prose.py and masks.py narrow some regex searches for speed (per-line alternations, windows before a number,
# look-aheads); these compare them with the plain whole-line definitions on odd text.

TOKENS = ["No", "No.", " ", "  ", "\t", "Form", "Exhibit", "Act of", "#", "1217", "20", "5", "-", ",", ".",
          "001-38752", "+86-138-0111-0739", "(212) 555-1234", "8:30 PM", "12:00", "March 31, 2023", "May 2023",
          "ir@360shuke.com", "a.b@c.d", "<https://ir.qifu.tech>", "http://x.y/1", "^{*1}", "^{12}", "¹⁰", "³",
          "TechNo", "Mr.", "Inc.", "approx.", "U.S.", "e.g.", ". ", "The ", "A", "”", '"', "x", "RMB", "%",
          "JUNE", "june", "May", "may 5", "MaRCH", "Auguſt", "Aprİl", "aprıl", "iPhone", "eCommerce", "17", "6.",
          "  3", "\u00a0", "RMB'000", "US$’000", "1 p.m.", "+1 650", "(1)", "Sept. 30"]
odd_text = st.lists(st.sampled_from(TOKENS), max_size=30).map("".join)


def masks_reference(line):
    return [m.span() for m in masks.NOT_FIGURES.finditer(line)]


def sentences_reference(line):
    spans, start = [], 0
    for match in prose._SENTENCE_END.finditer(line):
        if prose._NO_BREAK_BEFORE.search(line[start:match.start()]):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(line)))
    return spans


@settings(max_examples=400, deadline=None)
@given(line=odd_text)
def test_fast_masks_sentences_and_ids_agree(line):
    assert masks.spans(line) == masks_reference(line)
    assert prose._sentences(line) == sentences_reference(line)
    for start in range(len(line) + 1):
        assert prose._id_before(line, start) == bool(prose._ID_BEFORE.search(line[:start])), (line, start)


def test_fast_paths_agree_on_fixture(fixture_lines):
    for line in fixture_lines:
        assert masks.spans(line) == masks_reference(line)
        assert prose._sentences(line) == sentences_reference(line)
        for match in prose._NUMBER.finditer(line):
            assert prose._id_before(line, match.start()) == bool(prose._ID_BEFORE.search(line[:match.start()]))
