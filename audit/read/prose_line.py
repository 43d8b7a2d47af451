"""The figures of one prose line, each with the phrase it belongs to, the words between it and the
figure before, and the period its sentence speaks of.

A line is read in one pass: its sentences once, what a sentence's words can name (a length of
period, its opening "For the second quarter of 2025,") once per sentence, the rest per figure.
"""
from __future__ import annotations

import dataclasses
import re

from .copies import make_figure, make_span
from .filing import Figure, ProsePeriod
from .marks import marker
from .prose_periods import (
    _OPENING,
    BACK_REFERENCE,
    CURRENT,
    _lowered,
    default_period,
    head_period,
    months_named,
    names_no_span,
    part_of,
    period_after,
    respective_dates,
)
from .prose_scan import _UNIT_AFTER, numbers

_MARKERS_ETC = re.compile(r"(?=[\^⁰¹²³⁴⁵⁶⁷⁸⁹*\\])(?:" + marker() + r"|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\*\*|\\)")
_SUPERSCRIPT = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]")
_NO_BREAK_BEFORE = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr|No|Inc|Co|Ltd|Corp|U\.S|e\.g|i\.e|vs|approx)\.)[”\"]?$")
#: How a _NO_BREAK_BEFORE match ends.
_ABBREVIATIONS = tuple(word + "." + quote for word in ("Mr", "Ms", "Mrs", "Dr", "No", "Inc", "Co", "Ltd", "Corp", "U.S", "e.g",
                                                       "i.e", "vs", "approx") for quote in ("", "”", '"'))
#: Where a sentence ends (prose_periods._SENTENCE_END's matches as group 1), found from the mark before
#: them (a scan that skips to the marks fast): the spaces after a mark are never a mark.
_SENTENCE_BREAK = re.compile(r"[.!?”\"](\s+)(?=[A-Z“\"(*\[])")
#: Words that only join figures of one item: "$51.8 million, or $1.05 per share ($1.04 ...".
_JOINING = re.compile(r"[\s,;()]*(?:(?:or|to|per\s+(?:basic\s+|diluted\s+)?(?:share|ADS))[\s,;()]*)*", re.IGNORECASE)
#: The base a change is measured from, right after it: "decreased 0.7 percent from ...".
_COMPARED_FROM = re.compile(r"\s*,?\s*(?:from|compared\s+(?:to|with)|versus|vs\.?|over)\b", re.IGNORECASE)
_OWN_CLAUSE = re.compile(r"[;:,]|\band\b")
_FROM_BEFORE = re.compile(r"\b(?:increased|decreased|improved|narrowed|widened|grew|rose|fell|declined|changed)\b[^.;]*"
                          r"\bfrom\s+\(?$", re.IGNORECASE)
_TO_NEXT = re.compile(r"\)?\s*to\s+(?:RMB|US\$|HK\$|\$)?\s?\(?[\d.]")
_YEAR_BEFORE = re.compile(r"\b(?:for|in|during)\s+(?:fiscal\s+(?:year\s+)?)?((?:19|20)\d\d)\s+(?:were|was|of|totaled|totalled)\s+$",
                          re.IGNORECASE)
#: The words between a figure and its US$ translation: "RMB40.87 billion (US$5.60 billion)".
_TRANSLATED = ("(", "or", "(or")


def sentences_of(line: str) -> list[tuple[int, int]]:
    """Sentence spans (0-based, end exclusive) of one prose line."""
    match = _SENTENCE_BREAK.search(line)
    if match is None:  # (most lines: one sentence)
        return [(0, len(line))]
    spans, start = [], 0
    while match:
        at = match.start(1)
        # an abbreviation ends within the last 10 characters; searching only there is the same test
        if not (line.endswith(_ABBREVIATIONS, max(start, at - 10), at)
                and _NO_BREAK_BEFORE.search(line, max(start, at - 10), at)):
            spans.append((start, at))
            start = match.end()
        match = _SENTENCE_BREAK.search(line, match.end())
    spans.append((start, len(line)))
    return spans


def last_clause(text: str) -> str:
    """_OWN_CLAUSE.split(text)[-1]: the words after the last ';', ':', ',' or word 'and' (found from
    the end, not by splitting the whole text)."""
    cut = max(text.rfind(";"), text.rfind(":"), text.rfind(",")) + 1
    end = len(text)
    while (k := text.rfind("and", cut, end)) >= 0:
        if (k == 0 or not (text[k - 1].isalnum() or text[k - 1] == "_")) and (
                k + 3 == len(text) or not (text[k + 3].isalnum() or text[k + 3] == "_")):
            return text[k + 3:]
        end = k + 2
    return text[cut:]


def _from_before(head: str) -> bool:
    """_FROM_BEFORE.search(head), searched only when the head ends as a match does: 'from', spaces
    and perhaps '('."""
    words = head[:-1] if head.endswith("(") else head
    return words[-1:].isspace() and words.rstrip()[-4:].lower() == "from" and _FROM_BEFORE.search(head) is not None


def clean_phrase(text: str) -> str:
    if "^" in text or "*" in text or "\\" in text or not text.isascii() and _SUPERSCRIPT.search(text):
        # (what _MARKERS_ETC can start with)
        text = _MARKERS_ETC.sub("", text)
    return " ".join(text.split()).strip(" ,;:(-–—")  # runs of whitespace as one space


def _period_words(tail: str) -> bool:
    """May period_after find words naming a period in ``tail`` (or in any end of it)? False only
    when none of the words its patterns need is there."""
    low = _lowered(tail)
    return low is None or "19" in tail or "20" in tail or "year" in low or "quarter" in low or "as of " in low \
        or "as at " in low or "same " in low or "sequential" in low


def figures_in_line(number: int, line: str, footnotes, sentence_base: int, follow: str = "", carry: str = "",
                    cal=None, sentences=None, rates=(), found=None, memo=None) -> list[Figure]:
    """The figures of one prose line (``follow``: the next line, where the scale word of a figure
    that ends the line is printed: "$28" / "million"; ``sentences``: the line's, when known;
    ``rates``: the (col, end_col) of the facts stated on the line, whose figures are rates;
    ``found``: its numbers as prose_scan.scan finds them; ``memo``: a dict kept over one filing's lines
    (read with one ``cal``), where the words a release repeats are read once: those between two figures
    by their text, those after a figure (the period they name) by (words, months))."""
    if memo is None:
        memo = {}
    raw, exact = numbers(line, footnotes, follow, found)
    if not raw:
        return []
    # ``exact``: a currency right after a letter or digit ("xRMB5") makes the words before it end inside
    # a word: then every sentence's words are looked at for each figure, as they are for a figure alone.
    sentences = sentences or sentences_of(line)
    count = len(raw)
    compared, unit_after, to_next = _COMPARED_FROM.match, _UNIT_AFTER.match, _TO_NEXT.match
    sentence_of, periods, kinds, phrases, contexts = [], [], [], [], []
    si, (s_start, s_end) = -1, (0, -1)
    first_of = phrase = spanless = opens = None  # (of the sentence the figure is in)
    prev_end = -1  # where the figure before ends
    for idx, (start, end, _, _, unit, kind, _, scale) in enumerate(raw):
        if start > s_end:  # the first figure of a sentence (the figures are in order)
            while not sentences[si + 1][0] <= start <= sentences[si + 1][1]:
                si += 1
            si += 1
            s_start, s_end = sentences[si]
            first_of, spanless, opens = idx, None, None
            between = line[s_start:start]
            phrase = context = clean_phrase(between)  # (the words before it are its sentence's phrase)
        else:
            between = line[prev_end:start]
            context = memo.get(between)
            if context is None:
                context = memo[between] = clean_phrase(between)
            if kind == "amount" and kinds[-1] == "per_share" and not scale and _JOINING.fullmatch(line, prev_end, start):
                kind = "per_share"  # "$1.05 per share ($1.04 diluted)", "from $(1.80) to $(0.42)"
        sentence_of.append(si)
        kinds.append(kind)
        phrases.append(phrase)
        contexts.append(context)
        prev_end = end
        if unit == "USD" and idx and between.strip() in _TRANSLATED:
            periods.append(periods[-1])  # a USD translation in brackets speaks of the same period
            continue
        nxt = raw[idx + 1] if idx + 1 < count else None
        if nxt and nxt[0] < s_end:
            if nxt[4] == "USD" and line[end:nxt[0]].strip() in _TRANSLATED:
                # "RMB40.87 billion (US$5.60 billion) for fiscal year of 2024": the words after its translation
                after = raw[idx + 2][0] if idx + 2 < count and raw[idx + 2][0] < s_end else s_end
                tail = line[nxt[1]:after]
            else:
                tail = line[end:nxt[0]]
        else:
            tail = line[end:s_end]
        head = line[s_start:start]
        if spanless is None or exact:
            spanless = not exact and names_no_span(line[s_start:s_end])
        months = None if spanless else months_named(head) or months_named(tail)
        period = memo.get((tail, months))  # (False: the words after name the base of a change)
        if period is None:
            if compared(tail):
                period = False
            elif _period_words(tail):
                unit_word = unit_after(tail)
                period = period_after(tail[unit_word.end():] if unit_word else tail, months, cal)  # "70,000 customers in 2006"
            else:
                period = default_period(months)
            memo[tail, months] = period
        if period is False:  # "decreased 0.7 percent from ... the prior year": the words after name the base
            period = period_after(head[max(head.rfind(";"), head.rfind(":")) + 1:], months, cal)  # (its last clause)
            if idx != first_of and period_after(last_clause(between), months, cal).kind == "current":
                first = periods[first_of]  # "..., and an increase of 18.3% from": the words before belong
                # to the figure before; the change is of the sentence's period
                period = first if first.months or not months else dataclasses.replace(first, months=months)
            periods.append(period)
            continue
        if period.kind != "current":  # (what period_after gives when no words name a period is "current")
            periods.append(period)
            continue
        if to_next(line, end) and _from_before(head):
            periods.append(ProsePeriod("prior_year", months=months))  # "improved from $(1.80) to $(0.42)"
            continue
        if between[-1:].isspace() and ("19" in between or "20" in between):  # "Reported earnings for 2005 were
            clause = last_clause(between)  # $1.59 billion": it names a year and ends with spaces
            named = _YEAR_BEFORE.search(clause) if clause[-1:].isspace() and ("19" in clause or "20" in clause) else None
            if named:
                periods.append(ProsePeriod("year", year=int(named.group(1)), months=months or 12))
                continue
        lead = carry + " " if si == 0 and carry else ""
        if opens is None or exact:
            opens = exact or _OPENING.match(lead + line[s_start:s_end]) is not None
        if opens:  # "As of June 30, 2025, ...", "For the fourth quarter 2005, ..."
            period = head_period(lead + head, cal) or period
        periods.append(period)
    # Words naming a period after a run of joined figures speak for all of them: "net income of
    # $51.8 million, or $1.05 per share ($1.04 diluted) for the third quarter of fiscal 2023".
    for k in range(count - 2, -1, -1):
        if (periods[k].kind == "current" and periods[k + 1].kind != "current" and sentence_of[k] == sentence_of[k + 1]
                and _JOINING.fullmatch(line, raw[k][1], raw[k + 1][0])):
            periods[k] = periods[k + 1]
    if "espectively" in line:
        respective_dates(line, raw, periods, sentence_of, sentences)
    figures = []
    for k, (start, end, value, decimals, unit, _, fig_scale, scale) in enumerate(raw):
        period, si = periods[k], sentence_of[k]
        # "... amounted to RMB3.20 billion. The rate of these borrowings was 2.09%": the first figure of
        # a sentence that follows one with figures, its words naming no period
        if k and period.kind == "current" and sentence_of[k - 1] == si - 1 and (period is CURRENT or period == CURRENT) \
                and sentence_base + si and periods[k - 1].kind != "current":
            s_start = sentences[si][0]
            if BACK_REFERENCE.search(line, s_start, start) or (
                    unit == raw[k - 1][4] and kinds[k] == kinds[k - 1]
                    and part_of(line, start, s_start, raw[k - 1][0], sentences[si - 1][0])):
                period = periods[k] = periods[k - 1]
        kind = kinds[k]
        if rates and any(col <= start + 1 and end + 1 <= end_col for col, end_col in rates):
            kind = "rate"
        figures.append(make_figure(value, fig_scale, unit, decimals, kind, line[start:end], make_span(number, start + 1, end + 1),
                                   None, None, (), None, phrases[k] or None, contexts[k] or None, period, scale,
                                   sentence_base + si))
    return figures
