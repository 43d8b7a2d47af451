"""Prose lines as anchors are matched against them: footnote markers, bold markers and escapes
dropped, white space collapsed, quotes and dashes plain, with the map back to each character's
place in the line (most lines are left as they are, and found so without a full search)."""
from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right

from ..read.marks import DIGITS, LETTERS, marker
from ..read.numbers import plain_text

# Footnote markers, bold markers and escapes (dropped), and runs of white space (made one
# space). The leading character class lets the regex engine skip ordinary text quickly; the
# first character then says which kind of match it is.
_SPECIAL = re.compile(r"[\^⁰¹²³⁴⁵⁶⁷⁸⁹*\\\s](?:(?<=\^)\{(?:" + DIGITS + "|" + LETTERS + r")\}|(?<=[⁰¹²³⁴⁵⁶⁷⁸⁹])[⁰¹²³⁴⁵⁶⁷⁸⁹]*"
                      r"|(?<=\*)\*|(?<=\\)(?=\$)|(?<=\s)\s+|(?<=[^\S ]))")


class Offsets:
    """Where each stretch of normalised text came from: (normalised start, original start) pairs."""

    __slots__ = ("norm", "orig", "length")

    def __init__(self, norm: list[int], orig: list[int], length: int):
        self.norm, self.orig, self.length = norm, orig, length

    def to_norm(self, original: int) -> int:
        """The first normalised position at or after an original (0-based) position."""
        k = bisect_right(self.orig, original) - 1
        if k < 0:
            return 0
        end = self.norm[k + 1] if k + 1 < len(self.norm) else self.length
        inside = original - self.orig[k]
        return self.norm[k] + inside if inside < end - self.norm[k] else end


def normalise(text: str) -> tuple[str, Offsets]:
    """The normalised text (markers dropped, white space runs as one space, quotes and dashes
    plain) and the map back to the original's positions."""
    parts: list[str] = []
    norm: list[int] = []
    orig: list[int] = []
    size = at = 0
    last = ""  # the last character kept (parts are never empty)
    for start, end in _changes(text):
        if start > at:  # the text before a change, kept
            segment, origin = text[at:start], at
            if segment[0] == " " and (not parts or last == " "):
                segment, origin = segment[1:], origin + 1  # leading, or beside a dropped marker
            if segment:
                norm.append(size)
                orig.append(origin)
                parts.append(segment)
                size += len(segment)
                last = segment[-1]
        at = end
        if text[start].isspace() and parts and last != " ":  # a run of white space: one space
            norm.append(size)
            orig.append(start)
            parts.append(" ")
            size += 1
            last = " "
    if at < len(text):
        segment, origin = text[at:], at
        if segment[0] == " " and (not parts or last == " "):
            segment, origin = segment[1:], origin + 1
        if segment:
            norm.append(size)
            orig.append(origin)
            parts.append(segment)
            size += len(segment)
    return plain_text("".join(parts)), Offsets(norm, orig, size)


def normalised_text(text: str) -> str:
    """normalise(text)[0], without the map back (for a line without figures). A text whose only
    changes are markers (_plain): the markers dropped, and the spaces that then meet (or lead) with
    them; one whose only changes are runs of white space: its words joined by one space (and one
    after them if it ends in white space)."""
    if _plain(text):
        if "^" in text:
            pieces, at = [], 0  # (the text without the matches of _MARKERS)
            for start, end in _markers(text):
                pieces.append(text[at:start])
                at = end
            text = "".join(pieces) + text[at:]
        elif "**" in text:
            text = text.replace("**", "")
        while "  " in text:  # (only where a marker was: a plain text holds no two spaces)
            text = text.replace("  ", " ")
        return plain_text(text[1:] if text[:1] == " " else text)
    if "*" in text or "^" in text or "\\" in text:
        return normalise(text)[0]
    if not text.isascii() and _SUPERSCRIPT.search(text):
        if "  " not in text:  # superscript markers ('¹⁰ Non-GAAP ...') dropped as markers are above
            kept = text
            for digit in _DIGITS:  # (str.replace: a regex would visit every character)
                if digit in kept:
                    kept = kept.replace(digit, "")
            while "  " in kept:
                kept = kept.replace("  ", " ")
            if kept[:1] == " ":
                kept = kept[1:]
            if _plain(kept):
                return plain_text(kept)
        return normalise(text)[0]
    words = text.split()
    return plain_text(" ".join(words) + " " if words and text[-1].isspace() else " ".join(words))


def _changes(text: str) -> list[tuple[int, int]]:
    """Where normalise() drops or collapses characters: the matches of _SPECIAL. In a text that can
    hold no match but footnote markers ('^{*1}') and bold markers ('**'), which is most, they are
    found by str.find or by a search for those two alone, which skips every other character."""
    if _plain(text):
        if "^" in text:
            return _markers(text)
        out = []
        at = text.find("**")
        while at >= 0:
            out.append((at, at + 2))
            at = text.find("**", at + 2)
        return out
    if "\\" in text and _plain(text.replace("\\", "")):
        # plain but for escapes ('US\$524.1'; taking backslashes out can only make a text less plain):
        # the markers, and each backslash before a '$'
        out = _markers(text) if "^" in text or "*" in text else []
        escapes = []
        at = text.find("\\$")
        while at >= 0:
            escapes.append((at, at + 1))
            at = text.find("\\$", at + 1)
        return sorted(out + escapes) if out and escapes else out or escapes
    return [m.span() for m in _SPECIAL.finditer(text)]


#: _SPECIAL where no white space, escape or superscript can match: footnote and bold markers.
_MARKERS = re.compile(marker() + r"|\*\*")
_FOOTNOTE = re.compile(marker())


def _markers(text: str) -> list[tuple[int, int]]:
    """The matches of _MARKERS, found by str.find ('^{' then _FOOTNOTE, and '**'): no footnote marker
    starts inside a '**', and a '**' inside a marker ('^{**}') is the marker's, so the two kinds are found
    apart (the search of the regex visits every character)."""
    out = []
    at = text.find("^{")
    while at >= 0:
        found = _FOOTNOTE.match(text, at)
        if found is None:
            at = text.find("^{", at + 1)
        else:
            out.append((at, found.end()))
            at = text.find("^{", found.end())
    at = text.find("**")
    if at < 0:
        return out
    stars = []
    while at >= 0:
        stars.append((at, at + 2))
        at = text.find("**", at + 2)
    if not out:
        return stars
    return sorted(out + [star for star in stars if not any(m <= star[0] < e for m, e in out)])  # ('^{**}': a marker)
#: Superscript-range characters (_ODD's that are not white space).
_SUPERSCRIPT = re.compile("[\u2070-\u2079\xb9\xb2\xb3]")
_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"  # the superscript digits, whose runs _SPECIAL drops (footnote markers)
#: What can start a _SPECIAL match outside ASCII: white space and superscript digits (and a few
#: more superscript-range characters, which only send a text the slow way).
_ODD = re.compile("[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u2070-\u2079\xb9\xb2\xb3]")


def _plain(text: str) -> bool:
    """Can _SPECIAL match nothing in this text but footnote and bold markers? No run of white
    space, no white space but the space, nothing that starts an escape or a superscript marker."""
    if "  " in text or _unusual(text):
        return False
    return text.isascii() or _no_odd(text)


def _unusual(text: str) -> bool:
    """Does the text hold white space other than the space (str.isspace's, outside _ODD) or a
    backslash (which starts an escape)?"""
    return ("\\" in text or "\t" in text or "\r" in text or "\n" in text or "\x0b" in text or "\x0c" in text
            or "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text)


def _no_odd(text: str) -> bool:
    """_ODD.search(text) is None: asked of the text without its common quotes and dashes (none _ODD)
    first, which is then most often ASCII."""
    for common in _COMMON:
        if common in text:
            text = text.replace(common, "")
    return text.isascii() or _ODD.search(text) is None


_COMMON = "\u2019\u201c\u201d\u2014\u2013\u2018"  # ’“”—–‘


def untouched(raw: str) -> bool:
    """Does normalise() leave this text as it is, but for plain_text()? (No leading space, and
    nothing _SPECIAL matches.)"""
    return untouched_text(raw) is not None


def untouched_text(raw: str):
    """plain_text(raw) if untouched(raw), else None. Outside ASCII, _ODD is asked of the plain text:
    plain_text() makes no _ODD character plain but the no-break space (a text holding one is not
    untouched), and its plain quotes and dashes are ASCII, so that most such texts need no search."""
    if raw[:1] == " " or "*" in raw or "^" in raw or "  " in raw or _unusual(raw):
        return None
    if raw.isascii():
        return raw
    if "\xa0" in raw:
        return None
    text = plain_text(raw)
    return text if text.isascii() or _ODD.search(text) is None else None


def spaced(raw: str):
    """(normalise(raw)[0], the original places it drops) for a text that normalise() changes only by
    dropping spaces (leading ones, and all but the first of each run: no marker, escape or other
    white space), or None. An original place p is then p less the dropped places before it. Outside
    ASCII, _ODD is asked of the plain text, as untouched_text() does."""
    if "*" in raw or "^" in raw or _unusual(raw):
        return None
    if not raw.isascii():
        if "\xa0" in raw:
            return None
        raw = plain_text(raw)  # (the same length, and the same spaces)
        if not raw.isascii() and _ODD.search(raw) is not None:
            return None
    if raw[:1] != " " and "  " not in raw:
        return raw, []
    lead = len(raw) - len(raw.lstrip(" "))
    dropped = list(range(lead))
    at = raw.find("  ", lead)
    while at >= 0:
        end = _SPACES.match(raw, at).end()
        dropped.extend(range(at + 1, end))
        at = raw.find("  ", end)
    words = raw.split()  # (white space is spaces alone here)
    return (" ".join(words) + " " if words and raw[-1] == " " else " ".join(words)), dropped


_SPACES = re.compile(" +")


def escapes(raw: str):
    """Where the escapes ('\\$') are in a text that normalise() changes only by dropping them (no
    leading space, no marker, nothing _SPECIAL matches once its backslashes are gone), or None. Its
    normalised text is then plain_text(raw.replace('\\$', '$')), and an original position p is
    p less the escapes before it (at most the text's length)."""
    if raw[:1] == " " or "\\" not in raw or "*" in raw or "^" in raw or not _plain(raw.replace("\\", "")):
        return None
    out = []
    at = raw.find("\\$")
    while at >= 0:
        out.append(at)
        at = raw.find("\\$", at + 1)
    return out


def places(figures, size: int, found=None) -> tuple[list[int], list[int]]:
    """Where each figure starts and ends in a line's normalised text of `size` characters, when
    normalise() leaves the line as it is (the same places) or only drops its escapes (`found`,
    as escapes() gives them: each place less the escapes before it); at most `size`."""
    starts: list[int] = []
    ends: list[int] = []
    for fig in figures:
        span = fig.span
        start, end = span.col - 1, span.end_col - 1
        if found:
            start -= bisect_left(found, start)
            end -= bisect_left(found, end)
        starts.append(start if start < size else size)
        ends.append(end if end < size else size)
    return starts, ends


@functools.lru_cache(maxsize=4096)
def normalise_anchor(text: str) -> str:
    if text.isascii():  # (no quote or dash to make plain; white space as str.split sees it)
        return " ".join(text.split())
    return re.sub(r"\s+", " ", plain_text(text)).strip()
