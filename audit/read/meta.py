"""What a filing says about itself: issuer, ticker, form and document type, each with where it
was read (the EDGAR header, the wrapper, or a line of the text). Rule packs select on these."""
from __future__ import annotations

import os
import re
from typing import NamedTuple, Optional

from .submission import Document, Submission

_LOOK = 80  # lines of the document's opening read for its cover and letterhead
_REGISTRANT = re.compile(r"^\(\s*(?:exact name of registrant|translation of registrant)", re.I)
_SUFFIXES = (r"(?:Inc\.?|INC\.?|Incorporated|INCORPORATED|Corporation|CORPORATION|Corp\.|CORP\.|Co\.,\s+Ltd\.|"
             r"CO\.,\s+LTD\.|Ltd\.|LTD\.|Limited|LIMITED|plc|PLC|N\.V\.|S\.A\.|SE|AG|LLC|L\.P\.)")
_COMPANY = re.compile(
    r"\b((?:The\s+|THE\s+)?[A-Z0-9][\w&'.-]*(?:\s+(?:[A-Z0-9&][\w&'.-]*|of|and|de|la))*?,?\s+" + _SUFFIXES + ")")
_SUFFIX = re.compile(r"Inc\b|INC\b|Incorporated|Corp|CORP|Ltd|LTD|Limited|LIMITED|plc|PLC|N\.V\.|S\.A\.|\bSE\b|\bAG\b|"
                     r"LLC|L\.P\.")
#: A paragraph that disclaims (a stock exchange's "take no responsibility for the contents of this
#: announcement"): the names in it are not the issuer's.
_DISCLAIMER = re.compile(r"\btakes? no responsibility\b|\bdisclaims?\b|\bmakes? no representation\b", re.I)
#: "(NYSE: BKE)", "NYSE: XPEV and HKEX: 9868", "NYSE symbol: XPEV", "(Nasdaq Global Select Market: ABCD)".
_TICKER = re.compile(r"(?:^|[(\s,;])(?:NYSE(?:\s+American|\s+Arca)?|NASDAQ|Nasdaq(?:\s+[A-Z]\w+){0,3}|TSX|LSE|AMEX)"
                     r"(?:\s+(?:symbol|ticker(?:\s+symbol)?))?\s*:\s*([A-Z][A-Z0-9.]{0,9})\b")
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
             document: Optional[Document] = None, raw: str = "") -> Meta:
    """Read the filing's description from the EDGAR header and wrapper (``raw``: the file's text,
    for a header that names several filers), then its opening lines."""
    found: dict[str, tuple[str, str]] = {}

    def put(name: str, value: str, where: str) -> None:
        value = " ".join(value.split())
        if value and name not in found:
            found[name] = (value, where)

    if submission is not None:
        header = submission.header
        put("issuer", parent_filer(raw) or header.get("COMPANY CONFORMED NAME", ""), "EDGAR header")
        put("form", header.get("CONFORMED SUBMISSION TYPE", ""), "EDGAR header")
        forms = [d.type for d in submission.documents if d.type and not d.type.upper().startswith("EX-")]
        put("form", forms[0] if forms else "", "EDGAR wrapper")
    if document is not None:
        put("document", document.type, "EDGAR wrapper")
        put("filename", document.filename, "EDGAR wrapper")
    put("filename", os.path.basename(path), "file name")
    _read_cover(lines, put, found)
    values = {name: value for name, (value, _) in found.items()}
    values.setdefault("document", values.get("form", ""))
    where = {name: at for name, (_, at) in found.items()}
    where.setdefault("document", where.get("form", ""))
    return Meta(**{name: values.get(name, "") for name in FIELDS}, where=where)


def _read_cover(lines: list[str], put, found: dict) -> None:
    """Form, exhibit, registrant, company name and ticker from the document's opening lines
    (``found``: what is known already; ``put`` keeps the first value of each)."""
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
    for number, raw in enumerate(lines[:_LOOK], start=1):  # a letterhead: the name alone on its line
        if "issuer" in found:
            break
        line = raw.replace("*", "").strip()
        company = _COMPANY.fullmatch(line) if _SUFFIX.search(line) else None
        if company:
            put("issuer", company.group(1), f"line {number}")
    for number, raw in enumerate(lines[:_LOOK], start=1):
        if "issuer" in found:
            break
        company = _COMPANY.search(raw.replace("*", "")) if _SUFFIX.search(raw) and not _DISCLAIMER.search(raw) else None
        if company:
            put("issuer", company.group(1), f"line {number}")
    for number, raw in enumerate(lines[:3 * _LOOK], start=1):  # the ticker: often in the release's opening
        if "ticker" in found:
            break
        ticker = _TICKER.search(raw) if ":" in raw else None
        if ticker:
            put("ticker", ticker.group(1), f"line {number}")
            break


_FILER = re.compile(r"COMPANY CONFORMED NAME:[ \t]*([^\r\n]+?)[ \t]*\r?\n\s*CENTRAL INDEX KEY:[ \t]*(\d+)")
_ACCESSION = re.compile(r"ACCESSION NUMBER:[ \t]*(\d{10})-")


def parent_filer(raw: str) -> str:
    """In a header that names several filers (a holding company and its subsidiaries), the one
    that filed: the filer whose CIK opens the accession number, else the first; "" for one filer."""
    end = raw.find("</SEC-HEADER>", 0, 200000)
    head = raw[:end] if end > 0 else ""
    filers = _FILER.findall(head)
    if len(filers) < 2:
        return ""
    accession = _ACCESSION.search(head)
    for name, cik in filers:
        if accession and cik.lstrip("0") == accession.group(1).lstrip("0"):
            return name
    return filers[0][0]
