"""A prose line's normalised text and its figures' places, made by the fast paths (superscript
footnote markers dropped by str.replace, a '\\$' line's places found in one loop), are what
normalise() and its map back give."""
import random
from types import SimpleNamespace

from audit.check import prose_text as pt
from audit.check.anchors import _Line

_CHARS = ["a", "b", " ", " ", "\u00b9", "\u2070", "\u00b2", "\u2079", "\u2071", "\u201c", "\u2014", "\t", "*",
          "^", "{", "1", "}", "\\", "$", "\xa0", "\n"]


def test_normalised_text_is_normalise_with_superscripts():
    rng = random.Random(21)
    for _ in range(60_000):
        text = "".join(rng.choice(_CHARS) for _ in range(rng.randint(1, 12)))
        if not text.isspace():
            assert pt.normalised_text(text) == pt.normalise(text)[0], repr(text)
    for text in ("\u00b9\u2070 Non-GAAP income", "a \u00b9 \u00b2 b", "\u00b9\u00b2", "x\u00b9\u2071 y",
                 "\u00b9 \u201cDay-1\u201d rate\u2014a", "a\u00b9\xa0b", "*\u00b9*", "a\u00b2  b"):
        assert pt.normalised_text(text) == pt.normalise(text)[0], repr(text)


def _figure(col: int, end_col: int):
    return SimpleNamespace(span=SimpleNamespace(col=col, end_col=end_col))


def test_figure_places_are_the_map_backs():
    rng = random.Random(7)
    pieces = ["US\\$", "RMB", "1.5", " ", "and", "\u201c", "x", "\\$", "  ", "^{*1}", "**"]
    for _ in range(20_000):
        raw = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))).lstrip() or "a"
        if raw.isspace():
            continue
        cols = sorted(rng.sample(range(1, len(raw) + 3), 2))
        figures = [_figure(cols[0], cols[1]), _figure(cols[0], cols[0] + 1)]
        line = _Line(1, raw, figures)
        text, offsets = pt.normalise(raw)
        assert line.text == text, repr(raw)
        assert line.starts == [offsets.to_norm(f.span.col - 1) for f in figures], repr(raw)
        assert line.ends == [offsets.to_norm(f.span.end_col - 1) for f in figures], repr(raw)


def test_untouched_text_is_plain_text_of_an_untouched_text():
    from audit.read.numbers import PLAIN_PAIRS, plain_text

    assert all(pt._ODD.search(fancy) is None for fancy, _ in PLAIN_PAIRS if fancy != "\xa0")
    chars = (" a*\\^\t\n\x1c${}1\xa0\u2019\u2018\u201c\u201d\u2013\u2014\u2212\u00b2\u00b9\u2003\u2070\u2071\x85"
             "\u3000\u202f\u00e9")
    rng = random.Random(3)
    for _ in range(100_000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 10)))
        assert pt.untouched_text(text) == (plain_text(text) if pt.untouched(text) else None), repr(text)


def test_spaced_is_normalise_with_its_map_back():
    from bisect import bisect_left

    chars = " a*\\^\t\n$1\xa0\u2019\u201c\u2014\u00b9\u2003\u00e9"
    rng = random.Random(5)
    seen = 0
    for _ in range(100_000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(1, 12)))
        found = pt.spaced(text)
        if found is None:
            continue
        seen += 1
        normalised, offsets = pt.normalise(text)
        assert found[0] == normalised, repr(text)
        for p in range(len(text) + 2):
            assert min(p - bisect_left(found[1], p), len(normalised)) == offsets.to_norm(p), (repr(text), p)
    assert seen > 5_000
