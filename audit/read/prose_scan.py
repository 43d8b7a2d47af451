"""The numbers of a prose line that are figures, each with its value, unit, kind and scale.

Footnote markers, dates, years, times, phone and file numbers, addresses, URLs and names such as
'360 Group' are not figures and are skipped. One scan of the line finds every number; the spans
that hold no figure (masks.spans) are found only for a line where one may fall on a number.
"""
from __future__ import annotations

import re
from decimal import Decimal

from . import masks
from .filing import MONTH
from .marks import marker
from .numbers import MAX_DIGITS, SCALE_WORDS, currency_code, too_long
from .prose_periods import sentence_head

_NUMBER = re.compile(
    r"""(?=[RUH$\-\u2212\d(])  # where a figure can start: lets the scan skip other text fast
    (?:(?P<cur>RMB|US\\?\$|HK\\?\$|USD|\$)[ ]?)?(?P<open>\()?(?P<sign>[-\u2212])?
    (?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?(open)\))
    (?P<pct>[ ]?%|[ ]percent(?:age[ ]points?)?\b|[ ]per[ ]cent\b|[ ]p?pts?\b)?
    (?:[ ](?P<scale>(?i:thousand|million|billion|trillion))s?\b)?""",
    re.VERBOSE,
)
#: _NUMBER's matches, found faster: a pattern opening with a character class lets the scan skip to
#: where one may start (a look-ahead first does not). The class holds every character a match can open
#: with (and every other from U+0660 on, where \d's other digits are; _NUMBER's own parts, in the
#: look-behind, test them); the look-behind reads the groups, _REST takes the rest of _NUMBER's prefix.
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_OPENS = r"[RUH$(\-0-9\u0660-\U0010ffff]"
_REST = (r"(?:(?:(?<=R)MB|(?<=U)S(?:\\?\$|D)|(?<=H)K\\?\$|(?<=\$))[ ]?(?:\([-\u2212]?<N>\)|[-\u2212]?<N>)"
         r"|(?<=\()[-\u2212]?<N>\)|(?<=[-\u2212])<N>|(?<=\d)(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?)").replace("<N>", _NUM)
_SCAN = re.compile(
    _OPENS + r"(?<=(?=(?:(?P<cur>RMB|US\\?\$|HK\\?\$|USD|\$)[ ]?)?(?P<open>\()?(?P<sign>[-\u2212])?(?P<num>" + _NUM + "))"
    + _OPENS + ")" + _REST + r"(?P<pct>[ ]?%|[ ]percent(?:age[ ]points?)?\b|[ ]per[ ]cent\b|[ ]p?pts?\b)?"
    r"(?:[ ](?P<scale>(?i:thousand|million|billion|trillion))s?\b)?")
#: Words after which a number is an identifier, not a figure.
_ID_WORDS = ("No", "Number", "Form", "Rule", "Exhibit", "Section", "Act of", "HKEx", "NASDAQ", "NYSE", "Item", "Room",
             "Suite", "Floor", "Box", "Tel", "Phone", "Fax", "ID", "PIN", "Code")
_ID_BEFORE = re.compile(r"(?:\b(?:" + "|".join(_ID_WORDS) + r")\.?:?|#)\s*$", re.IGNORECASE)
#: How an _ID_BEFORE match ends, before its spaces and an ending ('.', ':', '.:'), in lower case (in ASCII
#: text): the words (each ends with a letter), and their last letters (see _id_end).
_ID_LOWER = tuple(w.lower() for w in _ID_WORDS)
_ID_LAST = frozenset(w[-1] for w in _ID_LOWER)
_UNITS = (r"loans?|months?|days?|years?|weeks?|hours?|minutes?|consumers?|users?|borrowers?|customers?|partners?|"
          r"institutions?|employees?|shares?|ADSs?|ADRs?|times|basis points|bps|financial institutional partners|stores?|"
          r"branches|accounts?")
_UNIT_AFTER = re.compile(r"\s*(?:" + marker() + r"|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?\s*(?P<unit>" + _UNITS + r")\b")
#: What the first character after a number's spaces is where _UNIT_AFTER matches: a marker's or a unit's.
_UNIT_FIRST = frozenset("^⁰¹²³⁴⁵⁶⁷⁸⁹") | frozenset(unit[0] for unit in _UNITS.split("|"))
#: The scale word or percent sign of a figure that ends its line, opening the next line.
_WRAPPED_WORD = re.compile(r"\s*(?:(?P<scale>thousand|million|billion|trillion)s?\b|(?P<pct>percent\b|%))")
_TERM_UNITS = {"day", "week", "month", "year", "hour", "minute"}
_CENTS = re.compile(r" cents?\b")
_PER_SHARE_BEFORE = re.compile(r"(?:\bper\s+(?:basic\s+|diluted\s+)?(?:(?:American\s+depositary|ordinary|common)\s+)?"
                               r"(?:share|ADS|ADR)|\bEPS)\b[^.;$€¥]*$", re.IGNORECASE)
#: What follows a per-share amount: "per share", "a diluted share", "(US$0.06) per ADS".
_PER_SHARE_AFTER = re.compile(r"(?:\s*\((?:US\$|HK\$|RMB|\$)\s?[\d.,]+\))?\)?\s*(?:per|a|for each)\s+(?:basic\s+|diluted\s+|"
                              r"basic\s+and\s+diluted\s+)?(?:common\s+|ordinary\s+|Class\s+[A-Z]\s+)?(?:shares?|ADSs?|ADRs?)\b",
                              re.IGNORECASE)
_LEAD_MARKER = re.compile(r"^(\d{1,2}) (?=\S)")
_NAME_AFTER = re.compile(r"\s+(?!(?:" + MONTH + r")\b)[A-Z][a-z]")
_STREET_AFTER = re.compile(
    r"\s+(?:[NSEW]\.?\s+)?(?:\d{1,4}(?:st|nd|rd|th)|[A-Z][A-Za-z]+)(?:\s+[A-Z][A-Za-z]+){0,2}\.?\s+"
    r"(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Pkwy|Parkway|Ct|Court|Hwy|Highway)\b")
#: A count of shares in words: "the number of contingently issuable shares ... is", "the
#: weighted-average numbers of non-vested RSUs ... were".
_SHARES_COUNTED = re.compile(
    r"\bnumbers?\s+of\s+(?:[\w-]+\s+){0,3}?(?:(?:ordinary|common|preferred|treasury)\s+)?"
    r"(?:shares|RSUs|restricted\s+share\s+units|share\s+options|ADSs)\b", re.IGNORECASE)
_CODES = {cur: currency_code(cur) for cur in ("RMB", "US$", "US\\$", "HK$", "HK\\$", "USD", "$")}


def _id_before(line: str, start: int) -> bool:
    """Is the number at ``start`` an identifier ('No. 1217', 'Form 20')? Same as searching
    ``_ID_BEFORE`` in ``line[:start]``, but only over the last word before the spaces."""
    word_end = start
    while word_end > 0 and line[word_end - 1].isspace():
        word_end -= 1
    words = line[max(0, word_end - 12):word_end]
    if words.isascii() and not _id_end(words.lower()):
        return False  # (in other text a letter may fold to one of the words': 'ſuite')
    return _ID_BEFORE.search(line, max(0, word_end - 12), start) is not None


def _id_end(low: str) -> bool:
    """Does a text in lower case end as an _ID_BEFORE match does ('#', or a word of _ID_WORDS then '',
    '.', ':' or '.:')? Told by that ending, then the word's last letter before the words themselves."""
    last = low[-1:]
    if last == "#":
        return True
    if last == "." or last == ":":
        low = low[:-2] if low.endswith(".:") else low[:-1]
    return low[-1:] in _ID_LAST and low.endswith(_ID_LOWER)


def _per_share_before(line: str, start: int) -> bool:
    """_PER_SHARE_BEFORE.search in the 80 characters before ``start``, searched only where they hold
    'per' or 'eps' in lower case (in ASCII text: in other text 'ſ' matches an 's')."""
    words = line[max(0, start - 80):start]
    if words.isascii():
        low = words.lower()
        if "per" not in low and "eps" not in low:
            return False
    return _PER_SHARE_BEFORE.search(line, max(0, start - 80), start) is not None


_MONTH_NAMES = tuple(MONTH[3:-1].split("|"))


def _month_day(line: str, start: int) -> bool:
    """Is the number whose digits start at ``start`` a date's day, right after a month's name and
    spaces ("On March 31, 2025"), the name not right after a letter or digit? In a line where
    masks.anywhere finds nothing, the spans' date part then covers it: no span before can reach
    over the name (only a time's "AM", "iPhone" and the parts anywhere looks for hold letters,
    and those need a letter right before the name)."""
    head = line[max(0, start - 24):start]
    name = head.rstrip()
    if len(name) == len(head) or not name.endswith(_MONTH_NAMES):
        return False
    at = start - len(head) + len(name) - next(len(month) for month in _MONTH_NAMES if name.endswith(month))
    return at == 0 or not (line[at - 1].isalnum() or line[at - 1] == "_")


def _masked(start: int, end: int, spans) -> bool:
    for s, e in spans:
        if s < end and start < e:
            return True
    return False


def scan(texts: list[str]) -> list[tuple[list[re.Match], int]]:
    """Each text's _NUMBER matches and where the text starts, found by one scan of the texts joined
    by newlines (faster than a scan of each): no match holds a newline, and every part of the
    pattern reads one as it reads the end of a text."""
    found: list[tuple[list[re.Match], int]] = []
    k, base, limit = -1, 0, -1
    for match in _SCAN.finditer("\n".join(texts)):
        start = match.start()
        while start > limit:  # (a match starts in a text, never at the newline after it)
            k += 1
            base = limit + 1
            limit = base + len(texts[k])
            found.append(([], base))
        found[-1][0].append(match)
    for k in range(len(found), len(texts)):
        base = limit + 1
        limit = base + len(texts[k])
        found.append(([], base))
    return found


def numbers(line: str, footnotes, follow: str = "", found=None) -> tuple[list[tuple], bool]:
    """The figures of a prose line as (start, end, value, decimals, unit, kind, scale, scale word),
    in order, and whether one is a currency right after a letter or digit ("xRMB5": the words
    before it end inside a word) (``follow``: the next line, where the scale word of a figure that
    ends the line is printed: "$28" / "million"; ``footnotes``: the numbers used as footnote markers;
    ``found``: the line's _NUMBER matches and the offset they are at, as ``scan`` finds them)."""
    raw = []
    glued = False
    spans = None  # the line's masks.spans (or masks.Spans), when a number may fall in one
    anywhere = None  # may a URL, an address, a time "1 p.m." ... fall on a number of the line?
    blank_from = -1  # where the line's trailing spaces start (found for a figure ending a line)
    matches, base = found if found is not None else (_NUMBER.finditer(line), 0)
    for match in matches:
        start, end = match.span()
        if base:
            start, end = start - base, end - base
        cur, opened, sign, digits, pct, scale = match.groups()
        if follow and not (pct or scale):
            if blank_from < 0:
                blank_from = len(line.rstrip())
            if end >= blank_from:
                wrapped = _WRAPPED_WORD.match(follow)
                if wrapped:
                    pct, scale = wrapped["pct"], wrapped["scale"]
        after = line[end:end + 1]
        if after != " " and after:  # a letter, a digit or a code's separator right after: not a figure
            if after.isalnum() or after in "+_":
                continue
            if after in ",." and line[end + 1:end + 2].isdigit():
                continue  # malformed grouping ('1,23,4') or a dotted code ('1.2.3')
            if after in "-/" and line[end + 1:end + 2].isalnum():
                continue
        glued_here = False
        if start:
            before = line[start - 1]
            if before != " ":
                if before in ",." and start > 1 and line[start - 2].isdigit():
                    continue
                if not cur:
                    if before.isalnum() or before in "-./_\\":
                        continue
                elif (before.isalnum() or before == "_") and cur[0] != "$":
                    glued_here = True
        plain = digits.replace(",", "") if "," in digits else digits
        unit_match = None
        if not (cur or pct):
            # the first character after the spaces, told by the next one or two ("": none; a space: not told,
            # the patterns are asked): a unit, a name and a street each open with one they can open with
            first = after if after != " " else line[end + 1:end + 2]
            told = not first.isspace()
            unit_match = _UNIT_AFTER.match(line, end) if not told or first in _UNIT_FIRST else None
            if unit_match:
                if not scale and unit_match.group("unit") in _TERM_UNITS and plain != "1":
                    continue  # '90 day+ delinquency', '30 day collection rate': part of a term
            elif not scale:
                if "," not in digits and "." not in digits and (
                        len(plain) >= 5 or len(plain) == 4 and plain[:2] in ("19", "20")):
                    continue  # a year, or an identifier such as a postcode
                capital = not told or "A" <= first <= "Z"
                if "." not in digits and capital and _NAME_AFTER.match(line, end):
                    continue  # a name such as '360 Group'
                if "," not in digits and "." not in digits and (capital or first.isdecimal()) \
                        and _STREET_AFTER.match(line, end):
                    continue  # a street number: '2407 W. 24th St.'
        if not cur and _id_before(line, start):
            continue
        if len(digits) > MAX_DIGITS and too_long(digits):
            continue  # more digits than a figure is read with (numbers.MAX_DIGITS)
        num_start, num_end = match.span(4)
        if base:
            num_start, num_end = num_start - base, num_end - base
        if anywhere is None:
            anywhere = masks.anywhere(line)
        if anywhere:  # (a URL, an e-mail address ... may fall on any number: the line's spans, once)
            if spans is None:
                spans = masks.spans(line)
                lead = _LEAD_MARKER.match(line)
                if lead and int(lead.group(1)) in footnotes:
                    spans.append(lead.span(1))
            if _masked(num_start, num_end, spans):
                continue  # a date, a time, a telephone number, a footnote marker ...
        elif line.startswith("}", num_end) and masks.footnote(line, num_start, num_end):
            continue  # a footnote marker
        elif (not num_start or line[num_start - 1] in "(:-," or line[num_start - 1].isspace()
              or line[num_end:num_end + 1] in (":", "-")) and masks.near(line, num_start, num_end):
            # (masks.near is False for digits after another character, none of those after them)
            if num_start == 0:
                lead = _LEAD_MARKER.match(line)
                if lead and int(lead.group(1)) in footnotes:
                    continue  # a footnote's number opening its line
            if _month_day(line, num_start):
                continue  # a date's day: "March 31" (the spans need not be looked for)
            if spans is None:
                spans = masks.Spans(line)
            if spans.cover(num_start, num_end):
                continue  # a date, a time, a telephone number, a note marker ...
        dot = plain.find(".")
        value, decimals = Decimal(plain), (len(plain) - dot - 1 if dot >= 0 else 0)
        if sign or opened:  # "-3.2", "$(1.80)", "(186)"
            value = -value
        cents = _CENTS.match(line, end) if not (cur or pct or scale) and line.startswith(" cent", end) else None
        if cents:  # "27 cents a share": dollars, in hundredths
            cur, end = "$", cents.end()
        if pct:
            unit, kind, fig_scale = "%", "percent", -2
        elif cur:
            unit, kind, fig_scale = _CODES[cur], "amount", SCALE_WORDS[scale.lower()] if scale else 0
            if cents:
                fig_scale = -2
            if not scale and (_PER_SHARE_AFTER.match(line, end) or _per_share_before(line, start)):
                kind = "per_share"  # "$1.05 per share", "RMB0.40 (US$0.06) per ADS", "loss per share ... from $(1.80)"
        else:
            unit = unit_match.group("unit") if unit_match else "count"
            kind, fig_scale = "count", SCALE_WORDS[scale.lower()] if scale else 0
            if not unit_match and "number" in line[max(0, start - 200):start].lower() \
                    and _SHARES_COUNTED.search(sentence_head(line, start)):
                unit, kind = "shares", "shares"  # "the number of ... shares ... was 33,072,605"
        raw.append((start, end, value, decimals, unit, kind, fig_scale, scale))
        glued = glued or glued_here
    return raw, glued
