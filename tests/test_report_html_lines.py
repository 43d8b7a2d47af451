"""The annotated filing's lines (html_filing): figures marked in the order of their places, whatever order they come in."""
from __future__ import annotations

import itertools
import random
from types import SimpleNamespace

from audit.report.html_filing import _SEP, _marked, _place


def fig(col: int, end: int, name: str):
    return SimpleNamespace(span=SimpleNamespace(line=1, col=col, end_col=end), name=name)


def mark(f, span, shown: str) -> str:
    return f"[{f.name}:{shown}]"


def reference(text: str, figures: list, sep) -> tuple[str, bool]:
    """The line as the report marked it before: figures sorted by place, an overlapping one, one
    out of range or across a tab left as text, every piece escaped, tabs replaced by sep."""
    from audit.report.html_filing import esc_str

    out, at, marked = [], 0, False
    for f in sorted(figures, key=_place):
        start, end = f.span.col - 1, f.span.end_col - 1
        if start < at or end > len(text) or end <= start or "\t" in text[start:end]:
            continue
        out.append(esc_str(text[at:start]))
        out.append(mark(f, f.span, text[start:end]))
        at, marked = end, True
    out.append(esc_str(text[at:]))
    markup = "".join(out)
    return (markup.replace("\t", sep) if sep else markup), marked


def test_figures_in_any_order_are_marked_as_sorted():
    text = "Revenue <net>\t1,234\t5,678 & 9\t(12)"
    figures = [fig(15, 20, "a"), fig(21, 26, "b"), fig(15, 18, "c"), fig(29, 30, "d"), fig(32, 36, "e"),
               fig(17, 23, "tab"), fig(40, 45, "out"), fig(10, 10, "empty")]
    for order in itertools.permutations(figures[:5]):
        for sep in (None, _SEP):
            assert _marked(text, list(order), mark, sep) == reference(text, list(order), sep)
    rnd = random.Random(7)
    for _ in range(300):
        chosen = rnd.sample(figures, rnd.randint(1, len(figures)))
        for sep in (None, _SEP):
            assert _marked(text, chosen, mark, sep) == reference(text, chosen, sep)


def test_a_line_with_no_figure_placed_is_its_text_escaped():
    assert _marked("a < b\tc", [fig(3, 9, "x")], mark, _SEP) == (f"a &lt; b{_SEP}c", False)


def test_a_rule_files_findings_are_joined_in_runs_that_keep_ascii_apart():
    from audit.report.html_findings import _runs

    rnd = random.Random(3)
    for _ in range(200):
        texts = [rnd.choice(["a<b>", "x \u2264 y", "\u00b7", "plain", ""]) for _ in range(rnd.randint(1, 12))]
        pieces = _runs(texts)
        assert "".join(pieces) == "".join(texts)
        assert all(a.isascii() != b.isascii() for a, b in zip(pieces, pieces[1:]))  # as few as that allows
