"""SourceMap.starts: a text without CR takes the LF-only scan; its line starts are those the CR-aware pattern gives."""
import re

import pytest

from audit.read.filing import SourceMap, Span

SEED = "fixtures/qfin-2023q1-6k.txt"


def _reference(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]


@pytest.mark.parametrize("text", ["", "one line", "a\nb\n", "a\n\nb", "a\r\nb\r\n", "a\rb\r", "a\r\nb\nc\rd",
                                  "\n\n\n", "x\r"])
def test_line_starts_match_the_cr_aware_pattern(text):
    assert SourceMap(text).starts == _reference(text)


def test_the_seed_and_its_crlf_copy_give_the_same_offsets_per_line():
    text = open(SEED, encoding="utf-8").read()
    crlf = text.replace("\n", "\r\n")
    plain, dos = SourceMap(text), SourceMap(crlf)
    assert plain.starts == _reference(text) and dos.starts == _reference(crlf)
    assert len(plain.starts) == len(dos.starts) > 400
    for line in (1, 2, 100, 284, len(plain.starts) - 1):
        span = Span(line, 3, 4)
        assert dos.offset(span) - plain.offset(span) == line - 1  # one more byte per earlier line end


def test_a_body_after_a_wrapper_is_scanned_on_its_own():
    data = "HEADER\r\n" + "a\nb\nc"
    source = SourceMap(data, base=8)
    assert source.starts == [0, 2, 4]
    assert source.offset(Span(3, 1, 2)) == 8 + 4
