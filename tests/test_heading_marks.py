"""Column headings of HTML tables: a superscript footnote marker ("% Change<sup>i</sup>") is no
part of a heading's words, and a blank heading cell (one spanning columns, under a heading and
over "YoY | QoQ") gives no column another column's heading. On XPeng's 2024 Q4 Key Financial
Results (read in place from ../shared/filings/, never copied) and on small tables built here."""
from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from audit.read.extract import extract
from audit.read.html_text import html_to_text
from audit.read.source import read_text

FILINGS = Path(__file__).resolve().parent.parent.parent / "shared" / "filings"
XPENG_Q4_2024 = FILINGS / "xpeng-6k-2024q4-ex99-1-d829413dex991.htm"


def td(text="", colspan=1):
    span = f' colspan="{colspan}"' if colspan > 1 else ""
    return f'<td{span} style="vertical-align:bottom"><b>{text}</b></td>'


def tr(*cells: str) -> str:
    return "<tr>" + "".join(cells) + "</tr>"


def only_table(*rows: str):
    html = ("<html><body><p>KEY FINANCIAL RESULTS</p><p>(in RMB billions)</p><table>" + "".join(rows)
            + "</table><p>Revenues were RMB16.11 billion.</p></body></html>")
    filing = extract(html, "x.htm")
    assert len(filing.tables) == 1, filing.text
    return filing.tables[0], html_to_text(html)


BODY = (tr(td("Total revenues"), td("16.11"), td(), td("10.10"), td(), td("13.05"), td(), td("23.4%"), td(),
           td("59.4%")),
        tr(td("Gross margin"), td("14.4%"), td(), td("15.3%"), td(), td("6.2%"), td(), td("8.2pts"), td(),
           td("-0.9pts")))


def key_results(marker: str = "<sup>i</sup>", blank: str = td(colspan=3)):
    """XPeng's layout: "% Change" + marker over the two change columns, a blank cell (``blank``)
    under it beside the dates, "YoY | QoQ" under that."""
    return only_table(
        tr(td(), td("For the Three Months Ended", 5), td(), td(f"% Change{marker}", 3)),
        tr(td(), td("December 31,"), td(), td("September 30,"), td(), td("December 31,"), td(), blank),
        tr(td(), td("2024"), td(), td("2024"), td(), td("2023"), td(), td("YoY"), td(), td("QoQ")),
        *BODY)


def headers(tab) -> list[str]:
    return [c.header for c in tab.columns]


@pytest.mark.skipif(not XPENG_Q4_2024.is_file(), reason=f"{XPENG_Q4_2024} is read in place, never copied")
def test_xpeng_key_financial_results_change_columns():
    filing = extract(read_text(str(XPENG_Q4_2024)), XPENG_Q4_2024.name)
    tab = next(t for t in filing.tables if t.title == "Key Financial Results")
    assert headers(tab) == ["For the Three Months Ended December 31, 2024",
                            "For the Three Months Ended September 30, 2024",
                            "For the Three Months Ended December 31, 2023", "% Change YoY", "% Change QoQ"]
    assert [c.period for c in tab.columns[3:]] == [None, None]
    lines = filing.text.splitlines()
    assert "\t% Change\t% Change" in lines[55] and lines[56].endswith("\tYoY\tQoQ")
    vehicle = next(r for r in tab.rows if r.label == "Vehicle sales")
    assert [(c.text, c.span.line, c.span.col) for c in vehicle.cells] == [
        ("14.67", 59, 15), ("8.80", 59, 21), ("12.23", 59, 26), ("20.0%", 59, 32), ("66.8%", 59, 38)]


@pytest.mark.parametrize("marker", ["<sup>i</sup>", "<sup>ii</sup>", "<SUP>iv</SUP>", "<sup>a</sup>",
                                    "<sup>(b)</sup>", "<sup>1</sup>", "<sup>(2)</sup>", "<sup>*</sup>",
                                    "<sup>&#8224;</sup>", "<sup> 1,2 </sup>",
                                    '<span style="vertical-align: super">i</span>'])
def test_a_superscript_marker_is_no_part_of_a_heading_word(marker):
    tab, text = key_results(marker)
    assert headers(tab)[3:] == ["% Change YoY", "% Change QoQ"]
    assert "\t% Change\t% Change\n" in text


def test_markers_between_heading_words_out_ordinals_and_trademarks_in_body_labels_kept():
    tab, _ = only_table(
        tr(td(), td("4<sup>th</sup> Quarter<sup>1</sup> 2024"), td(), td("3<sup>rd</sup> Quarter 2024"), td(),
           td("Brand<sup>TM</sup> change<sup>a</sup> %")),
        tr(td("Total revenues<sup>1</sup>"), td("16.11"), td(), td("10.10"), td(), td("59.4%")),
        tr(td("Gross profit"), td("2.32"), td(), td("1.54"), td(), td("50.8%")))
    assert headers(tab) == ["4th Quarter 2024", "3rd Quarter 2024", "BrandTM change %"]
    assert [c.period.label() if c.period else None for c in tab.columns] == [
        "3M to 2024-12-31", "3M to 2024-09-30", None]
    assert [r.label for r in tab.rows] == ["Total revenues^{1}", "Gross profit"]  # a row's marker stays


@pytest.mark.parametrize("blank", [td(colspan=3), td("&nbsp;", 3), td() + td() + td(), ""],
                         ids=["spanning", "nbsp", "three-cells", "missing"])
def test_a_blank_heading_cell_gives_no_column_its_neighbours_heading(blank):
    tab, text = key_results("", blank)
    assert headers(tab) == ["For the Three Months Ended December 31, 2024",
                            "For the Three Months Ended September 30, 2024",
                            "For the Three Months Ended December 31, 2023", "% Change YoY", "% Change QoQ"]
    assert [c.period.label() if c.period else None for c in tab.columns] == [
        "3M to 2024-12-31", "3M to 2024-09-30", "3M to 2023-12-31", None, None]
    revenues = next(r for r in tab.rows if r.label == "Total revenues")
    assert [c.value for c in revenues.cells] == [D("16.11"), D("10.10"), D("13.05"), D("23.4"), D("59.4")]
    assert "Total revenues\t16.11\t10.10\t13.05\t23.4%\t59.4%" in text


def test_a_blank_run_of_three_and_a_blank_over_one_column():
    tab, _ = only_table(
        tr(td(), td("Three Months Ended", 3), td(), td("Change", 5)),
        tr(td(), td("March 31,"), td(), td("March 31,"), td(), td(colspan=5)),
        tr(td(), td("2025"), td(), td("2024"), td(), td("Amount"), td(), td("%"), td(), td("Mix")),
        tr(td("Sales"), td("120"), td(), td("100"), td(), td("20"), td(), td("20.0%"), td(), td("1.2pts")),
        tr(td("Cost"), td("60"), td(), td("50"), td(), td("10"), td(), td("20.0%"), td(), td("0.5pts")))
    assert headers(tab)[2:] == ["Change Amount", "Change %", "Change Mix"]
    tab, _ = only_table(  # one blank column: its own heading, said once
        tr(td(), td("November 2, 2024"), td(), td("October 28, 2023"), td(), td()),
        tr(td(), td("(Unaudited)"), td(), td(), td(), td("Increase (Decrease)")),
        tr(td("Cash"), td("$ 1,234"), td(), td("$ 1,000"), td(), td("23.4%")),
        tr(td("Debt"), td("500"), td(), td("400"), td(), td("Up 25%")))
    assert headers(tab)[2] == "Increase (Decrease) change"
