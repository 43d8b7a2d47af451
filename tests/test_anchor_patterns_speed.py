"""A /pattern/ anchor's matches found from the places of a text every match holds (anchor_packs.
pattern_matches) are regex.finditer's: on random texts for patterns of every shape (look-arounds,
groups and classes before the text, repeats, case folded), and for every pattern of the XPeng, Buckle
and seed packs on the prose of their filings, from the start and from places inside."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from audit.check.anchor_packs import _literal, pattern_matches
from audit.check.anchors import ProseIndex
from audit.lang import nodes as n
from audit.lang.graph import load
from audit.read.extract import extract

ROOT = Path(__file__).resolve().parent.parent
FILINGS = ROOT.parent / "shared" / "filings"

_SHAPES = [r"(?<!no )abcabc a(?=b)", r"[Nn]abcabc(, c[^.]*?,)? b (?=\S+ a)", r"an? (ab|ba) abcabc", r"\((?=a\$)abcabc",
           r"x[ab]{0,3}abcabc", r"(?<=a)abcabc", r"\babcabc", r"a(b|cc)abcabc", r"(?i)abcabc", r".a.abcabc",
           r"abcabc\nc", r"abcabc", r"a+abcabc", r"(a|b)abcabc", r"^abcabc", r"(?m)^abcabc$", r"\Aabcabc",
           r"(?s).abcabc", r"x{2,9}abcabc", r"(?:a)?abcabc", r"(?<!a)abcabc", r"abcabc\b", r"c?abcabc[ab]?",
           r"\w{1,4}abcabcabc", r"(?<=\n)abcabc", r"ab"]
_TOKENS = ["abcabc", "abcab", "cabc", "a", "b", "c", " ", "\n", "(", "x", "N", "$", ".", ","]


def test_shapes_on_random_texts():
    rng = random.Random(21)
    fast = 0
    for source in _SHAPES:
        regex = re.compile(source)
        fast += _literal(regex) is not None
        for _ in range(2000):
            doc = "".join(rng.choice(_TOKENS) for _ in range(rng.randint(0, 30)))
            pos = rng.randint(0, len(doc))
            assert [m.span() for m in pattern_matches(regex, doc, pos)] == \
                [m.span() for m in regex.finditer(doc, pos)], (source, doc, pos)
    assert fast >= 20


def test_literal_shapes():
    assert _literal(re.compile(r"(?<!non-GAAP )basic and (?=x)")) == ("basic and ", 0, 0)
    assert _literal(re.compile(r"[Nn]on-GAAP net(, y)? was")) == ("on-GAAP net", 1, 1)
    assert _literal(re.compile(r"an? (a|b) of")) is None  # (" of": too short)
    assert _literal(re.compile(r"(?i)abc")) is None
    assert _literal(re.compile(r"a+bcd")) is None  # (its start is not within 8 characters of the text's)


def _patterns(node, out: dict, seen: set) -> None:
    if isinstance(node, n.Pattern):
        out[(node.source, node.flags)] = node
    elif isinstance(node, (list, tuple)):
        for item in node:
            _patterns(item, out, seen)
    elif hasattr(node, "__dataclass_fields__") and id(node) not in seen:
        seen.add(id(node))
        for name in node.__dataclass_fields__:
            _patterns(getattr(node, name), out, seen)


@pytest.mark.parametrize("name, pack", [
    ("xpeng-6k-2024q4-ex99-1-d829413dex991.htm", "xpeng"),
    ("xpeng-6k-2025q1-ex99-1-d13244dex991.htm", "xpeng"),
    ("xpeng-6k-2025q2-ex99-2-d59478dex992.htm", "xpeng"),
    ("xpeng-6k-2025q4-ex99-1-d270013dex991.htm", "xpeng"),
    ("buckle-8k-ex99-1-2024-11-22.htm", "buckle"),
    ("", "qfin"),
])
def test_pack_patterns_on_real_prose(name, pack):
    path = FILINGS / name if name else ROOT / "fixtures" / "qfin-2023q1-6k.txt"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    ruleset = load([str(ROOT / "rules" / pack)])
    doc = ProseIndex(extract(path.read_text(encoding="utf-8"), str(path)), ruleset.anchor_texts()).doc
    found: dict = {}
    _patterns([list(ruleset.rules), list(ruleset.lets.values())], found, set())
    assert found or pack == "qfin"
    hits = 0
    for pattern in found.values():
        regex = pattern.regex()
        for pos in (0, 1, len(doc) // 3, len(doc) // 2):
            expected = [m.span() for m in regex.finditer(doc, pos)]
            assert [m.span() for m in pattern_matches(regex, doc, pos)] == expected, pattern.source
            hits += len(expected)
    assert hits or pack != "xpeng"
