"""extract_prose reads the words a filing repeats once (figures_in_line's memo, kept over the filing's
lines): every figure is what it is when each line is read with a memo of its own."""
from pathlib import Path

import pytest

from audit.read import extract as ex
from audit.read import prose, prose_line

ROOT = Path(__file__).resolve().parent.parent
PATHS = [ROOT / "fixtures" / "qfin-2023q1-6k.txt", *sorted(p for p in (ROOT.parent / "shared" / "filings").glob("*.*") if p.suffix in (".txt", ".htm"))]


def _fields(figures):
    return [(f.value, f.scale, f.unit, f.decimals, f.kind, f.text, f.span, f.phrase, f.context, f.period, f.scale_word,
             f.sentence) for f in figures]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_a_memo_over_the_lines_reads_what_one_per_line_reads(path, monkeypatch):
    if not path.exists():
        pytest.skip("no such filing here")
    seen = []
    real = ex.extract_prose
    monkeypatch.setattr(ex, "extract_prose", lambda *a: seen.append(a) or real(*a))
    ex.extract(path.read_text(errors="replace"), str(path))
    monkeypatch.undo()
    shared = prose.extract_prose(*seen[-1])
    alone = prose_line.figures_in_line
    monkeypatch.setattr(prose, "_figures_in_line", lambda *a, memo=None: alone(*a[:10]))
    assert _fields(prose.extract_prose(*seen[-1])) == _fields(shared)
    assert len(shared) > 5


def test_footnotes_answer_as_footnote_numbers():
    # _Footnotes looks at the "^{*3}" markers first and at superscripts only for a number not among them
    texts = [["a^{1} b^{*12}", "c\u00b3 d\u00b9\u2070"], ["x^{02}", "\u2074"], ["plain"], ["\u00b2\u00b2"], ["^{7}"]]
    for lines in texts:
        for number in range(25):
            assert (number in prose._Footnotes(lines)) == (number in prose.footnote_numbers(lines)), (lines, number)
        asked = prose._Footnotes(lines)
        assert [n for n in range(25) if n in asked] == sorted(prose.footnote_numbers(lines))
