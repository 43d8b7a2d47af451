"""Spans of a prose line that hold digits but no figure: URLs, e-mail addresses, footnote markers,
dates, times, telephone numbers, note markers, page and section numbers, "RMB'000", "iPhone 17".

``spans(line)`` is ``NOT_FIGURES.finditer(line)``'s spans, found with less work: only the parts a
line can match are searched, the parts anchored at the line's start only there."""
from __future__ import annotations

import re
from bisect import bisect_left

from .filing import MONTH
from .marks import DIGITS

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPTS}]+")

#: Spans that hold digits but no figure: (pattern, text a line must contain for the pattern to
#: match, characters a match can start with; None: no such constraint).
PARTS = (
    (r"<?https?://[^\s>)]+>?", "://", "<h"),                                 # URLs
    (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", "@", None),                             # e-mail addresses
    (r"\^\{" + DIGITS + r"\}", "^{", "\\^"),                                    # footnote markers ^{*1}, ^{1,2}
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
_SPACES_DIGIT = re.compile(r"\s+\d")
#: Letters that case-insensitive matching takes for an ASCII letter of a month's name (ſ for s, ı
#: and İ for i), which str.lower() does not.
_FOLDED = ("\u017f", "\u0131", "\u0130")


def _odd_case_month(line: str) -> bool:
    """Does a month's name appear in other than its capitalised spelling ("JUNE", "june") before
    spaces and a digit (where _MONTH_DIGIT finds it)?"""
    if not line.isascii() and any(c in line for c in _FOLDED):
        return True
    low = line.lower()  # as long as the line: İ, the one letter whose lower case is longer, is in _FOLDED
    for name, proper in zip(_LOWER_MONTHS, _MONTH_NAMES):
        k = low.find(name)  # (no month's name holds another's: _MONTH_DIGIT finds each of these)
        while k >= 0:
            if not line.startswith(proper, k) and _SPACES_DIGIT.match(low, k + len(name)):
                return True
            k = low.find(name, k + 1)
    return False


def _not_figures_for(key: tuple[bool, ...]) -> tuple[re.Pattern, re.Pattern]:
    kept = [(k, part) for k, (part, keep) in enumerate(zip(PARTS, key)) if keep]
    return _alternation([part for _, part in kept]), _alternation([part for k, part in kept if k not in _ANCHORED])


def _alternation(parts) -> re.Pattern:
    if not parts:
        return re.compile(r"(?!)")
    starts = [first for _, _, first in parts]
    ahead = "" if None in starts else "(?=[" + "".join(starts) + "])"
    return re.compile(ahead + "(?:" + "|".join(pattern for pattern, _, _ in parts) + ")")


def _patterns(line: str) -> tuple[re.Pattern, re.Pattern]:
    """The alternations of the parts the line can match: (for position 0, for the rest)."""
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
    return patterns


def spans(line: str) -> list[tuple[int, int]]:
    """The spans of NOT_FIGURES in the line (its finditer), found with less work."""
    patterns = _patterns(line)
    first = patterns[0].match(line)  # the anchored parts can match only here
    spans = [first.span()] if first else []
    spans.extend(m.span() for m in patterns[1].finditer(line, first.end() if first else 1))
    return spans


#: Characters no span holds but those ``anywhere`` looks for (the others hold only letters, digits,
#: spaces, superscripts and "^{}*,:-()."): none reaches over one, so the spans after one are those a
#: scan started right after it finds.
_BARRIER = re.compile(r"[^\w\s^{}*,:\-().]")


class Spans:
    """The spans of a line where ``anywhere`` finds nothing, looked at where a number is: only
    from the last _BARRIER character before it (a scan of the whole line finds the same there)."""

    __slots__ = ("line", "patterns", "barriers", "pos", "found", "more")

    def __init__(self, line: str):
        self.line, self.patterns, self.barriers, self.pos, self.found, self.more = line, None, None, -1, [], None

    def cover(self, start: int, end: int) -> bool:
        """Does a span of NOT_FIGURES.finditer(line) overlap line[start:end]? (Asked of numbers in
        the order of the line.)"""
        line = self.line
        if self.patterns is None:
            self.patterns = _patterns(line)
            self.barriers = [m.start() for m in _BARRIER.finditer(line)]
        k = bisect_left(self.barriers, start)
        pos = self.barriers[k - 1] + 1 if k else 0
        if pos != self.pos:  # a scan from there (the one before, from an earlier place, goes on)
            self.pos, self.found = pos, []
            if pos == 0:
                first = self.patterns[0].match(line)  # the anchored parts can match only here
                if first:
                    self.found.append(first.span())
                pos = first.end() if first else 1
            self.more = self.patterns[1].finditer(line, pos)
        for at, to in self.found:
            if at >= end:
                return False
            if start < to:
                return True
        for match in self.more:
            at, to = match.span()
            self.found.append((at, to))
            if at >= end:
                return False
            if start < to:
                return True
        return False


#: Parts a number can fall in wherever the line holds them: URLs, e-mail addresses, "1 p.m.", "+1 650
#: 607 0349", "RMB'000" (a line that holds one has its spans found before any number is read).
_AM_PM = re.compile(r"[ap]\.m\.")
_PLUS_DIGIT = re.compile(r"\+\d")
_CAMEL = re.compile(r"[a-z][A-Z]")
_ASCII_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def anywhere(line: str) -> bool:
    """May a URL, an e-mail address, a time "1 p.m.", an international telephone number or "RMB'000"
    fall on a number of the line?"""
    # (a text of one character is looked for much faster than one of more: it goes first)
    return ("/" in line and "://" in line or "@" in line or ".m." in line and _AM_PM.search(line) is not None
            or "+" in line and _PLUS_DIGIT.search(line) is not None
            or "'" in line and "'000" in line or "’" in line and "’000" in line)


def footnote(line: str, start: int, end: int) -> bool:
    """Are the digits line[start:end] those of a footnote marker "^{*12}" (in a line where no
    URL, the only other span that can hold its "^{", may fall on it)?"""
    return line[end:end + 1] == "}" and start >= 2 and (
        line[start - 2:start] == "^{" or line[start - 3:start] == "^{*") and line[start:end].isdecimal()


def near(line: str, start: int, end: int) -> bool:
    """Can a span of ``spans(line)`` overlap the digits line[start:end] of a number prose reads (no
    letter or digit right before it, none right after), other than the spans ``anywhere`` and
    ``footnote`` look for? True for every number such a span overlaps (False for most that none
    does): a note marker "(1)", a time "8:30", a telephone number "555-1234", a number opening the
    line (page and section numbers, a leading marker), a date's day or year ("June 30, 2025",
    "JUNE 30", "Jan. 25"), a model number "iPhone 17"."""
    if start == 0:
        return True
    before = line[start - 1]
    if before in "(:-," or line[end:end + 1] in (":", "-"):
        return True
    if not before.isspace():
        return False
    k = start - 2
    while k >= 0 and line[k].isspace():
        k -= 1
    if k < 0:
        return True  # only spaces before it: the line opens with it
    last = line[k]
    if last in ".,)":
        return True  # "Jan. 25", "June 30, 2025", "(212) 555-1234"
    if not last.isalpha():
        return False
    word = line[max(0, k - 8):k + 1]  # a month's name ends here, in any case ("JUNE 30")
    if word.lower().endswith(_LOWER_MONTHS) or not word.isascii() and any(c in word for c in _FOLDED):
        return True
    if k != start - 2 or before != " ":
        return False
    # "iPhone 17": letters with a capital after a small one, one space before the number
    head = line[max(0, k - 31):k + 1]
    letters = head[len(head.rstrip(_ASCII_LETTERS)):]  # the ASCII letters before the space
    if len(letters) < len(head) or k < 32:
        return not letters.islower() and _CAMEL.search(letters) is not None
    first = k - 31  # (more letters than the head holds)
    while first > 0 and line[first - 1].isascii() and line[first - 1].isalpha():
        first -= 1
    return _CAMEL.search(line, first, k + 1) is not None
