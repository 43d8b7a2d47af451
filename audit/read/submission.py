"""EDGAR wrappers: a full-submission .txt (<SEC-HEADER>, several <DOCUMENT>s) or one wrapped
exhibit -> the document to audit, its header values and where its text starts in the file."""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

from ..base.errors import InputError

DEFAULT_DOCUMENT = "EX-99.1"

#: A <DOCUMENT> or </DOCUMENT> tag (where a line may open or close a document: see _blocks).
_DOCUMENT_TAG = re.compile(r"<(/?)DOCUMENT>", re.I)
_TEXT_OPEN = re.compile(r"<TEXT>[ \t]*\r?\n?", re.I)
_TEXT_CLOSE = re.compile(r"</TEXT>", re.I)
_FIELD = re.compile(r"^[ \t]*<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>[ \t]*([^\r\n<]*)", re.MULTILINE | re.I)
_HEADER = re.compile(r"<(SEC-HEADER|IMS-HEADER)>(.*?)</\1>", re.DOTALL | re.I)
_HEADER_LINE = re.compile(r"^[ \t]*([A-Z][A-Z0-9 ./&-]*?):[ \t]*([^\r\n]*?)[ \t]*\r?$", re.MULTILINE)
_BINARY = re.compile(r"^\s*(?:<PDF>|begin \d{3} )", re.I)  # uuencoded graphics, PDFs


class Document(NamedTuple):
    """One <DOCUMENT> of a submission: its header fields and its <TEXT>, placed in the file."""

    type: str
    sequence: str
    filename: str
    description: str
    body: str  # the text between <TEXT> and </TEXT>
    offset: int  # where body starts in the file's text (characters)
    parts: tuple["Document", ...] = ()  # a release printed over several exhibits, read as one

    @property
    def binary(self) -> bool:
        return bool(_BINARY.match(self.body[:200]))

    def describe(self) -> str:
        if self.parts:
            return " + ".join(p.describe() for p in self.parts)
        return f"{self.type or '?'} ({self.filename})" if self.filename else (self.type or "?")


class Submission(NamedTuple):
    """An EDGAR wrapper: the <SEC-HEADER> values (first of each key) and the documents in order."""

    header: dict[str, str]
    documents: tuple[Document, ...]


def _line_lead(text: str, at: int) -> bool:
    """Does only white space (spaces, tabs) stand before ``at`` on its line?"""
    start = text.rfind("\n", 0, at) + 1
    return not text[start:at].strip(" \t")


def _blocks(text: str):
    """The (start, end) of each document's block: from the end of a line that holds only
    "<DOCUMENT>" to the next line that opens with "</DOCUMENT>" (or the end of the text). One
    pass over the tags (a lazy DOTALL pattern would try the closing line at every character)."""
    n, at = len(text), 0
    tags = _DOCUMENT_TAG.finditer(text)
    for tag in tags:
        if tag.start() < at or tag.group(1) or not _line_lead(text, tag.start()):
            continue
        j = tag.end()
        while j < n and text[j] in " \t":
            j += 1
        if j < n and text[j] == "\r":
            j += 1
        if j < n and text[j] != "\n":
            continue  # something else follows on the line: not a document's opening line
        start, end, at = j, n, n
        for close in tags:
            if close.group(1) and close.start() > start and _line_lead(text, close.start()):
                end, at = text.rfind("\n", 0, close.start()) + 1, close.end()
                break
        yield start, end


def parse(text: str) -> Optional[Submission]:
    """The submission a text wraps, or None for a bare filing (no <DOCUMENT> line)."""
    if "<DOCUMENT>" not in text and "<document>" not in text:
        return None
    documents = []
    for start, end in _blocks(text):
        fields: dict[str, str] = {}
        body_match = _TEXT_OPEN.search(text, start, end)
        if body_match:
            body_start = body_match.end()
            close = _TEXT_CLOSE.search(text, body_start, end)
            body_end = close.start() if close else end
            head_end = body_match.start()
        else:
            body_start = body_end = head_end = end
        for field in _FIELD.finditer(text[start:head_end]):
            fields.setdefault(field.group(1).upper(), field.group(2).strip())
        documents.append(Document(fields.get("TYPE", ""), fields.get("SEQUENCE", ""), fields.get("FILENAME", ""),
                                  fields.get("DESCRIPTION", ""), text[body_start:body_end], body_start))
    if not documents:
        return None
    header: dict[str, str] = {}
    found = _HEADER.search(text, 0, documents[0].offset)
    if found:
        for line in _HEADER_LINE.finditer(found.group(2)):
            if line.group(2):
                header.setdefault(line.group(1).strip().upper(), line.group(2))
    return Submission(header, tuple(documents))


def select(submission: Submission, wanted: Optional[str], path: str) -> Document:
    """The document to audit: the one of type `wanted` (--document); else the release: EX-99.1,
    else EX-99, read together with the other EX-99 exhibits when it prints no table of figures and
    they do (a release whose statements are separate exhibits); else the only text document;
    otherwise an InputError that lists what the submission holds."""
    documents = submission.documents
    held = ", ".join(d.describe() for d in documents)
    if wanted:
        for doc in documents:
            if _same_type(doc.type, wanted):
                return _readable(doc, path)
        raise InputError(f"{path}: no {wanted} document in this submission (it holds {held})")
    family = [d for d in documents if _EX99.match(_norm(d.type)) and not d.binary and d.body.strip()]
    release = next((d for d in family if _same_type(d.type, DEFAULT_DOCUMENT)),
                   next((d for d in family if _same_type(d.type, "EX-99")), None))
    if release is not None:
        rest = [d for d in family if d is not release]
        if rest and not _has_figures(release) and any(_has_figures(d) for d in rest):
            parts = (release, *rest)
            return release._replace(parts=parts, body="\n".join(p.body for p in parts))
        return _readable(release, path)
    texts = [d for d in documents if not d.binary]
    if len(texts) == 1:
        return _readable(texts[0], path)
    raise InputError(f"{path}: a submission of {len(documents)} documents and none is {DEFAULT_DOCUMENT} "
                     f"(it holds {held}); choose one with --document TYPE")


_EX99 = re.compile(r"^EX-99(?:\.\d+)?$")
#: A cell or a line of figures: an HTML cell opening with a grouped or decimal number, or a line
#: with two figures set apart by wide gaps.
_HTML_FIGURE = re.compile(r"<t[dh]\b[^>]*>(?:\s|<[^>]*>|&nbsp;|&#160;|\$|\()*(?:\d{1,3}(?:,\d{3})+|\d+\.\d+)\b", re.I)
_TEXT_FIGURES = re.compile(r"^[^\n]*\S(?:[ \t]{2,}[$(]?\$?[ ]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?%?){2,}[ \t]*\r?$", re.M)


def _has_figures(doc: Document, least: int = 5) -> bool:
    """Does the document print a table of figures (at least ``least`` cells or rows of them)?"""
    pattern = _HTML_FIGURE if re.search(r"<t[dh]\b", doc.body[:200000], re.I) else _TEXT_FIGURES
    found = 0
    for _ in pattern.finditer(doc.body):
        found += 1
        if found >= least:
            return True
    return False


def _norm(t: str) -> str:
    return re.sub(r"(?<=[.-])0+(?=\d)", "", t.strip().upper())


def _same_type(have: str, want: str) -> bool:
    """Document types compare in any case and without leading zeros: EX-99.01 is EX-99.1."""
    return _norm(have) == _norm(want)


def _readable(doc: Document, path: str) -> Document:
    if doc.binary:
        raise InputError(f"{path}: document {doc.describe()} is binary (uuencoded or PDF), not text")
    if not doc.body.strip():
        raise InputError(f"{path}: document {doc.describe()} has no text")
    return doc


class Read(NamedTuple):
    """The text a document is read as, and where each of its characters is in the file."""

    text: str
    origins: Optional[list[list[int]]]  # per line, each character's offset from base (-1: made up); None: text's own
    base: int  # where offsets count from in the file's text
    html: bool  # the text is (or holds) an HTML rendering
    plain: Optional[list[tuple[int, int]]]  # line ranges (0-based, end exclusive) of plain text; None: all
    readings: Optional[dict] = None  # an HTML rendering's cell readings (html_text.Rendered), kept for its document


_NEWLINE = re.compile(r"\r\n|\r|\n")


def read(body: str, base: int, doc: Optional[Document], path: str, lead: int = 0) -> Read:
    """Read a document's text (``body``, at ``base`` in the file): an HTML document as the text it
    renders to, plain text as it is. A release over several exhibits (``doc.parts``) is their texts
    one after the other, a blank line between, each character keeping its place in the file
    (``lead``: where the file's text starts after a byte order mark)."""
    if doc is None or not doc.parts:
        if _html(body):
            from .html_text import render_html

            rendered = render_html(body, path)
            return Read(rendered.text, rendered.origins, base, True, [], rendered.readings)
        return Read(body, None, base, False, None)
    lines: list[str] = []
    origins: list[list[int]] = []
    plain: list[tuple[int, int]] = []
    html = False
    readings: Optional[dict] = None
    for part in doc.parts:
        if lines:
            lines.append("")
            origins.append([])
        at = lead + part.offset
        if _html(part.body):
            from .html_text import render_html

            rendered = render_html(part.body, path)
            html = True
            if readings is None:
                readings = rendered.readings
            else:  # (each text's reading is the same in every part)
                readings.update(rendered.readings)
            lines.extend(rendered.text.split("\n"))
            origins.extend([o + at if o >= 0 else -1 for o in row] for row in rendered.origins)
            continue
        starts = [0] + [m.end() for m in _NEWLINE.finditer(part.body)]
        first = len(lines)
        for k, line in enumerate(_NEWLINE.split(part.body)):
            lines.append(line)
            origins.append(list(range(at + starts[k], at + starts[k] + len(line))))
        plain.append((first, len(lines)))
    return Read("\n".join(lines), origins, 0, html, plain, readings)


_SGML_TEXT = re.compile(r"^[ \t]*(?:<S>[^\n]*<C>|<TABLE>[ \t]*\r?$|<CAPTION>[ \t]*\r?$)", re.MULTILINE | re.IGNORECASE)
_HTML_CELL = re.compile(r"<t[dr]\b|</t[dr]>|</p>|<br\b", re.IGNORECASE)


def _html(body: str) -> bool:
    """Is the document HTML? Plain text whose SGML <TABLE> (a line of its own, or <S> and <C>
    markers, and no HTML cell anywhere) opens it is not."""
    from .source import looks_like_html

    if not looks_like_html(body):
        return False
    return bool(_HTML_CELL.search(body)) or not _SGML_TEXT.search(body)  # an HTML cell found first: cheaper
