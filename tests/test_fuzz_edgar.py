"""Fuzzed EDGAR input: cut, spliced and garbled submissions and HTML never crash extraction.

Reading may refuse a file (InputError, one clear message) but never raises anything else, and
whatever it reads keeps every figure's byte offset inside the file."""
from __future__ import annotations

from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.base.errors import InputError
from audit.read.extract import extract

BUCKLE = (ROOT.parent / "shared" / "filings" / "buckle-8k-ex99-1-2024-11-22.htm").read_text(encoding="utf-8")
SUBMISSION = ("<SEC-HEADER>\nCOMPANY CONFORMED NAME:\tBUCKLE INC\nCONFORMED SUBMISSION TYPE:\t8-K\n</SEC-HEADER>\n"
              "<DOCUMENT>\n<TYPE>8-K\n<TEXT>\n<html><body><p>FORM 8-K</p></body></html>\n</TEXT>\n</DOCUMENT>\n"
              + BUCKLE)
PIECES = ["<DOCUMENT>", "</DOCUMENT>", "<TEXT>", "</TEXT>", "<TYPE>EX-99.1", "<table>", "</table>", "<tr>",
          "<td colspan=\"3\">", "<td rowspan=\"99999\">", "</td>", "&#", "&amp;", "<br>", "$", "(", ")", "%",
          "\u2014", "\r\n", "\x0c", "<![CDATA[", "<!--", "-->", "<sup>1</sup>", "<pre>", "</pre>"]


def read(text: str):
    try:
        filing = extract(text, "fuzz.htm")
    except InputError:
        return None
    size = len(text.encode("utf-8", "surrogatepass"))
    for fig in filing.figures():
        offset = filing.offset(fig.span)
        assert offset is None or 0 <= offset < size, (fig, offset)
    return filing


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_cut_and_spliced_submissions(data):
    text = SUBMISSION
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            end = data.draw(st.integers(at, min(len(text), at + 5000)))
            text = text[:at] + text[end:]
        else:
            text = text[:at] + data.draw(st.sampled_from(PIECES)) + text[at:]
    read(text)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(PIECES + ["1,234", "Net sales", "2024", " ", "\n"]), max_size=60))
def test_garbled_markup(parts):
    read("<html><body><table>" + "".join(parts))
