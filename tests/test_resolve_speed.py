"""resolve.norm takes an ASCII label that ends in no colon nor footnote marker the short way (its words
joined by one space, in lower case): the same label as the general normalisation; and the fast paths of
find_rows and find_column answer as the general ones do."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.check import resolve
from audit.read.numbers import plain_text

TOKENS = ["Revenue", "net", "TOTAL", "Other, net", " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f",
          ":", "*", "**", "(A)", "(a)", "(1)", "(12)", "(123)", ")", "(", "\u00b9", "\u2070", "\u2020", "\u2021",
          "\u00a0", "\u2014", "\u2019", "\u201c", "\u212a", "\u00df", "\u0130", "x", "1", "-", "'", "\x85", "\u3000"]
text = st.lists(st.sampled_from(TOKENS), max_size=10).map("".join)


def norm_reference(text: str) -> str:
    text = re.sub(r"\s+", " ", plain_text(text)).strip()
    text = text.rstrip(":").strip()
    text = resolve._MARKERS.sub("", text) or text
    return text.rstrip(":").strip().casefold()


@settings(max_examples=3000, deadline=None)
@given(label=text)
def test_norm_is_the_general_normalisation(label):
    assert resolve.norm.__wrapped__(label) == norm_reference(label), repr(label)


def test_norm_of_every_ascii_character():
    for code in range(128):
        for label in (chr(code), f"A{chr(code)}", f"a {chr(code)}b", f"Total{chr(code)}{chr(code)}"):
            assert resolve.norm.__wrapped__(label) == norm_reference(label), repr(label)
