"""A faster driver for the standard library's ``html.parser`` (issue 14, speed).

``html.parser`` spends most of its time outside the document: a verbose pattern to find where a
start tag ends, one more per attribute, and line counting after every token. ``ScanParser``
keeps its tokenizer and its events but drives it with one loop of its own: the markup EDGAR
filers print (a start tag whose attributes are quoted or bare names, an end tag) is read with one
pattern each, and everything else (comments, declarations, processing instructions, broken or
unusual tags, script and style content) goes to the standard library's own methods, so the events
are the ones ``feed`` + ``close`` give (tests/test_html_scan.py compares them on real filings and
on random markup). Positions: ``self.at`` is the offset in the markup of the token being handled
(what ``getpos`` gives as line and column), kept without counting lines.
"""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_WS = " \t\n\r\f"
#: A start tag as filers print it: a name, then attributes that are a bare name or name="value" /
#: name='value', white space between them, and ">" or "/>". A tag that does not match is read by
#: the standard library (its reading of these is the same: tests/test_html_scan.py).
#: (Possessive: nothing a part matched could be given back for a match, so none is kept to try.)
_START = re.compile(
    r"<([a-zA-Z][-a-zA-Z0-9:._]*+)"
    r"((?:[ \t\n\r\f]++[a-zA-Z_:][-a-zA-Z0-9_:.]*+(?:=\"[^\"]*+\"|='[^']*+')?+)*+)"
    r"[ \t\n\r\f]*+(/?)>")
#: The attributes of a tag _START matched: (name, the quoted value or "" when there is none).
_ATTRS = re.compile(r"[ \t\n\r\f]+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:=(\"[^\"]*\"|'[^']*'))?")
_END = re.compile(r"</([a-zA-Z][-.a-zA-Z0-9:_]*+)[ \t\n\r\f]*+>")
#: Text up to the next "<" (possessive: no backtracking into it), then a tag _START or _END reads.
_TOKEN = re.compile(rf"([^<]*+)(?:{_START.pattern}|{_END.pattern})")
_CDATA = frozenset(HTMLParser.CDATA_CONTENT_ELEMENTS)


def attrs(listed: str) -> list[tuple[str, str | None]]:
    """The attributes of a start tag _START matched, as html.parser gives them: names in lower
    case, values unquoted and unescaped, None for a bare name."""
    out = []
    if listed:
        for name, value in _ATTRS.findall(listed):
            if value:
                value = value[1:-1]  # "" stays "": only a bare name has None
                if "&" in value:
                    value = unescape(value)
            else:
                value = None
            out.append((name.lower(), value))
    return out


def attr_values(listed: str, names: frozenset) -> dict[str, str | None]:
    """dict(attrs(listed)) of the attributes named in ``names`` only."""
    out = {}
    for name, value in _ATTRS.findall(listed):
        name = name.lower()
        if name in names:
            if value:
                value = value[1:-1]
                if "&" in value:
                    value = unescape(value)
            else:
                value = None
            out[name] = value
    return out


class ScanParser(HTMLParser):
    """``HTMLParser`` (``convert_charrefs=True``) read in one pass by ``scan``; subclasses handle
    events as usual and read ``self.at`` for where the current token starts in the markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.at = 0

    def updatepos(self, i, j):  # lines are not counted: ``self.at`` says where a token is
        return j

    def scan(self, markup: str) -> None:
        """Read the whole markup: the events ``feed(markup)`` then ``close()`` would give."""
        self.rawdata = markup
        self.goahead(1)

    def handle_starttag_text(self, tag: str, listed: str, closed: str) -> None:
        """A start tag the fast path read: its attributes as printed (``listed``: white space and
        name="value" pairs), "/" when it closes itself. Gives the events html.parser gives; a
        subclass that needs only some attributes may read them from ``listed`` itself (attrs())."""
        if closed:
            self.handle_startendtag(tag, attrs(listed))
        else:
            self.handle_starttag(tag, attrs(listed))

    def goahead(self, end):  # noqa: C901 - the standard library's loop, with fast paths for plain tags
        rawdata = self.rawdata
        i, n = 0, len(rawdata)
        handle_data, handle_endtag, starttag_text = self.handle_data, self.handle_endtag, self.handle_starttag_text
        token = _TOKEN.match
        while i < n:
            if not self.cdata_elem:
                m = token(rawdata, i)  # text, then a plain start or end tag: one match
                if m is not None:
                    data, tag, listed, closed, end_tag = m.groups()
                    if data:
                        self.at = i
                        handle_data(unescape(data) if "&" in data else data)
                    self.at = i + len(data)
                    if tag is None:
                        handle_endtag(end_tag.lower())
                    else:
                        tag = self.lasttag = tag.lower()
                        starttag_text(tag, listed, closed)
                        if not closed and tag in _CDATA:
                            self.set_cdata_mode(tag)
                    i = m.end()
                    continue
            i, going = self.read_step(i)
            if not going:
                break
        self.read_end(i, end)

    def read_step(self, i: int) -> tuple[int, bool]:
        """The standard library's loop, once, from ``i`` where the one-match fast path read nothing:
        the text up to the next token, then the token (a plain tag, or read_other's reading). Where
        the scan goes on, and whether it does (False: it stops there)."""
        rawdata = self.rawdata
        n = len(rawdata)
        if not self.cdata_elem:
            j = rawdata.find("<", i)
            if j < 0:
                j = n
            if i < j:
                self.at = i
                data = rawdata[i:j]
                self.handle_data(unescape(data) if "&" in data else data)
        else:
            match = self.interesting.search(rawdata, i)
            if not match:
                return i, False
            j = match.start()
            if i < j:
                self.at = i
                self.handle_data(rawdata[i:j])
        i = j
        if i == n:
            return i, False
        self.at = i
        if not self.cdata_elem:
            if rawdata[i + 1:i + 2] == "/":
                m = _END.match(rawdata, i)
                if m:
                    self.handle_endtag(m.group(1).lower())
                    return m.end(), True
            else:
                m = _START.match(rawdata, i)
                if m:
                    tag, listed, closed = m.groups()
                    tag = self.lasttag = tag.lower()
                    self.handle_starttag_text(tag, listed, closed)
                    if not closed and tag in _CDATA:
                        self.set_cdata_mode(tag)
                    return m.end(), True
        k = self.read_other(i)
        return (i, False) if k < 0 else (k, True)

    def read_other(self, i: int) -> int:
        """The standard library's reading of the token at ``i`` (a "<" the fast paths did not
        read): where the next token starts, or -1 when the markup ends with this "<"."""
        rawdata = self.rawdata
        startswith = rawdata.startswith
        if self.starttag_open(rawdata, i):
            k = self.parse_starttag(i)
        elif startswith("</", i):
            k = self.parse_endtag(i)
        elif startswith("<!--", i):
            k = self.parse_comment(i)
        elif startswith("<?", i):
            k = self.parse_pi(i)
        elif startswith("<!", i):
            k = self.parse_html_declaration(i)
        elif (i + 1) < len(rawdata):
            self.handle_data("<")
            k = i + 1
        else:
            return -1
        if k < 0:
            k = rawdata.find(">", i + 1)
            if k < 0:
                k = rawdata.find("<", i + 1)
                if k < 0:
                    k = i + 1
            else:
                k += 1
            self.at = i
            if not self.cdata_elem:
                self.handle_data(unescape(rawdata[i:k]))
            else:
                self.handle_data(rawdata[i:k])
        return k

    def read_end(self, i: int, end) -> None:
        """The end of a scan stopped at ``i``: what close() makes of the rest (``end``: at the end)."""
        rawdata, n = self.rawdata, len(self.rawdata)
        if end and i < n and not self.cdata_elem:
            self.at = i
            self.handle_data(unescape(rawdata[i:n]))
            i = n
        self.rawdata = rawdata[i:]

    starttag_open = staticmethod(re.compile("<[a-zA-Z]").match)
