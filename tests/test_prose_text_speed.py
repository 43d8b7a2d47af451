"""prose_text.untouched makes _plain's tests itself, and asks _ODD of a non-ASCII text only after its
common quotes and dashes are taken out (_no_odd): the same answers as the tests they replace."""
import random

from audit.check import prose_text as pt

_CHARS = (" a*\\^\t\r\n\x0b\x0c\x1c\x1d\x1e\x1f${}12\xa0\u2019\u2018\u201c\u201d\u2013\u2014\u00b2\u00b9\u00b3"
          "\u2003\u2075\u2070\u2071\x85\u3000\u1680\u2028\u2029\u202f\u205f\u00e9")


def _plain_reference(text: str) -> bool:
    if ("  " in text or "\\" in text or "\t" in text or "\r" in text or "\n" in text
            or "\x0b" in text or "\x0c" in text or "\x1c" in text or "\x1d" in text or "\x1e" in text
            or "\x1f" in text):
        return False
    return text.isascii() or pt._ODD.search(text) is None


def test_untouched_and_plain_answer_as_before():
    rng = random.Random(21)
    for _ in range(100_000):
        text = "".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 10)))
        assert pt._plain(text) == _plain_reference(text), repr(text)
        assert pt._no_odd(text) == (pt._ODD.search(text) is None), repr(text)
        assert pt.untouched(text) == (text[:1] != " " and "*" not in text and "^" not in text
                                      and _plain_reference(text)), repr(text)


def test_every_character_of_the_odd_set_and_beside_it():
    for code in list(range(0x100)) + list(range(0x1670, 0x1690)) + list(range(0x1ff0, 0x2100)) + [0x3000]:
        for text in (chr(code), f"a\u2019{chr(code)}", f"\u201c{chr(code)}\u2014b"):
            assert pt._no_odd(text) == (pt._ODD.search(text) is None), hex(code)
            assert pt.untouched(text) == (text[:1] != " " and "*" not in text and "^" not in text
                                          and _plain_reference(text)), hex(code)


_MARKED = ["^{*1}", "^{12}", "^{*}", "^{**1}", "^{", "^", "{*2}", "**", "***", "*", "a", " ", "1", "}", "\\$"]


def test_markers_are_the_matches_of_the_pattern():
    rng = random.Random(7)
    for _ in range(50_000):
        text = "".join(rng.choice(_MARKED) for _ in range(rng.randint(0, 8)))
        assert pt._markers(text) == [m.span() for m in pt._MARKERS.finditer(text)], repr(text)
        if pt._plain(text) and "^" in text:
            assert pt.normalised_text(text) == pt.normalise(text)[0], repr(text)
