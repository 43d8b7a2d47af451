"""Finding prose figures by anchor phrases: `prose["Total outstanding loan balance" / "from"]`.

Matching runs on a normalised copy of each prose line (footnote markers, bold markers and
escapes removed, quotes and dashes made plain, white space collapsed), so that an anchor is
written as a reader sees the sentence. Quoted anchors match case-sensitively on word
boundaries; /patterns/ take their own flags.
"""
from __future__ import annotations

import heapq
import re
from bisect import bisect_right
from typing import Optional

from ..lang import nodes as n
from ..read.filing import Figure, Filing
from ..read.numbers import plain_text
from .anchor_lines import _after_prefix, _ascending, _matches, _template, sentence_group
from .anchor_packs import (
    _PROBE,
    _boundary,
    _content,
    _label_key,
    _longer_anchors,
    _quoted,
    _suffix_groups,
    pattern_matches,
)
from .prose_text import escapes, normalise, normalise_anchor, normalised_text, places, spaced, untouched_text


class _Line:
    __slots__ = ("number", "text", "figures", "starts", "ends")

    def __init__(self, number: int, raw: str, figures: list[Figure]):
        self.number = number
        self.figures = figures
        if not figures:  # (most lines: their text only, and no new lists)
            self.figures = self.starts = self.ends = _NONE
            text = untouched_text(raw)
            if text is None:
                text = plain_text(raw.replace("\\$", "$")) if escapes(raw) is not None else normalised_text(raw)
            self.text = text
            return
        if "\\" in raw:  # (never untouched)
            found = escapes(raw)
            if found is not None:  # (a line with '\\$' only: each place less the escapes before it)
                self.text = text = plain_text(raw.replace("\\$", "$"))
                self.starts, self.ends = places(figures, len(text), found)
                return
        else:
            found = spaced(raw)
            if found is not None:  # (spaces dropped alone, if any: each place less those before it)
                self.text = text = found[0]
                self.starts, self.ends = places(figures, len(text), found[1])
                return
        self.text, offsets = normalise(raw)
        self.starts = [offsets.to_norm(f.span.col - 1) for f in figures]
        self.ends = [offsets.to_norm(f.span.end_col - 1) for f in figures]


_NONE: tuple = ()  # a line's figures and their places when it has none


class ProseIndex:
    """Prose lines with their figures, searchable by anchor paths."""

    def __init__(self, filing: Filing, anchors: tuple[str, ...] = ()):
        """`anchors`: every quoted anchor of the pack. An anchor never matches where it ends a longer
        one of the pack that starts before it: "net income was" is not found inside "non-GAAP net
        income was" when both are anchors (a qualified measure is another measure)."""
        self._longer = _longer_anchors(tuple(anchors))
        self._groups, self._group_of = _suffix_groups(tuple(anchors))
        self._grouped: dict[str, list[int]] = {}  # an anchor of a group -> every place it is printed at
        by_line: dict[int, list[Figure]] = {}
        for fig in filing.prose:
            by_line.setdefault(fig.span.line, []).append(fig)
        table_lines = {r.span.line for t in filing.tables for r in t.rows}
        table_lines.update([c.span.line for t in filing.tables for r in t.rows for c in r.cells if c is not None])
        self.lines = [  # (a line that is not all white space: raw.strip())
            _Line(number, raw, by_line.get(number, _NONE))
            for number, raw in enumerate(filing.lines, start=1)
            if number not in table_lines and raw and not raw.isspace()
        ]
        # One searchable text of all prose lines, so an anchor is found with str.find, not per line.
        self.doc = "\n".join(line.text for line in self.lines)
        self.offsets: list[int] = []
        at = 0
        for line in self.lines:
            self.offsets.append(at)
            at += len(line.text) + 1
        self._cache: dict = {}
        self._found: dict[str, list[tuple]] = {}  # quoted anchor -> its matches
        self._sentences: dict[tuple[int, int], tuple] = {}  # (line index, id(first)) -> (first, sentence())
        self._joins: dict[str, bool] = {}  # the text between two figures of a sentence -> _joined(it)

    def _occurrences(self, anchor: n.Label, start: tuple[int, int] = (0, 0),
                     stop: Optional[tuple[int, int]] = None):
        """(line index, start, end, figure or None) of each match of any of the anchor's
        alternatives, in reading order, from `start` up to `stop`."""
        streams = [self._option(option, start, stop) for option in anchor.options]
        merged = streams[0] if len(streams) == 1 else heapq.merge(*streams, key=lambda m: (m[0], m[1]))
        for li, begin, end, fig in merged:
            if stop is not None and (li, begin) >= stop:
                return
            yield li, begin, end, fig

    def _option(self, option, start: tuple[int, int], stop: Optional[tuple[int, int]] = None):
        """Matches of one anchor option in reading order, from `start` (a quoted anchor's: up to `stop`)."""
        if isinstance(option, n.Text) and "{}" in option.value:
            # Only lines holding the anchor's words can match: find them with one search.
            prefix, suffix, words = _template(option.value)
            pos = self.offsets[start[0]] + start[1] if self.lines else 0
            seen = -1
            hit = self.doc.find(words, pos) if words else -1
            lines = range(start[0], len(self.lines)) if not words else []
            while hit >= 0:
                li = bisect_right(self.offsets, hit) - 1
                if li != seen:
                    lines.append(li)
                    seen = li
                hit = self.doc.find(words, hit + 1)
            for li in lines:
                offset = start[1] if li == start[0] else 0
                line = self.lines[li]
                if not line.figures:  # (a placeholder is a figure: nothing to match)
                    continue
                if prefix and _ascending(line.starts):  # (the figures after each place of the prefix)
                    found = _after_prefix(prefix, suffix, line, offset)
                else:
                    found = _matches(option, line, offset)
                for begin, end, fig in found:
                    yield li, begin, end, fig
            return
        pos = self.offsets[start[0]] + start[1] if self.lines else 0
        if isinstance(option, n.Pattern):
            for m in pattern_matches(option.regex(), self.doc, pos):
                li = bisect_right(self.offsets, m.start()) - 1
                if "\n" not in m.group():
                    yield li, m.start() - self.offsets[li], m.end() - self.offsets[li], None
            return
        text = normalise_anchor(option.value)
        if not text:
            return
        if pos == 0 and stop is None:  # every match (a path's first anchor): found once per filing
            yield from self._hits(text)
            return
        end = self.offsets[stop[0]] + stop[1] + len(text) - 1 if stop is not None else len(self.doc)
        for hit in self._hits_from(text, pos, end):
            yield hit

    def _hits(self, text: str) -> list[tuple]:
        """Every match of a quoted anchor in the prose, found once per filing: (line index, start,
        end, None) of each."""
        found = self._found.get(text)
        if found is None:
            key = self._group_of.get(text)
            if key is None:
                found = self._scan(text, 0, len(self.doc), False)
            else:  # the places of its group's anchors, all found with one search
                places = self._grouped.get(text)
                if places is None:
                    self._search_group(key)
                    places = self._grouped[text]
                found = self._matches_at(text, places)
            self._found[text] = found
        return found

    def _search_group(self, key: str) -> None:
        """Every place each anchor of a group is printed at: after each place of their last word (the
        key, ' was'), the anchors whose _PROBE characters before it are those printed there."""
        probes = self._groups[key]
        grouped = self._grouped
        for members in probes.values():
            for text in members:
                grouped[text] = []
        doc, size = self.doc, len(key)
        find, startswith, get = doc.find, doc.startswith, probes.get
        q = find(key)
        while q >= 0:
            if q >= _PROBE:
                for text in get(doc[q - _PROBE:q], ()):
                    begin = q + size - len(text)
                    if begin >= 0 and startswith(text, begin):
                        grouped[text].append(begin)
            q = find(key, q + 1)

    def _matches_at(self, text: str, places, first: bool = False) -> list[tuple]:
        """The matches of a quoted anchor among the places it is printed at (an iterable of offsets
        in the prose, in order): not inside a word, nor inside a longer anchor of the pack (only the
        first match, if `first`)."""
        longer = self._longer.get(text, ())
        offsets, size = self.offsets, len(text)
        out = []
        for begin in places:
            li = bisect_right(offsets, begin) - 1
            local = begin - offsets[li]
            line_text = self.lines[li].text
            if _boundary(line_text, local, text) and not (longer and any(
                    line_text.startswith(long, local - at) for long, at in longer if local >= at)):
                out.append((li, local, local + size, None))
                if first:
                    break
        return out

    def _hits_from(self, text: str, pos: int, end: int):
        """Matches of a quoted anchor that lie in the searchable text between pos and end."""
        yield from self._scan(text, pos, end, False)

    def _scan(self, text: str, pos: int, end: int, first: bool) -> list[tuple]:
        """The matches of a quoted anchor between pos and end (only the first, if `first`)."""
        return self._matches_at(text, _printed(self.doc.find, text, pos, end), first)

    def _all(self, anchor: n.Label) -> list[tuple]:
        """list(_occurrences(anchor)): for quoted anchors, from the matches found once per filing."""
        texts = _quoted(anchor)
        if texts is None:  # (found once per filing for anchors written alike)
            key = _label_key(anchor)
            found = self._found.get(key)
            if found is None:
                found = self._found[key] = list(self._occurrences(anchor))
            return found
        if len(texts) == 1:
            return self._hits(texts[0])
        return sorted((hit for text in texts for hit in self._hits(text)), key=_place)  # ties: option order

    def _first(self, anchor: n.Label, at: tuple[int, int], stop: Optional[tuple[int, int]]):
        """next(_occurrences(anchor, at, stop), None), for quoted anchors without a generator."""
        texts = _quoted(anchor)
        if texts is None:
            return next(self._occurrences(anchor, at, stop), None)
        pos = self.offsets[at[0]] + at[1]
        best = None
        for text in texts:
            end = self.offsets[stop[0]] + stop[1] + len(text) - 1 if stop is not None else len(self.doc)
            hit = self._scan(text, pos, end, True)
            if hit and (best is None or _place(hit[0]) < _place(best)):  # ties: the earlier option's
                best = hit[0]
        return best

    def find(self, anchors: tuple) -> list[Optional[tuple[int, Figure]]]:
        """For each match of the first anchor: (line index, figure) after the whole path, or None."""
        hit = self._cache.get(id(anchors))  # a reference's anchors (a tuple its node holds)
        if hit is not None and hit[0] is anchors:
            return hit[1]
        key = _content(anchors)  # the same anchors in another tuple, or written alike in another reference
        found = self._cache.get(key)
        if found is not None:
            self._cache[id(anchors)] = (anchors, found)  # (the anchors kept: their ids stay theirs)
            return found
        firsts = self._all(anchors[0])
        results: list[Optional[tuple[int, Figure]]] = []
        rest, last = anchors[1:], len(firsts) - 1
        for k, (li, begin, end, fig) in enumerate(firsts):
            if rest:
                stop = (firsts[k + 1][0], firsts[k + 1][1]) if k < last else None
                at = (li, end)
                for anchor in rest:
                    nxt = self._first(anchor, at, stop)
                    if nxt is None:
                        fig, at = None, None
                        break
                    li, begin, end, fig = nxt
                    at = (li, end)
                if at is None:
                    results.append(None)
                    continue
            if fig is None:  # the first figure at or after the path's end in its line
                line = self.lines[li]
                for candidate, start in zip(line.figures, line.starts):
                    if start >= end:
                        fig = candidate
                        break
            results.append((li, fig) if fig is not None else None)
        self._cache[id(anchors)] = (anchors, results)  # (the anchors kept: their ids stay theirs)
        self._cache[key] = results
        return results

    def rest_of_sentence(self, line_index: int, first: Figure) -> list[Figure]:
        """`first` and every figure after it in its sentence."""
        line = self.lines[line_index]
        return [f for f in line.figures if f.sentence == first.sentence and f.span.col >= first.span.col]

    def sentence(self, line_index: int, first: Figure) -> list[Figure]:
        """`first` and the figures that restate the same item after it in its sentence: its
        translation in brackets and its comparatives ('compared to RMB4,320.0 million in the
        same period of 2022, and RMB3,906.6 million in the prior quarter'). The group ends
        where the words between two figures start another statement ('and non-GAAP net
        income was')."""
        return list(self.sentence_figures(line_index, first))

    def sentence_figures(self, line_index: int, first: Figure) -> tuple[Figure, ...]:
        """sentence(), as a tuple kept for the filing (not to be changed)."""
        key = (line_index, id(first))
        hit = self._sentences.get(key)
        if hit is not None and hit[0] is first:
            return hit[1]
        out = tuple(self._sentence(line_index, first))
        self._sentences[key] = (first, out)
        return out

    def restated(self, anchors: tuple) -> list[Figure]:
        """The figures a `restates` rule checks: sentence_figures() of each match of the anchor path, in order."""
        out: list[Figure] = []
        sentence = self.sentence_figures
        for hit in self.find(anchors):
            if hit is not None:
                out.extend(sentence(*hit))
        return out

    def _sentence(self, line_index: int, first: Figure) -> list[Figure]:
        return sentence_group(self.lines[line_index], first, self._joins)


def _place(match: tuple) -> tuple[int, int]:
    return match[0], match[1]


_UP = (r"increas(?:e|ed|es|ing)|gr[eo]w(?:n|th|s|ing)?|rose|risen|rising|up|higher|gain(?:ed|s)?|"
       r"improv(?:ed|ement|ing)|expand(?:ed|ing)?|climb(?:ed)?")
_DOWN = (r"decreas(?:e|ed|es|ing)|declin(?:e|ed|es|ing)|fell|fallen|falling|down|lower|drop(?:ped|s)?|"
         r"reduc(?:ed|tion)|contract(?:ed|ion)|shr[au]nk")
_DIRECTION = re.compile(rf"\b(?:(?P<up>{_UP})|(?P<down>{_DOWN}))\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;:]\s|\d")  # a sentence or clause boundary, or another number


def direction(fig: Figure, line: str) -> tuple[int, str]:
    """+1 or -1 as the words next to a prose figure say it rose or fell ("decreased 3.2 percent",
    "down 21%", "3.9 pts higher"), with the word; (0, "") when no such word is next to it."""
    before = line[:fig.span.col - 1]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before[-80:])), default=0)
    window = before[-80:][cut:]
    found = list(_DIRECTION.finditer(window))
    if not found:
        after = line[fig.span.end_col - 1:][:30]
        after = re.split(r"[.;:,]|\d", after, maxsplit=1)[0]
        found = list(_DIRECTION.finditer(after))[:1]
    if not found:
        return 0, ""
    word = found[-1]
    return (1 if word.group("up") else -1), word.group(0)


def _printed(find, text: str, pos: int, end: int):
    """Each offset between pos and end where text is printed, in order (found as they are asked for)."""
    begin = find(text, pos, end)
    while begin >= 0:
        yield begin
        begin = find(text, begin + 1, end)
