"""JSON text, byte for byte as json.dumps writes it (indent=2 or separators=(",", ":"), and
ensure_ascii=False), written faster: nested values by _pretty, and an audit's finding entries
straight from the findings when the document holding them was not read before (Deferred).
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional

_STR = json.encoder.encode_basestring  # the C function json.dumps uses with ensure_ascii=False
_SCALARS = {type(None): lambda _: "null", bool: lambda v: "true" if v else "false", int: int.__repr__}


def dumps(document: dict[str, Any], pretty: bool = True) -> str:
    """Indented for people (`--json`), or compact (batch reports). Both are byte for byte what
    json.dumps writes (indent=2 / separators=(",", ":"), ensure_ascii=False); the indented form
    is written by _pretty, several times faster than json's pure-Python indenting encoder."""
    if type(document) is Deferred and document.pending:
        return document.text(pretty)
    if pretty:
        out: list[str] = []
        _pretty(document, out, "\n")
        out.append("\n")
        return "".join(out)
    return _compact(document) + "\n"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Shared(dict):
    """A part of the document that many entries share (a figure): its text is written once per
    indent (and once compact). json.dumps treats it as the dict it is."""

    __slots__ = ("pretty", "compact")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pretty: Optional[tuple[str, str]] = None  # (indent, text)
        self.compact: Optional[str] = None

    def text(self, nl: Optional[str]) -> str:
        """Its text at the indent `nl` starts lines with, or compact (nl None)."""
        if nl is None:
            if self.compact is None:
                self.compact = _compact(dict(self))
            return self.compact
        if self.pretty is None or self.pretty[0] != nl:
            self.pretty = (nl, _flat(self, nl))
        return self.pretty[1]


def _flat(value: dict, nl: str) -> str:
    """_pretty's text of a non-empty dict, its strings, numbers and nulls written in one loop."""
    inner = nl + "  "
    parts = []
    for key, item in dict.items(value):
        if type(key) is not str:
            out: list[str] = []
            _pretty(dict(value), out, nl)
            return "".join(out)
        kind = type(item)
        if kind is str:
            parts.append(f"{_STR(key)}: {_STR(item)}")
        elif kind is int:
            parts.append(f"{_STR(key)}: {int.__repr__(item)}")
        else:
            parts.append(f"{_STR(key)}: {scalar(item, inner)}")
    return "{" + inner + ("," + inner).join(parts) + nl + "}" if parts else "{}"


def _pretty(value: Any, out: list[str], nl: str) -> None:
    """Append value as json.dumps(value, indent=2, ensure_ascii=False) writes it nested where
    `nl` (a newline and the current indent) starts its lines. Exact types only: anything else
    (a float, a non-string key, a subclass) is left to json.dumps, re-indented."""
    kind = type(value)
    if kind is str:
        out.append(_STR(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        start = len(out)
        inner = nl + "  "
        sep = "{" + inner
        for key, item in value.items():
            if type(key) is not str:  # json.dumps turns it into a string its own way
                del out[start:]
                out.append(json.dumps(value, indent=2, ensure_ascii=False).replace("\n", nl))
                return
            out.append(sep)
            out.append(_STR(key))
            out.append(": ")
            _pretty(item, out, inner)
            sep = "," + inner
        out.append(nl + "}")
    elif kind is Shared:
        out.append(value.text(nl))
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = nl + "  "
        sep = "[" + inner
        for item in value:
            out.append(sep)
            _pretty(item, out, inner)
            sep = "," + inner
        out.append(nl + "]")
    else:
        scalar = _SCALARS.get(kind)
        if scalar is not None:
            out.append(scalar(value))
        elif kind is float and value - value == 0:  # finite: json.dumps writes float.__repr__
            out.append(float.__repr__(value))
        else:  # floats (nan, inf), subclasses, what json.dumps refuses: exactly as it does
            out.append(json.dumps(value, indent=2, ensure_ascii=False).replace("\n", nl))


class Deferred(dict):
    """A document one of whose keys (`key`, a list of entries) is built when first read: each
    entry is entry(values(item)) for the items (values None: the items are the values). dumps()
    writes a document never read straight from the values (write(values, nl, out, sep) appends
    each one's entry and sep), without building the entries. Reading it
    any way a dict is read (a key, items(), copying, comparing, json.dumps) builds them first."""

    __slots__ = ("pending", "_key", "_items", "_values", "_entry", "_write")

    def __init__(self, data: dict, key: str, items, values: Optional[Callable], entry: Callable, write: Callable):
        super().__init__(data)  # `key` holds None until built
        self.pending = True
        self._key, self._items, self._values, self._entry, self._write = key, items, values, entry, write

    def _build(self) -> None:
        if self.pending:
            self.pending = False
            dict.__setitem__(self, self._key, [self._entry(value) for value in self._each()])

    def _each(self):
        """The values of the deferred entries."""
        return self._items if self._values is None else map(self._values, self._items)

    def text(self, pretty: bool) -> str:
        """The document as dumps() writes it, the deferred entries written from their values
        (write(values, nl, out, sep) appends each entry's pieces and sep to out): one join of every
        piece, so the document's text is copied once."""
        write = self._write
        out: list[str] = []
        if pretty:
            sep = "{\n  "
            for key, value in dict.items(self):
                out.append(f"{sep}{_STR(key)}: ")
                if key == self._key:
                    out.append("[\n    ")
                    start = len(out)
                    write(self._each(), "\n    ", out, ",\n    ")
                    if len(out) > start:  # the last entry's separator goes
                        out[-1] = out[-1][:-6] + "\n  ]"
                    else:
                        out[-1] = "[]"
                else:
                    _pretty(value, out, "\n  ")
                sep = ",\n  "
            out.append("\n}\n" if out else "{}\n")
            return "".join(out)
        sep = "{"
        for key, value in dict.items(self):
            if key == self._key:
                out.append(f"{sep}{_STR(key)}:[")
                start = len(out)
                write(self._each(), None, out, ",")
                if len(out) > start:  # the last entry's separator goes
                    out[-1] = out[-1][:-1] + "]"
                else:
                    out.append("]")
            else:
                out.append(f"{sep}{_STR(key)}:{_compact(value)}")
            sep = ","
        out.append("}\n" if out else "{}\n")
        return "".join(out)

    # every way a dict's values are read builds the entries first
    def __getitem__(self, key):
        self._build()
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        self._build()
        return dict.get(self, key, default)

    def items(self):
        self._build()
        return dict.items(self)

    def values(self):
        self._build()
        return dict.values(self)

    def __iter__(self):  # (a type of its own: dict(d), {**d} and f(**d) read through keys() and d[key])
        return dict.__iter__(self)

    def pop(self, *args):
        self._build()
        return dict.pop(self, *args)

    def popitem(self):
        self._build()
        return dict.popitem(self)

    def setdefault(self, key, default=None):
        self._build()
        return dict.setdefault(self, key, default)

    def __setitem__(self, key, value):  # (built first: a write is never overwritten by the build)
        self._build()
        dict.__setitem__(self, key, value)

    def __delitem__(self, key):
        self._build()
        dict.__delitem__(self, key)

    def update(self, *args, **kwargs):
        self._build()
        dict.update(self, *args, **kwargs)

    def __ior__(self, other):
        self.update(other)
        return self

    def clear(self):
        self._build()
        dict.clear(self)

    def copy(self):
        self._build()
        return dict(dict.items(self))

    def __eq__(self, other):
        self._build()
        if type(other) is Deferred:
            other._build()
        return dict.__eq__(self, other)

    def __ne__(self, other):
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._build()
        return dict.__repr__(self)

    def __or__(self, other):
        return self.copy() | other

    def __ror__(self, other):
        return other | self.copy()

    def __reduce__(self):  # pickles and copies as the plain dict it reads as
        return dict, (self.copy(),)

    def __reduce_ex__(self, protocol):
        return self.__reduce__()


def scalar(value: Any, nl: Optional[str]) -> str:
    """A value's JSON text where `nl` starts lines (compact where nl is None): strings and None at
    once, anything else as the writers above write it."""
    if type(value) is str:
        return _STR(value)
    if value is None:
        return "null"
    if nl is None:
        return _compact(value)
    part: list[str] = []
    _pretty(value, part, nl)
    return "".join(part)
