"""The figures of one prose line, each with the phrase it belongs to, the words between it and the
figure before, and the period its sentence speaks of.

A line is read in one pass: its sentences once, what a sentence's words can name (a length of
period, its opening "For the second quarter of 2025,") once per sentence, the rest per figure.
"""
from __future__ import annotations

import dataclasses
import re

from .filing import Figure, ProsePeriod, Span
from .prose_periods import (
    _OPENING,
    BACK_REFERENCE,
    CURRENT,
    head_period,
    months_named,
    names_no_span,
    part_of,
    period_after,
    respective_dates,
)
from .prose_scan import _UNIT_AFTER, numbers

_MARKERS_ETC = re.compile(r"(?=[\^⁰¹²³⁴⁵⁶⁷⁸⁹*\\])(?:\^\{\*?\d+\}|[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\*\*|\\)")
_SUPERSCRIPT = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]")
_NO_BREAK_BEFORE = re.compile(r"(?:\b(?:Mr|Ms|Mrs|Dr|No|Inc|Co|Ltd|Corp|U\.S|e\.g|i\.e|vs|approx)\.)[”\"]?$")
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
_CLAUSE_BREAK = re.compile(r"[;:]")
#: The words between a figure and its US$ translation: "RMB40.87 billion (US$5.60 billion)".
_TRANSLATED = ("(", "or", "(or")


def sentences_of(line: str) -> list[tuple[int, int]]:
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


def clean_phrase(text: str) -> str:
    if "^" in text or "*" in text or "\\" in text or not text.isascii() and _SUPERSCRIPT.search(text):
        # (what _MARKERS_ETC can start with)
        text = _MARKERS_ETC.sub("", text)
    return " ".join(text.split()).strip(" ,;:(-–—")  # runs of whitespace as one space


def _maker(cls, names):
    """A function of the values of ``names`` making a ``cls`` (a frozen dataclass with slots and no
    __post_init__) as its __init__ would, the other fields at their defaults, at less cost."""
    fields = dataclasses.fields(cls)
    assert not hasattr(cls, "__post_init__") and all(f.init for f in fields)
    env, lines = {"new": object.__new__, "cls": cls}, []
    for k, f in enumerate(fields):
        env[f"set{k}"] = getattr(cls, f.name).__set__  # the slot's descriptor
        if f.name in names:
            value = f.name
        elif f.default is not dataclasses.MISSING:
            env[f"default{k}"], value = f.default, f"default{k}"
        else:
            raise TypeError(f"{cls.__name__}.{f.name} has no plain default")
        lines.append(f" set{k}(made, {value})")
    exec(f"def make({', '.join(names)}):\n made = new(cls)\n" + "\n".join(lines) + "\n return made\n", env)
    return env["make"]


_figure = _maker(Figure, ("value", "scale", "unit", "decimals", "kind", "text", "span", "phrase", "context", "period",
                          "scale_word", "sentence"))
_span = _maker(Span, ("line", "col", "end_col"))


def figures_in_line(number: int, line: str, footnotes, sentence_base: int, follow: str = "", carry: str = "",
                    cal=None, sentences=None, rates=()) -> list[Figure]:
    """The figures of one prose line (``follow``: the next line, where the scale word of a figure
    that ends the line is printed: "$28" / "million"; ``sentences``: the line's, when known;
    ``rates``: the (col, end_col) of the facts stated on the line, whose figures are rates)."""
    raw, exact = numbers(line, footnotes, follow)
    if not raw:
        return []
    sentences = sentences or sentences_of(line)
    count = len(raw)
    sentence_of, s_index = [], 0
    for r in raw:
        while not sentences[s_index][0] <= r[0] <= sentences[s_index][1]:  # the figures are in order
            s_index += 1
        sentence_of.append(s_index)
    # ``exact``: a currency right after a letter or digit ("xRMB5") makes the words before it end inside
    # a word: then every sentence's words are looked at for each figure, as they are for a figure alone.
    spanless: dict[int, bool] = {}  # sentence index -> its words name no length of period ('full year')
    opens: dict[int, bool] = {}  # sentence index -> it may open with words naming its period
    periods: list[ProsePeriod] = []
    phrases: list[str] = []
    contexts: list[str] = []
    first_of = -1  # the first figure of the current sentence
    for idx in range(count):
        start, end, _, _, unit, _, _, _ = raw[idx]
        si = sentence_of[idx]
        s_start, s_end = sentences[si]
        same_before = idx and sentence_of[idx - 1] == si
        if not same_before:
            first_of = idx
        prev_end = raw[idx - 1][1] if idx and raw[idx - 1][1] >= s_start else s_start
        nxt = raw[idx + 1] if idx + 1 < count else None
        next_start = nxt[0] if nxt and nxt[0] < s_end else s_end
        between = line[prev_end:start]
        if first_of == idx:  # (the words before it are its sentence's phrase)
            phrases.append(clean_phrase(between))
            contexts.append(phrases[-1])
        else:
            phrases.append(phrases[-1])
            contexts.append(clean_phrase(between))
        if unit == "USD" and idx and between.strip() in _TRANSLATED:
            periods.append(periods[-1])  # a USD translation in brackets speaks of the same period
            continue
        head = line[s_start:start]
        if nxt and nxt[4] == "USD" and nxt[0] < s_end and line[end:nxt[0]].strip() in _TRANSLATED:
            # "RMB40.87 billion (US$5.60 billion) for fiscal year of 2024": the words after its translation
            after = raw[idx + 2][0] if idx + 2 < count and raw[idx + 2][0] < s_end else s_end
            tail = line[nxt[1]:after]
        else:
            tail = line[end:next_start]
        none_named = spanless.get(si)
        if none_named is None or exact:
            none_named = spanless[si] = not exact and names_no_span(line[s_start:s_end])
        months = None if none_named else months_named(head) or months_named(tail)
        if _COMPARED_FROM.match(tail):  # "decreased 0.7 percent from ... the prior year": the
            period = period_after(_CLAUSE_BREAK.split(head)[-1], months, cal)  # words after name the base
            if same_before and prev_end > s_start \
                    and period_after(_OWN_CLAUSE.split(between)[-1], months, cal).kind == "current":
                first = periods[first_of]  # "..., and an increase of 18.3% from": the words before belong
                # to the figure before; the change is of the sentence's period
                period = first if first.months or not months else dataclasses.replace(first, months=months)
            periods.append(period)
            continue
        unit_word = _UNIT_AFTER.match(tail)
        period = period_after(tail[unit_word.end():] if unit_word else tail, months, cal)  # "70,000 customers in 2006"
        if period.kind != "current":  # (what period_after gives when no words name a period is "current")
            periods.append(period)
            continue
        if _TO_NEXT.match(line, end) and _FROM_BEFORE.search(head):
            periods.append(ProsePeriod("prior_year", months=months))  # "improved from $(1.80) to $(0.42)"
            continue
        if between[-1:].isspace() and ("19" in between or "20" in between):  # "Reported earnings for 2005 were
            clause = _OWN_CLAUSE.split(between)[-1]  # $1.59 billion": it names a year and ends with spaces
            named = _YEAR_BEFORE.search(clause) if clause[-1:].isspace() and ("19" in clause or "20" in clause) else None
            if named:
                periods.append(ProsePeriod("year", year=int(named.group(1)), months=months or 12))
                continue
        lead = carry + " " if si == 0 and carry else ""
        may_open = opens.get(si)
        if may_open is None or exact:
            may_open = opens[si] = exact or _OPENING.match(lead + line[s_start:s_end]) is not None
        if may_open:  # "As of June 30, 2025, ...", "For the fourth quarter 2005, ..."
            period = head_period(lead + head, cal) or period
        periods.append(period)
    kinds = [r[5] for r in raw]
    for k in range(1, count):  # "$1.05 per share ($1.04 diluted)", "from $(1.80) to $(0.42)"
        if (kinds[k] == "amount" and kinds[k - 1] == "per_share" and not raw[k][7] and sentence_of[k] == sentence_of[k - 1]
                and _JOINING.fullmatch(line, raw[k - 1][1], raw[k][0])):
            kinds[k] = "per_share"
    # Words naming a period after a run of joined figures speak for all of them: "net income of
    # $51.8 million, or $1.05 per share ($1.04 diluted) for the third quarter of fiscal 2023".
    for k in range(count - 2, -1, -1):
        if (periods[k].kind == "current" and periods[k + 1].kind != "current" and sentence_of[k] == sentence_of[k + 1]
                and _JOINING.fullmatch(line, raw[k][1], raw[k + 1][0])):
            periods[k] = periods[k + 1]
    respective_dates(line, raw, periods, sentence_of, sentences)
    for k in range(1, count):  # "... amounted to RMB3.20 billion. The rate of these borrowings was 2.09%"
        here, si = periods[k], sentence_of[k]
        if here.kind != "current" or here is not CURRENT and here != CURRENT or not sentence_base + si:
            continue
        if sentence_of[k - 1] != si - 1:
            continue  # only the first figure of a sentence that follows one with figures
        last = periods[k - 1]
        if last.kind == "current":
            continue
        s_start = sentences[si][0]
        if BACK_REFERENCE.search(line, s_start, raw[k][0]) or (
                raw[k][4] == raw[k - 1][4] and kinds[k] == kinds[k - 1]
                and part_of(line, raw[k][0], s_start, raw[k - 1][0], sentences[si - 1][0])):
            periods[k] = last
    figures = []
    for k, (start, end, value, decimals, unit, kind, fig_scale, scale) in enumerate(raw):
        kind = kinds[k]
        if rates and any(col <= start + 1 and end + 1 <= end_col for col, end_col in rates):
            kind = "rate"
        figures.append(_figure(value, fig_scale, unit, decimals, kind, line[start:end], _span(number, start + 1, end + 1),
                               phrases[k] or None, contexts[k] or None, periods[k], scale, sentence_base + sentence_of[k]))
    return figures
