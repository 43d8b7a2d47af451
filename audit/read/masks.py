"""Spans of a prose line that hold digits but no figure: URLs, e-mail addresses, footnote markers,
dates, times, telephone numbers, note markers, page and section numbers, "RMB'000", "iPhone 17".

``spans(line)`` is ``NOT_FIGURES.finditer(line)``'s spans, found with less work: only the parts a
line can match are searched, the parts anchored at the line's start only there."""
from __future__ import annotations

import re

from .filing import MONTH

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPTS}]+")

#: Spans that hold digits but no figure: (pattern, text a line must contain for the pattern to
#: match, characters a match can start with; None: no such constraint).
PARTS = (
    (r"<?https?://[^\s>)]+>?", "://", "<h"),                                 # URLs
    (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", "@", None),                             # e-mail addresses
    (r"\^\{\*?\d+\}", "^{", "\\^"),                                            # footnote markers ^{*1}
    (f"[{SUPERSCRIPTS}]+", None, SUPERSCRIPTS),                                # superscript markers
    (rf"{MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?", None, "JFMASOND"),              # dates
    (rf"{MONTH}\s+\d{{4}}", None, "JFMASOND"),
    (r"\b\d{1,2}:\d{2}(?:\s*[AP]M)?", ":", "\\d"),                              # times
    (r"\+?\d{1,3}-\d{2,4}-\d{3,4}(?:-\d{3,4})?", "-", "+\\d"),                   # phone numbers
    (r"\(\d{3}\)\s*\d{3}-\d{4}", "(", "("),
    (r"(?<![\w$])\(\d{1,2}\)(?![\d,.%])", "(", "("),                       # note markers (1)
    (r"^\s*\d{1,3}\s*$", None, "\\s\\d"),                                  # page numbers
    (rf"(?i:{MONTH})\s+\d{{1,2}}(?:,\s*\d{{4}})?", None, "JFMASONDjfmasond"),   # JUNE 26, 2025
    (r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.\s+\d{1,2}(?:,\s*\d{4})?", ".", "JFMASOND"),  # Jan. 25
    (r"\b\d{1,2}(?::\d{2})?\s*[ap]\.m\.", "m.", "\\d"),                       # 1 p.m.
    (r"\+\d{1,3}[\s.-]\(?\d{1,4}\)?[\s.-]\d{2,4}[\s.-]?\d{2,4}(?:[\s.-]\d{2,4})?", "+", "+"),  # +1 650 607 0349
    (r"(?:RMB|US\$|HK\$|\$)\s*['’]000\b", "000", "RUH$"),                     # RMB'000 (a unit)
    (r"^\s*\d{1,2}(?:\.\d{1,2})*\.?(?=\s+[A-Z(])", None, "\\s\\d"),           # section numbers: "6. Accounts"
    (r"\b[a-z]{1,3}[A-Z][A-Za-z]* \d{1,3}\b(?![,.%]\d)", None, "abcdefghijklmnopqrstuvwxyz"),  # iPhone 17
)
NOT_FIGURES = re.compile("|".join(pattern for pattern, _, _ in PARTS))
#: The same alternation without the parts a line cannot match, behind a look-ahead for the
#: characters a match can start with (scanning every position with the full alternation is
#: slow on long lines), keyed by which parts are kept: (the parts, for position 0; the parts but
#: those anchored at the line's start, for the rest). Same matches as NOT_FIGURES, less work.
_FOR: dict[tuple[bool, ...], tuple[re.Pattern, re.Pattern]] = {}
_NEEDS = tuple(need or "" for _, need, _ in PARTS)  # ("" is in every line)
_ANCHORED = frozenset(k for k, (pattern, _, _) in enumerate(PARTS) if pattern.startswith("^"))


def _part(opening: str) -> int:
    return next(k for k, (pattern, _, _) in enumerate(PARTS) if pattern.startswith(opening))


#: Parts that can start at a digit or a lower-case letter (a scan tries them at every one), kept by a
#: finer test than a substring, which every match of the part passes: a time holds a digit, a
#: colon and a digit; "iPhone 17" a lower-case letter before a capital; ...
_FINER = tuple((_part(opening), re.compile(test)) for opening, test in (
    (r"\b\d{1,2}:", r":(?<=\d:)\d"),
    (r"\+?\d{1,3}-", r"-(?<=\d-)\d"),
    (r"\b\d{1,2}(?::\d{2})?\s*[ap]", r"[ap]\.m\."),
    (r"\b[a-z]{1,3}[A-Z]", r"[A-Z](?<=[a-z][A-Z])"),
))
#: "JUNE 26" wins only where a month's name is not written as the case-sensitive date part has it.
_ANY_CASE_MONTH = _part("(?i:")
_SUPERSCRIPT_PART = _part("[⁰")
_MONTH_NAMES = tuple(MONTH[3:-1].split("|"))
_LOWER_MONTHS = tuple(name.lower() for name in _MONTH_NAMES)
_MONTH_DIGIT = re.compile("(" + "|".join(_LOWER_MONTHS) + r")\s+\d")
#: Letters that case-insensitive matching takes for an ASCII letter of a month's name (ſ for s, ı
#: and İ for i), which str.lower() does not.
_FOLDED = ("\u017f", "\u0131", "\u0130")


def _odd_case_month(line: str) -> bool:
    """Does a month's name appear in other than its capitalised spelling ("JUNE", "june")?"""
    if not line.isascii() and any(c in line for c in _FOLDED):
        return True
    low = line.lower()  # as long as the line: İ, the one letter whose lower case is longer, is in _FOLDED
    if not any(name in low for name in _LOWER_MONTHS):
        return False
    return any(not line.startswith(_MONTH_NAMES[_LOWER_MONTHS.index(m.group(1))], m.start())
               for m in _MONTH_DIGIT.finditer(low))


def _not_figures_for(key: tuple[bool, ...]) -> tuple[re.Pattern, re.Pattern]:
    kept = [(k, part) for k, (part, keep) in enumerate(zip(PARTS, key)) if keep]
    return _alternation([part for _, part in kept]), _alternation([part for k, part in kept if k not in _ANCHORED])


def _alternation(parts) -> re.Pattern:
    if not parts:
        return re.compile(r"(?!)")
    starts = [first for _, _, first in parts]
    ahead = "" if None in starts else "(?=[" + "".join(starts) + "])"
    return re.compile(ahead + "(?:" + "|".join(pattern for pattern, _, _ in parts) + ")")


def spans(line: str) -> list[tuple[int, int]]:
    """The spans of NOT_FIGURES in the line (its finditer), found with less work."""
    kept = list(map(line.__contains__, _NEEDS))
    for k, test in _FINER:
        if kept[k]:
            kept[k] = test.search(line) is not None
    kept[_SUPERSCRIPT_PART] = not line.isascii() and _SUPERSCRIPT_RUN.search(line) is not None
    kept[_ANY_CASE_MONTH] = _odd_case_month(line)
    key = tuple(kept)
    patterns = _FOR.get(key)
    if patterns is None:
        patterns = _FOR[key] = _not_figures_for(key)
    first = patterns[0].match(line)  # the anchored parts can match only here
    spans = [first.span()] if first else []
    spans.extend(m.span() for m in patterns[1].finditer(line, first.end() if first else 1))
    return spans
