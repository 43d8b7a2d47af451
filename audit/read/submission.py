"""EDGAR wrappers: a full-submission .txt (<SEC-HEADER>, several <DOCUMENT>s) or one wrapped
exhibit -> the document to audit, its header values and where its text starts in the file."""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

from ..base.errors import InputError

DEFAULT_DOCUMENT = "EX-99.1"

_DOCUMENT = re.compile(r"^[ \t]*<DOCUMENT>[ \t]*\r?$(.*?)(?:^[ \t]*</DOCUMENT>|\Z)", re.MULTILINE | re.DOTALL | re.I)
_FIELD = re.compile(r"^[ \t]*<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>[ \t]*([^\r\n<]*)", re.MULTILINE | re.I)
_TEXT = re.compile(r"<TEXT>[ \t]*\r?\n?(.*?)(?:</TEXT>|\Z)", re.DOTALL | re.I)
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

    @property
    def binary(self) -> bool:
        return bool(_BINARY.match(self.body[:200]))

    def describe(self) -> str:
        return f"{self.type or '?'} ({self.filename})" if self.filename else (self.type or "?")


class Submission(NamedTuple):
    """An EDGAR wrapper: the <SEC-HEADER> values (first of each key) and the documents in order."""

    header: dict[str, str]
    documents: tuple[Document, ...]


def parse(text: str) -> Optional[Submission]:
    """The submission a text wraps, or None for a bare filing (no <DOCUMENT> line)."""
    if "<DOCUMENT>" not in text and "<document>" not in text:
        return None
    documents = []
    for match in _DOCUMENT.finditer(text):
        block, start = match.group(1), match.start(1)
        fields: dict[str, str] = {}
        body_match = _TEXT.search(block)
        head = block[:body_match.start()] if body_match else block
        for field in _FIELD.finditer(head):
            fields.setdefault(field.group(1).upper(), field.group(2).strip())
        body, offset = (body_match.group(1), start + body_match.start(1)) if body_match else ("", start + len(block))
        documents.append(Document(fields.get("TYPE", ""), fields.get("SEQUENCE", ""), fields.get("FILENAME", ""),
                                  fields.get("DESCRIPTION", ""), body, offset))
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
    """The document to audit: the one of type `wanted` (--document), else EX-99.1, else the only
    text document; otherwise an InputError that lists what the submission holds."""
    documents = submission.documents
    held = ", ".join(d.describe() for d in documents)
    if wanted:
        for doc in documents:
            if _same_type(doc.type, wanted):
                return _readable(doc, path)
        raise InputError(f"{path}: no {wanted} document in this submission (it holds {held})")
    for doc in documents:
        if _same_type(doc.type, DEFAULT_DOCUMENT):
            return _readable(doc, path)
    texts = [d for d in documents if not d.binary]
    if len(texts) == 1:
        return _readable(texts[0], path)
    raise InputError(f"{path}: a submission of {len(documents)} documents and none is {DEFAULT_DOCUMENT} "
                     f"(it holds {held}); choose one with --document TYPE")


def _same_type(have: str, want: str) -> bool:
    """Document types compare in any case and without leading zeros: EX-99.01 is EX-99.1."""
    def norm(t: str) -> str:
        return re.sub(r"(?<=[.-])0+(?=\d)", "", t.strip().upper())
    return norm(have) == norm(want)


def _readable(doc: Document, path: str) -> Document:
    if doc.binary:
        raise InputError(f"{path}: document {doc.describe()} is binary (uuencoded or PDF), not text")
    if not doc.body.strip():
        raise InputError(f"{path}: document {doc.describe()} has no text")
    return doc
