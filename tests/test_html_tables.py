"""HTML exhibits: where every rendered character came from (render_html's origins), and the
table constructs real EDGAR releases print, each on a small table written for the purpose."""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from audit.base.errors import InputError
from audit.read.extract import extract
from audit.read.html_text import Rendered, html_to_text, render_html
from audit.read.numbers import read_cell

ROOT = Path(__file__).resolve().parent.parent
BUCKLE = ROOT.parent / "shared" / "filings" / "buckle-8k-ex99-1-2024-11-22.htm"


def page(*parts: str) -> str:
    return "<html><head><title>T</title><style>td {width: 10%}</style></head><body>" + "".join(parts) + "</body></html>"


def check_origins(markup: str, rendered: Rendered) -> list[str]:
    """Every line has one origin per character; every origin not -1 points at that character in the
    markup, or at the "&" of the reference that printed it."""
    lines = rendered.text.split("\n")
    assert len(rendered.origins) == len(lines)
    for number, (line, origins) in enumerate(zip(lines, rendered.origins)):
        assert len(origins) == len(line), number
        for char, origin in zip(line, origins):
            if origin >= 0:  # a space may stand for a run of white space: it maps to the run's first character
                assert markup[origin] == char or (markup[origin] == "&" and not char.isdigit()) or (
                    char == " " and markup[origin].isspace()), (number, line)
    return lines


# -- origins -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def buckle_markup():
    return BUCKLE.read_text(encoding="utf-8")


def test_render_html_text_is_html_to_text(buckle_markup):
    rendered = render_html(buckle_markup, str(BUCKLE))
    assert isinstance(rendered, Rendered)
    assert rendered.text == html_to_text(buckle_markup, str(BUCKLE))
    assert rendered.origins[-1] == [] and rendered.text.endswith("\n")
    check_origins(buckle_markup, rendered)


def test_every_digit_of_every_buckle_figure_maps_to_that_digit_in_the_markup(buckle_markup):
    rendered = render_html(buckle_markup, str(BUCKLE))
    filing = extract(buckle_markup, str(BUCKLE))
    lines = rendered.text.split("\n")
    figures = [f for t in filing.tables for f in t.figures()] + list(filing.prose)
    assert len(figures) > 170
    for fig in figures:
        line, origins = lines[fig.span.line - 1], rendered.origins[fig.span.line - 1]
        assert line[fig.span.col - 1:fig.span.end_col - 1] == fig.text
        digits = [(line[k], origins[k]) for k in range(fig.span.col - 1, fig.span.end_col - 1) if line[k].isdigit()]
        assert digits, fig
        for digit, origin in digits:
            assert origin >= 0 and buckle_markup[origin] == digit, (fig.text, fig.span)
        # the digits of one figure come in the order the markup prints them
        assert [o for _, o in digits] == sorted(o for _, o in digits)


def test_entities_map_to_their_ampersand_and_made_up_characters_to_minus_one():
    markup = page("<p>Net&nbsp;sales &amp; other&#58;  <b>$1.2</b>&#160;million &#8212; up</p>",
                  "<p>AT&T &ampx R&D</p>")
    rendered = render_html(markup)
    lines = check_origins(markup, rendered)
    assert lines[:3] == ["Net sales & other: $1.2 million — up", "", "AT&T &x R&D"]
    origins = rendered.origins[0]
    assert origins[3] == markup.index("&nbsp;")  # the no-break space, collapsed into a space
    assert origins[lines[0].index("&")] == markup.index("&amp;")
    assert origins[lines[0].index(":")] == markup.index("&#58;")
    assert origins[lines[0].index("—")] == markup.index("&#8212;")
    assert [markup[o] for o in origins[lines[0].index("$"):lines[0].index("$") + 4]] == list("$1.2")
    assert origins[lines[0].index(" million")] == markup.index("&#160;million")
    second = rendered.origins[2]
    assert markup[second[2]] == "&" and second[2] == markup.index("AT&T") + 2  # an ampersand printed as is
    amp_x = markup.index("&ampx")
    assert second[5:7] == [amp_x, amp_x + 4]  # "&ampx" reads "&x": "&" from the reference, "x" itself


def test_whitespace_runs_keep_the_origin_of_their_first_character():
    markup = "<div>  Net \n\t  income<br>next</div>"
    rendered = render_html(markup)
    assert rendered.text == "Net income\nnext\n"
    origins = rendered.origins[0]
    assert origins[:3] == [7, 8, 9] and origins[3] == 10 and markup[origins[4]] == "i"


def test_preformatted_text_invisible_characters_and_line_breaks():
    markup = ("<html><body><pre>Sales  1,234\n  Cost\t(5)</pre>"
              "<div>zero\u200bwidth soft\u00adhyphen\nnext</div></body></html>")
    rendered = render_html(markup)
    lines = check_origins(markup, rendered)
    assert lines[:3] == ["Sales 1,234", "Cost (5)", "zerowidth softhyphen next"]
    assert markup[rendered.origins[0][5]] == " " and markup[rendered.origins[1][4]] == "\t"
    third = rendered.origins[2]
    assert "".join(markup[o] for o in third[:9]) == "zerowidth" and third[4] == third[3] + 2
    assert markup[third[lines[2].index(" next")]] == "\n"  # the space stands for the line break


def test_split_cells_tabs_and_footnote_markers_in_a_table():
    markup = page(
        "<div>STATEMENTS</div><table>",
        "<tr><td></td><td colspan='2'>2024</td><td colspan='2'>2023</td></tr>",
        "<tr><td>Revenue<sup>1</sup></td><td>$</td><td>1,234&nbsp;</td><td>$</td><td>(365,241</td><td>)</td></tr>",
        "<tr><td>Cost</td><td></td><td>&#8212;</td><td></td><td>12</td></tr>",
        "</table>")
    rendered = render_html(markup)
    lines = check_origins(markup, rendered)
    revenue = lines.index("Revenue^{1}\t$1,234\t($365,241)")
    origins = rendered.origins[revenue]
    line = lines[revenue]
    assert [origins[k] for k, c in enumerate(line) if c in "\t^{}"] == [-1] * 5
    assert markup[origins[line.index("1")]] == "1"  # the marker's digit is itself
    cell = line.index("$1,234")
    assert [markup[o] for o in origins[cell:cell + 6]] == list("$1,234")
    assert origins[cell + 1] - origins[cell] > 1  # "$" and "1,234" from two cells
    neg = line.index("($365,241)")  # "$(365,241)" printed "(" first: each character keeps its origin
    assert "".join(markup[o] for o in origins[neg:neg + 10]) == "($365,241)"
    assert origins[neg] > origins[neg + 1]
    cost = lines.index("Cost\t—\t12")
    assert rendered.origins[cost][5] == markup.index("&#8212;")
    heading = lines.index("\t2024 USD\t2023 USD")
    assert rendered.origins[heading][5:9] == [-1] * 4  # " USD" is made up


def test_origins_inside_an_edgar_document_wrapper_count_from_the_string_passed():
    body = "<html><body><div>Sales were &#36;293.6&nbsp;million.</div></body></html>"
    markup = "<DOCUMENT>\n<TYPE>EX-99.1\n<SEQUENCE>2\n<TEXT>\n" + body + "\n</TEXT>\n</DOCUMENT>\n"
    for text in (markup, body, body.replace("<div>", "\r\n<div>\n")):
        rendered = render_html(text)
        lines = check_origins(text, rendered)
        assert lines[0] == "Sales were $293.6 million."
        assert rendered.origins[0][11] == text.index("&#36;")
        assert text[rendered.origins[0][12]] == "2"


def test_html_to_text_errors_are_unchanged():
    with pytest.raises(InputError, match="holds no text"):
        render_html("<html><body><table><tr><td>&#160;</td></tr></table></body></html>", "x.htm")
    with pytest.raises(InputError, match="holds no text"):
        html_to_text("<html><head><title>only</title></head></html>", "x.htm")


def test_a_stray_character_reference_does_not_swallow_the_rest_of_the_document():
    markup = page("<p>Q&#A; about</p><p>and &#B; then</p><table><tr><td>x</td></tr></table><p>end</p>")
    rendered = render_html(markup)
    lines = check_origins(markup, rendered)
    assert "<" not in rendered.text and lines[-2] == "end"


# -- tables: the constructs EDGAR releases print ----------------------------------------------------

def td(text="", colspan=1, rowspan=1):
    span = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
    return f'<td{span} style="padding:0 1pt;vertical-align:bottom"><font style="font-size:9pt">{text}</font></td>'


def tr(*cells: str) -> str:
    return "<tr>" + "".join(cells) + "</tr>"


def table(*rows: str, title: str = "CONSOLIDATED STATEMENTS OF OPERATIONS", note: str = "") -> str:
    return page(f"<div>{title}</div>", f"<div>{note}</div>" if note else "", "<table>", *rows, "</table>",
                "<p>Net sales were $1.2 million.</p>")


def only_table(html: str):
    filing = extract(html, "x.htm")
    check_origins(html, render_html(html))
    assert len(filing.tables) == 1, filing.text
    return filing.tables[0]


def columns(tab):
    return [(c.period.label() if c.period else None, c.currency) for c in tab.columns]


def cells(tab, label: str, index: int = 0):
    """(value, kind, unit) of each cell of the index-th row with this label."""
    row = [r for r in tab.rows if r.label == label][index]
    return [None if c is None else (c.value, c.kind, c.unit) for c in row.cells]


def test_split_values_spacer_columns_colspan_and_rowspan():
    html = table(
        tr(td("(In thousands, except per share data)", rowspan=2), td("Three Months Ended<br>September 30,", 7), td(),
           td("Nine Months Ended<br>September 30,", 7)),
        tr(td("2024", 3), td(), td("2023", 3), td(), td("2024", 3), td(), td("2023", 3)),
        tr(*[td()] * 16),  # a spacer row
        tr(td("Revenue"), td("$"), td("1,234&#160;"), td(), td(), td("$"), td("1,000"), td(), td(), td("$"),
           td("3,600"), td(), td(), td("$"), td("3,000"), td()),
        tr(td("Other loss"), td(), td("(365,241"), td(")"), td(), td("("), td("$"), td("1,200"), td(")"), td("$"),
           td("(12"), td(")"), td(), td(), td("(1.5"), td(")")),
        tr(td("Gross margin"), td(), td("12.5"), td("%"), td(), td(), td("14.0"), td("%"), td(), td(), td("(1.5"),
           td(")%"), td(), td(), td("13.2", 2), td("%")),
        tr(td("Diluted earnings per share"), td("$"), td("0.89"), td(), td(), td("$"), td("1.05"), td(), td(),
           td("$"), td("2.37"), td(), td(), td("$"), td("2.83"), td()))
    text = html_to_text(html)
    assert "Other loss\t(365,241)\t($1,200)\t($12)\t(1.5)" in text
    assert "Gross margin\t12.5%\t14.0%\t(1.5)%\t13.2%" in text
    tab = only_table(html)
    assert tab.title == "CONSOLIDATED STATEMENTS OF OPERATIONS"
    assert tab.scale == 3  # the unit note in the heading rows' label cell is the table's unit note
    assert columns(tab) == [("3M to 2024-09-30", "USD"), ("3M to 2023-09-30", "USD"), ("9M to 2024-09-30", "USD"),
                            ("9M to 2023-09-30", "USD")]
    assert cells(tab, "Revenue") == [(D("1234"), "amount", "USD"), (D("1000"), "amount", "USD"),
                                     (D("3600"), "amount", "USD"), (D("3000"), "amount", "USD")]
    assert [c[0] for c in cells(tab, "Other loss")] == [D("-365241"), D("-1200"), D("-12"), D("-1.5")]
    assert cells(tab, "Gross margin") == [(D("12.5"), "percent", "%"), (D("14.0"), "percent", "%"),
                                          (D("-1.5"), "percent", "%"), (D("13.2"), "percent", "%")]
    assert [c[:2] for c in cells(tab, "Diluted earnings per share")] == [
        (D("0.89"), "per_share"), (D("1.05"), "per_share"), (D("2.37"), "per_share"), (D("2.83"), "per_share")]
    assert [f.scale for f in tab.figures() if f.kind == "amount"] == [3] * 8


def test_a_subtotal_row_without_label_stays_a_row_in_its_columns():
    html = table(
        tr(td(), td("Three Months Ended March 31,", 5)),
        tr(td(), td("2024", 2), td(), td("2023", 2)),
        tr(td("OPERATING EXPENSES:"), td(), td(), td(), td(), td()),
        tr(td("Selling"), td("$"), td("71,986"), td(), td("$"), td("70,242")),
        tr(td("General and administrative"), td(), td("13,602"), td(), td(), td("12,908")),
        tr(td("&#160;"), td("$"), td("85,588"), td(), td(), td("83,150")),
        tr(td(""), td(), td(""), td(), td(), td("(1,000")),  # a subtotal printed in one column only
        tr(td("INCOME FROM OPERATIONS"), td(), td("54,483"), td(), td(), td("64,065")))
    tab = only_table(html)
    assert [r.label for r in tab.rows] == ["OPERATING EXPENSES:", "Selling", "General and administrative", "", "",
                                          "INCOME FROM OPERATIONS"]
    assert cells(tab, "", 0) == [(D("85588"), "amount", "USD"), (D("83150"), "amount", "USD")]
    assert cells(tab, "", 1) == [None, None]  # "(1,000" without its ")" is no figure, and in no other column
    assert "\t\t(1,000" in html_to_text(html)
    assert cells(tab, "INCOME FROM OPERATIONS") == [(D("54483"), "amount", "USD"), (D("64065"), "amount", "USD")]


def test_group_headings_of_different_widths_over_a_year_row():
    html = table(
        tr(td(), td("Three Months Ended<br>November 30,", 3), td(), td("Nine Months Ended<br>November 30,", 5)),
        tr(td(), td("2024"), td(), td("2023"), td(), td("2024"), td(), td("2023"), td(), td("% Change")),
        tr(td("Net revenue"), td("$ 2,024"), td(), td("$ 1,999"), td(), td("$ 6,000"), td(), td("$ 5,000"), td(),
           td("20.0%")),
        tr(td("Net income"), td("500"), td(), td("400"), td(), td("1,500"), td(), td("1,200"), td(), td("25.0%")))
    tab = only_table(html)
    assert columns(tab) == [("3M to 2024-11-30", "USD"), ("3M to 2023-11-30", "USD"), ("9M to 2024-11-30", "USD"),
                            ("9M to 2023-11-30", "USD"), (None, None)]
    assert "change" in tab.columns[4].header.lower()
    assert cells(tab, "Net revenue") == [(D("2024"), "amount", "USD"), (D("1999"), "amount", "USD"),
                                         (D("6000"), "amount", "USD"), (D("5000"), "amount", "USD"),
                                         (D("20.0"), "percent", "%")]
    # a group of two columns next to a single one
    html = table(
        tr(td(), td("Three Months Ended", 3), td(), td("Year Ended")),
        tr(td(), td("March 31,<br>2024"), td(), td("March 31,<br>2023"), td(), td("December 31,<br>2023")),
        tr(td("Revenue"), td("100"), td(), td("90"), td(), td("380")),
        tr(td("Cost"), td("(60)"), td(), td("(50)"), td(), td("(200)")))
    tab = only_table(html)
    assert columns(tab) == [("3M to 2024-03-31", None), ("3M to 2023-03-31", None), ("12M to 2023-12-31", None)]
    assert cells(tab, "Cost") == [(D("-60"), "amount", ""), (D("-50"), "amount", ""), (D("-200"), "amount", "")]


def test_month_day_headings_broken_across_rows_and_lines():
    html = table(
        tr(td(), td("November 2,"), td(), td("February 3,"), td(), td("October 28,")),
        tr(td(), td("2024"), td(), td("2024"), td(), td("2023")),
        tr(td("ASSETS"), td(), td(), td(), td(), td()),
        tr(td("Cash"), td("$ 301,958"), td(), td("$ 268,213"), td(), td("$ 311,657")),
        tr(td("Inventory"), td("149,351"), td(), td("126,290"), td(), td("152,289")),
        title="CONSOLIDATED BALANCE SHEETS")
    tab = only_table(html)
    assert columns(tab) == [("2024-11-02", "USD"), ("2024-02-03", "USD"), ("2023-10-28", "USD")]
    assert [r.label for r in tab.rows] == ["ASSETS", "Cash", "Inventory"] and tab.rows[0].is_header
    html = table(
        tr(td(), td("Three Months<br>Ended<br>September<br>30, 2024"), td(),
           td("Three Months<br>Ended<br>September<br>30, 2023")),
        tr(td("Sales"), td("1,000"), td(), td("900")),
        tr(td("Cost"), td("600"), td(), td("500")))
    assert columns(only_table(html)) == [("3M to 2024-09-30", None), ("3M to 2023-09-30", None)]


def test_each_table_reads_its_own_column_order():
    first = ("<div>TABLE ONE</div><table>"
             + tr(td(), td("Three Months Ended<br>September 30,", 3))
             + tr(td(), td("2023"), td(), td("2024"))
             + tr(td("Revenue"), td("100"), td(), td("120"))
             + tr(td("Cost"), td("(50)"), td(), td("(60)")) + "</table>")
    second = ("<div>TABLE TWO</div><table>"
              + tr(td(), td("Three Months Ended<br>September 30,", 3))
              + tr(td(), td("2024"), td(), td("2023"))
              + tr(td("Revenue"), td("120"), td(), td("100"))
              + tr(td("Cost"), td("(60)"), td(), td("(50)")) + "</table>")
    third = ("<div>BALANCE SHEETS</div><table>"
             + tr(td(), td("October 28, 2023"), td(), td("November 2, 2024"), td(), td("February 3, 2024"))
             + tr(td("Cash"), td("311,657"), td(), td("301,958"), td(), td("268,213"))
             + tr(td("Total assets"), td("921,207"), td(), td("976,270"), td(), td("889,810")) + "</table>")
    html = page(first, second, third)
    one, two, three = extract(html, "x.htm").tables
    assert columns(one) == [("3M to 2023-09-30", None), ("3M to 2024-09-30", None)]
    assert columns(two) == [("3M to 2024-09-30", None), ("3M to 2023-09-30", None)]
    assert cells(one, "Revenue")[1][0] == cells(two, "Revenue")[0][0] == D("120")
    assert columns(three) == [("2023-10-28", None), ("2024-11-02", None), ("2024-02-03", None)]
    assert [c[0] for c in cells(three, "Total assets")] == [D("921207"), D("976270"), D("889810")]


def test_a_dollar_sign_on_some_cells_of_a_column_does_not_shift_it():
    html = table(
        tr(td(), td("2024", 3), td(), td("2023", 3)),
        tr(td("Cash"), td("$"), td("1,234", 2), td(), td("$ 1,000", 3)),  # "$" in its own cell, and inline
        tr(td("Receivables"), td("234", 3), td(), td(), td("200", 2)),  # no "$": the value spans its cell
        tr(td("Inventory"), td(), td("34"), td(), td(), td("30"), td(), td()),
        tr(td("Total"), td("$"), td("1,502"), td(), td(), td("$"), td("1,230"), td()),
        title="BALANCE SHEETS")
    tab = only_table(html)
    assert len(tab.columns) == 2 and columns(tab) == [(None, "USD"), (None, "USD")]
    assert [c[0] for c in cells(tab, "Cash")] == [D("1234"), D("1000")]
    assert [c[0] for c in cells(tab, "Receivables")] == [D("234"), D("200")]
    assert [c[0] for c in cells(tab, "Inventory")] == [D("34"), D("30")]
    assert [c[0] for c in cells(tab, "Total")] == [D("1502"), D("1230")]


@pytest.mark.parametrize("dash", ["-", "&#8212;", "&#8211;", "--", "&#8722;"])
def test_dashes_are_nil_in_their_column(dash):
    html = table(
        tr(td(), td("Three Months Ended March 31,", 7)),
        tr(td(), td("2024", 3), td(), td("2023", 3)),
        tr(td("Revenue"), td("$"), td("100"), td(), td(), td("$"), td(dash), td()),
        tr(td("Other"), td(), td(dash), td(), td(), td(), td("(5"), td(")")),
        tr(td("Margin"), td(), td(dash), td("%"), td(), td(), td("4.0"), td("%")),
        tr(td("Total"), td("$"), td("100"), td(), td(), td("$"), td("(5"), td(")")))
    tab = only_table(html)
    assert cells(tab, "Revenue") == [(D("100"), "amount", "USD"), (D("0"), "nil", "USD")]
    assert cells(tab, "Other") == [(D("0"), "nil", "USD"), (D("-5"), "amount", "USD")]
    assert cells(tab, "Margin") == [(D("0"), "nil", "%"), (D("4.0"), "percent", "%")]
    assert all(f.exact for f in tab.figures() if f.kind == "nil")


def test_footnote_markers_keep_to_the_label_and_never_make_a_column():
    html = table(
        tr(td(), td(), td("March 31, 2024 (1)", 2), td(), td("December 31,<br>2023"), td("(2)")),
        tr(td("Net sales"), td("(1)"), td("$"), td("1,234"), td(), td("$ 1,000")),
        tr(td("Adjusted EBITDA (A)"), td(""), td(), td("234"), td(), td("200")),
        tr(td("Stores"), td("*"), td(), td("45"), td(), td("44")),
        tr(td("Other income **"), td(""), td(), td("5"), td(), td("4 (b)")),
        tr(td("Gross margin<sup>1</sup>"), td(""), td(), td("12.5%"), td(), td("11.0%")),
        tr(td("Net income (2)"), td(), td(), td("(8)"), td(), td("7"), td("(3)")),
        tr(td("Cash"), td(), td(), td("1,234<sup>(4)</sup>"), td(), td("1,000*"), td()),
        tr(td("<sup>(1)</sup> Unaudited."), td(), td(), td(), td(), td()),
        title="SELECTED DATA")
    tab = only_table(html)
    assert columns(tab) == [("2024-03-31", "USD"), ("2023-12-31", "USD")]
    assert [r.label for r in tab.rows[:7]] == ["Net sales (1)", "Adjusted EBITDA (A)", "Stores *",
                                              "Other income ** (b)", "Gross margin^{1}", "Net income (2) (3)",
                                              "Cash ^{4} *"]
    assert [c[0] for c in cells(tab, "Net sales (1)")] == [D("1234"), D("1000")]
    assert [c[0] for c in cells(tab, "Stores *")] == [D("45"), D("44")]
    assert [c[0] for c in cells(tab, "Other income ** (b)")] == [D("5"), D("4")]
    assert [c[:2] for c in cells(tab, "Gross margin^{1}")] == [(D("12.5"), "percent"), (D("11.0"), "percent")]
    assert [c[0] for c in cells(tab, "Net income (2) (3)")] == [D("-8"), D("7")]
    assert [c[0] for c in cells(tab, "Cash ^{4} *")] == [D("1234"), D("1000")]
    assert "(1)" in tab.columns[0].header and "(2)" in tab.columns[1].header
    assert not any(f.value in (-1, -2, -3, 1) for f in tab.figures())


@pytest.mark.parametrize("split", ["br", "div", "p"])
def test_heading_cells_broken_by_line_breaks_divs_and_paragraphs(split):
    def cell(*lines):
        if split == "br":
            return "<br>".join(lines)
        return "".join(f"<{split}>{line}</{split}>" for line in lines)

    html = table(
        tr(td(), td(cell("Three Months", "Ended", "June 30,", "2024")), td(),
           td(cell("Three Months", "Ended", "June 30,", "2023")), td(), td(cell("Six Months Ended", "June 30, 2024"))),
        tr(td("Net sales"), td("$ 293,618"), td(), td("$ 303,457"), td(), td("$ 838,490")),
        tr(td("Net income"), td("44,172"), td(), td("51,762"), td(), td("118,270")))
    tab = only_table(html)
    assert columns(tab) == [("3M to 2024-06-30", "USD"), ("3M to 2023-06-30", "USD"), ("6M to 2024-06-30", "USD")]
    assert tab.columns[0].header.startswith("Three Months Ended June 30, 2024")


def test_change_columns_are_percentages_with_no_period_of_their_own():
    html = table(
        tr(td(), td("Three Months Ended October 31,", 5)),
        tr(td(), td("2024"), td(), td("2023"), td(), td("Change")),
        tr(td("Net sales"), td("$ 293,618"), td(), td("$ 303,457"), td(), td("Down 3.2%")),
        tr(td("Comparable store sales"), td("445"), td(), td("443"), td(), td("Flat")),
        tr(td("Online sales"), td("46.6"), td(), td("46.1"), td(), td("Up 34%")),
        tr(td("Gross margin"), td("47.7%"), td(), td("44.8%"), td(), td("Up 3.9 pts")),
        tr(td("Operating margin"), td("18.6%"), td(), td("20.1%"), td(), td("(1.5)pts")),
        tr(td("Net income"), td("44,172"), td(), td("41,982"), td(), td("+5.2"), td("%")),
        tr(td("Other"), td("1"), td(), td("2"), td(), td("n/m")))
    tab = only_table(html)
    assert columns(tab) == [("3M to 2024-10-31", "USD"), ("3M to 2023-10-31", "USD"), (None, None)]
    change = {r.label: r.cells[2] for r in tab.rows}
    assert [(change[k].value, change[k].kind, change[k].unit, change[k].scale) for k in
            ("Net sales", "Online sales", "Gross margin", "Operating margin", "Net income")] == [
        (D("-3.2"), "percent", "%", -2), (D("34"), "percent", "%", -2), (D("3.9"), "percent", "%", -2),
        (D("-1.5"), "percent", "%", -2), (D("5.2"), "percent", "%", -2)]
    assert (change["Comparable store sales"].value, change["Comparable store sales"].kind) == (D("0"), "nil")
    assert change["Other"] is None
    assert cells(tab, "Net sales")[:2] == [(D("293618"), "amount", "USD"), (D("303457"), "amount", "USD")]
    assert cells(tab, "Gross margin")[:2] == [(D("47.7"), "percent", "%"), (D("44.8"), "percent", "%")]
    assert "Other\t1\t2\tn/m" in html_to_text(html)


def test_a_change_column_without_change_in_its_heading_is_named_one():
    html = table(
        tr(td(), td("November 2, 2024"), td(), td("October 28, 2023"), td(), td()),
        tr(td(), td("(Unaudited)"), td(), td(), td(), td("Increase (Decrease)")),
        tr(td("Cash"), td("$ 1,234"), td(), td("$ 1,000"), td(), td("23.4%")),
        tr(td("Debt"), td("500"), td(), td("400"), td(), td("Up 25%")),
        title="BALANCE SHEET DATA")
    tab = only_table(html)
    assert columns(tab) == [("2024-11-02", "USD"), ("2023-10-28", "USD"), (None, None)]
    assert tab.columns[2].header.count("October") == 0 and "change" in tab.columns[2].header
    assert cells(tab, "Debt") == [(D("500"), "amount", "USD"), (D("400"), "amount", "USD"), (D("25"), "percent", "%")]
    html = table(  # no heading at all over the change column
        tr(td(), td("November 2, 2024"), td(), td("October 28, 2023"), td(), td()),
        tr(td("Net sales"), td("$ 293,618"), td(), td("$ 303,457"), td(), td("Down 21%")),
        tr(td("Stores"), td("445"), td(), td("443"), td(), td("Up 34%")),
        title="KEY DATA")
    tab = only_table(html)
    assert columns(tab) == [("2024-11-02", "USD"), ("2023-10-28", "USD"), (None, None)]
    assert [c[0] for c in cells(tab, "Net sales")] == [D("293618"), D("303457"), D("-21")]


def test_heading_rows_the_text_layout_would_not_read_are_joined_to_their_neighbour():
    html = table(
        tr(td(), td("Three Months Ended December 31,", 7)),
        tr(td(), td("2024", 3), td(), td("2023", 3)),
        tr(td(), td("Amount"), td(), td("% of sales"), td(), td("Amount"), td(), td("% of sales")),
        tr(td("Sales"), td("$ 1,000"), td(), td("100.0%"), td(), td("$ 900"), td(), td("100.0%")),
        tr(td("Cost"), td("600"), td(), td("60.0%"), td(), td("500"), td(), td("55.6%")))
    tab = only_table(html)
    assert columns(tab) == [("3M to 2024-12-31", "USD"), ("3M to 2024-12-31", None), ("3M to 2023-12-31", "USD"),
                            ("3M to 2023-12-31", None)]
    assert [h.split()[-1] for h in (c.header for c in tab.columns)] == ["Amount", "sales", "Amount", "sales"]
    assert cells(tab, "Cost") == [(D("600"), "amount", "USD"), (D("60.0"), "percent", "%"),
                                  (D("500"), "amount", "USD"), (D("55.6"), "percent", "%")]


@pytest.mark.parametrize("text, value, points", [
    ("Up 34%", "34", False), ("Down 21%", "-21", False), ("+5.2%", "5.2", False), ("Up 3.9 pts", "3.9", True),
    ("(1.5)pts", "-1.5", True), ("(1.5) ppts", "-1.5", True), ("Down 0.8 pts", "-0.8", True), ("2.5 pp", "2.5", True),
])
def test_change_cells_read_as_percentages(text, value, points):
    printed = read_cell(text)
    assert printed.percent and printed.value == D(value) and printed.points is points and not printed.nil


@pytest.mark.parametrize("text", ["Flat", "flat", "Unchanged", "—%", "-%"])
def test_unchanged_cells_are_nil_percentages(text):
    printed = read_cell(text)
    assert printed.nil and printed.percent and printed.value == 0


@pytest.mark.parametrize("text", ["Up 34", "Up (3)%", "Down -5%", "+-5%", "+(5)", "pts", "Up", "Down —%", "3.9 pts%"])
def test_what_is_no_change_cell(text):
    assert read_cell(text) is None


def test_a_closing_parenthesis_in_its_own_cell_after_a_dollar_and_a_space():
    html = table(
        tr(td(), td("2024"), td(), td("2023"), td()),
        tr(td("Revenue"), td("$ 1,234.5"), td(), td("$ 1,000.0"), td()),
        tr(td("Net income (loss)"), td("$ 100.0"), td(), td("$ (20.0"), td(")")),
        title="SUMMARY")
    assert "Net income (loss)\t$ 100.0\t($20.0)" in html_to_text(html)
    assert cells(only_table(html), "Net income (loss)") == [(D("100.0"), "amount", "USD"),
                                                            (D("-20.0"), "amount", "USD")]


def test_a_first_row_of_small_negatives_is_figures_not_footnote_markers():
    html = table(
        tr(td(), td("2024"), td(), td("2023")),
        tr(td("Other"), td("(1)"), td(), td("(2)")),
        tr(td("Total"), td("(10)"), td(), td("(12)")),
        title="OTHER DATA")
    tab = only_table(html)
    assert cells(tab, "Other") == [(D("-1"), "amount", ""), (D("-2"), "amount", "")]
