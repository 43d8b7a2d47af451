"""The renderer's white-space collapsing (audit/read/html_flow.collapse) against the word-by-word
version it replaced (issue 21 speed): the same text and the same origin for every character, on
random strings of words, spaces, tabs, line breaks, no-break and invisible characters; and the fast
record makers of audit/read/copies against the dataclasses they stand for."""
from __future__ import annotations

import dataclasses
import random
import re
from decimal import Decimal

from audit.read.copies import figure_with, make_figure, make_row, make_span, replace
from audit.read.filing import Column, Figure, Row, Span, Table
from audit.read.html_flow import EMPTY, Traced, collapse

_INVISIBLE = re.compile("[\u200b\u00ad\ufeff]")


def _reference(text: str, origins: list[int]) -> Traced:
    """collapse as it was written first: each word's origins, and the first white space after it."""
    if _INVISIBLE.search(text):
        keep = [k for k, c in enumerate(text) if c not in "\u200b\u00ad\ufeff"]
        text, origins = "".join(text[k] for k in keep), [origins[k] for k in keep]
    words = text.split()
    if not words:
        return EMPTY
    out: list[int] = []
    last = -1
    for match in re.finditer(r"\S+", text):
        if last >= 0:
            out.append(origins[last])
        out += origins[match.start():match.end()]
        last = match.end()
    return Traced(" ".join(words), out)


def test_collapse_is_the_word_by_word_reading():
    rnd = random.Random(21)
    pieces = ["ab", "c", " ", " ", "  ", "\n", "\t", "\r\n", "\u00a0", "\u2003", "\u200b", "\u00ad", "x", "\x1c"]
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        origins = [rnd.randint(-1, 10000) for _ in text]
        got, want = collapse(text, list(origins)), _reference(text, list(origins))
        assert (got.s, got.o) == (want.s, want.o), repr(text)


def test_made_records_equal_their_dataclasses():
    column = Column(0, "March 31, 2023 RMB", None, "RMB")
    span = make_span(3, 5, 9)
    assert span == Span(3, 5, 9) and hash(span) == hash(Span(3, 5, 9))
    args = (Decimal("-1234.5"), 3, "RMB", 1, "amount", "(1,234.5)", span, "t", "Revenue", ("Income",), column)
    fig = make_figure(*args)
    assert fig == Figure(*args) and repr(fig) == repr(Figure(*args)) and hash(fig) == hash(Figure(*args))
    assert figure_with(fig, unit="USD", section=()) == dataclasses.replace(Figure(*args), unit="USD", section=())
    row = make_row(0, "Revenue", (), "amount", (fig,), span, True)
    assert row == Row(0, "Revenue", (), "amount", (fig,), span, is_total=True)
    table = Table("t", "T", span, "", 3, (column,), (row,))
    assert replace(table, rows=()) == dataclasses.replace(table, rows=())
    assert replace(column, role="GAAP") == dataclasses.replace(column, role="GAAP")
