"""prose_scan.scan (one scan of the prose lines joined) finds each line's numbers as a scan of the line does."""
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.read import prose_scan

TOKENS = [" ", "\t", "\n", ".", ",", "(", ")", "-", "\u2212", "$", "%", "\\", "R", "U", "H", "5", "12", "1,234", ".5", "RMB",
          "US$", "US\\$", "HK$", "USD", " percent", " percentage points", " per cent", " pts", " million", " Billions",
          "x", "millionx", "percentx"]
line = st.lists(st.sampled_from(TOKENS), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(line, max_size=6))
def test_one_scan_of_the_lines_finds_each_lines_numbers(texts):
    found = prose_scan.scan(texts)
    assert len(found) == len(texts)
    for text, (matches, base) in zip(texts, found):
        alone = [(m.span(), m.span(4), m.groups()) for m in prose_scan._NUMBER.finditer(text)]
        joined = [((m.start() - base, m.end() - base), (m.start(4) - base, m.end(4) - base), m.groups()) for m in matches]
        assert joined == alone, (texts, text)


ODD = ["HK\\$", "1234,567", "12,3456", "(12", "12)", "(-", "-(", " (", "\u0663", "\uff11", "\U0001d7cf", "\u00b2", "\u2212", "\u0660", "RMB\u0661", "(\u0662)", "\u2014", "\u201d", "\u00a0"]
odd_line = st.lists(st.sampled_from(TOKENS + ODD), max_size=16).map("".join)


def _found(pattern, text):
    return [(m.span(), m.span(4), m.groups()) for m in pattern.finditer(text)]


@settings(max_examples=1000, deadline=None)
@given(text=odd_line)
def test_the_scans_pattern_finds_what_number_finds(text):
    # _SCAN opens with a class (a fast skip) and reads _NUMBER's groups in a look-behind: the same
    # matches, spans and groups, other digits than 0-9 (\d's) and a minus sign included
    assert _found(prose_scan._SCAN, text) == _found(prose_scan._NUMBER, text)


def test_the_scans_pattern_finds_what_number_finds_in_the_filings():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    paths = [root / "fixtures" / "qfin-2023q1-6k.txt", *sorted((root.parent / "shared" / "filings").glob("*.*"))]
    for path in paths:
        text = path.read_text(errors="replace")
        assert _found(prose_scan._SCAN, text) == _found(prose_scan._NUMBER, text), path


NEAR_TOKENS = TOKENS + ["June", "JUNE", "Jan.", "iPhone", ":", "-", ",", "^{", "^{*", "}", "a", "Z", "\u00a0", "\u017f"]


@settings(max_examples=1000, deadline=None)
@given(text=st.lists(st.sampled_from(NEAR_TOKENS), max_size=16).map("".join))
def test_masks_are_asked_only_where_they_can_be_true(text):
    # numbers asks masks.near only with a space or one of '(:-,' before the digits (or none), or ':'
    # or '-' after them; masks.footnote only with '}' after them: elsewhere both are False
    from audit.read import masks

    for match in prose_scan._NUMBER.finditer(text):
        start, end = match.span(4)
        if not (not start or text[start - 1] in "(:-," or text[start - 1].isspace() or text[end:end + 1] in (":", "-")):
            assert not masks.near(text, start, end), (text, start)
        if not text.startswith("}", end):
            assert not masks.footnote(text, start, end), (text, start)
