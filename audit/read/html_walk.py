"""The HTML renderer's scanning loop (issue 21, speed): html_scan's loop with the commonest events
(text, styling, line-breaking and cell tags) handled in place as html_text's handlers would handle
them; any other token, or one the handlers do more with, goes to the handlers themselves."""
from __future__ import annotations

import re
from html import unescape

from .html_flow import EMPTY, Flow
from .html_scan import _CDATA, _TOKEN, attr_values

#: A character reference as html.unescape reads it (the same pattern as the standard library's).
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")

_SPANS = frozenset({"colspan", "rowspan"})
_BLOCK = frozenset({"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote",
                    "center", "dl", "dt", "dd", "hr", "pre", "address", "section", "article", "header",
                    "footer", "body", "html", "document", "text", "page", "caption"})
#: Block tags that only end the line (not <body>, <tr> or <pre>, which do more).
_LINE_BREAKING = _BLOCK - {"body", "tr", "pre"}
#: Tags that only style text: a start or end tag of one changes nothing here but the SGML flag and,
#: for one that opened a superscript, the superscript's end (none of _SKIP, _SGML, _BLOCK).
_INLINE = frozenset({"font", "span", "b", "i", "u", "a", "strong", "em", "small", "big", "s", "strike", "ins",
                     "del", "code", "tt", "abbr", "cite", "label", "sub", "nobr"})
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "dl"})
_CELL = frozenset({"td", "th"})


def span(value) -> int:
    """A cell's colspan or rowspan as read: 1 to 1000, 1 when missing or not a whole number."""
    if value is None:
        return 1
    if value.isascii() and value.isdigit():  # digits alone: what int() reads of them
        return min(max(int(value), 1), 1000)
    try:
        return min(max(int(str(value).strip()), 1), 1000)
    except (TypeError, ValueError):
        return 1


def unescaped(data: str, start: int, refs: dict) -> tuple[str, list[int]]:
    """html.unescape(data) and the markup offset of each of its characters (``data`` is the text
    from ``start`` to the next tag): as html_text's _origins gives them, read in one pass over the
    references (``refs``: the document's, each reference's text and how many of its last
    characters print as themselves)."""
    texts: list[str] = []
    origins: list[int] = []
    at = 0
    for match in _CHARREF.finditer(data):
        amp, after = match.span()
        if at < amp:
            texts.append(data[at:amp])
            origins += range(start + at, start + amp)
        ref = match.group()
        found = refs.get(ref)
        if found is None:
            text = unescape(ref)
            tail = 0  # "&ampx" reads "&x": the "x" is itself
            while tail < len(text) - 1 and tail < len(ref) - 1 and text[-1 - tail] == ref[-1 - tail]:
                tail += 1
            found = refs[ref] = (text, tail)
        text, tail = found
        texts.append(text)
        origins += [start + amp] * (len(text) - tail)
        if tail:
            origins += range(start + after - tail, start + after)
        at = after
    if at < len(data):
        texts.append(data[at:])
        origins += range(start + at, start + len(data))
    return "".join(texts), origins


def walk(p, end) -> None:  # noqa: C901 - one loop, its commonest cases in place
    """html_scan.ScanParser.goahead for html_text's renderer ``p``: the same events, the text,
    styling, line-breaking and cell ones handled here."""
    rawdata = p.rawdata
    i, n = 0, len(rawdata)
    startswith, token = rawdata.startswith, _TOKEN.match
    doc, tables, skip, sup = p.doc, p.tables, p.skip, p.sup  # (lists the handlers change in place)
    while i < n:
        if not p.cdata_elem:
            m = token(rawdata, i)  # text, then a plain start or end tag: one match
            if m is not None:
                data, tag, listed, closed, end_tag = m.groups()
                if data and not skip and not p.sgml:
                    text, origins = data, None
                    if "&" in data:  # most references are "&nbsp;": replaced as html.unescape does
                        text = data.replace("&nbsp;", "\xa0")
                        if "&" in text:
                            text, origins = unescaped(data, i, p.refs)
                    if sup or p.pre:
                        p.at = i
                        p.handle_data(text)
                    elif text.isspace():  # (white space that starts a line is dropped, as is that between cells)
                        if tables:
                            flow = tables[-1].cell
                            if flow is None and len(tables) > 1:
                                flow = p.flow()
                            if flow is not None and flow is not doc and flow.inline:
                                flow.inline.append((text, [i] * len(text)))  # only its first counts
                        elif doc.inline:
                            doc.inline.append((text, [i] * len(text)))
                    else:
                        flow = tables[-1].cell if tables else doc
                        if flow is None:
                            flow = p.flow()
                        if text is data or startswith(text, i):
                            flow.inline.append((text, i))  # (its origins: i, i + 1, ...)
                        else:  # references were converted
                            flow.inline.append((text, origins if origins is not None else unescaped(data, i, p.refs)[1]))
                i = m.end()
                if tag is None:  # an end tag
                    tag = end_tag.lower()
                    p.sgml = False
                    if tag in _CELL and not skip:  # (most end tags: </td>)
                        if sup and sup[-1] == tag:
                            sup.pop()
                        if tables:
                            table = tables[-1]
                            cell = table.cell
                            if cell is not None:  # (_Table.end_cell)
                                if cell.inline:
                                    cell.end_line()
                                if table.row is None:
                                    table.row = []
                                table.row.append(cell)
                                table.cell = None
                    elif tag in _INLINE:
                        if sup and sup[-1] == tag and not skip:
                            sup.pop()
                    elif tag in _LINE_BREAKING:
                        if not skip:
                            if sup and sup[-1] == tag:
                                sup.pop()
                            flow = tables[-1].cell if tables else doc
                            if flow is None:
                                flow = p.flow()
                            if flow.inline:
                                flow.end_line()
                            if tag in _PARAGRAPH:
                                flow.lines.append(EMPTY)
                    else:
                        p.handle_endtag(tag)
                    continue
                tag = p.lasttag = tag.lower()
                if listed and ("&" in listed or "super" in listed):
                    p.handle_starttag_text(tag, listed, closed)
                elif tag in _CELL and not skip:
                    p.sgml = False
                    if tables:
                        table = tables[-1]
                        if table.cell is not None:
                            table.end_cell()
                        spans = attr_values(listed, _SPANS) if listed and "span" in listed.lower() else None
                        table.cell = Flow(span(spans.get("colspan")), span(spans.get("rowspan"))) if spans \
                            else Flow()
                    if closed:
                        p.handle_endtag(tag)
                elif tag in _INLINE:
                    p.sgml = False
                    if closed:
                        p.handle_endtag(tag)
                elif tag in _LINE_BREAKING:
                    p.sgml = False
                    if not skip:
                        flow = tables[-1].cell if tables else doc
                        if flow is None:
                            flow = p.flow()
                        if flow.inline:
                            flow.end_line()
                    if closed:
                        p.handle_endtag(tag)
                else:
                    p.handle_starttag_text(tag, listed, closed)
                if not closed and tag in _CDATA:
                    p.set_cdata_mode(tag)
                continue
        i, going = p.read_step(i)
        if not going:
            break
    p.read_end(i, end)
