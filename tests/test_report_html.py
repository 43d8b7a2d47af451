"""The HTML report: self-contained, escaped, every figure ticked, failures first, graph and suspects."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from audit.diagnose import audit
from audit.lang.graph import load
from audit.read.extract import extract
from audit.report import depgraph
from audit.report.html import render
from audit.report.view import finding_anchors

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "qfin"
WHEN = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)
WRONG_LINE, RIGHT, WRONG = 262, "5,128,335", "5,128,353"


def audited(text: str, path: str, rules=RULES):
    return audit(load([str(rules)]), extract(text, path))


def wrong_variant(fixture_text: str) -> str:
    """The fixture with one transposed figure: cash on line 262 (March 31, 2023, RMB)."""
    lines = fixture_text.split("\n")
    assert lines[WRONG_LINE - 1].count(RIGHT) == 1
    lines[WRONG_LINE - 1] = lines[WRONG_LINE - 1].replace(RIGHT, WRONG)
    return "\n".join(lines)


class Page(HTMLParser):
    """Collects elements (tag, attrs) and the text of each annotated filing line."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.lines: dict[int, str] = {}
        self.figures: dict[str, dict] = {}
        self.scripts: list[str] = []
        self._line = None
        self._depth = 0
        self._fig = None
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        if self._line is not None:
            self._depth += 1
            if "fig" in attrs.get("class", "").split():
                self._fig = attrs["id"]
                self.figures[attrs["id"]] = {**attrs, "text": "", "line": self._line}
        elif tag == "div" and "ln" in attrs.get("class", "").split():
            self._line, self._depth = int(attrs["data-n"]), 0
            self.lines[self._line] = ""

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if self._line is not None:
            if self._depth == 0:
                self._line = None
            else:
                self._depth -= 1
                if tag == "span" and self._fig:
                    self._fig = None

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        if self._line is not None:
            self.lines[self._line] += data
            if self._fig:
                self.figures[self._fig]["text"] += data


def parse(document: str) -> Page:
    page = Page()
    page.feed(document)
    page.close()
    return page


@pytest.fixture(scope="module")
def fixture_result(filing):
    return audit(load([str(RULES)]), filing)


@pytest.fixture(scope="module")
def fixture_html(fixture_result):
    return render(fixture_result, WHEN)


@pytest.fixture(scope="module")
def wrong_result(fixture_text):
    return audited(wrong_variant(fixture_text), "wrong-6k.txt")


@pytest.fixture(scope="module")
def wrong_html(wrong_result):
    return render(wrong_result, WHEN)


def test_fixture_report_is_small_and_self_contained(fixture_html):
    size = len(fixture_html.encode("utf-8"))
    assert size < 1_000_000, f"fixture report is {size} bytes"
    page = parse(fixture_html)
    tags = [t for t, _ in page.elements]
    assert tags.count("script") == 1 and tags.count("style") == 2  # the report's CSS, and the printed page's margins
    assert [a.get("media") for t, a in page.elements if t == "style"] == [None, "print"]
    for tag, attrs in page.elements:
        assert "src" not in attrs, f"<{tag}> loads {attrs['src']}"
        href = attrs.get("href")
        if href is not None:
            assert href.startswith("#") or href.startswith("data:"), f"<{tag} href={href}> leaves the file"
        if tag == "link":
            assert attrs.get("rel") == "icon" and attrs["href"].startswith("data:")
    assert "@import" not in fixture_html and "url(http" not in fixture_html and "url(//" not in fixture_html


def test_content_security_policy_allows_only_the_inline_script(fixture_html):
    page = parse(fixture_html)
    csp = next(a["content"] for t, a in page.elements
               if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp
    digest = base64.b64encode(hashlib.sha256(page.scripts[0].encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp, "the CSP hash does not match the script: it would not run"


def test_header_names_filing_rules_tool_time_and_verdict(fixture_html, fixture_result):
    assert fixture_result.filing.sha256 in fixture_html
    for rule_file in fixture_result.ruleset.files:
        assert html.escape(rule_file.path) in fixture_html and rule_file.sha256 in fixture_html
    assert "qfin-audit 0.1.0" in fixture_html
    assert "2024-05-01 12:00:00 UTC" in fixture_html
    assert re.search(r'id="verdict">PASS<', fixture_html)


def test_annotated_filing_is_the_whole_text_with_every_figure_wrapped(fixture_html, fixture_result):
    page = parse(fixture_html)
    filing = fixture_result.filing
    assert [page.lines[n] for n in sorted(page.lines)] == filing.lines  # tabs and spacing kept exactly
    figures = list(filing.figures())
    assert len(page.figures) == len(figures)
    for fig in figures:
        shown = page.figures[f"F-{fig.id}"]
        assert shown["text"] == fig.text and shown["line"] == fig.span.line


def test_tick_marks_follow_the_checks_and_coverage(fixture_html, fixture_result):
    page = parse(fixture_html)
    state = {fid: next(c for c in ("verified", "failed", "unchecked") if c in a["class"].split())
             for fid, a in page.figures.items()}
    unchecked = {f"F-{u.figure.id}" for u in fixture_result.coverage.unchecked}
    assert {fid for fid, s in state.items() if s == "unchecked"} == unchecked
    passing = {f"F-{g.id}" for f in fixture_result.findings if f.status == "pass" for g in f.figures}
    assert {fid for fid, s in state.items() if s == "verified"} == passing
    assert "failed" not in state.values()


def test_wrong_figure_is_failed_in_the_text_and_its_failure_comes_first(wrong_html, wrong_result):
    page = parse(wrong_html)
    wrong = page.figures["F-L262C37"]
    assert wrong["text"] == WRONG and "failed" in wrong["class"].split()
    assert re.search(r'id="verdict">FAIL<', wrong_html)
    articles = [a for t, a in page.elements if t == "article"]
    assert articles[0]["data-status"] == "fail"
    anchors = finding_anchors(wrong_result.findings)
    first = wrong_result.findings[anchors.index(articles[0]["id"][2:])]
    assert first.status == "fail" and "L262C37" in articles[0]["data-figs"].split()
    failing = {anchors[i] for i, f in enumerate(wrong_result.findings) if f.status == "fail"}
    assert {a["id"][2:] for a in articles if a["data-status"] == "fail"} == failing
    # the figure lists the checks that used it, failing ones among them
    assert failing <= set(wrong["data-checks"].split())
    bs001 = next(a for a in articles if a["data-name"] == "BS-001 [2023-03-31 RMB]")
    assert bs001["data-status"] == "fail"
    assert "-18" in wrong_html and "35,018,583" in wrong_html  # the difference and the expected sum


def test_failing_finding_shows_numbers_interval_message_and_figures(wrong_html):
    start = wrong_html.index('data-name="BS-001 [2023-03-31 RMB]"')
    card = wrong_html[start:wrong_html.index("</article>", start)]
    for text in ("Actual", "35,018,565", "Expected", "35,018,583", "Difference", "-18 RMB thousands", "Intervals",
                 "[35,018,564.5, 35,018,565.5]", "balance_sheet.rules:", "Cash and cash equivalents",
                 'href="#F-L262C37"', ">262:37<"):
        assert text in card, text
    assert "<details open>" in card


def test_likely_errors_panel_is_at_the_top_when_there_are_suspects(wrong_html, wrong_result, fixture_html):
    assert 'id="likely-errors"' not in fixture_html
    if not wrong_result.suspects:
        pytest.fail("diagnosis found no suspect for a transposed figure")
    assert wrong_html.index('id="likely-errors"') < wrong_html.index('id="summary"')
    panel = wrong_html[wrong_html.index('id="likely-errors"'):wrong_html.index('id="summary"')]
    assert 'href="#F-L262C37"' in panel and WRONG in panel


class Suspect:
    """A stand-in for audit.diagnose.solver's suspects: only the as_dict() contract the report relies on."""

    def __init__(self, data):
        self.data = data

    def as_dict(self):
        return self.data


def test_suspects_are_rendered_defensively_from_as_dict(wrong_result):
    suspects = (
        Suspect({"line": 262, "col": 37, "text": WRONG, "value": "5128353", "implied": "5128335",
                 "explains": ["BS-001", "X-006"], "hint": "transposed <i>digits</i>", "score": 0.9}),
        Suspect({"kind": "group", "line": None, "explains": "FX-001", "note": "no single figure"}),
        Suspect({"line": 999, "col": 1, "text": "42"}),  # not a figure of this filing: no link to a figure
        Suspect({}),
    )
    document = render(wrong_result._replace(suspects=suspects), WHEN)
    panel = document[document.index('id="likely-errors"'):document.index('id="summary"')]
    assert 'href="#F-L262C37"' in panel and "5128335" in panel
    assert "transposed &lt;i&gt;digits&lt;/i&gt;" in panel and "<i>" not in panel
    assert "No single figure explains" in panel and "no single figure" in panel
    assert 'href="#L999"' in panel and "score: 0.9" in panel
    assert 'href="#f-BS-001--2023-03-31-RMB"' in panel


def test_filing_markup_is_shown_as_text(fixture_text, tmp_path):
    lines = fixture_text.split("\n")
    lines.insert(52, "Note: <script>alert(1)</script> and <b>bold</b> & <img src=x onerror=alert(2)> text.")
    result = audited("\n".join(lines), str(tmp_path / "evil.txt"))
    document = render(result, WHEN)
    page = parse(document)
    assert [t for t, _ in page.elements].count("script") == 1
    assert not any(t == "img" or (t == "b" and not a) for t, a in page.elements)  # the report's own <b> have attributes
    assert page.lines[53] == lines[52]
    assert "&lt;script&gt;alert(" in document and "<script>alert" not in document


def test_rule_titles_and_messages_are_escaped(fixture_text, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "zz-hostile.rules").write_text(
        'rule ZZ-001 "<img src=x onerror=alert(1)> & <b>title</b>" severity warning:\n'
        '    bs["TOTAL ASSETS"] = bs["TOTAL LIABILITIES AND EQUITY"] * 2\n'
        '    message "<script>alert(2)</script> got {actual}"\n', encoding="utf-8")
    result = audited(fixture_text, "fixture.txt", rules)
    assert any(f.rule.id == "ZZ-001" and f.status == "fail" for f in result.findings)
    document = render(result, WHEN)
    page = parse(document)
    assert [t for t, _ in page.elements].count("script") == 1
    assert not any(t == "img" or (t == "b" and not a) for t, a in page.elements)  # the report's own <b> have attributes
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;title&lt;/b&gt;" in document
    assert "&lt;script&gt;alert(2)&lt;/script&gt; got" in document


def test_dependency_graph_around_the_failures(wrong_html, wrong_result):
    assert '<svg class="deps"' in wrong_html
    drawing = depgraph.failure_graph(wrong_result, frozenset({(262, 37)}))
    kinds = {}
    for node in drawing.nodes:
        kinds.setdefault(node.kind, set()).add(node.key[1])
    assert {"BS-001", "X-006", "FX-001"} <= kinds["rule"]
    assert (262, 37) in kinds["figure"]
    assert "usd_rate" in kinds["let"]  # FX-001 reads the rate through a definition
    wrong = next(n for n in drawing.nodes if n.key == ("figure", (262, 37)))
    assert "suspect" in wrong.classes and "shared" in wrong.classes
    by_key = {n.key: n for n in drawing.nodes}
    columns: dict[float, list] = {}
    for node in drawing.nodes:
        columns.setdefault(node.x, []).append(node)
        assert 0 <= node.x and node.x + node.w <= drawing.width and node.y + node.h <= drawing.height
    for stack in columns.values():  # no two boxes of a layer overlap
        stack.sort(key=lambda n: n.y)
        assert all(a.y + a.h <= b.y for a, b in zip(stack, stack[1:]))
    assert drawing.edges
    for edge in drawing.edges:  # every edge runs left to right
        x1, x2 = (float(v.split(",")[0].lstrip("MC")) for v in (edge.path.split()[0], edge.path.split()[-1]))
        assert x1 < x2
    assert max(n.x for n in drawing.nodes if n.kind == "rule") == max(by_key[k].x for k in by_key)


def test_no_graph_and_no_failures_section_for_a_clean_filing(fixture_html, fixture_result):
    assert depgraph.failure_graph(fixture_result) is None
    assert '<svg class="deps"' not in fixture_html


def test_rendering_is_stable(fixture_result, fixture_html):
    assert render(fixture_result, WHEN) == fixture_html


def test_batch_index_rows_are_rendered_failing_first(tmp_path):
    from audit.batch.runner import Tally
    from audit.report.index import ordered_rows, write_index

    def line(name, verdict, failures):
        return {"path": f"/c/{name}.txt", "verdict": verdict, "failures": failures, "sha256": "0" * 64,
                "counts": None if verdict == "error" else {"pass": 9, "fail": failures or 0, "skip": 0, "error": 0},
                "coverage": None, "top_suspect": None, "error": None, "json": None, "html": f"filings/{name}.html",
                "packs": ["qfin"]}

    lines = [line("a", "pass", 0), line("b", "incomplete", 0), line("c", "fail", 1), line("d", "error", None),
             line("e", "fail", 3), line("f", "pass", 0)]
    assert [r["path"] for r in ordered_rows(lines)] == [f"/c/{n}.txt" for n in "ecdbaf"]
    tally = Tally()
    for each in lines:
        tally.add(each)
    write_index(str(tmp_path / "index.html"), iter(lines), tally, "rules")
    document = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert [document.index(f'href="filings/{n}.html"') for n in "ecdbaf"] == sorted(
        document.index(f'href="filings/{n}.html"') for n in "ecdbaf")
    page = parse(document)
    csp = next(a["content"] for t, a in page.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    digest = base64.b64encode(hashlib.sha256(page.scripts[0].encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp


# -- the reviewer's layout: verdict banner, exceptions first, tick kinds, numbers, stable anchors ---

def _position(document: str, marker: str) -> int:
    assert marker in document, marker
    return document.index(marker)


def test_banner_and_exceptions_come_before_provenance_and_passing_checks(wrong_html, wrong_result):
    assert re.search(r"<title>FAIL \u2014 audit report \u2014 wrong-6k\.txt</title>", wrong_html)
    banner = wrong_html[_position(wrong_html, 'id="banner"'):_position(wrong_html, 'id="exceptions"')]
    assert 'id="verdict">FAIL<' in banner and "\u2717" in banner  # the word and an icon, not colour alone
    assert "3 error-severity checks failed of" in banner
    assert WRONG in banner and "5,128,335" in banner and "transposed digits" in banner and "line 262:37" in banner
    # the exceptions come before the hashes and pack reasons, and before any passing check
    assert _position(wrong_html, 'id="exceptions"') < _position(wrong_html, f'class="hash">{wrong_result.filing.sha256}')
    assert _position(wrong_html, 'id="exceptions"') < _position(wrong_html, 'id="provenance"')
    page = parse(wrong_html)
    articles = [a for t, a in page.elements if t == "article"]
    problems = [a for a in articles if a["data-status"] in ("fail", "error")]
    assert articles[:len(problems)] == problems and len(problems) == 3  # every failure first, across rule files
    assert {a["data-name"] for a in problems} == {"BS-001 [2023-03-31 RMB]", "X-006 [3M to 2023-03-31 RMB]",
                                                  "FX-001 [2023-03-31 USD] ASSETS / Current assets: / Cash and "
                                                  "cash equivalents"}
    section = wrong_html[_position(wrong_html, 'id="exceptions"'):_position(wrong_html, 'id="summary"')]
    assert section.count("<article") == 3
    for text in ("Current assets foot to total current assets", "5,128,353", "\u0394 -18"):
        assert text in section, text


def test_a_passing_report_says_so_in_its_banner(fixture_html, fixture_result):
    assert "<title>PASS \u2014" in fixture_html
    banner = fixture_html[_position(fixture_html, 'id="banner"'):_position(fixture_html, 'id="exceptions"')]
    assert 'id="verdict">PASS<' in banner and "\u2713" in banner
    assert f"{fixture_result.verdict.evaluated} error-severity checks evaluated, all held" in banner
    assert "skipped: 29 not applicable" in banner
    assert "No check failed or could not be evaluated." in fixture_html


def test_only_the_suspect_gets_the_failed_tick(wrong_html, wrong_result):
    page = parse(wrong_html)
    kinds = {fid: [c for c in ("failed", "involved", "verified", "unchecked") if c in a["class"].split()]
             for fid, a in page.figures.items()}
    assert all(len(k) == 1 for k in kinds.values())
    failed = {fid for fid, k in kinds.items() if k == ["failed"]}
    assert failed == {"F-L262C37"}  # diagnosis names one figure; the other 16 in failing checks are not guilty
    in_failing = {f"F-{g.id}" for f in wrong_result.findings if f.status == "fail" for g in f.figures}
    assert {fid for fid, k in kinds.items() if k == ["involved"]} == in_failing - failed
    assert len(in_failing - failed) > 5
    assert page.figures["F-L262C37"]["data-implied"] == "5,128,335"
    assert "should read 5,128,335" in page.figures["F-L262C37"]["title"]
    legend = wrong_html[_position(wrong_html, 'id="tick-legend"'):]
    legend = legend[:legend.index("</p>")]
    for words in ("likely wrong", "in a failing check", "verified", "unchecked"):
        assert words in legend
    card = wrong_html[_position(wrong_html, 'data-name="BS-001 [2023-03-31 RMB]"'):]
    card = card[:card.index("</article>")]
    assert card.count(">likely wrong<") == 1 and card.count(">in a failing check<") == 10


def test_failed_checks_read_with_not_equal_and_the_printed_precision(wrong_html):
    def card(name):
        start = _position(wrong_html, f'data-name="{name}')
        return wrong_html[start:wrong_html.index("</article>", start)]

    bs = card("BS-001 [2023-03-31 RMB]")
    assert "35,018,565 \u2260 35,018,583" in bs and "\u0394 -18" in bs
    assert "actual [35,018,564.5, 35,018,565.5] \u2260 expected [35,018,578, 35,018,588]" in bs
    assert "<dt>Gap</dt><dd>12.5 RMB thousands between the intervals" in bs
    fx = card("FX-001 [2023-03-31 USD]")
    # a figure printed in whole thousands: expected and difference in whole thousands too (was 746,746.02, -3.02)
    assert "<dt>Expected</dt><dd>746,746</dd>" in fx and "<dt>Difference</dt><dd>-3 USD thousands</dd>" in fx
    numbers = fx[fx.index('<dl class="nums">'):fx.index("</dl>")]  # (the message is the rule's own text)
    assert "746,746.02" not in numbers and "-3.02" not in numbers
    panel = wrong_html[_position(wrong_html, 'id="likely-errors"'):_position(wrong_html, 'id="summary"')]
    assert "5,128,334 to 5,128,336" in panel


def test_numbers_at_the_printed_precision_and_ranges():
    from decimal import Decimal

    from audit.check.findings import Display
    from audit.report.view import fmt_printed, range_text

    one = Display(0, "", 1)
    assert fmt_printed(Decimal("3599.2499"), one) == "3,599.2"
    assert fmt_printed(Decimal("-0.04"), one) == "0.0"
    assert fmt_printed(Decimal("3599.25"), one, 1) == "3,599.25"
    assert fmt_printed(Decimal("12.50"), Display(-2, "%", 1)) == "1,250.0%"
    assert range_text("3599.2", "3599.2") == "3,599.2"
    assert range_text("40879365", "40879367") == "40,879,365 to 40,879,367"
    assert range_text(None, "12") == "at most 12" and range_text("7", None) == "at least 7"


def test_finding_anchors_are_built_from_rule_column_and_row(wrong_html, fixture_html, wrong_result):
    anchors = finding_anchors(wrong_result.findings)
    assert len(set(anchors)) == len(anchors)
    assert 'id="f-BS-001--2023-03-31-RMB" data-status="fail"' in wrong_html
    assert 'id="f-BS-001--2023-03-31-RMB" data-status="pass"' in fixture_html
    fx = anchors[next(i for i, f in enumerate(wrong_result.findings) if f.rule.id == "FX-001" and f.status == "fail")]
    assert fx == "FX-001--2023-03-31-USD--ASSETS-Current-assets-Cash-and-cash-equivalents"
    # the same check has the same anchor whatever the other findings are
    shorter = finding_anchors(wrong_result.findings[5:])
    assert shorter == anchors[5:]
    page = parse(wrong_html)
    ids = {a["id"] for t, a in page.elements if t == "article"}
    for fig in page.figures.values():  # a figure's checks are anchors of findings in the page
        assert {f"f-{key}" for key in fig["data-checks"].split()} <= ids


# -- print: running header and footer, passing checks as counts --------------------------------

def _print_style(document: str) -> str:
    start = _position(document, '<style media="print">')
    return document[start:document.index("</style>", start)]


def test_printed_pages_carry_filing_verdict_sha256_and_page_numbers(wrong_html, wrong_result):
    style = _print_style(wrong_html)
    assert '@top-left { content: "qfin-audit \u00b7 wrong-6k.txt"; }' in style
    assert '@top-right { content: "FAIL \u00b7 3 failed, 0 not evaluated, 367 passed"; }' in style
    assert f'@bottom-left {{ content: "filing sha256 {wrong_result.filing.sha256}"; }}' in style
    assert '@bottom-right { content: "page " counter(page) " of " counter(pages); }' in style
    css = wrong_html[:wrong_html.index('<style media="print">')]
    for rule in (".finding, .suspect-item", "break-inside: avoid", "#findings .group { display: none; }",
                 "svg.deps { width: 100%; height: auto;"):
        assert rule in css, rule


def test_a_filing_name_is_escaped_for_css_in_the_running_header(fixture_text):
    result = audited(fixture_text, 'r"e\\p<o>r\nt.txt')
    style = _print_style(render(result, WHEN))
    assert '"qfin-audit \u00b7 r\\22 e\\5c p\\3c o\\3e r\\a t.txt"' in style
    assert style.count('"') == 2 * 4 + 4  # four quoted strings, and the page counter's two
    assert "<o>" not in style


def test_passing_checks_print_as_a_count_table(wrong_html, wrong_result):
    start = _position(wrong_html, 'id="print-counts"')
    table = wrong_html[start:wrong_html.index("</table>", start)]
    rows = re.findall(r"<tr><td>(.*?)</tr>", table)
    assert len(rows) == len({f.file for f in wrong_result.findings if f.status not in ("fail", "error")})
    totals = re.findall(r"<td>(\d+)</td>", table[table.index('class="total"'):])
    assert totals == ["0", "0", "29", "367"]  # the failures are in the Exceptions; every other check counted
    assert '<table class="grid print-only" id="print-counts">' in wrong_html  # shown only in print


# -- accessibility: what the server renders -----------------------------------------------------

def test_no_control_inside_a_summary(wrong_html):
    summaries = re.findall(r"(?s)<summary>(.*?)</summary>", wrong_html)
    assert len(summaries) > 300
    for text in summaries:
        assert not re.search(r"<(a|button|input|select|textarea)\b|tabindex=", text), text


def test_skip_links_reach_focusable_targets_and_figures_are_not_each_a_tab_stop(wrong_html):
    page = parse(wrong_html)
    skips = [a["href"] for t, a in page.elements if t == "a" and a.get("class") == "skip"]
    assert skips == ["#exceptions", "#filing-pane"]
    ids = {a.get("id"): a for t, a in page.elements}
    assert all(ids[href[1:]].get("tabindex") == "-1" for href in skips)
    assert {a["tabindex"] for a in page.figures.values()} == {"-1"}  # the script makes one of them the stop
    assert ids["filing"]["tabindex"] == "0"  # without the script the pane itself scrolls from the keyboard
    assert ids["filing"]["aria-describedby"] == "fig-keys" and "fig-keys" in ids


def test_colours_meet_wcag_aa_contrast():
    css = (ROOT / "audit" / "report" / "templates" / "report.css").read_text(encoding="utf-8")
    colours = {name: value if len(value) == 7 else "#" + "".join(c * 2 for c in value[1:])
               for name, value in re.findall(r"--([a-z-]+): (#[0-9a-f]{6}|#[0-9a-f]{3})\b", css[:css.index("}")])}

    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    def ratio(a, b):
        hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    for text, ground in (("faint", "card"), ("muted", "card"), ("muted", "bg"), ("faint", "accent-bg"),
                         ("pass", "pass-bg"), ("fail", "fail-bg"), ("error", "error-bg"), ("skip", "skip-bg"),
                         ("accent", "accent-bg"), ("warn", "card")):
        assert ratio(colours[text], colours[ground]) >= 4.5, (text, ground, ratio(colours[text], colours[ground]))


# -- batch: every suspect in the index, a link back from each report ---------------------------

def test_a_report_links_to_its_batch_index_only_in_a_batch(wrong_result, wrong_html):
    assert "to-index" not in wrong_html.split("<body", 1)[1]
    document = render(wrong_result, WHEN, index="../index.html")
    assert '<a class="to-index" href="../index.html" rel="up">' in document
    assert document.replace('<a class="to-index" href="../index.html" rel="up">&larr; Batch index</a>', "") \
        .replace("\n  \n", "\n") == wrong_html.replace("\n  \n", "\n")  # nothing else differs


def test_batch_index_shows_every_suspect(tmp_path):
    from audit.batch.runner import Tally
    from audit.report.index import ordered_rows, write_index

    def suspect(line, text, implied, rule):
        return {"kind": "figure", "line": line, "col": 7, "text": text, "implied_text": implied,
                "hint": "transposed digits", "explains": [rule]}

    first, second = suspect(262, "5,128,353", "5,128,335", "BS-001"), suspect(297, "100,853", "100,835", "BS-005")
    base = {"sha256": "0" * 64, "counts": {"pass": 9, "fail": 2, "skip": 0, "error": 0}, "coverage": None,
            "error": None, "json": None, "packs": ["qfin"], "verdict": "fail", "failures": 2}
    lines = [{**base, "path": "/c/two.txt", "html": "filings/two.html", "top_suspect": first,
              "suspects": [first, second]},
             {**base, "path": "/c/old.txt", "html": "filings/old.html", "top_suspect": second}]  # before suspects
    rows = ordered_rows(lines)
    assert [len(r["suspects"]) for r in rows] == [2, 1]
    tally = Tally()
    for each in lines:
        tally.add(each)
    write_index(str(tmp_path / "index.html"), iter(lines), tally, "rules")
    document = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert document.count('<ul class="suspects">') == 1
    assert "L262:7 5,128,353 should be 5,128,335 (transposed digits); fixes BS-001" in document
    assert document.count("L297:7 100,853 should be 100,835 (transposed digits); fixes BS-005") == 2


# -- without JavaScript -------------------------------------------------------------------------

def test_without_the_script_locate_is_a_plain_link_and_script_controls_are_marked(wrong_html):
    page = parse(wrong_html)
    locates = [a for t, a in page.elements if t == "a" and a.get("class") == "locate"]
    assert len(locates) == sum(1 for t, a in page.elements if t == "article" and a.get("data-figs"))
    card = wrong_html[_position(wrong_html, 'data-name="BS-001 [2023-03-31 RMB]"'):]
    assert '<a class="locate" href="#F-L262C37">Locate in the filing</a>' in card[:card.index("</article>")]
    assert not any(t == "button" and "locate" in a.get("class", "") for t, a in page.elements)
    # every control that only the script makes work is hidden without it (html:not(.js) .needs-js)
    filters = next(a for t, a in page.elements if a.get("class", "").startswith("filters"))
    assert "needs-js" in filters["class"].split()
    assert "needs-js" in next(a for t, a in page.elements if a.get("id") == "fig-keys")["class"].split()
    assert not any(t == "g" and "tabindex" in a for t, a in page.elements)  # graph nodes: the script makes them stops
    assert "html:not(.js) .needs-js { display: none !important; }" in wrong_html


def test_each_statement_is_wrapped_from_its_column_headings_to_its_last_row(fixture_html, fixture_result):
    """The rows before a statement's first figure that head its columns (no label, dates and
    currencies over the figures) are its sticky headings; the wrapper closes after its last row."""
    stmts = re.findall(r'(?s)<div class="stmt"><div class="stmt-head">(.*?)</div></div>\n(.*?)</div></div>\n', fixture_html)
    assert len(stmts) >= 5
    lines = fixture_result.filing.lines
    heads = [[int(n) for n in re.findall(r'<div class="ln tr" id="L(\d+)"', head)] for head, _ in stmts]
    assert heads[0] == [258, 259] and heads[1] == [311, 312, 313]
    for numbers in heads:
        for n in numbers:  # a heading: no label, text over the figures' columns, no figure of its own
            label, *rest = lines[n - 1].split("\t")
            assert not label.strip() and any(cell.strip() for cell in rest)
    for head, body in stmts:  # the statement runs to its last tab-separated row, and no further
        last = int(re.findall(r'id="L(\d+)"', head + body)[-1])
        assert "\t" in lines[last - 1] and (last == len(lines) or "\t" not in lines[last])
    page = parse(fixture_html)
    assert [page.lines[n] for n in sorted(page.lines)] == lines  # the text itself is unchanged
    pane = next(a for t, a in page.elements if a.get("id") == "filing-pane")
    assert pane.get("aria-labelledby") == "filing-title" and "role" not in pane  # a region; the script makes it a dialog
    assert re.search(r'<section class="filing-col" id="filing-pane"', fixture_html)
    assert re.search(r'<h2 id="filing-title">Annotated filing</h2>', fixture_html)


def test_quotes_and_markup_in_a_row_label_stay_text_in_the_line_and_its_tooltips(fixture_text):
    """A row label with quotes and markup: escaped in the filing's line and in each of its figures'
    tooltips (an attribute), which are built as markup in html_filing."""
    label = 'Cash <b>"and"</b> & \'cash\' equivalents'
    text = fixture_text.replace("Cash and cash equivalents\t7,165,584", f"{label}\t7,165,584", 1)
    assert text != fixture_text
    result = audited(text, "quotes-6k.txt")
    document = render(result, WHEN)
    page = parse(document)
    assert '<b>"and"</b>' not in document and "&lt;b&gt;&#34;and&#34;&lt;/b&gt;" in document
    assert page.lines[262] == text.split("\n")[261]  # the line, exactly as printed
    figure = page.figures["F-L262C" + str(len(label) + 2)]
    assert figure["text"] == "7,165,584" and label in figure["title"]  # the attribute gives the label back
