"""Prose extraction: every amount, percentage and count in the narrative, with unit, scale,
precision, the phrase it belongs to and the period its sentence speaks of; plus typed facts.

Footnote markers, dates, years, times, phone and file numbers, addresses, URLs and names
such as '360 Group' are not figures and are skipped.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal

from .filing import MONTH, MONTHS, SPAN_MONTHS, Fact, Figure, ProsePeriod, Span
from .numbers import SCALE_WORDS, currency_code, to_decimal, too_long

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

#: Spans that hold digits but no figure: (pattern, text a line must contain for the pattern to
#: match, characters a match can start with; None: no such constraint).
_NOT_FIGURE_PARTS = (
    (r"<?https?://[^\s>)]+>?", "://", "<h"),                                 # URLs
    (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", "@", None),                             # e-mail addresses
    (r"\^\{\*?\d+\}", "^{", "\\^"),                                            # footnote markers ^{*1}
    (f"[{_SUPERSCRIPTS}]+", None, _SUPERSCRIPTS),                              # superscript markers
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
_NOT_FIGURES = re.compile("|".join(pattern for pattern, _, _ in _NOT_FIGURE_PARTS))
#: The same alternation without the parts a line cannot match, behind a look-ahead for the
#: characters a match can start with (scanning every position with the full alternation is
#: slow on long lines), keyed by which parts are kept. Same matches as _NOT_FIGURES, less work.
_NOT_FIGURES_FOR: dict[tuple[bool, ...], re.Pattern] = {}


def _not_figures_for(key: tuple[bool, ...]) -> re.Pattern:
    kept = [part for part, keep in zip(_NOT_FIGURE_PARTS, key) if keep]
    if not kept:
        return re.compile(r"(?!)")
    starts = [first for _, _, first in kept]
    ahead = "" if None in starts else "(?=[" + "".join(starts) + "])"
    return re.compile(ahead + "(?:" + "|".join(pattern for pattern, _, _ in kept) + ")")


_NUMBER = re.compile(
    r"""(?=[RUH$\-\u2212\d(])  # where a figure can start: lets the scan skip other text fast
    (?:(?P<cur>RMB|US\\?\$|HK\\?\$|USD|\$)[ ]?)?(?P<open>\()?(?P<sign>[-\u2212])?
    (?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?(open)\))
    (?P<pct>[ ]?%|[ ]percent(?:age[ ]points?)?\b|[ ]per[ ]cent\b|[ ]p?pts?\b)?
    (?:[ ](?P<scale>(?i:thousand|million|billion|trillion))s?\b)?""",
    re.VERBOSE,
)
#: Words after which a number is an identifier, not a figure.
_ID_BEFORE = re.compile(
    r"(?:\b(?:No|Number|Form|Rule|Exhibit|Section|Act of|HKEx|NASDAQ|NYSE|Item|Room|Suite|Floor|Box|Tel|Phone|Fax|ID|PIN|Code)\.?:?|#)\s*$",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"\s*(?:\^\{\*?\d+\}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?\s*(?P<unit>loans?|months?|days?|years?|weeks?|hours?|minutes?|consumers?|users?|"
    r"borrowers?|customers?|partners?|institutions?|employees?|shares?|ADSs?|ADRs?|times|basis points|bps|"
    r"financial institutional partners|stores?|branches|accounts?)\b"
)
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
_YEAR_DIGITS = re.compile(r"(?:19|20)\d\d")
_NAME_AFTER = re.compile(r"\s+(?!(?:" + MONTH + r")\b)[A-Z][a-z]")
_STREET_AFTER = re.compile(
    r"\s+(?:[NSEW]\.?\s+)?(?:\d{1,4}(?:st|nd|rd|th)|[A-Z][A-Za-z]+)(?:\s+[A-Z][A-Za-z]+){0,2}\.?\s+"
    r"(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Pkwy|Parkway|Ct|Court|Hwy|Highway)\b")
_MARKERS_ETC = re.compile(r"(?=[\^⁰¹²³⁴⁵⁶⁷⁸⁹*\\])(?:\^\{\*?\d+\}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\*\*|\\)")
_FOOTNOTE_MARK = re.compile(r"\^\{\*?(\d+)\}")
_SUPERSCRIPT_RUN = re.compile(f"[{_SUPERSCRIPTS}]+")
_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"(*\[])")
_NO_BREAK_BEFORE = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr|No|Inc|Co|Ltd|Corp|U\.S|e\.g|i\.e|vs|approx)\.)[”\"]?$")
# (each starts with a look-ahead for its possible first letters: same matches, faster scan)
_PRIOR_QUARTER = re.compile(
    r"(?=[plsq])(?:\b(?:prior|previous|preceding|last|sequential(?:ly)?)\s+quarter\b|\bsequentially\b"
    r"|\bquarter-over-quarter\b)", re.IGNORECASE)
_SAME_PERIOD = re.compile(r"(?=s)\bsame (?:period|quarter) (?:of|in) ((?:19|20)\d\d)\b", re.IGNORECASE)
#: "for the third quarter of fiscal 2023", "for the period ended October 28, 2023": which year.
_OF_YEAR = re.compile(
    rf"\b(?:quarter|period|half|year|months|weeks)\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?)?((?:19|20)\d\d)\b"
    rf"|\bended\s+{MONTH}\s+\d{{1,2}},\s*((?:19|20)\d\d)\b", re.IGNORECASE)
#: Words that only join figures of one item: "$51.8 million, or $1.05 per share ($1.04 ...".
_JOINING = re.compile(r"[\s,;()]*(?:(?:or|to|per\s+(?:basic\s+|diluted\s+)?(?:share|ADS))[\s,;()]*)*", re.IGNORECASE)
#: The base a change is measured from, right after it: "decreased 0.7 percent from ...".
_COMPARED_FROM = re.compile(r"\s*,?\s*(?:from|compared\s+(?:to|with)|versus|vs\.?|over)\b", re.IGNORECASE)
#: "RMB7,000.0 million in 2022": a year right after the figure.
_IN_YEAR = re.compile(r"\s*(?:in|for|during)\s+(?:fiscal\s+(?:year\s+)?)?((?:19|20)\d\d)\b", re.IGNORECASE)
_YEAR_AGO = re.compile(r"(?=[asp])\b(?:a year ago|same (?:period|quarter) (?:of )?last year|prior year)\b", re.IGNORECASE)
_AS_OF = re.compile(rf"(?=a)\bas (?:of|at) ({MONTH})\s+(\d{{1,2}}),\s*(\d{{4}})", re.IGNORECASE)
_RATE = re.compile(
    r"(?=[RCHU])(?:(?P<from>RMB|CNY|HK\\?\$)\s?(?P<rate>\d+\.\d+)\s+to\s+(?P<to>US\\?\$|USD)\s?1(?:\.0+)?\b"
    r"|(?P<to2>US\\?\$|USD)\s?1(?:\.0+)?\s*(?:=|to)\s*(?P<from2>RMB|CNY|HK\\?\$)\s?(?P<rate2>\d+\.\d+))"
)
_ADS_RATIO = re.compile(
    r"(?=[eo])\b(?:each|one) (?:ADS|ADR|American depositary share)s? (?:represents|representing|equals|is equal to) "
    r"(?P<n>\w+) (?:Class [A-Z] )?(?:ordinary|common) shares?\b",
    re.IGNORECASE,
)
#: "... X and Y as of June 30, 2025 and 2024, respectively": one date per figure, in order.
_RESPECTIVE_DATES = re.compile(
    rf"\bas (?:of|at) ({MONTH})\s+(\d{{1,2}}),\s*((?:19|20)\d\d)\s*,?\s+and\s+(?:(?:{MONTH})\s+\d{{1,2}},\s*)?"
    rf"((?:19|20)\d\d)\s*,?\s*respectively\b", re.IGNORECASE)
#: A count of shares in words: "the number of contingently issuable shares ... is", "the
#: weighted-average numbers of non-vested RSUs ... were".
_SHARES_COUNTED = re.compile(
    r"\bnumbers?\s+of\s+(?:[\w-]+\s+){0,3}?(?:(?:ordinary|common|preferred|treasury)\s+)?"
    r"(?:shares|RSUs|restricted\s+share\s+units|share\s+options|ADSs)\b", re.IGNORECASE)
#: A weighted average over a period: "as of" its end date names the period, not an instant.
_WEIGHTED = re.compile(r"\bweighted[- ]average\b", re.IGNORECASE)
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10}


def _masks(line: str) -> list[tuple[int, int]]:
    key = tuple(need is None or need in line for _, need, _ in _NOT_FIGURE_PARTS)
    pattern = _NOT_FIGURES_FOR.get(key)
    if pattern is None:
        pattern = _NOT_FIGURES_FOR[key] = _not_figures_for(key)
    return [m.span() for m in pattern.finditer(line)]


def _id_before(line: str, start: int) -> bool:
    """Is the number at ``start`` an identifier ('No. 1217', 'Form 20')? Same as searching
    ``_ID_BEFORE`` in ``line[:start]``, but only over the last word before the spaces."""
    word_end = start
    while word_end > 0 and line[word_end - 1].isspace():
        word_end -= 1
    return _ID_BEFORE.search(line, max(0, word_end - 12), start) is not None


def _masked(start: int, end: int, masks) -> bool:
    return any(s < end and start < e for s, e in masks)


def footnote_numbers(lines: list[str]) -> set[int]:
    """Numbers used as footnote markers anywhere in the text (^{*3}, ¹⁰)."""
    text = "\n".join(lines)
    found = {int(m) for m in _FOOTNOTE_MARK.findall(text)}
    table = str.maketrans(_SUPERSCRIPTS, "0123456789")
    found |= {int(m.translate(table)) for m in _SUPERSCRIPT_RUN.findall(text)}
    return found


def _sentences(line: str) -> list[tuple[int, int]]:
    """Sentence spans (0-based, end exclusive) of one prose line."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(line):
        # an abbreviation ends within the last 10 characters; searching only there is the same test
        if _NO_BREAK_BEFORE.search(line, max(start, match.start() - 10), match.start()):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(line)))
    return spans


_SPAN_WORDS = (
    (re.compile(r"\b(?:full[- ]year|fiscal year|for the year|year ended|twelve months|full year)\b", re.I), 12),
    (re.compile(r"\b(?:nine months|first three quarters)\b", re.I), 9),
    (re.compile(r"\b(?:six months|first half|half[- ]year|H1)\b", re.I), 6),
)
#: Retail calendars: "the 39-week fiscal period" (read only when a sentence says "week").
_WEEKS = re.compile(r"\b(26|39|52|53|twenty-six|thirty-nine|fifty-two|fifty-three)[- ]weeks?\b", re.I)


_ANY_SPAN = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _SPAN_WORDS), re.I)  # a quick first look


def _months(sentence_head: str):
    """The length of period a sentence speaks of, when its words say ('for the full year')."""
    if "eek" not in sentence_head and not _ANY_SPAN.search(sentence_head):
        return None
    for pattern, months in _SPAN_WORDS:
        if pattern.search(sentence_head):
            return months
    weeks = _WEEKS.search(sentence_head) if "eek" in sentence_head else None
    return SPAN_MONTHS[weeks.group(1).lower()] if weeks else None


_CURRENT = ProsePeriod("current")  # the default: no words name another period


def _period(tail: str, months=None) -> ProsePeriod:
    as_of = _AS_OF.search(tail)
    if as_of:
        try:
            when = dt.date(int(as_of.group(3)), MONTHS[as_of.group(1).lower()], int(as_of.group(2)))
            return ProsePeriod("instant", year=when.year, date=when)
        except ValueError:
            pass
    same = _SAME_PERIOD.search(tail)
    if same:
        return ProsePeriod("year", year=int(same.group(1)), months=months)
    bare = _IN_YEAR.match(tail)
    if bare:  # "in 2006", "for fiscal 2024": the year itself
        return ProsePeriod("year", year=int(bare.group(1)), months=months or 12)
    if _YEAR_AGO.search(tail):
        return ProsePeriod("prior_year", months=months)
    if _PRIOR_QUARTER.search(tail):
        return ProsePeriod("prior_quarter")
    named = _OF_YEAR.search(tail)
    if named:
        return ProsePeriod("year", year=int(named.group(1) or named.group(2)), months=months)
    return _CURRENT if months is None else ProsePeriod("current", months=months)


_OWN_CLAUSE = re.compile(r"[;:,]|\band\b")
_FROM_BEFORE = re.compile(r"\b(?:increased|decreased|improved|narrowed|widened|grew|rose|fell|declined|changed)\b[^.;]*"
                          r"\bfrom\s+\(?$", re.IGNORECASE)
_TO_NEXT = re.compile(r"\)?\s*to\s+(?:RMB|US\$|HK\$|\$)?\s?\(?[\d.]")
_YEAR_BEFORE = re.compile(r"\b(?:for|in|during)\s+(?:fiscal\s+(?:year\s+)?)?((?:19|20)\d\d)\s+(?:were|was|of|totaled|totalled)\s+$",
                          re.IGNORECASE)


def _last_clause(text: str) -> str:
    """The text after the last figure-free clause break: what a change's own period words are."""
    return re.split(r"[;:]", text)[-1]


def _clean_phrase(text: str) -> str:
    text = _MARKERS_ETC.sub("", text)
    return " ".join(text.split()).strip(" ,;:(-–—")  # runs of whitespace as one space


def _figures_in_line(number: int, line: str, footnotes: set[int], sentence_base: int,
                     follow: str = "", carry: str = "", ytd=None) -> tuple[list[Figure], int]:
    """The figures of one prose line, and how many sentences the line holds (``follow``: the next
    line, where the scale word of a figure that ends the line is printed: "$28" / "million")."""
    masks = _masks(line)
    lead = _LEAD_MARKER.match(line)
    if lead and int(lead.group(1)) in footnotes:
        masks.append(lead.span(1))
    raw = []
    for match in _NUMBER.finditer(line):
        start, end = match.span()
        num_start = match.start("num")
        if _masked(num_start, match.end("num"), masks):
            continue
        before = line[max(0, start - 1):start]
        after = line[end:end + 2]
        cur, pct, scale = match["cur"], match["pct"], match["scale"]
        if follow and not (pct or scale) and not line[end:].strip():
            wrapped = _WRAPPED_WORD.match(follow)
            if wrapped:
                pct, scale = wrapped["pct"], wrapped["scale"]
        if (after[:1] in (",", ".") and after[1:2].isdigit()) or (
                before in (",", ".") and line[start - 2:start - 1].isdigit()):
            continue  # malformed grouping ('1,23,4') or a dotted code ('1.2.3'): not a figure
        if not cur and (before.isalnum() or before in "-./_\\" and before):
            continue
        if after[:1].isalnum() or (after[:1] in "-/" and after[1:2].isalnum()) or (after[:1] and after[:1] in "+_"):
            continue
        if not cur and _id_before(line, start):
            continue
        digits = match["num"]
        plain = digits.replace(",", "")
        unit_match = _UNIT_AFTER.match(line, end)
        if unit_match and not (cur or pct or scale) and unit_match.group("unit") in _TERM_UNITS and plain != "1":
            continue  # '90 day+ delinquency', '30 day collection rate': part of a term
        if not (cur or pct or scale or unit_match):
            if "," not in digits and "." not in digits and (
                    _YEAR_DIGITS.fullmatch(plain) or len(plain) >= 5):
                continue  # a year, or an identifier such as a postcode
            if _NAME_AFTER.match(line, end) and "." not in digits:
                continue  # a name such as '360 Group'
            if "," not in digits and "." not in digits and _STREET_AFTER.match(line, end):
                continue  # a street number: '2407 W. 24th St.'
        if too_long(digits):
            continue  # more digits than a figure is read with (numbers.MAX_DIGITS)
        value, decimals = to_decimal(digits)
        if match["sign"] or match["open"]:  # "-3.2", "$(1.80)", "(186)"
            value = -value
        cents = _CENTS.match(line, end) if not (cur or pct or scale) else None
        if cents:  # "27 cents a share": dollars, in hundredths
            cur, end = "$", cents.end()
        if pct:
            unit, kind, fig_scale = "%", "percent", -2
        elif cur:
            unit, kind, fig_scale = currency_code(cur), "amount", SCALE_WORDS[scale.lower()] if scale else 0
            if cents:
                fig_scale = -2
            if not scale and (_PER_SHARE_AFTER.match(line, end) or _PER_SHARE_BEFORE.search(line, max(0, start - 80), start)):
                kind = "per_share"  # "$1.05 per share", "RMB0.40 (US$0.06) per ADS", "loss per share ... from $(1.80)"
        else:
            unit = unit_match.group("unit") if unit_match else "count"
            kind, fig_scale = "count", SCALE_WORDS[scale.lower()] if scale else 0
            if not unit_match and _SHARES_COUNTED.search(_sentence_head(line, start)):
                unit, kind = "shares", "shares"  # "the number of ... shares ... was 33,072,605"
        raw.append((start, end, value, decimals, unit, kind, fig_scale, scale))
    sentences = _sentences(line)
    if not raw:
        return [], len(sentences)
    figures = []
    phrases: dict[int, str] = {}  # sentence index -> its phrase (the text before its first figure)
    for idx, (start, end, value, decimals, unit, kind, fig_scale, scale) in enumerate(raw):
        s_index = next(i for i, (a, b) in enumerate(sentences) if a <= start <= b)
        s_start, s_end = sentences[s_index]
        prev_end = max([r[1] for r in raw[:idx] if r[1] <= start and r[1] >= s_start], default=s_start)
        next_start = min([r[0] for r in raw[idx + 1:] if r[0] < s_end], default=s_end)
        phrase = phrases.get(s_index)
        if phrase is None:
            first = next((r for r in raw if s_start <= r[0] < s_end), None)
            phrase = phrases[s_index] = _clean_phrase(line[s_start:first[0]]) if first else ""
        context = _clean_phrase(line[prev_end:start])
        if unit == "USD" and idx and line[prev_end:start].strip() in ("(", "or", "(or") and figures:
            period = figures[-1].period  # a USD translation in brackets speaks of the same period
        else:
            head, tail = line[s_start:start], line[end:next_start]
            if (idx + 1 < len(raw) and raw[idx + 1][4] == "USD" and raw[idx + 1][0] < s_end
                    and line[end:raw[idx + 1][0]].strip() in ("(", "or", "(or")):  # "RMB40.87 billion (US$5.60
                after = raw[idx + 2][0] if idx + 2 < len(raw) and raw[idx + 2][0] < s_end else s_end  # billion)
                tail = line[raw[idx + 1][1]:after]  # for fiscal year of 2024": the words after its translation
            months = _months(head) or _months(tail)
            if _COMPARED_FROM.match(tail):  # "decreased 0.7 percent from ... the prior year": the
                period = _period(_last_clause(head), months)  # words after name the base, not the change
                own = _OWN_CLAUSE.split(line[prev_end:start])[-1]
                if prev_end > s_start and figures and figures[-1].sentence == sentence_base + s_index \
                        and _period(own, months) == _period("", months):  # "..., and an increase of 18.3% from":
                    first = next(f.period for f in figures if f.sentence == sentence_base + s_index)  # the
                    # words before belong to the figure before; the change is of the sentence's period
                    period = first if first.months or not months else replace(first, months=months)
            else:
                unit_word = _UNIT_AFTER.match(tail)
                period = _period(tail[unit_word.end():] if unit_word else tail, months)  # "70,000 customers in 2006"
                if period == _period("", months) and _FROM_BEFORE.search(head) and _TO_NEXT.match(line, end):
                    period = ProsePeriod("prior_year", months=months)  # "improved from $(1.80) to $(0.42)"
                if period == _period("", months):  # "Reported earnings for 2005 were $1.59 billion"
                    named = _YEAR_BEFORE.search(_OWN_CLAUSE.split(line[prev_end:start])[-1])
                    if named:
                        period = ProsePeriod("year", year=int(named.group(1)), months=months or 12)
                if period == _period("", months):  # "As of June 30, 2025, ...", "For the fourth quarter 2005, ..."
                    period = _head_period((carry + " " if s_index == 0 and carry else "") + head, ytd) or period
        figures.append(Figure(
            value=value, scale=fig_scale, unit=unit, decimals=decimals, kind=kind,
            text=line[start:end], span=Span(number, start + 1, end + 1), phrase=phrase or None,
            context=context or None, period=period, scale_word=scale, sentence=sentence_base + s_index))
    for k in range(1, len(figures)):  # "$1.05 per share ($1.04 diluted)", "from $(1.80) to $(0.42)"
        here, before = figures[k], figures[k - 1]
        if (here.kind == "amount" and before.kind == "per_share" and not here.scale_word and here.sentence == before.sentence
                and _JOINING.fullmatch(line[raw[k - 1][1]:raw[k][0]])):
            figures[k] = replace(here, kind="per_share")
    # Words naming a period after a run of joined figures speak for all of them: "net income of
    # $51.8 million, or $1.05 per share ($1.04 diluted) for the third quarter of fiscal 2023".
    for k in range(len(figures) - 2, -1, -1):
        here, after = figures[k], figures[k + 1]
        if (here.period.kind == "current" and after.period.kind != "current" and here.sentence == after.sentence
                and _JOINING.fullmatch(line[raw[k][1]:raw[k + 1][0]])):
            figures[k] = replace(here, period=after.period)
    _respective_dates(line, raw, figures, sentences, sentence_base)
    for k, here in enumerate(figures):  # "... amounted to RMB3.20 billion. The rate of these borrowings was 2.09%"
        if here.period != _CURRENT or not here.sentence or k == 0:
            continue
        s_start = sentences[here.sentence - sentence_base][0]
        before = [j for j in range(k) if figures[j].sentence == here.sentence - 1]
        if not before or any(f.sentence == here.sentence for f in figures[:k]):
            continue  # only the first figure of a sentence that follows one with figures
        last = figures[before[-1]]
        if last.period.kind != "current" and _BACK_REFERENCE.search(line, s_start, raw[k][0]):
            figures[k] = replace(here, period=last.period)
        elif _part_of(line, sentences, here, last, raw[k][0], raw[before[-1]][0], sentence_base):
            figures[k] = replace(here, period=last.period)
    return figures, len(sentences)


#: A change stated right before its figure: "Residential energy sales increased 2.5 percent".
_CHANGED = re.compile(r"^(?P<subject>.*?)\b(?:increased|decreased|declined|grew|rose|fell|improved|dropped)\s+(?:by\s+)?$",
                      re.IGNORECASE | re.DOTALL)
_WORD = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
_PLAIN_WORDS = frozenset({"company", "group", "total", "with", "from", "that", "this", "were", "which", "compared"})


def _part_of(line: str, sentences, here: Figure, before: Figure, start: int, before_start: int,
             sentence_base: int) -> bool:
    """Is ``here`` (the first figure of its sentence, its words naming no period) one more change
    in a run of the same measure ("... sales increased 1.4 percent in 2006. Residential energy
    sales increased 2.5 percent.")? Both changes are stated the same way, of the same unit, and
    their subjects share a word: it speaks of the period of the change before it."""
    if before.period.kind == "current" or before.unit != here.unit or before.kind != here.kind:
        return False
    s_start = sentences[here.sentence - sentence_base][0]
    b_start = sentences[before.sentence - sentence_base][0]
    mine, theirs = _CHANGED.match(line[s_start:start]), _CHANGED.match(line[b_start:before_start])
    if not (mine and theirs):
        return False
    words = {w.lower() for w in _WORD.findall(mine["subject"])} - _PLAIN_WORDS
    return bool(words & {w.lower() for w in _WORD.findall(theirs["subject"])})


#: The words that open a sentence and name its period: "As of June 30, 2025,", "For the fourth
#: quarter 2005,", "For fiscal 2025,", "For the year 2006,".
_HEAD_PERIOD = re.compile(
    rf"^\W*(?:as (?:of|at) (?P<month>{MONTH})\s+(?P<day>\d{{1,2}}),\s*(?P<at>(?:19|20)\d\d)"
    rf"|for (?:the )?(?:first|second|third|fourth|1st|2nd|3rd|4th) (?:fiscal )?quarter (?:of )?(?:fiscal (?:year )?)?"
    rf"(?P<quarter>(?:19|20)\d\d)"
    rf"|for (?:the )?year[- ]to[- ]date (?:period (?:of |in )?)?(?P<ytd>(?:19|20)\d\d)"
    rf"|for (?:the )?(?:full )?(?:fiscal )?(?:year )?(?P<year>(?:19|20)\d\d))\s*,", re.IGNORECASE)
#: A sentence that speaks of what the sentence before spoke of: "these borrowings", "such loans".
_BACK_REFERENCE = re.compile(r"\b(?:these|such|those)\s+[a-z]", re.IGNORECASE)


def _head_period(head: str, ytd=None):
    """The period the opening words of a sentence name (``_HEAD_PERIOD``), or None (``ytd``: how
    many months the filing's year to date spans, from its tables; year-to-date is that long)."""
    found = _HEAD_PERIOD.match(" ".join(head.split()))
    if found is None:
        return None
    if found["at"]:
        try:
            when = dt.date(int(found["at"]), MONTHS[found["month"].lower()], int(found["day"]))
        except ValueError:
            return None
        return ProsePeriod("instant", year=when.year, date=when)
    if found["ytd"]:
        return ProsePeriod("year", year=int(found["ytd"]), months=ytd)
    if found["quarter"]:
        return ProsePeriod("year", year=int(found["quarter"]), months=3)
    return ProsePeriod("year", year=int(found["year"]), months=12)


def _sentence_head(line: str, start: int) -> str:
    """The text of the sentence before ``start`` (its last 200 characters)."""
    head = line[max(0, start - 200):start]
    last = None
    for match in _SENTENCE_END.finditer(head):
        last = match
    return head[last.end():] if last else head


def _respective_dates(line: str, raw: list, figures: list[Figure], sentences, sentence_base: int) -> None:
    """"X and Y as of June 30, 2025 and 2024, respectively": the figures of the sentence before the
    dates take one date each, in order (a weighted average, the period ending on it)."""
    if "espectively" not in line:
        return
    for match in _RESPECTIVE_DATES.finditer(line):
        s_index = next(i for i, (a, b) in enumerate(sentences) if a <= match.start() <= b)
        ks = [k for k, f in enumerate(figures) if f.sentence == sentence_base + s_index and raw[k][1] <= match.start()]
        first = dt.date(int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2)))
        try:
            dates = [first, first.replace(year=int(match.group(4)))]
        except ValueError:  # February 29
            continue
        if len(ks) < 2:
            continue
        ks = ks[-2:]
        if any(figures[k].unit != figures[ks[0]].unit for k in ks):
            continue  # figures of different measures are not one list
        for k, when in zip(ks, dates):
            here = figures[k]
            if _WEIGHTED.search(_sentence_head(line, raw[k][0])):
                period = ProsePeriod("year", year=when.year, months=here.period.months)
            else:
                period = ProsePeriod("instant", year=when.year, date=when)
            figures[k] = replace(here, period=period)


def extract_prose(lines: list[str], table_lines: set[int], facts: dict[str, Fact], ytd=None) -> list[Figure]:
    """Every figure printed outside the tables, in reading order; those stating a fact are 'rate'
    (``ytd``: the months of the year to date, as the tables' columns give them, or None)."""
    footnotes = footnote_numbers(lines)
    figures: list[Figure] = []
    sentence_base = 0
    for number, line in enumerate(lines, start=1):
        if number in table_lines or not line.strip():
            continue
        follow = lines[number] if number < len(lines) and number + 1 not in table_lines else ""
        found, count = _figures_in_line(number, line, footnotes, sentence_base, follow,
                                        _carry(lines, number, table_lines), ytd)
        figures.extend(found)
        sentence_base += count
    fact_spans = [f.span for f in facts.values()]
    return [replace(f, kind="rate") if any(_within(f.span, s) for s in fact_spans) else f for f in figures]


def _carry(lines: list[str], number: int, table_lines: set[int]) -> str:
    """The start of a sentence the line before leaves open (plain text wraps a sentence over lines:
    "For the fourth" / "quarter 2005, diluted earnings per share was less than 1 cent.")."""
    if number < 2 or number - 1 in table_lines:
        return ""
    before = lines[number - 2].rstrip()
    if not before or before[-1] in ".!?:;" or "\t" in before:
        return ""
    return before[_sentences(before)[-1][0]:][-200:].strip()


def _within(inner: Span, outer: Span) -> bool:
    return inner.line == outer.line and outer.col <= inner.col and inner.end_col <= outer.end_col


def extract_facts(lines: list[str], table_lines: set[int]) -> dict[str, Fact]:
    """Typed statements: the stated exchange rate (RMB per USD) and the ADS ratio when stated."""
    facts: dict[str, Fact] = {}
    for number, line in enumerate(lines, start=1):
        if number in table_lines:
            continue
        if "exchange_rate" not in facts:
            match = _RATE.search(line)
            if match:
                rate = match["rate"] or match["rate2"]
                source = currency_code(match["from"] or match["from2"])
                target = currency_code(match["to"] or match["to2"])
                value, _ = to_decimal(rate)
                facts["exchange_rate"] = Fact(
                    "exchange_rate", value, match.group(0),
                    Span(number, match.start() + 1, match.end() + 1),
                    (("from", source), ("to", target)))
        if "ads_ratio" not in facts:
            low = line.lower()  # every match holds "ads", "adr" or "depositary"; skip the slow search
            match = _ADS_RATIO.search(line) if ("ad" in low or "dep" in low) else None
            if match:
                word = match["n"].lower()
                ratio = _WORD_NUMBERS.get(word) or (int(word) if word.isdigit() else None)
                if ratio:
                    facts["ads_ratio"] = Fact("ads_ratio", Decimal(ratio), match.group(0),
                                              Span(number, match.start() + 1, match.end() + 1))
    return facts
