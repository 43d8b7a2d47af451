"""Unit notes: which lines state a table's scale and currency ("(In millions, except per share
data)", "(Millions of dollars)", "(in RMB billions, except for percentage)", "RMB'000", "$ in
thousands"), the scale of amounts they give, and the scale of share counts ("except number of
shares, which are reflected in thousands")."""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

_SCALES = {"thousand": 3, "million": 6, "billion": 9}
_WORD = r"(thousand|million|billion)s?"
#: A scale stated for the table: "in millions", "(Millions of dollars)", "Dollars in millions",
#: "$ in thousands", "in RMB billions", "RMB in billion", "RMB'000", "in thousands of Renminbi".
_SCALE = re.compile(
    rf"\bin\s+(?:(?:RMB|US\$|HK\$|USD|U\.S\.|\$)\s*)?{_WORD}\b"
    rf"|(?:^|[(;])\s*(?:amounts\s+)?{_WORD}\s+of\b"
    rf"|(?:^|[(;])\s*{_WORD}\s*(?:\)|,\s*except\b|$)"
    r"|(?:RMB|US\$|HK\$|\$|USD)\s*['’‘]?(000)\b(?!,)",
    re.IGNORECASE)
#: The opening of a line that is a unit note, not a title, a row or prose.
_NOTE_START = re.compile(
    r"^\W*(?:\(|(?:all\s+)?amounts\b|(?:expressed|presented|stated)\s+in\b|in\s+(?:thousands|millions|billions)\b"
    rf"|(?:RMB|US\$|HK\$|USD|\$|dollars|U\.S\.\s+dollars)\s+in\b|{_WORD}\b|except\b|unaudited\W*$|(?:RMB|US\$|HK\$|\$)\s*['’‘]000)",
    re.IGNORECASE)
#: Words that make a parenthesised line a unit note rather than a footnote or a row.
_NOTE_WORDS = re.compile(
    rf"\b{_WORD}\b|['’‘]000\b|\bunaudited\b|\baudited\b|\bcontinued\b|\bexcept\b|\bexpressed\b|\$000|\bomitted\b"
    r"|\b(?:amounts|dollars|renminbi|RMB|US\$|USD)\b", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^\s*(?:\(\s*(?:\d{1,2}|[a-z]|[ivx]{1,4})\s*\)|\*+|\^\{|[¹²³⁴⁵⁶⁷⁸⁹])\s*\S", re.IGNORECASE)


def is_unit_note(text: str) -> bool:
    """Does this line (above a table, or a row of it) say the table's unit or scale?

    A footnote ("(1) Net sales by segment") or a row is never one: a note opens as a note does
    ("(", "Amounts in", "In millions", "$ in thousands", "RMB'000") and names a scale, a currency
    or the audit status, and is short.
    """
    text = text.strip()
    if not text or len(text) > 240 or _FOOTNOTE.match(text):
        return False
    if not _NOTE_START.match(text):
        return False
    if text.startswith("(") and not _NOTE_WORDS.search(text):
        return False
    return True


def heading_scale(headers: list[str]) -> int:
    """The scale the column headings give ("RMB'000", "RMB in billion" under each date; a rate
    column beside them names none), or 0 when they give none or several."""
    scales = {note_scale(h) for h in headers if h.strip()} - {0}
    return scales.pop() if len(scales) == 1 else 0


_HK_DOLLAR = re.compile(r"\bHK\$")
#: Each currency, the words one of which a note that names it holds (in lower case, for ASCII text),
#: and its pattern.
_CURRENCY_WORDS = (("USD", ("$", "usd", "dollar"),
                    re.compile(r"\bUS\$|\bUSD\b|\bU\.S\. dollars?\b|\$|\bdollars?\b", re.IGNORECASE)),
                   ("RMB", ("rmb", "renminbi", "cny"), re.compile(r"\bRMB|\bRenminbi\b|\bCNY\b", re.IGNORECASE)),
                   ("HKD", ("hk$", "hkd"), re.compile(r"\bHK\$|\bHKD\b", re.IGNORECASE)),
                   ("EUR", ("eur",), re.compile(r"€|\bEUR\b|\beuros?\b", re.IGNORECASE)))


def note_currency(note: str):
    """The one currency a unit note names ("(in RMB billions)", "(Millions of dollars)"), or None
    when it names none or several (RMB and U.S. dollars)."""
    if "HK$" in note:
        note = _HK_DOLLAR.sub("HKD", note)
    low = note.lower() if note.isascii() else None  # (ASCII: a pattern matches only where its words are)
    named = [code for code, words, pattern in _CURRENCY_WORDS
             if (low is None or any(word in low for word in words)) and pattern.search(note)]
    return named[0] if len(named) == 1 else None


_MEASURE = re.compile(rf"\b{_WORD}\s+of\s+([A-Za-z][\w./-]*)", re.IGNORECASE)
_MONEY = re.compile(r"^(?:dollars?|U\.?S\.?|US|renminbi|RMB|yuan|euros?|pounds?|yen|HK|Hong|currency)$", re.IGNORECASE)


def note_measure(note: str) -> str:
    """The unit of things measured a note names ("(In Millions of KWHs)" -> "KWH"), not money; or ""."""
    match = _MEASURE.search(note)
    if not match or _MONEY.match(match.group(2)):
        return ""
    word = match.group(2)
    return word[:-1] if len(word) > 2 and word.endswith("s") and word[:-1].isupper() else word


def note_scale(note: str) -> int:
    """The power of ten a unit note scales amounts by: 3, 6, 9, or 0 when it names none."""
    match = _SCALE.search(note)
    if not match:
        return 0
    word = next((g for g in match.groups() if g), "")
    return 3 if word == "000" else _SCALES[word.lower()]


_EXCEPT = re.compile(r"\bexcept\b(.*)", re.IGNORECASE | re.DOTALL)
_SHARE_COUNTS = re.compile(r"(?<!per )(?<!per-)\bshares?\b", re.IGNORECASE)
_PER_SHARE = re.compile(r"\bper[- ]share\b", re.IGNORECASE)
#: "number of shares, which are reflected in thousands": the shares' own scale.
_SHARES_IN = re.compile(rf"\bshares?\b[^.;]*?\b(?:reflected|stated|presented|shown|expressed)?\s*in\s+{_WORD}",
                        re.IGNORECASE)


def shares_scale(unit_note: str, scale: int) -> int:
    """The scale of a table's share counts under its unit note.

    A note that gives the shares a scale of their own ("except number of shares, which are
    reflected in thousands") is followed; share counts are otherwise in the note's scale when it
    excepts per-share amounts only ("in thousands except per share amounts"), as printed when it
    excepts them ("except share and per share amounts", "except for number of shares") or says
    nothing of them (but see silent_on_shares).
    """
    own = _own_shares_scale(unit_note)
    return scale if own is None else own


def _own_shares_scale(unit_note: str) -> Optional[int]:
    """shares_scale, None where it is the scale of the table's amounts."""
    match = _EXCEPT.search(unit_note)
    if not match:
        return 0
    own = _SHARES_IN.search(match.group(1))
    if own:
        return _SCALES[own.group(1).lower()]
    if _SHARE_COUNTS.search(match.group(1)) or not _PER_SHARE.search(match.group(1)):
        return 0
    return None


def silent_on_shares(unit_note: str) -> bool:
    """Does a scaled unit note say nothing of share counts ("(millions)")? A share count printed
    with decimals under it ("217.1") is then in the note's scale: no count of shares has tenths."""
    return bool(note_scale(unit_note)) and not _EXCEPT.search(unit_note) and not _SHARES_IN.search(unit_note)


class Note(NamedTuple):
    """What a unit note says: its note_scale, note_currency, note_measure and silent_on_shares, and
    the scale of share counts it gives (shares_scale; None: the scale of the table's amounts)."""

    scale: int
    currency: Optional[str]
    measure: str
    silent: bool
    shares: Optional[int]

    def shares_scale(self, scale: int) -> int:
        return scale if self.shares is None else self.shares


class Notes(dict):
    """The Note of each unit note asked for (``notes[text]``), read when first asked: a filing's
    tables often share one. Made anew for every document read."""

    __slots__ = ()

    def __missing__(self, note: str) -> Note:
        found = self[note] = Note(note_scale(note), note_currency(note), note_measure(note), silent_on_shares(note),
                                  _own_shares_scale(note))
        return found


#: Share-count rows: "Weighted average shares ...", "Average shares outstanding", "Number of ADSs",
#: "Shares used in computing earnings per share", "Common shares outstanding" (the word a count is
#: in is group 1).
SHARES_ROW = re.compile(
    r"^(?:(?:basic|diluted) )?(?:(?:(?:weighted[- ])?average|number of)\b.*?|(?:(?:common|ordinary|class [a-z]) )?"
    r"(?=(?:shares|ADSs?|ADRs?) (?:used|outstanding)\b))\b(shares|ADSs?|ADRs?)\b", re.IGNORECASE)
_LABEL_SCALE = re.compile(rf"\(\s*(?:in\s+)?{_WORD}\s*(?:of\s+\w+\s*)?\)\s*:?\s*$", re.IGNORECASE)


def label_scale(label: str):
    """The scale a row's label gives its own figures ("Shares outstanding (in millions)"), or None."""
    match = _LABEL_SCALE.search(label)
    return _SCALES[match.group(1).lower()] if match else None
