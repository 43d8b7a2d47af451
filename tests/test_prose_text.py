"""Prose lines normalised for anchors: the quick ways (a line left as it is, markers found by
str.find or a narrow search) find what the full search of _SPECIAL finds."""
from __future__ import annotations

import random

from audit.check.prose_text import _SPECIAL, _changes, normalise, untouched
from audit.read.numbers import plain_text

_CHARS = " a*\\^\t\r\n\x0b\x0c\x1c\x1d\x1e\x1f${}12\xa0\u2019\u00b2\u201c\u2014\u2003\u2075\u2071\x85\u3000"


def test_quick_paths_find_what_the_full_search_finds():
    rng = random.Random(4)
    for _ in range(100_000):
        text = "".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 10)))
        assert _changes(text) == [m.span() for m in _SPECIAL.finditer(text)], repr(text)
        if untouched(text):
            assert text[:1] != " " and _SPECIAL.search(text) is None, repr(text)
            normed, offsets = normalise(text)
            assert normed == plain_text(text)
            assert all(offsets.to_norm(k) == min(k, len(normed)) for k in range(len(text) + 2)), repr(text)


def test_real_lines_of_the_fixture(fixture_lines):
    for line in fixture_lines:
        assert _changes(line) == [m.span() for m in _SPECIAL.finditer(line)]
        if untouched(line):
            assert normalise(line)[0] == plain_text(line)
