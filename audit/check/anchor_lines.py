"""What an anchor matches in one prose line: the figure at a placeholder ('originated {} loans'), and
the figures of a sentence that restate one item (its translation, its comparatives)."""
from __future__ import annotations

import functools
import re
from bisect import bisect_left

from ..lang import nodes as n
from ..read.filing import MONTH, Figure
from .anchor_packs import _boundary
from .prose_text import normalise_anchor


def sentence_group(line, first: Figure, joins: dict[str, bool]) -> list[Figure]:
    """ProseIndex.sentence() of a figure in its line (a _Line): `joins` keeps _joined() of each text
    between two figures, for the filing."""
    figures = line.figures
    for k in range(len(figures)):  # (the place of `first`)
        if figures[k] is first:
            break
    else:
        raise ValueError("the figure is not in its line")
    out = [first]
    size = len(figures)
    if k + 1 == size:  # (the line's last figure)
        return out
    starts, ends, text = line.starts, line.ends, line.text
    family = _family(first, text, ends[k])
    sentence = first.sentence
    for i in range(k + 1, size):
        fig = figures[i]
        if fig.sentence != sentence:
            break
        between = text[ends[i - 1]:starts[i]]
        joined = joins.get(between)  # (_joined(between), once per text between figures for the filing)
        if joined is None:
            joined = joins[between] = _joined(between)
        if not joined:
            break
        if _family(fig, text, ends[i]) == family:
            out.append(fig)
    return out


def _joined(between: str) -> bool:
    """Do the words between two figures only join them ('(', ', compared to ')? Words that are all
    connective once the qualifiers of a period are taken out do too."""
    return bool(_CONNECTIVE.fullmatch(between) or _CONNECTIVE.fullmatch(_QUALIFIERS.sub(" ", between)))


#: Words that only say which period a figure is for.
_QUALIFIERS = re.compile(
    rf"\b(?:in|for|during)\s+the\s+same\s+(?:period|quarter)\s+(?:of|in|last)\s*(?:\d{{4}}|year)?"
    rf"|\b(?:in|for)\s+the\s+(?:prior|previous|preceding|last)\s+(?:quarter|year|period)"
    rf"|\bas\s+(?:of|at)\s+{MONTH}\s+\d{{1,2}},\s*\d{{4}}|\ba\s+year\s+ago|\brespectively"
    rf"|\bsequentially|\byear-over-year|\byear-on-year"
    rf"|\b(?:in|for|during)\s+(?:the\s+)?(?:(?:first|second|third|fourth)\s+quarter|(?:full\s+|fiscal\s+)?year)"
    rf"(?:\s+(?:of\s+)?\d{{4}})?|\b(?:in|for|during)\s+(?:fiscal\s+)?\d{{4}}",
    re.IGNORECASE,
)
#: What may stand between two figures that restate one item: brackets, commas, 'compared to', 'and'.
_CONNECTIVE = re.compile(r"[\s(),;]*(?:(?:compared\s+(?:to|with)|versus|vs\.?|against|and|or)[\s(),;]*)*",
                         re.IGNORECASE)


_FAMILIES = {"percent": "percent", "count": "count", "rate": "rate"}  # a figure's kind -> its family
_PER_SHARE_AFTER = re.compile(r"\s*per\s+(?:\w+\s+){0,2}(?:share|ADS|ADR)\b", re.IGNORECASE)


def _family(fig: Figure, text: str, end: int) -> str:
    """Amounts restate amounts, percentages percentages; '$0.89 per share' is a per-share amount
    (the 40 characters of the line's text after the figure's end say so)."""
    family = _FAMILIES.get(fig.kind, "amount")
    if family == "amount" and _PER_SHARE_AFTER.match(text, end, end + 40):
        return "per_share"
    return family


def _matches(anchor, line, offset: int):
    """(start, end, figure-at-placeholder or None) for each match of an anchor in a line."""
    if isinstance(anchor, n.Pattern):
        for m in anchor.regex().finditer(line.text, offset):
            yield m.start(), m.end(), None
        return
    text = normalise_anchor(anchor.value)
    if "{}" in text:
        prefix, suffix, _ = _template(anchor.value)
        for fig, start, end in zip(line.figures, line.starts, line.ends):
            if start < offset:
                continue
            head = line.text[:start].rstrip()
            tail = line.text[end:].lstrip()
            if prefix and not (head.endswith(prefix) and _boundary(line.text, len(head) - len(prefix), prefix)):
                continue
            if suffix and not (tail.startswith(suffix) and _boundary(tail, 0, suffix)):
                continue
            begin = len(head) - len(prefix) if prefix else start
            yield begin, end + (len(line.text[end:]) - len(tail)) + len(suffix), fig
        return
    begin = line.text.find(text, offset)
    while begin >= 0:
        if _boundary(line.text, begin, text):
            yield begin, begin + len(text), None
        begin = line.text.find(text, begin + 1)


@functools.lru_cache(maxsize=1024)
def _template(value: str) -> tuple[str, str, str]:
    """(prefix, suffix, the longer of the two) of an anchor with a placeholder, normalised: once per anchor."""
    prefix, suffix = (part.strip() for part in normalise_anchor(value).split("{}", 1))
    return prefix, suffix, max((prefix, suffix), key=len)


def _ascending(starts) -> bool:
    return all(a <= b for a, b in zip(starts, starts[1:]))


def _after_prefix(prefix: str, suffix: str, line, offset: int) -> list[tuple]:
    """_matches() of an anchor with a placeholder and a prefix, in a line whose figures start in order:
    from each place of the prefix, the figures that start after it and white space alone (those whose
    text before them, white space stripped, ends with the prefix), then the suffix checked as there."""
    text, starts, ends, figures = line.text, line.starts, line.ends, line.figures
    size, count, length = len(prefix), len(starts), len(text)
    out = []
    at = text.find(prefix)
    while at >= 0:
        after = at + size
        spaced = after
        while spaced < length and text[spaced].isspace():
            spaced += 1
        i = bisect_left(starts, after)
        while i < count and starts[i] <= spaced:
            start, end = starts[i], ends[i]
            i += 1
            if start < offset or not _boundary(text, at, prefix):
                continue
            tail = end
            while tail < length and text[tail].isspace():
                tail += 1
            if suffix and not (text.startswith(suffix, tail) and _boundary(text[tail:tail + len(suffix) + 1], 0, suffix)):
                continue
            out.append((at, tail + len(suffix), figures[i - 1]))
        at = text.find(prefix, at + 1)
    return out
