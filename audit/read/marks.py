"""The footnote markers the readers write and read: "^{1}" and "^{*1}" (a number, as the text
layout prints it and as html_text writes a superscript "1"), "^{1,2}" (a superscript "1, 2"), and "^{i}", "^{a}", "^{*}", "^{†}",
"^{ii,iii}" (letters, roman numerals or symbols: how html_text writes such a superscript, the
digit-free marks html_text._SUP_MARK accepts, without their brackets and spaces). A marker is no
part of a word, a phrase, an anchor's text or a figure: its readers (prose_line, prose_scan,
html_tables, html_headings, check.prose_text) drop or skip it whole."""
from __future__ import annotations

#: The numbers of a marker, without the text layout's "*": "1", "1,2" (a superscript "1, 2").
NUMBERS = r"\d+(?:,\d+)*"
#: The number(s) of a marker: "1", "*1" (as the text layout prints it), "1,2".
DIGITS = r"\*?" + NUMBERS
#: The number(s) html_text writes for a superscript: up to three digits each.
SUPERSCRIPT_DIGITS = r"\*?\d{1,3}(?:,\d{1,3})*"
#: The marks of a digit-free marker: "i", "a", "*", "†", "ii,iii".
LETTERS = r"(?:\*{1,3}|[†‡§¶#]{1,2}|[A-Za-z]|[ivx]{2,5}|[IVX]{2,5})(?:,(?:[A-Za-z]|[ivx]{2,5}|[IVX]{2,5}))*"


def marker(digits: str = DIGITS) -> str:
    """The pattern of a whole marker "^{...}" whose number is ``digits`` (a pattern) or whose marks are
    LETTERS."""
    return r"\^\{(?:" + digits + "|" + LETTERS + r")\}"
