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
