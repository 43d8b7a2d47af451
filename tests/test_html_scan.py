"""The fast driver of html.parser (audit/read/html_scan.py, issue 14 speed) gives the events, and
the offsets, that html.parser's own feed + close give: on every document of the real releases in
../shared/filings (when present), on the bundled fixtures and on random markup built from the
pieces EDGAR filers and broken files print (a fixed seed)."""
from __future__ import annotations

import random
from html.parser import HTMLParser
from itertools import accumulate
from pathlib import Path

import pytest

from audit.read import submission
from audit.read.html_scan import ScanParser

ROOT = Path(__file__).resolve().parent.parent
FILINGS = ROOT.parent / "shared" / "filings"


class _Record:
    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(attrs), self.where()))

    def handle_endtag(self, tag):
        self.events.append(("end", tag, self.where()))

    def handle_startendtag(self, tag, attrs):
        self.events.append(("startend", tag, tuple(attrs), self.where()))

    def handle_data(self, data):
        self.events.append(("data", data, self.where()))

    def handle_comment(self, data):
        self.events.append(("comment", data, self.where()))

    def handle_decl(self, decl):
        self.events.append(("decl", decl, self.where()))

    def handle_pi(self, data):
        self.events.append(("pi", data, self.where()))

    def unknown_decl(self, data):
        self.events.append(("unknown", data, self.where()))


class _Standard(_Record, HTMLParser):
    def __init__(self, markup: str):
        HTMLParser.__init__(self, convert_charrefs=True)
        self.events = []
        self.starts = [0, *accumulate(len(line) + 1 for line in markup.split("\n"))]

    def where(self):
        line, col = self.getpos()
        return self.starts[line - 1] + col


class _Scan(_Record, ScanParser):
    def __init__(self):
        ScanParser.__init__(self)
        self.events = []

    def where(self):
        return self.at


def _standard(markup: str) -> list:
    parser = _Standard(markup)
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError) as exc:
        parser.events.append(("error", type(exc).__name__))
    return parser.events


def _scan(markup: str) -> list:
    parser = _Scan()
    try:
        parser.scan(markup)
    except (AssertionError, ValueError) as exc:
        parser.events.append(("error", type(exc).__name__))
    return parser.events


def _documents() -> list[tuple[str, str]]:
    paths = sorted(FILINGS.glob("*.htm")) + sorted(FILINGS.glob("*.txt")) if FILINGS.is_dir() else []
    paths += sorted((ROOT / "fixtures").glob("*.htm*"))
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        wrapper = submission.parse(text)
        bodies = [d.body for d in wrapper.documents if not d.binary] if wrapper else [text]
        out += [(f"{path.name}#{k}", body) for k, body in enumerate(bodies) if "<" in body]
    return out


@pytest.mark.parametrize("name,markup", _documents() or [("none", "<p>x</p>")], ids=lambda v: str(v)[:40])
def test_real_documents_give_the_same_events(name, markup):
    assert _scan(markup) == _standard(markup), name


_PIECES = ['<td style="a:b">', "<TD COLSPAN=3>", "<td class='x'>", "<br/>", "<br />", "</td>", "</ td>", "</TD >",
           "<p>", "</p>", "x", " ", "\n", "\r\n", "&amp;", "&#8212;", "&nbsp", "&", "<", ">", '"', "'", "=", "/",
           "<!-- c -->", "<!--", "-->", "<!DOCTYPE html>", "<![CDATA[x]]>", "<?xml ?>", "<script>", "</script>",
           "<style>", "</style>", '<a href="x&amp;y">', "<a b c=d>", '<img src="a"/>', '<a\tb="1"\nc>',
           '<x:y a:b="1">', "</x:y>", '<a b="1"c="2">', '<a b = "1">', "\xa0", "<a\xa0b>", "<sup>", "</sup>",
           "<a/b>", "</>", "< a>", "<a", '<td b="<>">', "\u00e9", "<!x>", "</a b>", "<1>", "<td nowrap>",
           '<span style="vertical-align:super">', "&#160;", "&#x2014;"]


def test_random_markup_gives_the_same_events():
    rnd = random.Random(14)
    for _ in range(4000):
        markup = "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 30)))
        assert _scan(markup) == _standard(markup), repr(markup)
