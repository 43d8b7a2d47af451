"""What is known of a pack's anchors without a filing, worked out once per pack or anchor: the longer
anchors that hold each one, the anchors that share a last word (found by one search), each anchor's
normalised texts and what it matches by."""
from __future__ import annotations

import functools
from re import _constants, _parser
from typing import Optional

from ..lang import nodes as n
from .prose_text import normalise_anchor


@functools.lru_cache(maxsize=64)
def _suffix_groups(anchors: tuple[str, ...]) -> tuple[dict[str, dict[str, tuple[str, ...]]], dict[str, str]]:
    """The pack's quoted anchors that end in a common last word (' was', ' were'): found together, by
    one search for that word, not one search of the prose each. ({key: {the _PROBE characters before
    it: anchors}}, {anchor: key}); groups of fewer than _GROUPED anchors are left out. Once per pack."""
    by_key: dict[str, list[str]] = {}
    for text in sorted({normalise_anchor(a) for a in anchors if "{}" not in a}):
        cut = text.rfind(" ")
        if cut > 0 and cut >= _PROBE:
            by_key.setdefault(text[cut:], []).append(text)
    groups: dict[str, dict[str, tuple[str, ...]]] = {}
    group_of: dict[str, str] = {}
    for key, texts in by_key.items():
        if len(texts) < _GROUPED:
            continue
        probes: dict[str, tuple[str, ...]] = {}
        for text in texts:
            probe = text[len(text) - len(key) - _PROBE:len(text) - len(key)]
            probes[probe] = probes.get(probe, ()) + (text,)
            group_of[text] = key
        groups[key] = probes
    return groups, group_of


_PROBE = 4  # characters before a group's last word that say which of its anchors may end there
_GROUPED = 3  # anchors with one last word that are found together


@functools.lru_cache(maxsize=64)
def _longer_anchors(anchors: tuple[str, ...]) -> dict[str, list[tuple[str, int]]]:
    """For each anchor, the longer anchors of the pack that hold it after their start: (longer, where).
    Computed once per pack (anchors in a stable order), not per filing."""
    out: dict[str, list[tuple[str, int]]] = {}
    texts = sorted({normalise_anchor(a) for a in anchors if "{}" not in a}, key=len)
    for i, short in enumerate(texts):
        for long in texts[i + 1:]:
            at = long.find(short, 1)
            while at >= 0:
                if _boundary(long, at, short):
                    out.setdefault(short, []).append((long, at))
                at = long.find(short, at + 1)
    return out


def _boundary(haystack: str, begin: int, needle: str) -> bool:
    """The match does not start or end inside a word."""
    end = begin + len(needle)
    if needle[:1].isalnum() and begin > 0 and haystack[begin - 1].isalnum():
        return False
    if needle[-1:].isalnum() and end < len(haystack) and haystack[end].isalnum():
        return False
    return True


def _quoted(anchor: n.Label) -> Optional[tuple[str, ...]]:
    """The normalised texts of an anchor whose alternatives are all quoted without '{}' (empty ones
    left out: they match nothing), or None."""
    hit = _QUOTED.get(id(anchor))
    if hit is not None and hit[0] is anchor:
        return hit[1]
    texts: Optional[tuple[str, ...]] = ()
    for option in anchor.options:
        if not isinstance(option, n.Text) or "{}" in option.value:
            texts = None
            break
        text = normalise_anchor(option.value)
        if text:
            texts += (text,)
    if len(_QUOTED) > 20_000:
        _QUOTED.clear()
    _QUOTED[id(anchor)] = (anchor, texts)
    return texts


_QUOTED: dict[int, tuple] = {}  # id(anchor) -> (anchor, _quoted(anchor))


def _content(anchors: tuple) -> tuple:
    """What a path of anchors matches by: _label_key of each (once per tuple)."""
    hit = _CONTENT.get(id(anchors))
    if hit is not None and hit[0] is anchors:
        return hit[1]
    key = tuple(_label_key(a) for a in anchors)
    if len(_CONTENT) > 20_000:
        _CONTENT.clear()
    _CONTENT[id(anchors)] = (anchors, key)
    return key


def _label_key(anchor: n.Label) -> tuple:
    """What an anchor matches by: each option's text, or pattern and flags (once per anchor)."""
    hit = _CONTENT.get(id(anchor))
    if hit is not None and hit[0] is anchor:
        return hit[1]
    key = tuple((o.value,) if isinstance(o, n.Text) else (o.source, o.flags) for o in anchor.options)
    if len(_CONTENT) > 20_000:
        _CONTENT.clear()
    _CONTENT[id(anchor)] = (anchor, key)
    return key


_CONTENT: dict[int, tuple] = {}  # id(anchors or anchor) -> (it, _content or _label_key of it)


def pattern_matches(regex, doc: str, pos: int):
    """regex.finditer(doc, pos), found from the places of a text every match holds (_literal) where
    the pattern has one: each match starts lo..hi characters before such a place, so only those
    starts are tried (regex.match), in order, as finditer's scan would reach them."""
    found = _LITERALS.get(regex)
    if found is None:
        if len(_LITERALS) > 20_000:
            _LITERALS.clear()
        found = _LITERALS[regex] = _literal(regex) or ()
    if not found:
        yield from regex.finditer(doc, pos)
        return
    text, lo, hi = found
    find, match = doc.find, regex.match
    tried = pos - 1  # every start up to here is tried (or inside a match)
    at = find(text, pos + lo)
    while at >= 0:
        start, last = max(at - hi, tried + 1), at - lo
        while start <= last:
            m = match(doc, start)
            if m is not None:
                yield m
                last = m.end() - 1  # (never empty: it holds the text)
                break
            start += 1
        tried = last
        at = find(text, max(at + 1, tried + 1 + lo))


def _literal(regex) -> Optional[tuple[str, int, int]]:
    """(text, lo, hi): the longest run of plain characters at the top level of a pattern (so in every
    match: not in a look-around, group or alternative) that lies lo..hi (at most 8 apart) characters
    after the match's start; None for a pattern ignoring case or without one of 6 characters or more (a
    shorter text is printed so often that finditer's own scan is quicker)."""
    try:
        parsed = _parser.parse(regex.pattern, regex.flags)
    except Exception:  # (a pattern compiled is parsed alike: never expected)
        return None
    if parsed.state.flags & _constants.SRE_FLAG_IGNORECASE:
        return None
    items, best, k = parsed.data, None, 0
    while k < len(items):
        if items[k][0] is not _constants.LITERAL:
            k += 1
            continue
        end = k
        while end < len(items) and items[end][0] is _constants.LITERAL:
            end += 1
        lo, hi = _parser.SubPattern(parsed.state, items[:k]).getwidth()
        if hi - lo <= 8 and (best is None or end - k > len(best[0])):
            best = ("".join(chr(c) for _, c in items[k:end]), lo, hi)
        k = end
    return best if best is not None and len(best[0]) >= 6 else None


_LITERALS: dict = {}  # a compiled pattern -> _literal(it) or ()
