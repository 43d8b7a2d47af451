"""EDGAR HTML exhibits: detection, rendering to the text layout, and the Buckle 8-K exhibit end to end.

The Buckle expectations (labels, cells, prose figures) were written from reading the HTML file
itself; line numbers are those of the rendered text, pinned so a change in rendering shows.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit.base.errors import InputError
from audit.cli import main
from audit.read.extract import _parse_column, _shares_scale, extract
from audit.read.html_text import html_to_text
from audit.read.source import looks_like_html, read_text

ROOT = Path(__file__).resolve().parent.parent
BUCKLE = ROOT.parent / "shared" / "filings" / "buckle-8k-ex99-1-2024-11-22.htm"
BUCKLE_RULES = ROOT / "rules" / "buckle"


@pytest.fixture(scope="module")
def buckle():
    return extract(read_text(str(BUCKLE)), str(BUCKLE))


@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QFIN_AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    return CliRunner()


def td(text="", colspan=1, style="padding:0 1pt"):
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    return f'<td{span} style="{style}"><font style="font-size:9pt">{text}</font></td>'


def doc(*parts: str) -> str:
    return ("<html><head><title>Document</title><style>td {font-size: 10pt; width: 12.5%}</style></head>"
            "<body>" + "".join(parts) + "</body></html>")


# -- detection --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "<html><body><p>x</p></body></html>",
    "<!DOCTYPE html>\n<HTML>\n<BODY>x</BODY></HTML>",
    "  \n<TABLE><TR><TD>x</TD></TR></TABLE>",
    "<DOCUMENT>\n<TYPE>EX-99.1\n<SEQUENCE>2\n<FILENAME>x.htm\n<DESCRIPTION>EX-99.1\n<TEXT>\n<html><body>x",
    "<document>\n<type>EX-99.1\n<text>\n<div>x</div>",
    "<!-- Document created using Wdesk -->\n<div>x</div>",
])
def test_html_is_detected_near_the_start(text):
    assert looks_like_html(text)


@pytest.mark.parametrize("text", [
    "Net revenue was RMB3,599.2 million.\n\tDecember 31, 2022\tMarch 31, 2023\n",
    "The table below (<table> in the source) shows revenue.\n",
    "<DOCUMENT>\n<TYPE>EX-99.1\n<TEXT>\nPlain text exhibit, 1,234 lines of it.\n</TEXT>\n",  # wrapper, no markup
    "x" * 5000 + "<html>",  # not near the start
])
def test_text_is_not_taken_for_html(text):
    assert not looks_like_html(text)


def test_the_text_fixture_is_text_and_extracts_as_before(fixture_text, fixture_bytes, filing):
    assert not looks_like_html(fixture_text)
    assert filing.source_format == "text"
    assert filing.text == fixture_text and filing.lines == fixture_text.split("\n")
    assert filing.sha256 == hashlib.sha256(fixture_bytes).hexdigest()
    assert [t.id for t in filing.tables] == ["balance-sheets", "statements-of-operations", "statements-of-cash-flows",
                                            "statements-of-comprehensive-income",
                                            "reconciliations-of-gaap-and-non-gaap-results"]
    assert sum(1 for t in filing.tables for _ in t.figures()) == 308
    shares = [c for t in filing.tables for c in t.figures() if c.kind == "shares"]
    assert shares and all(c.scale == 0 for c in shares)  # "except for number of shares": as printed


# -- rendering: prose -------------------------------------------------------------------------

def test_entities_whitespace_blocks_and_skipped_elements():
    html = doc('<div><font>Net&nbsp;sales&#58;</font><font>  $1.2&#160;million</font> &amp; 2407 W. 24'
               '<font style="font-size:5pt">th</font> St.</div>',
               "<script>var x = 1234;</script>",
               "<p>First\n   paragraph<br>second line</p><h2>Heading</h2>",
               "<div><font><br></font></div><div>after a blank&#8217;s line</div>")
    lines = html_to_text(html).split("\n")
    assert lines == ["Net sales: $1.2 million & 2407 W. 24th St.", "First paragraph", "second line", "",
                     "Heading", "", "after a blank’s line", ""]


def test_edgar_wrapper_values_and_head_are_not_text():
    html = ("<DOCUMENT>\n<TYPE>EX-99.1\n<SEQUENCE>2\n<FILENAME>bke.htm\n<DESCRIPTION>EX-99.1\n<TEXT>\n"
            "<html><head><title>Document 2024</title></head><body><div>Only this.</div></body></html>\n"
            "</TEXT>\n</DOCUMENT>\n")
    assert html_to_text(html) == "Only this.\n"


def test_superscript_footnote_markers_are_marked_as_footnotes():
    html = doc('<div>Net income was $44.2 million<sup>1</sup> in 2,407 W. 24<sup>th</sup> Street stores'
               '<font style="vertical-align: super">(2)</font>.</div>')
    assert html_to_text(html) == "Net income was $44.2 million^{1} in 2,407 W. 24th Street stores^{2}.\n"
    assert [(f.text, f.value) for f in extract(html).prose] == [("$44.2 million", Decimal("44.2")),
                                                                ("2,407", Decimal(2407))]


# -- rendering: tables ------------------------------------------------------------------------

#: A Workiva-style statement: a spacer row, a heading spanning two date columns, dates split by
#: <br>, "$" and ")" and "%" in cells of their own, spacer cells between the value columns.
WORKIVA = doc(
    "<div>CONDENSED STATEMENTS OF INCOME</div><div>(Amounts in Thousands Except Per Share Amounts)</div>",
    "<table>",
    "<tr>" + td() * 12 + "</tr>",
    "<tr>" + td("&#160;", 3) + td("Thirteen Weeks Ended", 9) + "</tr>",
    "<tr>" + td("&#160;", 3) + td("November 2,<br>2024", 3) + td("", 3) + td("October 28,<br>2023", 3) + "</tr>",
    "<tr>" + td("SALES") + td("", 2) + td("$") + td("293,618&#160;") + td() + td("", 3)
    + td("$") + td("303,457&#160;") + td() + "</tr>",
    "<tr>" + td("Other loss", 3) + td("(1,241", 2) + td(")") + td("", 3) + td("$") + td("(1,200") + td(")") + "</tr>",
    "<tr>" + td("", 3) + td("", 3) + td("", 3) + td("", 3) + "</tr>",
    "<tr>" + td("Gross margin", 3) + td("12.5", 2) + td("%") + td("", 3) + td("14.0", 2) + td("%") + "</tr>",
    "<tr>" + td("Store count", 3) + td("$") + td("&#8212;") + td() + td("", 3) + td("445", 2) + td() + "</tr>",
    "<tr>" + td("Basic weighted average shares", 3) + td("49,854", 2) + td() + td("", 3) + td("49,513", 2)
    + td() + "</tr>",
    "</table>",
)


def test_workiva_table_renders_as_heading_rows_and_value_columns():
    lines = html_to_text(WORKIVA).split("\n")
    start = lines.index("(Amounts in Thousands Except Per Share Amounts)")
    assert lines[start + 1:] == [
        "",
        "\tThirteen Weeks Ended\tThirteen Weeks Ended",
        "\tNovember 2, 2024 USD\tOctober 28, 2023 USD",
        "SALES\t$293,618\t$303,457",
        "Other loss\t(1,241)\t($1,200)",
        "Gross margin\t12.5%\t14.0%",
        "Store count\t—\t445",
        "Basic weighted average shares\t49,854\t49,513",
        "",
    ]


def test_workiva_table_extracts_with_periods_scale_and_kinds():
    table, = extract(WORKIVA).tables
    assert table.title == "CONDENSED STATEMENTS OF INCOME" and table.scale == 3
    assert [(c.period.start, c.period.end, c.period.months, c.currency) for c in table.columns] == [
        (dt.date(2024, 8, 4), dt.date(2024, 11, 2), 3, "USD"), (dt.date(2023, 7, 30), dt.date(2023, 10, 28), 3, "USD")]
    cells = {r.label: [(c.value, c.kind, c.scale) for c in r.cells] for r in table.rows}
    assert cells["SALES"] == [(Decimal(293618), "amount", 3), (Decimal(303457), "amount", 3)]
    assert cells["Other loss"] == [(Decimal(-1241), "amount", 3), (Decimal(-1200), "amount", 3)]
    assert cells["Gross margin"] == [(Decimal("12.5"), "percent", -2), (Decimal("14.0"), "percent", -2)]
    assert cells["Store count"][0] == (Decimal(0), "nil", 3)
    # "in Thousands Except Per Share Amounts": share counts are in thousands too
    assert cells["Basic weighted average shares"] == [(Decimal(49854), "shares", 3), (Decimal(49513), "shares", 3)]


def test_a_heading_row_label_moves_below_the_headings():
    html = doc("<div>BALANCE SHEETS</div><table>",
               "<tr>" + td("ASSETS") + td("November 2,<br>2024 (1)") + td("October 28,<br>2023") + "</tr>",
               "<tr>" + td("Cash") + td("$ 301,958") + td("$ 311,657") + "</tr>",
               "<tr>" + td("Inventory") + td("149,351") + td("152,289") + "</tr>",
               "</table>")
    assert html_to_text(html).split("\n") == [
        "BALANCE SHEETS", "", "\tNovember 2, 2024 (1) USD\tOctober 28, 2023 USD", "ASSETS\t\t",
        "Cash\t$ 301,958\t$ 311,657", "Inventory\t149,351\t152,289", ""]
    table, = extract(html).tables
    assert [(c.period.end, c.period.is_instant) for c in table.columns] == [
        (dt.date(2024, 11, 2), True), (dt.date(2023, 10, 28), True)]
    assert [r.label for r in table.rows] == ["ASSETS", "Cash", "Inventory"]


def test_headings_that_name_a_currency_are_left_alone():
    html = doc("<div>STATEMENTS</div><table>",
               "<tr>" + td() + td("2024<br>US$", 2) + td("2023<br>US$", 2) + "</tr>",
               "<tr>" + td("Revenue") + td("$") + td("1,000") + td("$") + td("900") + "</tr>",
               "<tr>" + td("Cost") + td("") + td("(400") + td("") + td("(300") + "</tr>",  # no ")" cell
               "<tr>" + td("Gross profit") + td("") + td("600") + td("") + td("600") + "</tr>",
               "</table>")
    lines = html_to_text(html).split("\n")
    assert lines[2:6] == ["\t2024 US$\t2023 US$", "Revenue\t$1,000\t$900",
                          "Cost\t(400\t(300",  # an unclosed parenthesis is text, never a guess
                          "Gross profit\t600\t600"]
    assert [c.currency for c in extract(html).tables[0].columns] == ["USD", "USD"]


def test_layout_tables_become_prose_lines():
    html = doc("<table><tr>" + td("", 3) + td("The Buckle, Inc.", 3) + "</tr>",
               "<tr>" + td("P.O. Box 1480 Kearney, NE&#160;&#160;68848-1480", 3) + "</tr>",
               "<tr>" + td("<b>phone</b>&#58;  308-236-8491", 3) + "</tr>",
               "<tr>" + td("Contact&#58;", 3) + td("(308) 236-8491", 3) + "</tr>",
               "<tr>" + td("(1)") + td("Derived from audited financial statements.") + "</tr>",
               "<tr>" + td("(2)") + td("Includes 12 stores.") + "</tr>",
               "</table><div>Net sales were $293.6 million.</div>")
    text = html_to_text(html)
    assert "\t" not in text
    assert text.split("\n") == ["The Buckle, Inc.", "P.O. Box 1480 Kearney, NE 68848-1480", "phone: 308-236-8491",
                                "Contact:  (308) 236-8491", "(1)  Derived from audited financial statements.",
                                "(2)  Includes 12 stores.", "", "Net sales were $293.6 million.", ""]
    filing = extract(html)
    assert filing.tables == []
    assert [f.text for f in filing.prose if f.span.line <= 4] == []  # no P.O. box, zip code or phone number
    assert [f.text for f in filing.prose][-2:] == ["12", "$293.6 million"]


def test_a_table_cell_holding_a_table_is_layout():
    inner = "<table><tr>" + td() + td("2024") + "</tr><tr>" + td("Sales") + td("1,234") + "</tr><tr>" \
        + td("Cost") + td("(234)") + "</tr></table>"
    html = doc("<div>STATEMENT</div><table><tr><td>" + inner + "</td></tr></table>")
    assert html_to_text(html).split("\n") == ["STATEMENT", "", "\t2024", "Sales\t1,234", "Cost\t(234)", ""]


def test_malformed_html_does_not_crash():
    html = ("<html><body><div>Unclosed <b>bold <i>and <table><tr><td>Cash<td>1,234</tr>"
            "<td colspan='x' rowspan=\"-3\">Debt</td><td>(5)</td></td></td></tr></table>"
            "<p>End &unknownentity; &#99999999; </div></span><![foo[ skipped ]]> <![if !x]>kept<![endif]></body>")
    text = html_to_text(html)
    assert "Cash\t1,234" in text and "Debt\t(5)" in text and "End" in text and "kept" in text
    assert "skipped" not in text


@pytest.mark.parametrize("html", [
    "<html><head><title>Only a title</title><style>p {margin: 0}</style></head><body></body></html>",
    "<html><body><table><tr><td>&#160;</td></tr></table><img src='logo.jpg'></body></html>",
    "<html><head><title>never closed",
])
def test_html_without_text_is_an_input_error(tmp_path, runner, html):
    with pytest.raises(InputError, match="holds no text"):
        extract(html, "x.htm")
    path = tmp_path / "empty.htm"
    path.write_text(html, encoding="utf-8")
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{path}: HTML file holds no text (nothing outside its tags, styles and scripts)"


# -- extraction details -----------------------------------------------------------------------

@pytest.mark.parametrize("header, months, end", [
    ("Thirteen Weeks Ended November 2, 2024", 3, dt.date(2024, 11, 2)),
    ("Twenty-Six Weeks Ended August 3, 2024", 6, dt.date(2024, 8, 3)),
    ("Thirty-Nine Weeks Ended October 28, 2023", 9, dt.date(2023, 10, 28)),
    ("Fifty-Two Weeks Ended February 3, 2024", 12, dt.date(2024, 2, 3)),
    ("53 weeks ended February 3, 2024", 12, dt.date(2024, 2, 3)),
    ("February 3, 2024 (1)", 0, dt.date(2024, 2, 3)),
])
def test_weeks_headings_are_durations(header, months, end):
    period = _parse_column(0, header).period
    assert (period.months, period.end) == (months, end)


@pytest.mark.parametrize("note, scale", [
    ("(Amounts in Thousands Except Per Share Amounts) (Unaudited)", 3),
    ("(In millions, except per-share data)", 6),
    ("(Amounts in Thousands Except Share and Per Share Amounts)", 0),
    ("(Amounts in thousands of Renminbi (“RMB”) and U.S. dollars (“USD”) except for number of shares and per "
     "share data, or otherwise noted)", 0),
    ("(In thousands, except per share and share data)", 0),
    ("(In thousands)", 0),
    ("(In thousands, except percentages)", 0),
])
def test_share_counts_follow_the_unit_note_only_when_it_excepts_per_share_amounts_alone(note, scale):
    base = 6 if "millions" in note else 3
    assert _shares_scale(note, base) == scale


def test_percent_written_out_is_a_percentage():
    filing = extract("Net sales decreased 3.2 percent to $293.6 million, a 4 percentage points swing.\n")
    assert [(f.text, f.value, f.unit, f.scale, f.kind) for f in filing.prose] == [
        ("3.2 percent", Decimal("3.2"), "%", -2, "percent"),
        ("$293.6 million", Decimal("293.6"), "USD", 6, "amount"),
        ("4 percentage points", Decimal(4), "%", -2, "percent")]


def test_street_addresses_are_not_figures():
    filing = extract("The Buckle, Inc., 2407 W. 24th St. Kearney, NE 68845; also 100 Main Street. Sales were 445.\n")
    assert [f.text for f in filing.prose] == ["445"]


# -- the Buckle exhibit -----------------------------------------------------------------------

def test_buckle_exhibit_is_the_one_edgar_published():
    """Read from ../shared/filings (never copied into the project): the bytes the tests expect."""
    assert hashlib.sha256(BUCKLE.read_bytes()).hexdigest() == \
        "690eb3ecdda00d333bdf2c0918b9f288ccba9198c72ff378fc9efd93afaa229c"


def test_buckle_filing_keeps_the_input_hash_and_the_rendered_text(buckle):
    assert buckle.source_format == "html"
    assert buckle.sha256 == hashlib.sha256(BUCKLE.read_bytes()).hexdigest()
    assert buckle.text.split("\n") == buckle.lines
    assert "<" not in buckle.text and "font-family" not in buckle.text and "{" not in buckle.text
    assert buckle.lines[:5] == ["Exhibit 99.1", "", "The Buckle, Inc.", "2407 W. 24th St. Kearney, NE 68845",
                                "P.O. Box 1480 Kearney, NE 68848-1480"]


def _rows(table):
    return {(r.label, r.span.line): r for r in table.rows}


INCOME = [  # (label, rendered line, values in the four columns), read from the HTML
    ("SALES, Net of returns and allowances", 47, ["293,618", "303,457", "838,490", "878,719"]),
    ("COST OF SALES (Including buying, distribution, and occupancy costs)", 48,
     ["153,547", "156,242", "445,188", "459,835"]),
    ("Gross profit", 49, ["140,071", "147,215", "393,302", "418,884"]),
    ("Selling", 51, ["71,986", "70,242", "206,454", "205,081"]),
    ("General and administrative", 52, ["13,602", "12,908", "41,709", "39,247"]),
    ("", 53, ["85,588", "83,150", "248,163", "244,328"]),
    ("INCOME FROM OPERATIONS", 54, ["54,483", "64,065", "145,139", "174,556"]),
    ("OTHER INCOME, Net", 55, ["4,023", "4,490", "11,510", "11,322"]),
    ("INCOME BEFORE INCOME TAXES", 56, ["58,506", "68,555", "156,649", "185,878"]),
    ("INCOME TAX EXPENSE", 57, ["14,334", "16,793", "38,379", "45,540"]),
    ("NET INCOME", 58, ["44,172", "51,762", "118,270", "140,338"]),
]


def test_buckle_income_statement(buckle):
    ops = next(t for t in buckle.tables if t.title == "CONSOLIDATED STATEMENTS OF INCOME")
    assert ops.span.line == 41 and ops.scale == 3
    assert ops.unit_note.startswith("(Amounts in Thousands Except Per Share Amounts)")
    assert [(c.period.months, c.period.end, c.currency) for c in ops.columns] == [
        (3, dt.date(2024, 11, 2), "USD"), (3, dt.date(2023, 10, 28), "USD"),
        (9, dt.date(2024, 11, 2), "USD"), (9, dt.date(2023, 10, 28), "USD")]
    rows = _rows(ops)
    for label, line, values in INCOME:
        row = rows[(label, line)]
        assert row.kind == "amount"
        assert [(c.span.line, c.value, c.scale, c.unit) for c in row.cells] == [
            (line, Decimal(v.replace(",", "")), 3, "USD") for v in values]
        for cell in row.cells:  # every span points at the figure in the rendered text
            assert buckle.line(line)[cell.span.col - 1:cell.span.end_col - 1] == cell.text
    assert rows[("OPERATING EXPENSES:", 50)].is_header and rows[("EARNINGS PER SHARE:", 59)].is_header
    eps = {label: [(c.value, c.kind, c.scale) for c in rows[(label, line)].cells]
           for label, line in (("Basic", 60), ("Diluted", 61))}
    assert eps["Basic"] == [(Decimal(v), "per_share", 0) for v in ("0.89", "1.05", "2.37", "2.83")]
    assert eps["Diluted"] == [(Decimal(v), "per_share", 0) for v in ("0.88", "1.04", "2.35", "2.81")]
    shares = rows[("Basic weighted average shares", 62)].cells
    assert [(c.value, c.kind, c.scale) for c in shares] == [
        (Decimal(v), "shares", 3) for v in (49854, 49513, 49854, 49513)]
    assert [c.value for c in rows[("Diluted weighted average shares", 63)].cells] == [50297, 49937, 50230, 49891]


def test_buckle_balance_sheet(buckle):
    bs = next(t for t in buckle.tables if t.title == "CONSOLIDATED BALANCE SHEETS")
    assert bs.span.line == 67 and bs.scale == 3
    assert [(c.period.end, c.period.is_instant, c.currency) for c in bs.columns] == [
        (dt.date(2024, 11, 2), True, "USD"), (dt.date(2024, 2, 3), True, "USD"), (dt.date(2023, 10, 28), True, "USD")]
    rows = _rows(bs)
    expected = {
        ("Cash and cash equivalents", 74): (301958, 268213, 311657),
        ("Less accumulated depreciation and amortization", 81): (-365241, -360200, -359367),
        ("", 82): (143032, 128837, 124068),
        ("Total assets", 86): (976270, 889810, 921207),
        ("Total liabilities", 98): (487881, 476590, 447189),
        ("Total stockholders’ equity", 104): (488389, 413220, 474018),
        ("Total liabilities and stockholders’ equity", 105): (976270, 889810, 921207),
    }
    for key, values in expected.items():
        assert tuple(c.value for c in rows[key].cells) == tuple(Decimal(v) for v in values), key
    assert rows[("Less accumulated depreciation and amortization", 81)].cells[0].text == "(365,241)"
    assert rows[("ASSETS", 72)].is_header and rows[("CURRENT ASSETS:", 73)].is_header
    assert [t.title for t in buckle.tables] == ["CONSOLIDATED STATEMENTS OF INCOME", "CONSOLIDATED BALANCE SHEETS"]


#: Every figure of the narrative, read from the HTML: (rendered line, text).
BUCKLE_PROSE = [
    (16, "$44.2 million"), (16, "$0.89"), (16, "$0.88"),
    (18, "3.2 percent"), (18, "$293.6 million"), (18, "$303.5 million"), (18, "0.7 percent"),
    (18, "1.1 percent"), (18, "$46.6 million"), (18, "$46.1 million"),
    (20, "4.6 percent"), (20, "$838.5 million"), (20, "$878.7 million"), (20, "5.4 percent"),
    (20, "9.2 percent"), (20, "$128.0 million"), (20, "$141.0 million"),
    (24, "$44.2 million"), (24, "$0.89"), (24, "$0.88"), (24, "$51.8 million"), (24, "$1.05"), (24, "$1.04"),
    (26, "$118.3 million"), (26, "$2.37"), (26, "$2.35"), (26, "$140.3 million"), (26, "$2.83"), (26, "$2.81"),
    (32, "445"), (32, "42"), (32, "445"), (32, "42"), (32, "443"), (32, "42"),
]


def test_buckle_prose_figures_and_nothing_from_css_urls_or_the_letterhead(buckle):
    assert [(f.span.line, f.text) for f in buckle.prose] == BUCKLE_PROSE
    pct = buckle.prose[3]
    assert (pct.value, pct.unit, pct.scale, pct.kind) == (Decimal("3.2"), "%", -2, "percent")
    for fig in buckle.prose:
        assert buckle.line(fig.span.line)[fig.span.col - 1:fig.span.end_col - 1] == fig.text
    nine = next(f for f in buckle.prose if f.text == "$118.3 million")
    assert nine.period.months == 9  # "for the 39-week fiscal period"


def test_buckle_extract_command(runner):
    result = runner.invoke(main, ["extract", str(BUCKLE), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["filing"]["sha256"] == hashlib.sha256(BUCKLE.read_bytes()).hexdigest()
    assert [t["id"] for t in document["tables"]] == ["statements-of-income", "balance-sheets"]


def test_buckle_example_rules_pass(runner):
    result = runner.invoke(main, ["run", str(BUCKLE_RULES), str(BUCKLE), "--no-html", "--json", "-"])
    assert result.exit_code == 0, result.output + result.stderr
    summary = json.loads(result.stdout)["summary"]
    assert summary["fail"] == 0 and summary["error"] == 0 and summary["skip"] == 0
    assert summary["pass"] == summary["total"] >= 60


def test_a_wrong_figure_in_the_html_fails_net_income_at_its_rendered_line(runner, tmp_path, buckle):
    html = BUCKLE.read_text(encoding="utf-8")
    assert html.count("44,172") == 1
    mutated = tmp_path / "buckle-mutated.htm"
    mutated.write_text(html.replace("44,172", "44,127"), encoding="utf-8")
    result = runner.invoke(main, ["run", str(BUCKLE_RULES), str(mutated), "--no-html", "--json", "-"])
    assert result.exit_code == 1, result.output + result.stderr
    document = json.loads(result.stdout)
    failed = [r for r in document["results"] if r["status"] == "fail"]
    net = next(r for r in failed if r["id"] == "BKE-OPS-005")
    assert net["column"] == "3M to 2024-11-02 USD"
    assert net["figures"][0]["line"] == 58 and net["figures"][0]["text"] == "$44,127"
    assert buckle.line(58).startswith("NET INCOME\t$44,172\t")
    assert document["suspects"][0]["line"] == 58 and document["suspects"][0]["text"] == "$44,127"
    assert document["filing"]["sha256"] == hashlib.sha256(mutated.read_bytes()).hexdigest()


def test_buckle_batch(runner, tmp_path):
    out = tmp_path / "batch"
    result = runner.invoke(main, ["batch", str(BUCKLE_RULES), str(BUCKLE), "--jobs", "1", "--out", str(out),
                                  "--no-html"])
    assert result.exit_code == 0, result.output + result.stderr
    line, = (json.loads(s) for s in (out / "summary.jsonl").read_text().splitlines())
    assert line["verdict"] == "pass" and line["counts"]["fail"] == 0
