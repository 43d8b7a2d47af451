"""What a filing says about itself: issuer, ticker, form and document type, each with where it
was read (the EDGAR header, the wrapper, or a line of the text). Rule packs select on these."""
from __future__ import annotations

import os
import re
from typing import NamedTuple, Optional

from .submission import Document, Submission

_LOOK = 80  # lines of the document's opening read for its cover and letterhead
_REGISTRANT = re.compile(r"^\(\s*(?:exact name of registrant|translation of registrant)", re.I)
_COMPANY = re.compile(
    r"\b((?:The\s+)?[A-Z0-9][\w&'.-]*(?:\s+(?:[A-Z0-9&][\w&'.-]*|of|and|de|la))*?,?\s+"
    r"(?:Inc\.|Incorporated|Corporation|Corp\.|Co\.,\s+Ltd\.|Ltd\.|Limited|plc|PLC|N\.V\.|S\.A\.|SE|AG|LLC|L\.P\.))")
_SUFFIX = re.compile(r"Inc\b|Incorporated|Corp|Ltd|Limited|plc|PLC|N\.V\.|S\.A\.|\bSE\b|\bAG\b|LLC|L\.P\.")
_TICKER = re.compile(r"\((?:NYSE(?:\s+American)?|NASDAQ|Nasdaq(?:\s+\w+)?|NYSE\s+Arca|TSX|HKEx|HKEX|LSE)\s*:\s*"
                     r"([A-Z][A-Z0-9.]{0,9})\b")
_FORM = re.compile(r"^[\W_]*form\s+(\d{1,2}-[A-Z]{1,2}(?:/A)?)[\W_]*$", re.I)
_EXHIBIT = re.compile(r"^[\W_]*exhibit\s+(\d{1,3}(?:\.\d{1,3})?)[\W_]*$", re.I)

FIELDS = ("issuer", "ticker", "form", "document", "filename")


class Meta(NamedTuple):
    """The filing's own description; a value is "" when the filing does not say it."""

    issuer: str = ""
    ticker: str = ""
    form: str = ""
    document: str = ""
    filename: str = ""
    where: dict = {}  # field -> where it was read ("EDGAR header", "line 16", ...)

    def get(self, name: str) -> str:
        return getattr(self, name)

    def said(self) -> list[str]:
        """What the filing says about itself, each with where: 'issuer Qifu Technology, Inc. (line 16)'."""
        return [f"{name} {self.get(name)}" + (f" ({self.where[name]})" if self.where.get(name) else "")
                for name in ("issuer", "ticker", "form", "document") if self.get(name)]


def describe(path: str, lines: list[str], submission: Optional[Submission] = None,
             document: Optional[Document] = None) -> Meta:
    """Read the filing's description from the EDGAR header and wrapper, then its opening lines."""
    found: dict[str, tuple[str, str]] = {}

    def put(name: str, value: str, where: str) -> None:
        value = " ".join(value.split())
        if value and name not in found:
            found[name] = (value, where)

    if submission is not None:
        header = submission.header
        put("issuer", header.get("COMPANY CONFORMED NAME", ""), "EDGAR header")
        put("form", header.get("CONFORMED SUBMISSION TYPE", ""), "EDGAR header")
        forms = [d.type for d in submission.documents if d.type and not d.type.upper().startswith("EX-")]
        put("form", forms[0] if forms else "", "EDGAR wrapper")
    if document is not None:
        put("document", document.type, "EDGAR wrapper")
        put("filename", document.filename, "EDGAR wrapper")
    put("filename", os.path.basename(path), "file name")
    _read_cover(lines, put)
    values = {name: value for name, (value, _) in found.items()}
    values.setdefault("document", values.get("form", ""))
    where = {name: at for name, (_, at) in found.items()}
    where.setdefault("document", where.get("form", ""))
    return Meta(**{name: values.get(name, "") for name in FIELDS}, where=where)


def _read_cover(lines: list[str], put) -> None:
    """Form, exhibit, registrant, company name and ticker from the document's opening lines."""
    previous = (0, "")
    for number, raw in enumerate(lines[:_LOOK], start=1):
        line = raw.replace("*", "").strip()
        if not line:
            continue
        form, exhibit = _FORM.match(line), _EXHIBIT.match(line)
        if form:
            put("form", form.group(1).upper(), f"line {number}")
        if exhibit:
            put("document", "EX-" + exhibit.group(1), f"line {number}")
        if _REGISTRANT.match(line) and previous[1]:
            put("issuer", previous[1], f"line {previous[0]}")
        previous = (number, line)
    for number, raw in enumerate(lines[:_LOOK], start=1):
        company = _COMPANY.search(raw.replace("*", "")) if _SUFFIX.search(raw) else None
        if company:
            put("issuer", company.group(1), f"line {number}")
        ticker = _TICKER.search(raw) if "(" in raw else None
        if ticker:
            put("ticker", ticker.group(1), f"line {number}")
    for number, raw in enumerate(lines[:3 * _LOOK], start=1):  # the ticker: often in the release's opening
        ticker = _TICKER.search(raw)
        if ticker:
            put("ticker", ticker.group(1), f"line {number}")
            break
