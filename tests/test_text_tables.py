"""Issue 14, reader families 1, 2 and 10 and `extract --format text`: plain-text tables (space
aligned and SGML <TABLE>/<S>/<C>), the last figure of a prose line, split exhibits of one
submission. Small cases written for the purpose, then the real Sears and Southern filings
(read from ../shared/filings/, never copied)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from audit.read.extract import extract

ROOT = Path(__file__).resolve().parent.parent
FILINGS = ROOT.parent / "shared" / "filings"


# -- family 2: the last figure of a prose line ----------------------------------------------

@pytest.mark.parametrize("line, text", [
    ("Revenue for the quarter was $1.5 million", "$1.5 million"),
    ("The gross margin rate was 27.9%", "27.9%"),
    ("Net income rose to $300", "$300"),
    ("Comparable store sales decreased 2.9 percent", "2.9 percent"),
    ("Stores at the end of the quarter numbered 1,996", "1,996"),
])
def test_last_figure_of_a_line_is_read(line, text):
    filing = extract(f"Company Reports Results\n\n{line}\n")
    assert [f.text for f in filing.prose] == [text]
    assert filing.prose[0].span.line == 3
    assert filing.prose[0].span.end_col == len(line) + 1


def test_last_figure_of_the_text_without_newline():
    filing = extract("Net sales were $7.7 billion")
    assert [(f.text, f.value, f.scale) for f in filing.prose] == [("$7.7 billion", Decimal("7.7"), 9)]


# -- extract --format text: the text that line:col positions refer to -------------------------

@pytest.mark.parametrize("name", ["fixtures/qfin-2023q1-6k.txt", "../shared/filings/buckle-8k-ex99-1-2024-11-22.htm"])
def test_extract_format_text_is_what_positions_refer_to(name):
    from click.testing import CliRunner

    from audit.cli import main
    from audit.read.source import read_text

    path = str(ROOT / name)
    result = CliRunner().invoke(main, ["extract", path, "--format", "text"])
    assert result.exit_code == 0, result.output
    lines = result.output.split("\n")
    filing = extract(read_text(path), path)
    figures = list(filing.figures())
    assert len(figures) > 100
    for fig in figures:
        line = lines[fig.span.line - 1]
        assert line[fig.span.col - 1:fig.span.end_col - 1] == fig.text, fig


# -- family 1: plain-text tables -------------------------------------------------------------

SPACED = """\
                         ACME WIDGET CORPORATION
               CONDENSED CONSOLIDATED STATEMENTS OF INCOME
                (in millions, except per share amounts)

                                   Three Months Ended     Six Months Ended
                                        June 30,              June 30,
                                     2024       2023       2024       2023

Net sales .......................  $ 1,234    $ 1,100    $ 2,400    $ 2,150
Cost of sales ...................      734        700      1,450      1,300
                                   -------    -------    -------    -------
Gross profit ....................      500        400        950        850

Restructuring and other
  charges .......................       12          -         20          5
Net income (loss) ...............  $  (10)    $    45    $   123    $   200
Diluted earnings per share ......  $ (0.05)   $  0.21    $  0.60    $  0.95


The company had 1,200 employees at June 30, 2024, up 4.5% from a year earlier.
"""


def _table(filing, title):
    found = [t for t in filing.tables if t.title.lower() == title.lower()]
    assert len(found) == 1, [t.title for t in filing.tables]
    return found[0]


def _row(table, label):
    found = [r for r in table.rows if r.label == label]
    assert len(found) == 1, [r.label for r in table.rows]
    return found[0]


def _at(text: str, fig) -> str:
    """The text at a figure's line and column in the text as given."""
    line = text.split("\n")[fig.span.line - 1]
    return line[fig.span.col - 1:fig.span.end_col - 1]


def test_space_aligned_table_is_a_table():
    filing = extract(SPACED, "acme.txt")
    table = _table(filing, "CONDENSED CONSOLIDATED STATEMENTS OF INCOME")
    assert table.scale == 6 and "in millions" in table.unit_note
    assert [r.label for r in table.rows if not r.is_header] == [
        "Net sales", "Cost of sales", "Gross profit", "Restructuring and other charges", "Net income (loss)",
        "Diluted earnings per share"]
    periods = [(c.period.start, c.period.end) for c in table.columns]
    assert [p[1].isoformat() for p in periods] == ["2024-06-30", "2023-06-30", "2024-06-30", "2023-06-30"]
    assert [c.period.months for c in table.columns] == [3, 3, 6, 6]
    sales = _row(table, "Net sales").cells[0]
    assert (sales.value, sales.scale, sales.unit, sales.kind, sales.decimals) == (Decimal("1234"), 6, "USD", "amount", 0)
    loss = _row(table, "Net income (loss)").cells[0]
    assert loss.value == Decimal("-10") and loss.text == "(10)"
    eps = _row(table, "Diluted earnings per share").cells[0]
    assert (eps.value, eps.scale, eps.kind, eps.decimals) == (Decimal("-0.05"), 0, "per_share", 2)
    nil = _row(table, "Restructuring and other charges").cells[1]
    assert nil.kind == "nil" and nil.value == 0
    for fig in table.figures():  # every figure where it is printed, in the text as given
        assert _at(SPACED, fig) == fig.text
    # the text around the table is still prose, and the table's figures are not
    assert [f.text for f in filing.prose] == ["1,200", "4.5%"]


def test_text_table_byte_offsets_point_into_the_file():
    text = "<DOCUMENT>\n<TYPE>EX-99.1\n<TEXT>\n" + SPACED.replace("Net sales ......", "Net sales \u2014 net.") + "</TEXT>\n</DOCUMENT>\n"
    data = text.encode("utf-8")
    filing = extract(text, "acme.txt")
    figures = list(filing.figures())
    assert sum(1 for f in figures if f.table) == 24
    for fig in figures:
        offset = filing.offset(fig.span)
        assert data[offset:offset + len(fig.text.encode())].decode() == fig.text


SGML = """\
                                Widget Utility Company
                                 Analysis of Earnings
                                (Millions of Dollars)

<TABLE>
<CAPTION>

                                  3 Months Ended December     12 Months Ended December
                                  -----------------------     ------------------------
                                     2006        2005            2006        2005
                                   --------    --------        --------    --------
Income Account-
<S>                                <C>         <C>             <C>         <C>
Retail Revenue                     $2,505      $2,669          $11,801     $11,165
Fuel                                1,231       1,391            5,695       5,226
                                   ------      ------          -------     -------
NET INCOME AS REPORTED (See Notes) $  188      $  159          $ 1,573     $ 1,591
                                   ======      ======          =======     =======


                                  3 Months Ended December     12 Months Ended December
                                  -----------------------     ------------------------
                                     2006        2005            2006        2005
                                   --------    --------        --------    --------
Per Share-
   Basic Earnings Per Share          $ 0.25      $ 0.21          $ 2.12    $(2.14)
</TABLE>

Notes
- - Certain prior year data has been reclassified.
"""


def test_sgml_text_table_with_a_repeated_heading_is_one_table():
    filing = extract(SGML, "utility.txt")
    table = _table(filing, "Analysis of Earnings")
    assert table.scale == 6
    assert [(c.period.months, c.period.end.isoformat()) for c in table.columns] == [
        (3, "2006-12-31"), (3, "2005-12-31"), (12, "2006-12-31"), (12, "2005-12-31")]
    net = _row(table, "NET INCOME AS REPORTED (See Notes)")
    assert [c.value for c in net.cells] == [Decimal(v) for v in ("188", "159", "1573", "1591")]
    eps = _row(table, "Basic Earnings Per Share")
    assert eps.kind == "per_share" and eps.cells[3].value == Decimal("-2.14") and eps.cells[3].text == "(2.14)"
    assert eps.section == ("Per Share-",)
    for fig in table.figures():
        assert _at(SGML, fig) == fig.text
    assert not filing.prose  # headings, markers and rules are not prose figures


def test_a_paragraph_with_numbers_is_not_a_table():
    text = ("Results\n\nRevenue rose to $1.2 billion in 2024 from $1.0 billion in 2023, and margin was 27.9%\n"
            "compared with 27.5% a year earlier; 1,996 stores at the end of the quarter.\n")
    filing = extract(text)
    assert not filing.tables
    assert [f.text for f in filing.prose] == ["$1.2 billion", "$1.0 billion", "27.9%", "27.5%", "1,996"]


def test_tab_separated_filing_is_read_as_before(filing, fixture_text):
    """The bundled fixture is already in the tab layout: the text-table reader leaves it alone."""
    from audit.read.text_tables import layout

    lines = fixture_text.split("\n")
    assert layout(lines) == lines


# -- family 10: a release and its statements in separate exhibits ------------------------------

def _doc(kind: str, name: str, body: str) -> str:
    return f"<DOCUMENT>\n<TYPE>{kind}\n<SEQUENCE>1\n<FILENAME>{name}\n<TEXT>\n{body}</TEXT>\n</DOCUMENT>\n"


RELEASE_HTML = ("<html><body><p>Widget Utility Company reported net income of $188 million for the quarter."
                "</p><table><tr><td>Media contact: 404-506-5333</td></tr></table></body></html>\n")


def _submission(release: str = RELEASE_HTML) -> str:
    return ("<SEC-DOCUMENT>0000000000-07-000008.txt\n<SEC-HEADER>\nCOMPANY CONFORMED NAME:\tWIDGET UTILITY CO\n"
            "</SEC-HEADER>\n" + _doc("8-K", "form8k.htm", "<html><body><p>Item 2.02</p></body></html>\n")
            + _doc("EX-99.01", "x9901.htm", release) + _doc("EX-99.02", "x9902.txt", SGML)
            + "</SEC-DOCUMENT>\n")


def test_split_exhibits_are_read_as_one_filing():
    text = _submission()
    data = text.encode("utf-8")
    filing = extract(text, "sub.txt")
    assert filing.meta.document == "EX-99.01"
    assert [t.title for t in filing.tables] == ["Analysis of Earnings"]
    assert [f.text for f in filing.prose] == ["$188 million"]
    assert filing.source_format == "html"
    for fig in filing.figures():  # offsets point into the submission, in either exhibit
        offset = filing.offset(fig.span)
        assert data[offset:offset + len(fig.text.encode())].decode() == fig.text
        line = filing.lines[fig.span.line - 1]
        assert line[fig.span.col - 1:fig.span.end_col - 1] == fig.text
    net = _row(filing.tables[0], "NET INCOME AS REPORTED (See Notes)").cells[0]
    assert data.index(b"$  188      $  159") == filing.offset(net.span) and net.text == "$  188"


def test_document_still_picks_one_exhibit():
    text = _submission()
    only = extract(text, "sub.txt", "EX-99.02")
    assert [t.title for t in only.tables] == ["Analysis of Earnings"] and not only.prose
    assert only.meta.document == "EX-99.02"
    release = extract(text, "sub.txt", "EX-99.1")
    assert not release.tables and [f.text for f in release.prose] == ["$188 million"]


def test_a_release_with_its_own_statements_is_read_alone():
    """Its EX-99.2 (say, retail statistics) is another document: not joined by default."""
    release = RELEASE_HTML.replace("</body>", "<table>" + "<tr><td>Revenue</td><td>1,234</td><td>1,100</td></tr>" * 6
                                   + "</table></body>")
    filing = extract(_submission(release), "sub.txt")
    assert all(t.title != "Analysis of Earnings" for t in filing.tables)
    assert filing.meta.document == "EX-99.01"


# -- the real filings: Sears (space-aligned text), Southern (split exhibits, SGML tables) ---------

SEARS = FILINGS / "sears-8k-2004q2-0000891092-04-003383.txt"
SOUTHERN = FILINGS / "southern-8k-2006q4-0000092122-07-000008.txt"


def _real(path: Path, document=None):
    from audit.read.source import read_text

    if not path.is_file():
        pytest.skip(f"{path} is not there")
    return extract(read_text(str(path)), str(path), document)


def _check_offsets(filing, path: Path) -> None:
    data = path.read_bytes()
    for fig in filing.figures():
        offset = filing.offset(fig.span)
        assert data[offset:offset + len(fig.text.encode())].decode() == fig.text, fig


def test_sears_statements():
    filing = _real(SEARS)
    assert filing.meta.document == "EX-99"
    income = _table(filing, "CONSOLIDATED INCOME")
    assert income.scale == 6
    quarter, prior, half = income.columns[0], income.columns[1], income.columns[2]
    assert (quarter.period.end.isoformat(), quarter.period.months) == ("2004-07-03", 3)
    assert (prior.period.end.isoformat(), prior.period.months) == ("2003-06-28", 3)
    assert (half.period.end.isoformat(), half.period.months) == ("2004-07-03", 6)
    net = _row(income, "NET INCOME/ (LOSS)")
    assert [(c.value, c.scale, c.unit, c.kind) for c in net.cells] == [
        (Decimal(v), 6, "USD", "amount") for v in ("53", "309", "-806", "501")]
    diluted = [r for r in income.rows if r.label == "Earnings/ (loss) per share" and r.section[-1:] == ("Diluted",)]
    assert [(c.value, c.scale, c.kind) for c in diluted[0].cells] == [
        (Decimal(v), 0, "per_share") for v in ("0.24", "1.04", "-3.71", "1.63")]
    wrapped = _row(income, "Income before income taxes, minority interest and cumulative effect of change in "
                           "accounting principle")
    assert wrapped.cells[0].value == Decimal("89") and wrapped.cells[0].span.line == net.cells[0].span.line - 12
    sheet = _table(filing, "CONSOLIDATED BALANCE SHEET")
    assert [c.period.end.isoformat() for c in sheet.columns] == ["2004-07-03", "2003-06-28", "2004-01-03"]
    assert all(c.period.is_instant for c in sheet.columns)
    assets = _row(sheet, "Total assets").cells
    assert [c.value for c in assets] == [Decimal("21927"), Decimal("50373"), Decimal("27723")] and assets[0].scale == 6
    segments = [t for t in filing.tables if t.title == "Segment Income Statements"]
    assert len(segments) == 2 and [len(t.columns) for t in segments] == [6, 6]
    assert sum(1 for t in filing.tables for _ in t.figures()) >= 540
    _check_offsets(filing, SEARS)


def test_southern_release_and_statements_together():
    filing = _real(SOUTHERN)
    assert [t.title for t in filing.tables] == [
        "Financial Highlights", "Significant Factors Impacting EPS", "Analysis of Consolidated Earnings",
        "Kilowatt-Hour Sales", "Financial Overview"]
    highlights = filing.tables[0]
    assert highlights.scale == 6
    assert [(c.period.start.isoformat(), c.period.end.isoformat()) for c in highlights.columns] == [
        ("2006-10-01", "2006-12-31"), ("2005-10-01", "2005-12-31"), ("2006-01-01", "2006-12-31"),
        ("2005-01-01", "2005-12-31")]
    net = [r for r in highlights.rows if r.label == "Net Income - As Reported"]
    assert len(net) == 2  # the table goes on under a second heading: one statement
    assert [(c.value, c.scale, c.unit, c.kind) for c in net[0].cells] == [
        (Decimal(v), 6, "USD", "amount") for v in ("188", "159", "1573", "1591")]
    eps = _row(highlights, "Basic Earnings Per Share - (See Notes)")
    assert [(c.value, c.kind) for c in eps.cells] == [(Decimal(v), "per_share") for v in ("0.25", "0.21", "2.12", "2.14")]
    analysis = _table(filing, "Analysis of Consolidated Earnings")
    change = _row(analysis, "Retail Revenue").cells[2]
    assert change.value == Decimal("-164") and change.text == "(164)" and "Change" in change.column.header
    # the release's prose is read with its statements
    assert any(f.text == "$1.57 billion" for f in filing.prose)
    assert sum(1 for t in filing.tables for _ in t.figures()) == 332
    _check_offsets(filing, SOUTHERN)
    one = _real(SOUTHERN, "EX-99.04")
    assert [t.title for t in one.tables] == ["Analysis of Consolidated Earnings"] and one.meta.document == "EX-99.04"
    _check_offsets(one, SOUTHERN)


SCHEDULES = """\
                          WIDGET STORES, INC.
    SUPPLEMENTAL INFORMATION - INVENTORY AND STORE COUNT AT THE END OF THE
     SECOND QUARTER

    ($ in millions)

    Inventories:
                               July 3,  June 28, January 3,
                                2004     2003      2004

                    -LIFO      $4,945   $4,881    $4,728
                    -FIFO      $5,526   $5,507    $5,308


    Stores:
                               July 3,  June 28, January 3,
                                2004     2003      2004
      Full-line                   871      869       871
      Specialty                 1,109    1,307     1,105
        Total Domestic Retail
         Stores                 1,996    2,191     1,992


    * Store detail for the 13 weeks ended June 28, 2003


                                Retail &     Credit &
                                Related      Financial    Total
                                Services     Products    Domestic

    Merchandise sales and
     services                     $7,771     $    -       $7,871
    Total revenues                 7,771      1,266        9,137
"""


def test_schedules_under_one_title_and_a_period_line_above_headings():
    filing = extract(SCHEDULES, "widget.txt")
    title = "SUPPLEMENTAL INFORMATION - INVENTORY AND STORE COUNT AT THE END OF THE SECOND QUARTER"
    schedules = _table(filing, title)  # a title over two lines with a hanging indent
    assert schedules.scale == 6
    assert [c.period.end.isoformat() for c in schedules.columns] == ["2004-07-03", "2003-06-28", "2004-01-03"]
    assert [(r.label, r.section) for r in schedules.rows if not r.is_header] == [
        ("-LIFO", ("Inventories:",)), ("-FIFO", ("Inventories:",)), ("Full-line", ("Stores:",)),
        ("Specialty", ("Stores:",)), ("Total Domestic Retail Stores", ("Stores:",))]
    detail = [t for t in filing.tables if t is not schedules]
    assert len(detail) == 1
    assert [(c.period.end.isoformat(), c.period.months) for c in detail[0].columns] == [("2003-06-28", 3)] * 3
    assert _row(detail[0], "Merchandise sales and services").cells[2].value == Decimal("7871")
    for fig in filing.figures():
        assert _at(SCHEDULES, fig) == fig.text


def test_a_figure_whose_scale_word_opens_the_next_line():
    filing = extract("Results\n\nSears recorded a pretax charge of $28\nmillion, or $0.06 per share, and margin rose 2.9\n"
                     "percent to 27.9%\n")
    assert [(f.text, f.value, f.scale, f.unit) for f in filing.prose] == [
        ("$28", Decimal("28"), 6, "USD"), ("$0.06", Decimal("0.06"), 0, "USD"), ("2.9", Decimal("2.9"), -2, "%"),
        ("27.9%", Decimal("27.9"), -2, "%")]


def test_a_text_exhibit_that_opens_with_an_sgml_table_is_text():
    body = SGML[SGML.index("<TABLE>"):]
    filing = extract(_doc("EX-99.1", "x.txt", body), "x.txt")
    assert filing.source_format == "text"
    assert len(filing.tables) == 1 and sum(1 for _ in filing.tables[0].figures()) == 16


def test_a_damaged_row_is_never_a_heading():
    """A figure the reader cannot read ('.6844') leaves its row a row, never the heading row."""
    broken = SPACED.replace("$ 2,150", "$ .2150")
    filing = extract(broken, "acme.txt")
    table = _table(filing, "CONDENSED CONSOLIDATED STATEMENTS OF INCOME")
    assert [c.period.months for c in table.columns] == [3, 3, 6, 6]
    for fig in filing.figures():
        assert _at(broken, fig) == fig.text


SELECTED = """\
                          ACME INC.
                  SELECTED FINANCIAL DATA
        (Amounts in millions, except per share amounts)

                                   Fiscal Year Ended
                          ------------------------------------
                          May 31,      May 31,      May 31,
                           2006         2005         2004
                          -------      -------      -------
Net sales...............  $ 5,000      $ 4,500      $ 4,000
Operating income........      800          700          600
Net income per share:
  Basic.................  $  1.00      $  0.90      $  0.80
  Diluted...............     0.98         0.88         0.79
"""


def test_a_heading_spans_the_columns_its_rule_is_drawn_over():
    filing = extract(SELECTED, "acme.txt")
    table = _table(filing, "SELECTED FINANCIAL DATA")
    assert [(c.period.end.isoformat(), c.period.months) for c in table.columns] == [
        ("2006-05-31", 12), ("2005-05-31", 12), ("2004-05-31", 12)]
    basic = _row(table, "Basic")
    assert basic.section == ("Net income per share:",) and basic.kind == "per_share"
    assert [c.value for c in basic.cells] == [Decimal("1.00"), Decimal("0.90"), Decimal("0.80")]
    assert _row(table, "Net sales").cells[0].scale == 6


def test_split_exhibits_all_in_plain_text():
    text = _submission("Widget Utility Company reported net income of $188 million for the quarter.\n")
    data = text.encode("utf-8")
    filing = extract(text, "sub.txt")
    assert filing.source_format == "text"
    assert [t.title for t in filing.tables] == ["Analysis of Earnings"]
    assert [f.text for f in filing.prose] == ["$188 million"]
    for fig in filing.figures():
        offset = filing.offset(fig.span)
        assert data[offset:offset + len(fig.text.encode())].decode() == fig.text


def test_not_meaningful_cells_keep_their_row_whole():
    text = ("Key figures\n(in millions)\n\n"
            "                     2006      2005     Change\n"
            "Revenue           $ 1,234   $ 1,100      12.2%\n"
            "Other income           15       N/M        N/M\n"
            "Net income            200       150      33.3%\n"
            "Stores are located in Las Cruces, NM\n")
    table = _table(extract(text), "Key figures")
    other = _row(table, "Other income")
    assert other.cells[0].value == Decimal("15") and other.cells[1] is None and other.cells[2] is None
    assert _row(table, "Net income").cells[2].value == Decimal("33.3")
    assert [r.label for r in table.rows] == ["Revenue", "Other income", "Net income"]


def test_note_markers_after_figures_stay_out_of_them():
    text = SPACED.replace("$ 1,234   ", "$ 1,234(a)").replace("    500    ", "    500*   ")
    table = _table(extract(text), "CONDENSED CONSOLIDATED STATEMENTS OF INCOME")
    sales, gross = _row(table, "Net sales").cells[0], _row(table, "Gross profit").cells[0]
    assert (sales.value, sales.text, gross.value, gross.text) == (Decimal("1234"), "$ 1,234", Decimal("500"), "500")
    assert _row(table, "Net sales").cells[1].value == Decimal("1100")


def test_a_dense_table_with_one_space_between_figures():
    text = ("SEGMENT DATA\n(in thousands)\n"
            "                          2006     2005     2004\n"
            "Retail................ 123,456  111,222  100,000\n"
            "Wholesale.............  23,456   21,222   20,000\n"
            "Total................. 146,912  132,444  120,000\n\n"
            "Revenue grew 11% in 2006.\n")
    filing = extract(text)
    table = _table(filing, "SEGMENT DATA")
    assert table.scale == 3 and [c.header for c in table.columns] == ["2006", "2005", "2004"]
    assert [c.value for c in _row(table, "Retail").cells] == [Decimal("123456"), Decimal("111222"), Decimal("100000")]
    assert [f.text for f in filing.prose] == ["11%"]
