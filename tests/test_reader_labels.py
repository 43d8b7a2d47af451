"""Figures printed inside a row's label (issue 14, family 7): share counts authorized, issued and
outstanding, and par values, each with its kind, scale and, where the label says, its date."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from audit.read.extract import extract


def page(*parts: str) -> str:
    return "<html><body>" + "".join(parts) + "</body></html>"


def table(*rows: list[str]) -> str:
    return "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows) + "</table>"


def label_figures(filing) -> dict[str, object]:
    return {f.text: f for t in filing.tables for r in t.rows for f in r.label_figures}


BALANCE = ["", "December 30, 2023", "September 30, 2023"]


def test_share_counts_in_a_label_take_the_share_scale_and_their_columns_dates():
    f = extract(page("<p>CONDENSED CONSOLIDATED BALANCE SHEETS</p>",
                     "<p>(In millions, except number of shares, which are reflected in thousands, and per-share amounts)</p>",
                     table(BALANCE, ["Common stock and additional paid-in capital, $0.00001 par value: 50,400,000 shares "
                                     "authorized; 15,460,223 and 15,550,061 shares issued and outstanding, respectively",
                                     "75,236", "73,812"])), "bs.htm")
    got = label_figures(f)
    par, authorized, now, before = got["$0.00001"], got["50,400,000"], got["15,460,223"], got["15,550,061"]
    assert (par.kind, par.unit, par.scale, par.value) == ("per_share", "USD", 0, D("0.00001"))
    assert (authorized.kind, authorized.unit, authorized.scale, authorized.period) == ("shares", "shares", 3, None)
    assert (now.kind, now.scale, now.period.date) == ("shares", 3, dt.date(2023, 12, 30))
    assert (before.kind, before.value, before.period.date) == ("shares", D("15550061"), dt.date(2023, 9, 30))
    row = f.tables[0].rows[0]
    assert [c.text for c in row.cells] == ["75,236", "73,812"]  # the cells are the label's row's, as before
    assert f.line(now.span.line)[now.span.col - 1:now.span.end_col - 1] == "15,460,223"


def test_share_counts_dated_in_the_label_and_counts_of_other_things():
    f = extract(page("<p>CONSOLIDATED BALANCE SHEETS</p><p>(Dollar amounts in thousands)</p>",
                     table(["", "November 2, 2024", "February 3, 2024"],
                           ["Common stock, authorized 100,000,000 shares of $.01 par value; issued and outstanding; "
                            "50,773,796 shares at November 2, 2024, and 50,445,186 shares at February 3, 2024", "508", "504"],
                           ["Payments on debt > 90 days", "12", "14"])), "bs.htm")
    got = label_figures(f)
    assert set(got) == {"100,000,000", "50,773,796", "50,445,186"}  # "90 days" is a term, not a figure
    assert (got["100,000,000"].scale, got["100,000,000"].period) == (0, None)
    assert got["50,773,796"].period.date == dt.date(2024, 11, 2)
    assert got["50,445,186"].period.date == dt.date(2024, 2, 3)


def test_labels_without_figures_have_none():
    f = extract(page("<p>BALANCE SHEETS</p><p>(In thousands)</p>",
                     table(BALANCE, ["Cash and cash equivalents", "1,000", "900"], ["6-12 months", "5", "4"])), "bs.htm")
    assert label_figures(f) == {}
