"""read/copies' record makers give the records the frozen dataclasses' own constructors give:
make_cell (a table cell's Figure with its Span, in one call) is make_figure of make_span."""
from __future__ import annotations

from decimal import Decimal

from audit.read.copies import make_cell, make_figure, make_span
from audit.read.filing import Figure, Span


def test_make_span_and_make_figure_are_the_constructors():
    span = make_span(3, 7, 12)
    assert span == Span(3, 7, 12) and type(span) is Span
    args = (Decimal("1234.5"), 3, "RMB", 1, "amount", "1,234.5", span)
    figure = make_figure(*args, table="t", row="r", section=("S",), column="c", period="p")
    assert figure == Figure(*args, table="t", row="r", section=("S",), column="c", period="p")
    assert type(figure) is Figure


def test_a_cell_is_make_figure_of_make_span(filing):
    cells = [f for t in filing.tables for f in t.figures()]
    assert len(cells) > 250
    for f in cells:
        made = make_cell(f.value, f.scale, f.unit, f.decimals, f.kind, f.text, f.span.line, f.span.col,
                         f.table, f.row, f.section, f.column)
        span = make_span(f.span.line, f.span.col, f.span.col + len(f.text))
        expected = make_figure(f.value, f.scale, f.unit, f.decimals, f.kind, f.text, span, f.table, f.row,
                               f.section, f.column)
        assert made == expected and type(made) is Figure and type(made.span) is Span
        assert [getattr(made, k) for k in Figure.__slots__] == [getattr(expected, k) for k in Figure.__slots__]
