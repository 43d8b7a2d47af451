"""HTML exhibits: where every rendered character came from (render_html's origins), and the
table constructs real EDGAR releases print, each on a small table written for the purpose."""
from __future__ import annotations

from pathlib import Path

import pytest

from audit.errors import InputError
from audit.extract import extract
from audit.html_text import Rendered, html_to_text, render_html

ROOT = Path(__file__).resolve().parent.parent
BUCKLE = ROOT / "fixtures" / "buckle-8k-ex99-1-2024-11-22.htm"


def page(*parts: str) -> str:
    return "<html><head><title>T</title><style>td {width: 10%}</style></head><body>" + "".join(parts) + "</body></html>"


def check_origins(markup: str, rendered: Rendered) -> list[str]:
    """Every line has one origin per character; every origin not -1 points at that character in the
    markup, or at the "&" of the reference that printed it."""
    lines = rendered.text.split("\n")
    assert len(rendered.origins) == len(lines)
    for number, (line, origins) in enumerate(zip(lines, rendered.origins)):
        assert len(origins) == len(line), number
        for char, origin in zip(line, origins):
            if origin >= 0:
                assert markup[origin] == char or (markup[origin] == "&" and not char.isdigit()), (number, line)
    return lines


# -- origins -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def buckle_markup():
    return BUCKLE.read_text(encoding="utf-8")


def test_render_html_text_is_html_to_text(buckle_markup):
    rendered = render_html(buckle_markup, str(BUCKLE))
    assert isinstance(rendered, Rendered)
    assert rendered.text == html_to_text(buckle_markup, str(BUCKLE))
    assert rendered.origins[-1] == [] and rendered.text.endswith("\n")
    check_origins(buckle_markup, rendered)


def test_every_digit_of_every_buckle_figure_maps_to_that_digit_in_the_markup(buckle_markup):
    rendered = render_html(buckle_markup, str(BUCKLE))
    filing = extract(buckle_markup, str(BUCKLE))
    lines = rendered.text.split("\n")
    figures = [f for t in filing.tables for f in t.figures()] + list(filing.prose)
    assert len(figures) > 170
    for fig in figures:
        line, origins = lines[fig.span.line - 1], rendered.origins[fig.span.line - 1]
        assert line[fig.span.col - 1:fig.span.end_col - 1] == fig.text
        digits = [(line[k], origins[k]) for k in range(fig.span.col - 1, fig.span.end_col - 1) if line[k].isdigit()]
        assert digits, fig
        for digit, origin in digits:
            assert origin >= 0 and buckle_markup[origin] == digit, (fig.text, fig.span)
        # the digits of one figure come in the order the markup prints them
        assert [o for _, o in digits] == sorted(o for _, o in digits)


def test_entities_map_to_their_ampersand_and_made_up_characters_to_minus_one():
    markup = page("<p>Net&nbsp;sales &amp; other&#58;  <b>$1.2</b>&#160;million &#8212; up</p>",
                  "<p>AT&T &ampx R&D</p>")
    rendered = render_html(markup)
    lines = check_origins(markup, rendered)
    assert lines[:3] == ["Net sales & other: $1.2 million — up", "", "AT&T &x R&D"]
    origins = rendered.origins[0]
    assert origins[3] == markup.index("&nbsp;")  # the no-break space, collapsed into a space
    assert origins[lines[0].index("&")] == markup.index("&amp;")
    assert origins[lines[0].index(":")] == markup.index("&#58;")
    assert origins[lines[0].index("—")] == markup.index("&#8212;")
    assert [markup[o] for o in origins[lines[0].index("$"):lines[0].index("$") + 4]] == list("$1.2")
    assert origins[lines[0].index(" million") ] == markup.index("&#160;million")
    second = rendered.origins[2]
    assert markup[second[2]] == "&" and second[2] == markup.index("AT&T") + 2  # an ampersand printed as is
    amp_x = markup.index("&ampx")
    assert second[5:7] == [amp_x, amp_x + 4]  # "&ampx" reads "&x": "&" from the reference, "x" itself


def test_whitespace_runs_keep_the_origin_of_their_first_character():
    markup = "<div>  Net \n\t  income<br>next</div>"
    rendered = render_html(markup)
    assert rendered.text == "Net income\nnext\n"
    origins = rendered.origins[0]
    assert origins[:3] == [7, 8, 9] and origins[3] == 10 and markup[origins[4]] == "i"


def test_split_cells_tabs_and_footnote_markers_in_a_table():
    markup = page(
        "<div>STATEMENTS</div><table>",
        "<tr><td></td><td colspan='2'>2024</td><td colspan='2'>2023</td></tr>",
        "<tr><td>Revenue<sup>1</sup></td><td>$</td><td>1,234&nbsp;</td><td>$</td><td>(365,241</td><td>)</td></tr>",
        "<tr><td>Cost</td><td></td><td>&#8212;</td><td></td><td>12</td></tr>",
        "</table>")
    rendered = render_html(markup)
    lines = check_origins(markup, rendered)
    revenue = lines.index("Revenue^{1}\t$1,234\t($365,241)")
    origins = rendered.origins[revenue]
    line = lines[revenue]
    assert [origins[k] for k, c in enumerate(line) if c in "\t^{}"] == [-1] * 5
    assert markup[origins[line.index("1")]] == "1"  # the marker's digit is itself
    cell = line.index("$1,234")
    assert [markup[o] for o in origins[cell:cell + 6]] == list("$1,234")
    assert origins[cell + 1] - origins[cell] > 1  # "$" and "1,234" from two cells
    neg = line.index("($365,241)")  # "$(365,241)" printed "(" first: each character keeps its origin
    assert "".join(markup[o] for o in origins[neg:neg + 10]) == "($365,241)"
    assert origins[neg] > origins[neg + 1]
    cost = lines.index("Cost\t—\t12")
    assert rendered.origins[cost][5] == markup.index("&#8212;")
    heading = lines.index("\t2024 USD\t2023 USD")
    assert rendered.origins[heading][5:9] == [-1] * 4  # " USD" is made up


def test_origins_inside_an_edgar_document_wrapper_count_from_the_string_passed():
    body = "<html><body><div>Sales were &#36;293.6&nbsp;million.</div></body></html>"
    markup = "<DOCUMENT>\n<TYPE>EX-99.1\n<SEQUENCE>2\n<TEXT>\n" + body + "\n</TEXT>\n</DOCUMENT>\n"
    for text in (markup, body, body.replace("<div>", "\r\n<div>\n")):
        rendered = render_html(text)
        lines = check_origins(text, rendered)
        assert lines[0] == "Sales were $293.6 million."
        assert rendered.origins[0][11] == text.index("&#36;")
        assert text[rendered.origins[0][12]] == "2"


def test_html_to_text_errors_are_unchanged():
    with pytest.raises(InputError, match="holds no text"):
        render_html("<html><body><table><tr><td>&#160;</td></tr></table></body></html>", "x.htm")
    with pytest.raises(InputError, match="holds no text"):
        html_to_text("<html><head><title>only</title></head></html>", "x.htm")


def test_a_stray_character_reference_does_not_swallow_the_rest_of_the_document():
    markup = page("<p>Q&#A; about</p><p>and &#B; then</p><table><tr><td>x</td></tr></table><p>end</p>")
    rendered = render_html(markup)
    lines = check_origins(markup, rendered)
    assert "<" not in rendered.text and lines[-2] == "end"
