"""The tests prose reads a number with before asking a pattern skip only what the pattern would not
find: prose_scan's first character after a number's spaces (a unit, a name, a street), _id_end
(_ID_ENDS), _per_share_before (_PER_SHARE_BEFORE) and prose_periods' words of _OF_YEAR, on random
texts built from the pieces they look for."""
from __future__ import annotations

import random
import re

from audit.read import prose_periods, prose_scan

#: The oracles: how prose_scan told an identifier's word (endswith) and prose.py found a stated rate
#: (one alternation behind a look-ahead) before the quicker forms these tests hold to them.
_ID_ENDS = ("#",) + tuple(w.lower() + end for w in prose_scan._ID_WORDS for end in ("", ".", ":", ".:"))
_RATE = re.compile(
    r"(?=[RCHU])(?:(?P<from>RMB|CNY|HK\\?\$)\s?(?P<rate>\d+\.\d+)\s+to\s+(?P<to>US\\?\$|USD)\s?1(?:\.0+)?\b"
    r"|(?P<to2>US\\?\$|USD)\s?1(?:\.0+)?\s*(?:=|to)\s*(?P<from2>RMB|CNY|HK\\?\$)\s?(?P<rate2>\d+\.\d+))"
)

PIECES = [" ", "  ", "\t", "\u00a0", "\u2003", "", ",", ".", ")", ":", "-", "^{1}", "^{*2}", "¹", "²³", "loans", "loan",
          "months", "days", "ADSs", "ADR", "times", "basis points", "bps", "financial institutional partners", "stores",
          "branches", "accounts", "users", "Group", "March", "W.", "N ", "24th", "St", "Street", "Ave", "Road", "x", "A",
          "Z", "a", "٣", "7", "2023", "million", "per", "PER", "share", "ADS", "EPS", "eps", "EPſ", "diluted", "basic",
          "common", "ſ", "ı", "İ", "K", "$", ";", "year", "YEAR", "Quarter", "quarter", "period", "half", "months",
          "weeks", "WEEKS", "ended", "Ended", "June", "30", "of", "fiscal", "2024", "1999", "No", "no.", "Form", "#",
          "Act of", "HKEx", "Suite", "Box", "ID", "PIN", "Code", "Room", "Tel", "Exhibit", "item", "foo", "Rule"]


#: Pieces of the phrases _PER_SHARE_BEFORE and _OF_YEAR find, in any case, with letters that fold.
PHRASES = [" ", "  ", "\t", "per ", "PER ", "pEr ", "basic ", "diluted ", "American depositary ", "ordinary ", "common ",
           "share", "ADS", "ADR", "ads", "EPS", "eps", "EPſ", "ſhare", "x", ".", ";", "$", "€", "quarter ", "QUARTER ",
           "period ", "half ", "year ", "Year ", "months ", "monthſ ", "weeks ", "WEEKS ", "of ", "fiscal ", "fıscal ",
           "2023", "1999", "ended ", "ENDED ", "June ", "30, ", "30,", "İ", "K"]


def _texts(count: int, seed: int = 21, pieces=PIECES):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(pieces) for _ in range(rng.randint(0, 9)))


def _first(rest: str):
    """numbers()' first character after a number's spaces, and whether the next one or two tell it
    (rest: the line from the number's end)."""
    after = rest[:1]
    first = after if after != " " else rest[1:2]
    return first, not first.isspace()


def test_first_character_tells_unit_name_and_street():
    for text in _texts(40_000):
        for rest in (text, " " + text, "  " + text):
            first, told = _first(rest)
            if not told:
                continue
            if first not in prose_scan._UNIT_FIRST:
                assert prose_scan._UNIT_AFTER.match(rest) is None, rest
            capital = "A" <= first <= "Z"
            if not capital:
                assert prose_scan._NAME_AFTER.match(rest) is None, rest
            if not (capital or first.isdecimal()):
                assert prose_scan._STREET_AFTER.match(rest) is None, rest
            # placed in a line: the patterns match from the number's end
            line = "Revenue 2023" + rest
            assert (prose_scan._UNIT_AFTER.match(line, 12) is None) == (prose_scan._UNIT_AFTER.match(rest) is None)


def test_unit_first_holds_each_unit():
    for unit in prose_scan._UNITS.split("|"):
        assert unit[0] in prose_scan._UNIT_FIRST
        assert prose_scan._UNIT_AFTER.match(" " + unit.rstrip("?"))


def test_id_end_is_endswith_id_ends():
    for text in _texts(40_000, seed=5):
        for low in (text.lower(), text.lower() + ".", text.lower() + ":", text.lower() + ".:", text.lower() + "#"):
            if low.isascii():
                assert prose_scan._id_end(low) == low.endswith(_ID_ENDS), low
    for end in _ID_ENDS:
        assert prose_scan._id_end("x " + end)


def test_per_share_before_is_the_search():
    for text in [*_texts(20_000, seed=7), *_texts(40_000, seed=8, pieces=PHRASES)]:
        line = text + " $1.05"
        start = len(text) + 1
        expected = prose_scan._PER_SHARE_BEFORE.search(line, max(0, start - 80), start) is not None
        assert prose_scan._per_share_before(line, start) == expected, line


def test_of_year_words_in_every_match():
    for text in [*_texts(20_000, seed=11), *_texts(40_000, seed=12, pieces=PHRASES)]:
        if prose_periods._OF_YEAR.search(text):
            low = prose_periods._lowered(text)
            assert low is None or prose_periods._of_year_words(low), text


RATE_PIECES = ["RMB", "CNY", "HK$", "HK\\$", "US$", "US\\$", "USD", "1", "1.00", "1.0", "6.8676", "7.2", "12", " ", "  ",
               "\t", "to", " to ", "=", " = ", "x", ".", "0", "R", "U", "H", "$", "\\", "MB"]


def _rate_texts(count: int):
    """Texts with a rate's parts in either order, some spaces and letters changed, amid other pieces."""
    rng = random.Random(17)
    pick = rng.choice
    for _ in range(count):
        source = pick(["RMB", "CNY", "HK$", "HK\\$", "RM", "HK"]) + pick(["", " ", "  "]) + pick(["6.8676", "7.2", "7", "7."])
        target = pick(["US$", "US\\$", "USD", "US"]) + pick(["", " ", "\t", "  "]) + pick(["1", "1.00", "1.0", "10", "1x", "1.05"])
        if rng.random() < 0.5:
            rate = source + pick([" to ", "  to  ", " to", "to "]) + target
        else:
            rate = target + pick([" = ", "=", " to ", "to", " - "]) + source
        yield "".join(pick(RATE_PIECES) for _ in range(rng.randint(0, 4))) + rate + "".join(
            pick(RATE_PIECES) for _ in range(rng.randint(0, 4)))


def test_rate_match_is_the_rate_search():
    from audit.read import prose
    found = 0
    for text in [*_texts(20_000, seed=13, pieces=RATE_PIECES), *_rate_texts(40_000)]:
        expected, got = _RATE.search(text), prose.rate_match(text)
        assert (expected is None) == (got is None), text
        if expected is not None:
            found += 1
            assert got.span() == expected.span(), text
            assert (got["rate"], got["from"], got["to"]) == (
                expected["rate"] or expected["rate2"], expected["from"] or expected["from2"], expected["to"] or expected["to2"])
    assert found > 1_500
