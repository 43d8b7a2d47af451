"""The renderer's own scanning loop (audit/read/html_walk.py: html_scan's loop with the commonest
events handled in place) renders exactly what html_scan's plain loop gives when every event goes
through the renderer's handlers: the same text, the same offset for every character, the same cell
readings. On every HTML document of the real releases (when present) and on random markup (a fixed
seed). html_scan's loop is held to html.parser's events by tests/test_html_scan.py."""
from __future__ import annotations

import random

import pytest
from test_html_scan import _PIECES, _documents

from audit.base.errors import InputError
from audit.read.html_scan import ScanParser
from audit.read.html_text import _Renderer, render_html


class _Plain(_Renderer):
    """The renderer driven by html_scan's loop: every event through its handlers."""

    def goahead(self, end):
        ScanParser.goahead(self, end)


def _rendered(markup: str, parser_class) -> tuple:
    parser = parser_class(markup)
    try:
        parser.scan(markup)
    except (AssertionError, ValueError) as exc:
        return ("error", type(exc).__name__)
    lines = parser.result()
    return [line.s for line in lines], [list(line.o) for line in lines], dict(parser.readings)


@pytest.mark.parametrize("name,markup", _documents() or [("none", "<p>x</p>")], ids=lambda v: str(v)[:40])
def test_real_documents_render_the_same(name, markup):
    assert _rendered(markup, _Renderer) == _rendered(markup, _Plain), name


_TABLE_PIECES = _PIECES + ["<table>", "</table>", "<tr>", "</tr>", "<th>", "</th>", "1,234", "(56.7)", "$", "RMB",
                           "%", "2024", "Total", "&#8212;", "<b>", "</b>", "<i>", "</i>", "<div>", "</div>",
                           '<td rowspan="2">', '<td colspan="x">', "<pre>", "</pre>", "<title>", "</title>",
                           "<head>", "</head>", "<sup>1</sup>", "(1)", "\t", "</span>", "<span>", "</font>",
                           '<font style="vertical-align: super">', "<sub>", "</sub>"]


def test_random_markup_renders_the_same():
    rnd = random.Random(21)
    for _ in range(3000):
        markup = "".join(rnd.choice(_TABLE_PIECES) for _ in range(rnd.randint(0, 40)))
        assert _rendered(markup, _Renderer) == _rendered(markup, _Plain), repr(markup)


def test_the_plain_loop_is_a_real_alternative():
    """The comparison above can fail: the plain loop through a handler that drops a digit renders
    something else than the renderer's own loop (which handles most text in place)."""

    class _Dropping(_Plain):
        def handle_data(self, data):
            super().handle_data(data.replace("7", ""))

    markup = "<table><tr><td>Total</td><td>1,277</td></tr></table><p>up 7%</p>"
    assert _rendered(markup, _Renderer) != _rendered(markup, _Dropping)
    with pytest.raises(InputError):
        render_html("<p> </p>")
