"""Prose extraction: every amount, percentage and count in the narrative, with unit, scale,
precision, the phrase it belongs to and the period its sentence speaks of; plus typed facts.

Footnote markers, dates, years, times, phone and file numbers, addresses, URLs and names
such as '360 Group' are not figures and are skipped.
"""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Optional

from .filing import MONTH, Fact, Figure, ProsePeriod, Span
from .masks import SUPERSCRIPTS
from .masks import spans as _masks
from .numbers import SCALE_WORDS, currency_code, to_decimal, too_long
from .prose_periods import (
    _SENTENCE_END,  # noqa: F401 (what _SENTENCE_BREAK finds; the tests compare them)
    BACK_REFERENCE,
    CURRENT,
    Calendar,
    default_period,
    head_period,
    months_named,
    part_of,
    period_after,
    respective_dates,
    sentence_head,
)

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
_SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPTS}]+")
_NO_BREAK_BEFORE = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr|No|Inc|Co|Ltd|Corp|U\.S|e\.g|i\.e|vs|approx)\.)[”\"]?$")
#: Words that only join figures of one item: "$51.8 million, or $1.05 per share ($1.04 ...".
_JOINING = re.compile(r"[\s,;()]*(?:(?:or|to|per\s+(?:basic\s+|diluted\s+)?(?:share|ADS))[\s,;()]*)*", re.IGNORECASE)
#: The base a change is measured from, right after it: "decreased 0.7 percent from ...".
_COMPARED_FROM = re.compile(r"\s*,?\s*(?:from|compared\s+(?:to|with)|versus|vs\.?|over)\b", re.IGNORECASE)
_RATE = re.compile(
    r"(?=[RCHU])(?:(?P<from>RMB|CNY|HK\\?\$)\s?(?P<rate>\d+\.\d+)\s+to\s+(?P<to>US\\?\$|USD)\s?1(?:\.0+)?\b"
    r"|(?P<to2>US\\?\$|USD)\s?1(?:\.0+)?\s*(?:=|to)\s*(?P<from2>RMB|CNY|HK\\?\$)\s?(?P<rate2>\d+\.\d+))"
)
_ADS_RATIO = re.compile(
    r"(?=[eo])\b(?:each|one) (?:ADS|ADR|American depositary share)s? (?:represents|representing|equals|is equal to) "
    r"(?P<n>\w+) (?:Class [A-Z] )?(?:ordinary|common) shares?\b",
    re.IGNORECASE,
)
#: A count of shares in words: "the number of contingently issuable shares ... is", "the
#: weighted-average numbers of non-vested RSUs ... were".
_SHARES_COUNTED = re.compile(
    r"\bnumbers?\s+of\s+(?:[\w-]+\s+){0,3}?(?:(?:ordinary|common|preferred|treasury)\s+)?"
    r"(?:shares|RSUs|restricted\s+share\s+units|share\s+options|ADSs)\b", re.IGNORECASE)
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10}


def _id_before(line: str, start: int) -> bool:
    """Is the number at ``start`` an identifier ('No. 1217', 'Form 20')? Same as searching
    ``_ID_BEFORE`` in ``line[:start]``, but only over the last word before the spaces."""
    word_end = start
    while word_end > 0 and line[word_end - 1].isspace():
        word_end -= 1
    return _ID_BEFORE.search(line, max(0, word_end - 12), start) is not None


def _masked(start: int, end: int, masks) -> bool:
    for s, e in masks:
        if s < end and start < e:
            return True
    return False


def footnote_numbers(lines: list[str]) -> set[int]:
    """Numbers used as footnote markers anywhere in the text (^{*3}, ¹⁰)."""
    text = "\n".join(lines)
    found = {int(m) for m in _FOOTNOTE_MARK.findall(text)} if "^{" in text else set()
    if not text.isascii():  # superscripts are not ASCII
        table = str.maketrans(SUPERSCRIPTS, "0123456789")
        found |= {int(m.translate(table)) for m in _SUPERSCRIPT_RUN.findall(text)}
    return found


#: _SENTENCE_END's matches as group 1, found from the mark before them (a scan that skips to the
#: marks fast): the spaces after a mark are never a mark, so the matches are the same.
_SENTENCE_BREAK = re.compile(r"[.!?”\"](\s+)(?=[A-Z“\"(*\[])")


class _Footnotes:
    """footnote_numbers(lines), read when first asked (only a line that opens with a number asks)."""

    __slots__ = ("lines", "numbers")

    def __init__(self, lines: list[str]):
        self.lines, self.numbers = lines, None

    def __contains__(self, number: int) -> bool:
        if self.numbers is None:
            self.numbers = footnote_numbers(self.lines)
        return number in self.numbers


def _sentences(line: str) -> list[tuple[int, int]]:
    """Sentence spans (0-based, end exclusive) of one prose line."""
    spans, start = [], 0
    for match in _SENTENCE_BREAK.finditer(line):
        at = match.start(1)
        # an abbreviation ends within the last 10 characters; searching only there is the same test
        if _NO_BREAK_BEFORE.search(line, max(start, at - 10), at):
            continue
        spans.append((start, at))
        start = match.end()
    spans.append((start, len(line)))
    return spans


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
    if not text.isascii() or "^" in text or "*" in text or "\\" in text:  # (what _MARKERS_ETC can start with)
        text = _MARKERS_ETC.sub("", text)
    return " ".join(text.split()).strip(" ,;:(-–—")  # runs of whitespace as one space


def _figures_in_line(number: int, line: str, footnotes: set[int], sentence_base: int,
                     follow: str = "", carry: str = "", cal=None, sentences=None) -> list[Figure]:
    """The figures of one prose line (``follow``: the next line, where the scale word of a figure
    that ends the line is printed: "$28" / "million"; ``sentences``: the line's, when known)."""
    masks = None  # found when a number passes the other tests (most numbers of a long paragraph do not)
    raw = []
    for match in _NUMBER.finditer(line):
        start, end = match.span()
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
        if masks is None:
            masks = _masks(line)
            lead = _LEAD_MARKER.match(line)
            if lead and int(lead.group(1)) in footnotes:
                masks.append(lead.span(1))
        if _masked(match.start("num"), match.end("num"), masks):
            continue  # a date, a time, a telephone number, a footnote marker ...
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
            if not unit_match and "number" in line[max(0, start - 200):start].lower() \
                    and _SHARES_COUNTED.search(sentence_head(line, start)):
                unit, kind = "shares", "shares"  # "the number of ... shares ... was 33,072,605"
        raw.append((start, end, value, decimals, unit, kind, fig_scale, scale))
    if not raw:
        return []
    sentences = sentences or _sentences(line)
    figures = []
    phrases: dict[int, str] = {}  # sentence index -> its phrase (the text before its first figure)
    s_index = 0
    for idx, (start, end, value, decimals, unit, kind, fig_scale, scale) in enumerate(raw):
        while not sentences[s_index][0] <= start <= sentences[s_index][1]:  # the figures are in order
            s_index += 1
        s_start, s_end = sentences[s_index]
        # the figures do not overlap, so the nearest ones before and after are the next in ``raw``
        prev_end = raw[idx - 1][1] if idx and raw[idx - 1][1] >= s_start else s_start
        next_start = raw[idx + 1][0] if idx + 1 < len(raw) and raw[idx + 1][0] < s_end else s_end
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
            months = months_named(head) or months_named(tail)
            default = default_period(months)
            if _COMPARED_FROM.match(tail):  # "decreased 0.7 percent from ... the prior year": the
                period = period_after(_last_clause(head), months, cal)  # words after name the base, not the change
                if prev_end > s_start and figures and figures[-1].sentence == sentence_base + s_index \
                        and period_after(_OWN_CLAUSE.split(line[prev_end:start])[-1], months, cal) == default:
                    first = next(f.period for f in figures if f.sentence == sentence_base + s_index)  # "..., and
                    # an increase of 18.3% from": the words before belong to the figure before; the change
                    period = first if first.months or not months else replace(first, months=months)  # is of
                    # the sentence's period
            else:
                unit_word = _UNIT_AFTER.match(tail)
                period = period_after(tail[unit_word.end():] if unit_word else tail, months, cal)  # "70,000 customers in 2006"
                if period == default and _TO_NEXT.match(line, end) and _FROM_BEFORE.search(head):
                    period = ProsePeriod("prior_year", months=months)  # "improved from $(1.80) to $(0.42)"
                if period == default:  # "Reported earnings for 2005 were $1.59 billion"
                    clause = _OWN_CLAUSE.split(line[prev_end:start])[-1]
                    named = _YEAR_BEFORE.search(clause) if clause[-1:].isspace() and (
                        "19" in clause or "20" in clause) else None  # (it names a year and ends with spaces)
                    if named:
                        period = ProsePeriod("year", year=int(named.group(1)), months=months or 12)
                if period == default:  # "As of June 30, 2025, ...", "For the fourth quarter 2005, ..."
                    period = head_period((carry + " " if s_index == 0 and carry else "") + head, cal) or period
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
    respective_dates(line, raw, figures, sentences, sentence_base)
    for k, here in enumerate(figures):  # "... amounted to RMB3.20 billion. The rate of these borrowings was 2.09%"
        if here.period != CURRENT or not here.sentence or k == 0:
            continue
        s_start = sentences[here.sentence - sentence_base][0]
        before = [j for j in range(k) if figures[j].sentence == here.sentence - 1]
        if not before or any(f.sentence == here.sentence for f in figures[:k]):
            continue  # only the first figure of a sentence that follows one with figures
        last = figures[before[-1]]
        if last.period.kind != "current" and BACK_REFERENCE.search(line, s_start, raw[k][0]):
            figures[k] = replace(here, period=last.period)
        elif part_of(line, sentences, here, last, raw[k][0], raw[before[-1]][0], sentence_base):
            figures[k] = replace(here, period=last.period)
    return figures


def extract_prose(lines: list[str], table_lines: set[int], facts: dict[str, Fact],
                  cal: Optional[Calendar] = None) -> list[Figure]:
    """Every figure printed outside the tables, in reading order; those stating a fact are 'rate'
    (``cal``: the release's own period, as its tables' columns give it, against which words such
    as "the second quarter of 2025" are read)."""
    footnotes = _Footnotes(lines)
    figures: list[Figure] = []
    sentence_base = 0
    lead = ""  # "For the second quarter of 2025, the Company expects:": the words over a list's items
    sentences: list[tuple[int, int]] = []  # those of the line before, when it is prose
    for number, line in enumerate(lines, start=1):
        if number in table_lines or not line.strip():
            lead = "" if number in table_lines else lead
            sentences = []
            continue
        follow = lines[number] if number < len(lines) and number + 1 not in table_lines else ""
        carry = _carry(lines, number, table_lines, sentences)
        if _LIST_ITEM.match(line):
            carry = carry or lead
        else:
            lead = _lead(line)
        sentences = _sentences(line)
        figures.extend(_figures_in_line(number, line, footnotes, sentence_base, follow, carry, cal, sentences))
        sentence_base += len(sentences)
    fact_spans = [f.span for f in facts.values()]
    return [replace(f, kind="rate") if any(_within(f.span, s) for s in fact_spans) else f for f in figures]


def figures_in_text(number: int, text: str, col: int) -> list[Figure]:
    """The figures of a text printed from column ``col`` of line ``number`` (a row's label), as
    prose reads them, placed in that line."""
    found = _figures_in_line(number, text, set(), 0)
    shift = col - 1
    return [replace(f, span=Span(number, f.span.col + shift, f.span.end_col + shift)) for f in found]


#: An item of a list: a bullet, a dash, "(a)", "1.".
_LIST_ITEM = re.compile(r"^\s*(?:[•·▪◦●○■□►‣⁃∙*\-–—]|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s")


def _lead(line: str) -> str:
    """A line that opens a list and names its period ("For the second quarter of 2025, the Company
    expects:"), or ""."""
    text = line.strip()
    return text if text.endswith(":") and head_period(text) is not None else ""


def _carry(lines: list[str], number: int, table_lines: set[int], known=None) -> str:
    """The start of a sentence the line before leaves open (plain text wraps a sentence over lines:
    "For the fourth" / "quarter 2005, diluted earnings per share was less than 1 cent.");
    ``known``: the line before's sentences, when known (its trailing spaces start none)."""
    if number < 2 or number - 1 in table_lines:
        return ""
    before = lines[number - 2].rstrip()
    if not before or before[-1] in ".!?:;" or "\t" in before:
        return ""
    return before[(known or _sentences(before))[-1][0]:][-200:].strip()


def _within(inner: Span, outer: Span) -> bool:
    return inner.line == outer.line and outer.col <= inner.col and inner.end_col <= outer.end_col


def extract_facts(lines: list[str], table_lines: set[int]) -> dict[str, Fact]:
    """Typed statements: the stated exchange rate (RMB per USD) and the ADS ratio when stated."""
    facts: dict[str, Fact] = {}
    for number, line in enumerate(lines, start=1):
        if number in table_lines:
            continue
        if "exchange_rate" not in facts:  # (every match holds "US" and "RMB", "CNY" or "HK")
            match = _RATE.search(line) if "US" in line and ("RMB" in line or "CNY" in line or "HK" in line) else None
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
            low = line.lower()  # every match holds "each" or "one", and "ads", "adr" or "depositary" (no letter
            match = _ADS_RATIO.search(line) if ("ad" in low or "dep" in low) and (  # of "ad", "dep", "each" or
                "each" in low or "one" in low) else None  # "one" folds): skip the slow search
            if match:
                word = match["n"].lower()
                ratio = _WORD_NUMBERS.get(word) or (int(word) if word.isdigit() else None)
                if ratio:
                    facts["ads_ratio"] = Fact("ads_ratio", Decimal(ratio), match.group(0),
                                              Span(number, match.start() + 1, match.end() + 1))
    return facts
