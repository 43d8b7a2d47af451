"""Prose normalisation for anchor search: the text a reader sees, mapped back to the original."""
from __future__ import annotations

import re
from bisect import bisect_left

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.check.anchors import normalise

_DROP = re.compile(r"\^\{\*?\d+\}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\*\*|\\(?=\$)")
_PLAIN = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})


def reference(text: str) -> tuple[str, list[int]]:
    """A slow, obvious version: character by character, with each kept character's origin."""
    chars, where = [], []
    drops = [m.span() for m in _DROP.finditer(text)]
    i = 0
    while i < len(text):
        span = next((d for d in drops if d[0] == i), None)
        if span:
            i = span[1]
            continue
        ch = text[i]
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                where.append(i)
        else:
            chars.append(ch)
            where.append(i)
        i += 1
    return "".join(chars).translate(_PLAIN), where


alphabet = st.sampled_from(list("ab 1,.\t$\\*^{}“”–") + ["^{*3}", "**", "¹⁰", "  ", "US\\$"])


@settings(max_examples=400)
@given(st.lists(alphabet, max_size=30).map("".join))
def test_matches_the_reference_and_maps_positions_back(text):
    got, offsets = normalise(text)
    want, where = reference(text)
    assert got == want
    for original in range(len(text) + 1):
        assert offsets.to_norm(original) == bisect_left(where, original)


def test_fixture_sentence():
    text = "Non-GAAP^{*10} income from operations was **RMB1,053.5 million** (US\\$153.4 million)"
    got, offsets = normalise(text)
    assert got == "Non-GAAP income from operations was RMB1,053.5 million (US$153.4 million)"
    assert got[offsets.to_norm(text.index("RMB")):].startswith("RMB1,053.5")
