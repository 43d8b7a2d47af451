"""The Qifu fixture written as HTML reads as the text does: every table figure, every prose
figure and every check the same. Two writings: plain cells (headings spanning with colspan), and
Workiva style (spacer columns, ")" in a cell of its own, entities, <br> in headings)."""
from __future__ import annotations

import html

import pytest
from conftest import FIXTURE

from audit.diagnose import audit
from audit.read.extract import extract


def _heading(cells: list[str], width: int) -> str:
    out, k = [], 0
    while k < len(cells):
        span = 1
        if k and cells[k].strip():
            while k + span < len(cells) and not cells[k + span].strip():
                span += 1
        text = html.escape(cells[k]).replace(" ended ", "<br>ended ")
        columns = span * width if k else 1  # the label column is one cell wide
        out.append(f'<td colspan="{columns}">{text}</td>' if columns > 1 else f"<td>{text}</td>")
        k += span
    return "<tr>" + "".join(out) + "</tr>"


def _plain_row(cells: list[str]) -> str:
    return "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"


def _workiva_row(cells: list[str]) -> str:
    out = [f"<td>{html.escape(cells[0]).replace(' ', '&#160;', 1)}</td>"]
    for cell in cells[1:]:
        value = cell.strip()
        if value.startswith("(") and value.endswith(")"):
            out.append(f"<td></td><td>{html.escape(value[:-1])}</td><td>)</td>")
        else:
            out.append(f"<td></td><td>{html.escape(value)}</td><td></td>")
    return "<tr>" + "".join(out) + "</tr>"


def as_html(text: str, workiva: bool) -> str:
    out = ["<html><head><title>6-K</title><style>td {padding: 0}</style></head><body>"]
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if "\t" not in lines[i]:
            out.append(f"<p>{html.escape(lines[i])}</p>" if lines[i].strip() else "")
            i += 1
            continue
        out.append("<table>")
        while i < len(lines) and "\t" in lines[i]:
            cells = lines[i].split("\t")
            if not cells[0].strip():
                out.append(_heading(cells, 3 if workiva else 1))
            else:
                out.append(_workiva_row(cells) if workiva else _plain_row(cells))
            i += 1
        out.append("</table>")
    return "\n".join(out + ["</body></html>"])


def figures(filing):
    return [(f.table, f.row, f.section, f.column.label if f.column else None, f.value, f.kind, f.scale)
            for f in filing.figures() if f.table]


def prose(filing):
    return [(f.text, f.value, f.kind, f.period) for f in filing.prose]


@pytest.fixture(scope="module")
def text_filing(fixture_text):
    return extract(fixture_text, str(FIXTURE))


@pytest.mark.parametrize("workiva", [False, True], ids=["plain", "workiva"])
def test_html_writing_of_the_fixture_reads_and_audits_as_the_text(ruleset, fixture_text, text_filing, workiva):
    filing = extract(as_html(fixture_text, workiva), "qfin.htm")
    assert filing.source_format == "html"
    assert figures(filing) == figures(text_filing) and len(figures(filing)) == 308
    assert prose(filing) == prose(text_filing)
    expected = audit(ruleset, text_filing)
    result = audit(ruleset, filing)
    assert result.counts() == expected.counts() == {"total": 399, "pass": 370, "fail": 0, "skip": 29, "error": 0}
    assert [(f.rule.id, _column(f), f.status) for f in result.findings] == \
        [(f.rule.id, _column(f), f.status) for f in expected.findings]


def _column(finding) -> str:
    """A finding's column; for a prose instance, without its line (the HTML has other lines)."""
    column = finding.column or ""
    return column.split(" ", 2)[-1] if column.startswith("line ") else column
