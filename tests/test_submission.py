"""EDGAR full-submission files: the SEC header, several <DOCUMENT>s, --document, and byte
offsets of every figure into the file as given. Built from the real fixtures."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import FIXTURE, ROOT

from audit.base.errors import InputError
from audit.cli import main
from audit.read.extract import extract
from audit.read.source import read_text

BUCKLE = ROOT.parent / "shared" / "filings" / "buckle-8k-ex99-1-2024-11-22.htm"
ALL_RULES = ROOT / "rules"

HEADER = """<SEC-DOCUMENT>0000885245-24-000050.txt : 20241122
<SEC-HEADER>0000885245-24-000050.hdr.sgml : 20241122
<ACCEPTANCE-DATETIME>20241122073012
ACCESSION NUMBER:\t\t0000885245-24-000050
CONFORMED SUBMISSION TYPE:\t{form}
PUBLIC DOCUMENT COUNT:\t\t3
FILED AS OF DATE:\t\t20241122

FILER:

\tCOMPANY DATA:\t
\t\tCOMPANY CONFORMED NAME:\t\t\t{name}
\t\tCENTRAL INDEX KEY:\t\t\t0000885245
</SEC-HEADER>
"""

MAIN_8K = """<DOCUMENT>
<TYPE>8-K
<SEQUENCE>1
<FILENAME>bke-20241122.htm
<DESCRIPTION>8-K
<TEXT>
<html><body><p>FORM 8-K</p><p>Item 2.02 Results of Operations and Financial Condition.</p>
<p>On November 22, 2024, the Company reported net income of $44.2 million.</p></body></html>
</TEXT>
</DOCUMENT>
"""

GRAPHIC = """<DOCUMENT>
<TYPE>GRAPHIC
<SEQUENCE>3
<FILENAME>buckle_logox2.jpg
<DESCRIPTION>GRAPHIC
<TEXT>
begin 644 buckle_logox2.jpg
M_]C_X  02D9)1@ ! 0$ 8 !@  #_VP!#  ," @,"
end
</TEXT>
</DOCUMENT>
"""


def wrapped(type_: str, body: str, sequence: int = 2, filename: str = "ex99.txt") -> str:
    return (f"<DOCUMENT>\n<TYPE>{type_}\n<SEQUENCE>{sequence}\n<FILENAME>{filename}\n<DESCRIPTION>{type_}\n"
            f"<TEXT>\n{body}</TEXT>\n</DOCUMENT>\n")


@pytest.fixture(scope="module")
def buckle_submission(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("sub") / "0000885245-24-000050.txt"
    text = HEADER.format(form="8-K", name="BUCKLE INC") + MAIN_8K + BUCKLE.read_text(encoding="utf-8") + GRAPHIC
    path.write_text(text + "</SEC-DOCUMENT>\n", encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def qifu_submission(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("sub") / "0001104659-23-061406.txt"
    cover = "FORM 6-K\n\nQifu Technology, Inc.\n\nExhibit 99.1 Press Release\n"
    text = (HEADER.format(form="6-K", name="Qifu Technology, Inc.") + wrapped("6-K", cover, 1, "cover.txt")
            + wrapped("EX-99.1", FIXTURE.read_text(encoding="utf-8")) + "</SEC-DOCUMENT>\n")
    path.write_text(text, encoding="utf-8")
    return str(path)


def figures(filing):
    return [(f.span.line, f.span.col, f.text, f.value, f.kind, f.table, f.row) for f in filing.figures()]


def test_the_exhibit_in_a_full_submission_reads_as_the_exhibit_alone(buckle_submission):
    alone = extract(read_text(str(BUCKLE)), str(BUCKLE))
    inside = extract(read_text(buckle_submission), buckle_submission)
    assert figures(inside) == figures(alone) and len(figures(alone)) > 150
    assert inside.lines == alone.lines and inside.source_format == "html"
    meta = inside.meta
    assert (meta.issuer, meta.form, meta.document) == ("BUCKLE INC", "8-K", "EX-99.1")
    assert meta.where["issuer"] == "EDGAR header" and meta.where["document"] == "EDGAR wrapper"
    assert meta.filename == "bke20241122-8kexhibit.htm"


def test_a_plain_text_exhibit_in_a_submission_reads_as_the_bare_filing(qifu_submission):
    bare = extract(read_text(str(FIXTURE)), str(FIXTURE))
    inside = extract(read_text(qifu_submission), qifu_submission)
    assert figures(inside) == figures(bare)
    assert (inside.meta.issuer, inside.meta.form, inside.meta.document) == ("Qifu Technology, Inc.", "6-K", "EX-99.1")


def test_run_on_a_full_submission_applies_the_issuers_pack(buckle_submission, qifu_submission):
    runner = CliRunner()
    for path, pack in ((buckle_submission, "buckle"), (qifu_submission, "qfin")):
        result = runner.invoke(main, ["run", str(ALL_RULES), path, "--no-html", "--json", "-"])
        assert result.exit_code == 0, result.output
        doc = json.loads(result.stdout)
        assert [p["name"] for p in doc["packs"] if p["applied"]] == [pack]
        assert doc["summary"]["fail"] == 0
        reason = next(p["reason"] for p in doc["packs"] if p["applied"])
        assert reason.startswith('issuer "BUCKLE INC" (EDGAR header) matches "Buckle"' if pack == "buckle"
                                 else 'issuer "Qifu Technology, Inc." (EDGAR header) matches "Qifu Technology"')


def test_document_option_chooses_another_document(buckle_submission):
    runner = CliRunner()
    result = runner.invoke(main, ["extract", buckle_submission, "--document", "8-k", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [f["text"] for f in doc["figures"]] == ["$44.2 million"]
    assert doc["filing"]["document"] == "8-K" and doc["filing"]["issuer"] == "BUCKLE INC"


@pytest.mark.parametrize("document, message", [
    ("EX-99.2", "no EX-99.2 document in this submission (it holds 8-K (bke-20241122.htm), "
                "EX-99.1 (bke20241122-8kexhibit.htm), GRAPHIC (buckle_logox2.jpg))"),
    ("GRAPHIC", "document GRAPHIC (buckle_logox2.jpg) is binary (uuencoded or PDF), not text"),
])
def test_documents_that_cannot_be_audited_say_why(buckle_submission, document, message):
    result = CliRunner().invoke(main, ["run", str(ALL_RULES), buckle_submission, "--document", document,
                                       "--no-html"])
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output


def test_a_submission_without_ex99_1_asks_which_document(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text(HEADER.format(form="8-K", name="X") + MAIN_8K + wrapped("EX-99.2", "Revenue was $1.0 million.\n")
                    + GRAPHIC, encoding="utf-8")
    with pytest.raises(InputError, match=r"a submission of 3 documents and none is EX-99.1 \(it holds 8-K"):
        extract(read_text(str(path)), str(path))
    assert "choose one with --document TYPE" in CliRunner().invoke(main, ["extract", str(path)]).stderr
    only = tmp_path / "one.txt"
    only.write_text(wrapped("EX-99.2", "Revenue was $1.0 million.\n") + GRAPHIC, encoding="utf-8")
    assert [f.text for f in extract(read_text(str(only)), str(only)).prose] == ["$1.0 million"]


def byte_checks(filing, raw: bytes):
    """Every figure's offset points at its text in the file's bytes."""
    for fig in filing.figures():
        offset = filing.offset(fig.span)
        assert offset is not None, fig
        assert raw[offset:offset + len(fig.text.encode())] == fig.text.encode("utf-8"), (fig, offset)


def test_text_figures_know_their_byte_offset_in_the_file(qifu_submission):
    raw = FIXTURE.read_bytes()
    assert not raw.isascii()  # curly quotes and dashes: byte and character offsets differ
    byte_checks(extract(read_text(str(FIXTURE)), str(FIXTURE)), raw)
    with open(qifu_submission, "rb") as handle:
        byte_checks(extract(read_text(qifu_submission), qifu_submission), handle.read())


def test_extract_json_gives_each_figure_its_offset():
    doc = json.loads(CliRunner().invoke(main, ["extract", str(FIXTURE), "--format", "json"]).stdout)
    raw = FIXTURE.read_bytes()
    for fig in doc["figures"]:
        assert raw[fig["offset"]:].startswith(fig["text"].encode()), fig


def test_offsets_survive_crlf_line_ends(tmp_path):
    raw = FIXTURE.read_bytes().replace(b"\n", b"\r\n")
    path = tmp_path / "crlf.txt"
    path.write_bytes(raw)
    filing = extract(read_text(str(path)), str(path))
    assert figures(filing) == figures(extract(read_text(str(FIXTURE)), str(FIXTURE)))
    byte_checks(filing, raw)


def html_checks(filing, raw: bytes):
    """Every digit of every figure read from HTML maps to that digit's byte in the file."""
    for fig in filing.figures():
        line = filing.source.origins[fig.span.line - 1]
        assert len(line) == len(filing.line(fig.span.line))
        offset = filing.offset(fig.span)
        assert offset is not None, fig
        first = next(ch for ch in fig.text if ch.isdigit() or ch in "$(-")
        assert raw[offset:offset + 1] == first.encode(), (fig, offset, raw[offset - 20:offset + 20])
        for j, ch in enumerate(fig.text):
            if ch.isdigit():
                index = line[fig.span.col - 1 + j]
                assert index >= 0 and filing.source.data[filing.source.base + index] == ch, (fig, j)


def test_html_figures_know_their_byte_offset_in_the_exhibit_and_the_submission(buckle_submission):
    html_checks(extract(read_text(str(BUCKLE)), str(BUCKLE)), BUCKLE.read_bytes())
    with open(buckle_submission, "rb") as handle:
        html_checks(extract(read_text(buckle_submission), buckle_submission), handle.read())


def test_html_report_tooltips_give_the_byte_offset_of_html_figures():
    import re

    from audit.diagnose import audit
    from audit.lang.graph import load
    from audit.report.html import render

    filing = extract(read_text(str(BUCKLE)), str(BUCKLE))
    page = render(audit(load([str(ALL_RULES / "buckle")]), filing))
    raw = BUCKLE.read_bytes()
    tips = re.findall(r'title="(\$?[\d,.()]+) \u2014 line \d+, col \d+, byte (\d+) of the file', page)
    assert len(tips) >= 144
    for text, offset in tips:
        assert raw[int(offset):int(offset) + 1] == text[0].encode(), (text, offset)


def test_document_types_compare_without_case_or_leading_zeros(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text(HEADER.format(form="8-K", name="X") + MAIN_8K + wrapped("EX-99.01", "Revenue was $1.0 million.\n")
                    + GRAPHIC, encoding="utf-8")
    assert [f.text for f in extract(read_text(str(path)), str(path)).prose] == ["$1.0 million"]  # the default EX-99.1
    assert extract(read_text(str(path)), str(path), "ex-99.1").meta.document == "EX-99.01"
