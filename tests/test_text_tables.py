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
