"""Rendered HTML text that knows where each character came from in the markup: ``Traced`` (a
string and one offset per character, -1 for characters the rendering made up) and ``Flow``
(the lines of the document or of one table cell being built)."""
from __future__ import annotations

import re
from typing import Iterable, Optional

_INVISIBLE = re.compile("[\u200b\u00ad\ufeff]")
_RUN = re.compile(r"\s{2,}|[^\S ]")  # white space that collapsing changes: a run, or one character not a space


class Traced:
    """A piece of rendered text and, per character, its offset in the markup (-1: made up)."""

    __slots__ = ("s", "o")

    def __init__(self, s: str, o: list[int]):
        self.s, self.o = s, o

    @staticmethod
    def made(s: str) -> "Traced":
        return Traced(s, [-1] * len(s))

    def __add__(self, other) -> "Traced":
        if isinstance(other, str):
            return Traced(self.s + other, self.o + [-1] * len(other))
        return Traced(self.s + other.s, self.o + other.o)

    def __radd__(self, other: str) -> "Traced":
        return Traced(other + self.s, [-1] * len(other) + self.o)

    def __getitem__(self, key: slice) -> "Traced":
        return Traced(self.s[key], self.o[key])

    def __len__(self) -> int:
        return len(self.s)

    def __bool__(self) -> bool:
        return bool(self.s)

    def __repr__(self) -> str:
        return f"Traced({self.s!r})"

    def strip(self, chars: Optional[str] = None) -> "Traced":
        core = self.s.strip(chars)
        if len(core) == len(self.s):
            return self
        start = len(self.s) - len(self.s.lstrip(chars))
        return Traced(core, self.o[start:start + len(core)])

    def lstrip(self, chars: Optional[str] = None) -> "Traced":
        rest = self.s.lstrip(chars)
        return self if len(rest) == len(self.s) else self[len(self.s) - len(rest):]

    @staticmethod
    def join(sep: str, parts: Iterable["Traced"]) -> "Traced":
        if isinstance(parts, list) and len(parts) < 2:
            return parts[0] if parts else EMPTY  # (a Traced is never changed in place: it can be shared)
        texts: list[str] = []
        origins: list[int] = []
        gap = [-1] * len(sep)
        for part in parts:
            if texts:
                origins += gap
            texts.append(part.s)
            origins += part.o
        return Traced(sep.join(texts), origins)


EMPTY = Traced("", [])


def collapse(text: str, origins) -> Traced:
    """White-space runs as one space (the first character of the run keeps its origin), no
    leading or trailing white space, invisible characters (zero-width space, soft hyphen) out.
    ``origins``: one per character, or where the text starts when it is the markup's own (an int)."""
    if _INVISIBLE.search(text):
        if origins.__class__ is int:
            origins = list(range(origins, origins + len(text)))
        keep = [k for k, c in enumerate(text) if c not in "\u200b\u00ad\ufeff"]
        text, origins = "".join(text[k] for k in keep), [origins[k] for k in keep]
    at = origins if origins.__class__ is int else None  # where a text of the markup's own starts
    words = text.split()
    if len(words) < 2:
        if not words:
            return EMPTY
        start = text.find(words[0])  # only white space stands before it
        if at is not None:
            return Traced(words[0], list(range(at + start, at + start + len(words[0]))))
        return Traced(words[0], origins[start:start + len(words[0])] if len(words[0]) < len(text) else origins)
    line = " ".join(words)
    core = text.strip()
    start = len(text) - len(text.lstrip())
    if line == core:
        if at is not None:
            return Traced(line, list(range(at + start, at + start + len(core))))
        return Traced(line, origins[start:start + len(core)] if len(core) < len(text) else origins)
    if at is not None:
        origins = range(at, at + len(text))
    out: list[int] = []
    k = start
    for match in _RUN.finditer(text, start, start + len(core)):  # each run that is not one space
        out += origins[k:match.start() + 1]  # its first character stands for it
        k = match.end()
    out += origins[k:start + len(core)]
    return Traced(line, out)


class Flow:
    """Lines being built: the document's, or one table cell's."""

    __slots__ = ("lines", "inline", "colspan", "rowspan", "nested", "marks")

    def __init__(self, colspan: int = 1, rowspan: int = 1):
        self.lines: list[Traced] = []
        self.inline: list[tuple[str, list[int] | int]] = []  # (an int: the text is the markup's own, from there)
        self.colspan, self.rowspan = colspan, rowspan
        self.nested = False  # a table cell that holds a table
        self.marks: Optional[set[int]] = None  # a table cell's superscript footnote markers: their markup offsets

    def end_line(self, blank: bool = False) -> None:
        inline = self.inline
        if not inline:
            if blank:
                self.lines.append(EMPTY)
            return
        self.inline = []
        if len(inline) == 1:
            line = collapse(*inline[0])
        else:
            origins: list[int] = []
            for text, part in inline:
                origins += range(part, part + len(text)) if part.__class__ is int else part
            line = collapse("".join(text for text, _ in inline), origins)
        if line.s or blank:
            self.lines.append(line)

    def text(self) -> Traced:
        self.end_line()
        lines = self.lines
        if len(lines) < 2:
            return lines[0] if lines else EMPTY
        return Traced.join(" ", [line for line in lines if line.s])
