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

@pytest.mark.parametrize("name", ["fixtures/qfin-2023q1-6k.txt", "fixtures/buckle-8k-ex99-1-2024-11-22.htm"])
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
