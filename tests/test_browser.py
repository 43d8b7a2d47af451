"""The HTML report in real headless Chromium: clean render, filters, jumps to figures, escaping, offline.

Needs Debian's chromium at /usr/bin/chromium and Python playwright (the `test` extra). Without the
browser these tests skip with a one-line reason; with QFIN_REQUIRE_BROWSER=1 (set by .ci/run, which
installs chromium) a missing browser is a failure, so CI never skips them. `playwright install` is
never run.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "qfin"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
MISSING = f"no browser at {CHROMIUM}: `apt-get install chromium` to run the browser tests (.ci/run does)"
REQUIRED = os.environ.get("QFIN_REQUIRE_BROWSER") == "1"


def _absent(reason: str) -> None:
    """Skip with the reason, or fail where the browser is required (CI)."""
    if REQUIRED:
        pytest.fail(reason + " (QFIN_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


def test_chromium_is_installed():
    if not os.access(CHROMIUM, os.X_OK):
        _absent(MISSING)


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        _absent(MISSING)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _absent("Python playwright is missing: pip install -e '.[test]'")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def run_cli(*args, cwd, codes=(0, 1)):
    done = subprocess.run([sys.executable, "-m", "audit", "run", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode in codes, done.stderr
    return done


@pytest.fixture(scope="module")
def reports(tmp_path_factory, fixture_text, fixture_path) -> dict[str, Path]:
    """Reports written by `qfin-audit run`: the fixture, one wrong figure, and hostile text."""
    folder = tmp_path_factory.mktemp("reports")
    lines = fixture_text.split("\n")
    lines[261] = lines[261].replace("5,128,335", "5,128,353")
    (folder / "wrong-6k.txt").write_text("\n".join(lines), encoding="utf-8")
    evil = fixture_text.split("\n")
    evil.insert(52, "Note: <script>alert(1)</script> and <b>bold</b> in the prose.")
    (folder / "evil-6k.txt").write_text("\n".join(evil), encoding="utf-8")
    rules = folder / "rules"
    shutil.copytree(RULES, rules)
    (rules / "zz-hostile.rules").write_text(
        'rule ZZ-001 "<img src=x onerror=alert(3)> title" severity warning:\n'
        '    bs["TOTAL ASSETS"] = bs["TOTAL LIABILITIES AND EQUITY"] * 2\n'
        '    message "<script>alert(4)</script> {actual}"\n', encoding="utf-8")
    run_cli(RULES, fixture_path, "--html", folder / "fixture.html", cwd=folder)
    assert run_cli(RULES, folder / "wrong-6k.txt", cwd=folder).returncode == 1  # default reports/<stem>.html
    run_cli(rules, folder / "evil-6k.txt", "--html", folder / "evil.html", cwd=folder)
    cash_flows = "Unaudited Condensed Consolidated Statements of Cash Flows"  # renamed: its checks cannot run
    assert fixture_text.count(cash_flows) >= 1
    (folder / "renamed-6k.txt").write_text(fixture_text.replace(cash_flows, "Selected Figures"), encoding="utf-8")
    run_cli(RULES, folder / "renamed-6k.txt", "--html", folder / "incomplete.html", cwd=folder, codes=(3,))
    return {"fixture": folder / "fixture.html", "wrong": folder / "reports" / "wrong-6k.html",
            "evil": folder / "evil.html", "incomplete": folder / "incomplete.html"}


class Opened(NamedTuple):
    """A report open in a page, with everything the page logged, requested and alerted."""

    page: object
    url: str
    console: list
    requests: list
    dialogs: list


@pytest.fixture()
def open_report(browser):
    contexts = []

    def opener(path: Path) -> Opened:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        contexts.append(context)
        console, requests, dialogs = [], [], []
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        url = path.as_uri()
        page.goto(url, wait_until="load")
        return Opened(page, url, console, requests, dialogs)

    yield opener
    for context in contexts:
        context.close()


@pytest.mark.parametrize("name", ["fixture", "wrong"])
def test_report_renders_without_console_errors_or_requests(reports, open_report, name, tmp_path):
    assert reports[name].stat().st_size < 1_000_000
    opened = open_report(reports[name])
    page = opened.page
    page.wait_for_timeout(300)
    verdict = page.locator("#verdict")
    assert verdict.inner_text() == ("PASS" if name == "fixture" else "FAIL")
    assert page.locator(".finding").count() > 100
    assert page.locator("#filing .fig").count() > 400
    shot = tmp_path / f"report-{name}.png"
    page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")
    assert opened.console == [], opened.console
    assert opened.requests == [opened.url], f"the report requested {opened.requests}"


def test_wrong_figure_is_at_the_top_and_marked_failed(reports, open_report):
    page = open_report(reports["wrong"]).page
    first = page.locator(".finding").first
    assert first.get_attribute("data-status") == "fail"
    assert first.locator("details").get_attribute("open") is not None
    assert "failed" in page.locator("#F-L262C37").get_attribute("class").split()
    assert page.locator("#F-L262C37").inner_text() == "5,128,353"
    assert "BS-001" in page.locator("#exceptions").inner_text()
    suspects = page.locator("#likely-errors")
    if suspects.count():  # diagnosis found the wrong figure: its panel comes before everything else
        assert "5,128,353" in suspects.inner_text()
        box = suspects.bounding_box()
        assert box["y"] < page.locator("#summary").bounding_box()["y"]


def test_status_and_severity_filters(reports, open_report):
    page = open_report(reports["wrong"]).page
    total = page.locator(".finding").count()
    visible = lambda: page.locator(".finding:visible").count()  # noqa: E731
    assert visible() == total
    page.locator('input[data-filter="status"][value="pass"]').uncheck()
    not_passing = page.locator('.finding:not([data-status="pass"])').count()
    assert 0 < not_passing < total
    assert visible() == not_passing
    assert page.locator('.finding[data-status="pass"]:visible').count() == 0
    assert page.locator("#shown").inner_text() == str(not_passing)
    page.locator('input[data-filter="status"][value="skip"]').uncheck()
    assert visible() == page.locator('.finding[data-status="fail"], .finding[data-status="error"]').count() == 3
    page.locator('input[data-filter="severity"][value="error"]').uncheck()
    assert visible() == 0
    assert page.locator("#none-shown").is_visible()
    assert page.locator(".group:visible").count() == 0
    page.locator('input[data-filter="status"][value="pass"]').check()
    page.locator('input[data-filter="severity"][value="error"]').check()
    page.locator('input[data-filter="severity"][value="warning"]').uncheck()
    assert visible() == page.locator(
        '.finding:is([data-status="pass"], [data-status="fail"], [data-status="error"])'
        ':not([data-severity="warning"])').count()
    page.locator("#filters-reset").click()
    assert visible() == total and not page.locator("#none-shown").is_visible()


def test_clicking_a_finding_scrolls_to_and_highlights_its_figures(reports, open_report, tmp_path):
    from playwright.sync_api import expect

    opened = open_report(reports["wrong"])
    page = opened.page
    wrong = page.locator("#F-L262C37")
    expect(wrong).not_to_be_in_viewport()
    assert page.locator("#filing .fig.hl").count() == 0
    card = page.locator('.finding[data-name="BS-001 [2023-03-31 RMB]"]')
    card.locator(".locate").click()
    expect(wrong).to_be_in_viewport()
    expect(wrong).to_have_class(re.compile(r"\bhl\b"))
    assert page.locator("#filing .fig.hl").count() == len(card.get_attribute("data-figs").split()) == 11
    expect(page.locator("#hl-bar")).to_contain_text("BS-001 [2023-03-31 RMB]")
    shot = tmp_path / "report-located.png"
    page.screenshot(path=str(shot))
    print(f"screenshot: {shot}")

    # clicking a figure lists the checks that used it; a listed check opens on click
    wrong.click()
    info = page.locator("#fig-info")
    expect(info).to_be_visible()
    for name in ("BS-001 [2023-03-31 RMB]", "X-006 [3M to 2023-03-31 RMB]", "FX-001 [2023-03-31 USD]"):
        expect(info).to_contain_text(name)
    info.get_by_role("button", name="X-006 [3M to 2023-03-31 RMB]").click()
    x006 = page.locator('.finding[data-name="X-006 [3M to 2023-03-31 RMB]"]')
    expect(x006).to_have_class(re.compile(r"\bcurrent\b"))
    expect(x006).to_be_in_viewport()

    # a figure link inside another finding, and the graph's node for the figure, highlight it too
    page.locator("#hl-clear").click()
    assert page.locator("#filing .fig.hl").count() == 0
    page.locator('#graph .node[data-fig="L262C37"]').click()
    expect(wrong).to_have_class(re.compile(r"\bhl\b"))
    assert page.locator("#filing .fig.hl").count() == 1
    assert opened.console == [] and opened.requests == [opened.url]


def test_hostile_filing_and_rule_text_stay_text(reports, open_report):
    opened = open_report(reports["evil"])
    page = opened.page
    page.wait_for_timeout(300)
    assert opened.dialogs == []
    assert page.locator("script").count() == 1
    assert page.locator("img").count() == 0 and page.locator("#filing b").count() == 0
    assert page.locator("#L53 .tx").inner_text() == "Note: <script>alert(1)</script> and <b>bold</b> in the prose."
    card = page.locator(".finding", has=page.locator("code.rid", has_text="ZZ-001")).first
    assert "<img src=x onerror=alert(3)> title" in card.locator(".ftitle").inner_text()
    assert card.get_attribute("data-status") == "fail" and card.locator(".msg").is_visible()
    assert "<script>alert(4)</script>" in card.locator(".msg").inner_text()
    assert opened.console == [] and opened.requests == [opened.url]


def test_verdict_banner_and_exceptions_lead_the_failing_report(reports, open_report):
    opened = open_report(reports["wrong"])
    page = opened.page
    assert page.title().startswith("FAIL")
    banner = page.locator("#banner")
    box = banner.bounding_box()
    assert box["y"] < 150 and box["width"] > 1300  # at the top, across the page
    assert float(page.locator("#verdict").evaluate("el => getComputedStyle(el).fontSize")[:-2]) >= 28
    assert page.locator("#banner .verdict .icon").inner_text() == "\u2717" and page.locator("#verdict").inner_text() == "FAIL"
    likely = page.locator("#banner .likely li")
    assert likely.count() == 1 and "5,128,353" in likely.inner_text() and "5,128,335" in likely.inner_text()
    exceptions = page.locator("#exceptions")
    assert exceptions.bounding_box()["y"] < page.locator("#provenance").bounding_box()["y"]
    assert exceptions.bounding_box()["y"] < 900  # the first exception is on the first screen
    assert exceptions.locator(".finding").count() == 3
    assert page.locator('.finding[data-status="fail"]').count() == exceptions.locator('.finding[data-status="fail"]').count()
    first = exceptions.locator(".finding").first
    assert first.locator("details").get_attribute("open") is not None
    assert "35,018,565 \u2260 35,018,583" in first.locator("summary").inner_text()
    # "Show" in the banner highlights the wrong figure in the filing
    from playwright.sync_api import expect

    likely.locator("a.show").click()
    expect(page.locator("#F-L262C37")).to_have_class(re.compile(r"\bhl\b"))
    expect(page.locator("#F-L262C37")).to_be_in_viewport()
    assert opened.console == [] and opened.requests == [opened.url]


def test_three_kinds_of_tick_mark(reports, open_report):
    from playwright.sync_api import expect

    page = open_report(reports["wrong"]).page
    assert page.locator("#filing .fig.failed").count() == 1
    assert page.locator("#filing .fig.involved").count() > 5
    assert page.locator("#filing .fig.verified").count() > 300
    after = "el => getComputedStyle(el, '::after').content"
    marks = {kind: page.locator(f"#filing .fig.{kind}").first.evaluate(after) for kind in ("failed", "involved", "verified")}
    assert marks == {"failed": '"\u2717"', "involved": '"\u25cb"', "verified": '"\u2713"'}
    colours = {kind: page.locator(f"#filing .fig.{kind}").first.evaluate("el => getComputedStyle(el).backgroundColor")
               for kind in ("failed", "involved")}
    assert colours["failed"] != colours["involved"]
    page.locator("#F-L262C37").click()
    expect(page.locator("#fig-info")).to_contain_text("likely wrong")
    expect(page.locator("#fig-info")).to_contain_text("should read 5,128,335")
    page.keyboard.press("Escape")
    expect(page.locator("#fig-info")).to_be_hidden()
    page.locator("#filing .fig.involved").first.click()
    expect(page.locator("#fig-info")).to_contain_text("in a failing check")


def test_a_finding_anchor_opens_from_a_fresh_page_load(reports, open_report, browser):
    from playwright.sync_api import expect

    # a passing check: closed in the page, opened by its address
    opened = open_report(reports["fixture"])
    anchor = "f-BS-001--2023-03-31-RMB"
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.goto(opened.url + "#" + anchor, wait_until="load")
        card = page.locator(f'[id="{anchor}"]')
        assert card.get_attribute("data-name") == "BS-001 [2023-03-31 RMB]"
        assert card.get_attribute("data-status") == "pass"
        expect(card).to_have_class(re.compile(r"\bcurrent\b"))
        expect(card).to_be_in_viewport()
        assert card.locator("details").get_attribute("open") is not None
    finally:
        context.close()
    # a jump to a check goes in the history; Back returns to the one before
    page = open_report(reports["wrong"]).page
    link = page.locator('#likely-errors a[data-finding="X-006--3M-to-2023-03-31-RMB"]')
    link.click()
    assert page.url.endswith("#f-X-006--3M-to-2023-03-31-RMB")
    expect(page.locator('[id="f-X-006--3M-to-2023-03-31-RMB"]')).to_have_class(re.compile(r"\bcurrent\b"))
    page.locator('#likely-errors a[data-finding="BS-001--2023-03-31-RMB"]').click()
    expect(page.locator('[id="f-BS-001--2023-03-31-RMB"]')).to_have_class(re.compile(r"\bcurrent\b"))
    page.go_back()
    assert page.url.endswith("#f-X-006--3M-to-2023-03-31-RMB")
    expect(page.locator('[id="f-X-006--3M-to-2023-03-31-RMB"]')).to_have_class(re.compile(r"\bcurrent\b"))
    expect(page.locator('[id="f-X-006--3M-to-2023-03-31-RMB"]')).to_be_in_viewport()


@pytest.fixture(scope="module")
def buckle_report(tmp_path_factory) -> Path:
    """The report of the Buckle HTML exhibit with net income changed in the markup, run with
    every bundled pack (only the Buckle pack applies)."""
    folder = tmp_path_factory.mktemp("buckle")
    markup = (ROOT.parent / "shared" / "filings" / "buckle-8k-ex99-1-2024-11-22.htm").read_text(encoding="utf-8")
    assert markup.count(">44,172&#160;<") == 1  # the income statement's net income, 13 weeks
    (folder / "buckle-wrong.htm").write_text(markup.replace(">44,172&#160;<", ">44,127&#160;<"), encoding="utf-8")
    assert run_cli(ROOT / "rules", folder / "buckle-wrong.htm", "--html", folder / "b.html", cwd=folder).returncode == 1
    return folder / "b.html"


def test_html_exhibit_report_shows_packs_rendering_and_locates_the_changed_cell(buckle_report, open_report):
    from playwright.sync_api import expect

    opened = open_report(buckle_report)
    page = opened.page
    expect(page.locator("#verdict")).to_have_text("FAIL")
    packs = page.locator("ul.packs li")
    assert packs.count() == 3  # the bundled packs: buckle, qfin, xpeng
    expect(page.locator("ul.packs li.applied")).to_contain_text("buckle")
    assert sorted(t.split()[0] for t in page.locator("ul.packs li.skipped").all_inner_texts()) == ["qfin", "xpeng"]
    wrong = page.locator("#filing .fig", has_text="44,127")
    assert wrong.count() == 1 and "byte" in wrong.get_attribute("title")
    fig_id = wrong.get_attribute("id")[2:]
    card = page.locator(f'.finding[data-status="fail"][data-figs~="{fig_id}"]').first
    card.locator(".locate").click()
    expect(wrong).to_be_in_viewport()
    expect(wrong).to_have_class(re.compile(r"\bhl\b"))
    assert opened.console == [] and opened.requests == [opened.url]


# -- the batch index ----------------------------------------------------------------------------

def _summary_line(name: str, verdict: str, failures, fail: int = 0, error_text=None) -> dict:
    counts = None if verdict == "error" else {"total": 400, "pass": 380 - fail, "fail": fail, "skip": 20, "error": 0}
    coverage = None if verdict == "error" else {"tables": {"ratio": 0.95}, "narrative": {"ratio": 0.5}}
    return {"path": f"/corpus/{name}.txt", "sha256": "ab" * 32, "verdict": verdict, "failures": failures,
            "counts": counts, "coverage": coverage, "top_suspect": None, "error": error_text,
            "json": None if verdict == "error" else f"filings/{name}.json",
            "html": None if verdict == "error" else f"filings/{name}.html", "packs": ["qfin"]}


# completion order, as summary.jsonl has it
BATCH = [_summary_line("p1", "pass", 0), _summary_line("f2-one", "fail", 1, 1),
         _summary_line("e3", "error", None, error_text="e3: not UTF-8"), _summary_line("i4", "incomplete", 0),
         _summary_line("f5-five", "fail", 5, 6), _summary_line("p6", "pass", 0), _summary_line("f7-one", "fail", 1, 2)]
DEFAULT_ORDER = ["f5-five", "f2-one", "f7-one", "e3", "i4", "p1", "p6"]


@pytest.fixture(scope="module")
def batch_index(tmp_path_factory) -> Path:
    from audit.batch.runner import Tally
    from audit.report.index import write_index

    tally = Tally()
    for line in BATCH:
        tally.add(line)
    path = tmp_path_factory.mktemp("batch") / "index.html"
    write_index(str(path), iter(BATCH), tally, "pack qfin: 12 file(s), 400 rules")
    return path


def _index_order(page) -> list[str]:
    return [Path(p).stem for p in page.locator("#filings tbody tr td:nth-child(2)").all_inner_texts()]


def test_batch_index_default_order_without_javascript(browser, batch_index):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(batch_index.as_uri(), wait_until="load")
        assert _index_order(page) == DEFAULT_ORDER
        assert page.locator("#tools").is_hidden()  # the filters need JavaScript: not shown without it
        assert page.locator("#filings thead button").count() == 0  # no sort button that would do nothing
        assert page.locator("#filings thead th").all_inner_texts()[:4] == ["#", "filing", "pack", "verdict"]
        assert page.locator("main").count() == 1
        assert page.locator('meta[name="viewport"]').count() == 1
        assert page.locator("#by-verdict").get_attribute("aria-sort") == "ascending"
    finally:
        context.close()


def test_batch_index_sorts_from_the_keyboard_and_keeps_the_default_order(open_report, batch_index):
    opened = open_report(batch_index)
    page = opened.page
    assert _index_order(page) == DEFAULT_ORDER  # the script's default sort agrees with the server's
    assert page.locator("#filings thead th button").count() == page.locator("#filings thead th").count() == 14
    for cell in ("#by-failures", "#filings tbody tr:first-child td:nth-child(5)",
                 "#filings tbody tr:first-child td:nth-child(10)"):
        assert page.locator(cell).evaluate("el => getComputedStyle(el).textAlign") == "right", cell
    page.locator("#filings thead th:first-child button").focus()
    page.keyboard.press("Enter")  # '#': completion order, newest first, then oldest first
    assert _index_order(page) == [line["path"].rsplit("/", 1)[1][:-4] for line in reversed(BATCH)]
    page.keyboard.press("Enter")
    assert _index_order(page) == [line["path"].rsplit("/", 1)[1][:-4] for line in BATCH]
    assert page.locator("#filings thead th:first-child").get_attribute("aria-sort") == "ascending"
    page.locator("#by-verdict button").focus()
    page.keyboard.press(" ")
    assert _index_order(page) == DEFAULT_ORDER
    assert page.locator("#by-verdict").get_attribute("aria-sort") == "ascending"
    page.locator("#failing-only").check()
    assert [Path(t).stem for t in page.locator("#filings tbody tr:visible td:nth-child(2)").all_inner_texts()] \
        == DEFAULT_ORDER[:5]
    assert opened.console == [] and opened.requests == [opened.url]


@pytest.mark.parametrize("name", ["wrong", "fixture", "index"])
def test_no_sideways_overflow_on_a_390_px_phone(reports, batch_index, browser, name):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto((batch_index if name == "index" else reports[name]).as_uri(), wait_until="load")
        overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        assert page.evaluate("document.documentElement.clientWidth") == 390
        assert page.evaluate(overflow) == 0
        if name == "wrong":
            where = page.locator('#exceptions .finding[data-name="BS-001 [2023-03-31 RMB]"] summary .where')
            assert where.bounding_box()["width"] > 60  # the column label stays readable, not squeezed to a sliver
            assert page.locator("#banner").bounding_box()["width"] <= 390
            page.locator('#exceptions .finding[data-name="BS-001 [2023-03-31 RMB]"] .locate').click()
            page.wait_for_timeout(200)
            assert page.evaluate(overflow) == 0
    finally:
        context.close()


# -- print -----------------------------------------------------------------------------------------

PAGES_BEFORE = 33  # the failing report printed to 33 Letter pages before the print styles of issue 18


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def pdf_text(pdf: bytes) -> list[str]:
    """Each page's text, decoded through the fonts' ToUnicode maps: enough for Chromium's own PDFs
    (Type0 fonts, hex strings shown with Tj), so no PDF library is needed."""
    objects: dict[int, tuple[bytes, bytes]] = {}
    for match in re.finditer(rb"(?s)(\d+) 0 obj\s*(.*?)endobj", pdf):
        body = match.group(2)
        stream = re.search(rb"(?s)stream\r?\n(.*?)\r?\nendstream", body)
        data = b""
        if stream:
            data = stream.group(1)
            if b"/FlateDecode" in body[:stream.start()]:
                data = zlib.decompress(data)
        objects[int(match.group(1))] = (body[:stream.start()] if stream else body, data)

    def ref(head: bytes, key: bytes):
        found = re.search(rb"/" + key + rb"\s+(\d+) 0 R", head)
        return int(found.group(1)) if found else None

    def to_unicode(number) -> dict[int, str]:
        table: dict[int, str] = {}
        data = objects[number][1] if number in objects else b""
        for block in re.findall(rb"(?s)beginbfchar(.*?)endbfchar", data):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        for block in re.findall(rb"(?s)beginbfrange(.*?)endbfrange", data):
            for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                for code in range(int(lo, 16), int(hi, 16) + 1):
                    table[code] = chr(int(dst, 16) + code - int(lo, 16))
        return table

    pages = []
    for _, (head, _) in sorted(objects.items()):
        if not re.search(rb"/Type\s*/Page(?![s\w])", head):
            continue
        resources = objects[ref(head, b"Resources")][0] if ref(head, b"Resources") is not None else head
        fonts: dict[bytes, dict[int, str]] = {}
        font_dict = re.search(rb"(?s)/Font\s*(<<.*?>>|\d+ 0 R)", resources)
        if font_dict:
            names = font_dict.group(1)
            if names.endswith(b"R"):
                names = objects[int(names.split()[0])][0]
            for name, number in re.findall(rb"/(\w+)\s+(\d+) 0 R", names):
                fonts[name] = to_unicode(ref(objects[int(number)][0], b"ToUnicode"))
        contents = re.search(rb"(?s)/Contents\s*(\[.*?\]|\d+ 0 R)", head)
        text: list[str] = []
        font: dict[int, str] = {}
        for number in re.findall(rb"(\d+) 0 R", contents.group(1)) if contents else ():
            for token in re.finditer(rb"/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\bET\b", objects[int(number)][1]):
                if token.group(1):
                    font = fonts.get(token.group(1), {})
                elif token.group(2) is not None:
                    hexa = token.group(2)
                    text.extend(font.get(int(hexa[i:i + 4], 16), "\ufffd") for i in range(0, len(hexa), 4))
                else:
                    text.append("\n")
        pages.append("".join(text))
    return pages


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_failing_report_prints_in_a_third_of_the_pages_with_a_running_header(reports, open_report):
    opened = open_report(reports["wrong"])
    page = opened.page
    pdf = page.pdf()  # Chromium's defaults: Letter, the report's own @page margins
    texts = pdf_text(pdf)
    count = pdf_pages(pdf)
    print(f"printed pages: {count} (before issue 18: {PAGES_BEFORE})")
    assert len(texts) == count
    assert 4 <= count <= PAGES_BEFORE // 3 + 1, f"{count} pages: about a third of {PAGES_BEFORE} expected"
    sha = hashlib.sha256((reports["wrong"].parent.parent / "wrong-6k.txt").read_bytes()).hexdigest()
    for number, text in enumerate(texts, start=1):  # every page: filing, verdict, sha256, page x of y
        flat = text.replace("\n", "")
        assert "qfin-audit \u00b7 wrong-6k.txt" in flat, number
        assert "FAIL \u00b7 3 failed, 0 not evaluated, 367 passed" in flat, number
        assert f"filing sha256 {sha}" in flat, number
        assert f"page {number} of {count}" in flat, number
    # no finding is split across pages: each exception's message and its rule reference share a page
    squeezed = [_squeeze(text) for text in texts]
    exceptions = page.locator("#exceptions .finding")
    assert exceptions.count() == 3
    for k in range(3):
        card = exceptions.nth(k)
        message = _squeeze(card.locator(".msg").inner_text())
        source = _squeeze(card.locator(".srcref").inner_text())
        title = _squeeze(card.locator(".ftitle").inner_text())
        pages_with = [n for n, text in enumerate(squeezed, start=1) if message in text and source in text]
        assert pages_with, f"{card.get_attribute('data-name')} is split across pages"
        assert title in squeezed[pages_with[0] - 1]
    # passing checks print as a count table, never one by one
    assert sum(text.count("Currentassetsfoottototalcurrentassets") for text in squeezed) >= 1
    assert not any("BS-002" in text for text in squeezed)  # a passing check of the balance sheet
    assert any("367" in text and "Checksnotlistedabove,byrulefile" in text for text in squeezed)
    assert opened.console == [] and opened.requests == [opened.url]


def test_print_layout_counts_passing_checks_keeps_findings_whole_and_fits_the_graph(reports, open_report):
    page = open_report(reports["wrong"]).page
    svg = page.locator("svg.deps")
    wrap = page.locator("#graph .svgwrap")
    # on screen at 1440 px the graph is scaled to its card, not clipped behind a scroll bar
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert svg.bounding_box()["width"] <= wrap.bounding_box()["width"]
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 720, "height": 900})  # about a Letter page's printable width
    assert page.locator("#findings .finding:visible").count() == 0
    assert page.locator("#exceptions .finding:visible").count() == 3
    table = page.locator("#print-counts")
    assert table.is_visible()
    totals = table.locator("tr.total td").all_inner_texts()
    assert totals == ["total", "0", "0", "29", "367"]  # fail, error (in the Exceptions), skip, pass
    assert page.locator("#exceptions .finding").first.evaluate("el => getComputedStyle(el).breakInside") == "avoid"
    assert svg.bounding_box()["width"] <= 720
    assert page.evaluate("document.documentElement.scrollWidth") <= 720
    page.emulate_media(media="screen")
    assert not table.is_visible()


# -- accessibility (WCAG 2 AA) ---------------------------------------------------------------------

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
AXE_SRI = "sha256-KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw="  # npm's published integrity of axe.min.js
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                                          "best-practice"]},
                                          resultTypes: ["violations"]});
  return {version: axe.version, passes: result.passes.length,
          violations: result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                                      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" "))}))};
}"""


def axe_check(browser, url: str, width: int = 1440, before=None) -> dict:
    """axe-core's verdict on a page. The report's Content Security Policy forbids any script but its
    own, so the test's context bypasses it (bypass_csp) to inject axe; the report never carries axe."""
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        if before:
            before(page)
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        return page.evaluate(AXE_RUN)
    finally:
        context.close()


def _serious(result: dict) -> list:
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_vendored_axe_is_the_published_file():
    digest = base64.b64encode(hashlib.sha256(AXE.read_bytes()).digest()).decode("ascii")
    assert f"sha256-{digest}" == AXE_SRI, "tests/vendor/axe-core/axe.min.js is not axe-core's published file"
    assert AXE.read_text(encoding="utf-8").startswith(f"/*! axe v{AXE_VERSION}")
    assert "Mozilla Public" in (AXE.parent / "LICENSE").read_text(encoding="utf-8")


def test_axe_finds_what_it_should(browser, tmp_path):
    """The check can fail: a page with grey-on-grey text and an unlabeled button has serious violations."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>bad</title></head><body><main>'
                   '<p style="color:#999;background:#aaa">faint text</p><button></button></main></body></html>',
                   encoding="utf-8")
    found = {v["id"] for v in _serious(axe_check(browser, bad.as_uri()))}
    assert {"color-contrast", "button-name"} <= found, found


@pytest.mark.parametrize("name", ["fixture", "wrong", "incomplete", "index"])
def test_axe_finds_no_serious_or_critical_violations(reports, batch_index, browser, name):
    path = batch_index if name == "index" else reports[name]
    result = axe_check(browser, path.as_uri())
    assert result["version"] == AXE_VERSION and result["passes"] > 10
    print(f"axe {name}: {len(result['violations'])} violations, {result['passes']} rules passed")
    assert _serious(result) == [], _serious(result)


def test_axe_on_a_390_px_phone(reports, browser):
    result = axe_check(browser, reports["wrong"].as_uri(), width=390)
    assert _serious(result) == [], _serious(result)


def test_no_control_inside_a_summary_and_skip_links_lead_to_exceptions_and_the_filing(reports, open_report):
    page = open_report(reports["wrong"]).page
    assert page.locator("summary").count() > 300
    assert page.locator("summary :is(a, button, input, select, textarea, [tabindex])").count() == 0
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.textContent")
    assert skip == "Skip to the exceptions"
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.url.endswith("#exceptions") and page.evaluate("document.activeElement.id") == "exceptions"
    page.keyboard.press("Tab")  # on into the exceptions: the first failing check
    assert page.evaluate("document.activeElement.closest('.finding') !== null")
    page.goto(page.url.split("#")[0])
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the filing"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "filing-pane"
    page.keyboard.press("Tab")  # the figure grid's one stop: the likely wrong figure
    assert page.evaluate("document.activeElement.id") == "F-L262C37"


def test_the_figure_grid_is_one_tab_stop_with_keys_between_failed_figures(reports, open_report):
    from playwright.sync_api import expect

    opened = open_report(reports["wrong"])
    page = opened.page
    active = "document.activeElement.id"
    stops = page.locator('#filing [tabindex="0"]')
    assert stops.count() == 1 and stops.get_attribute("id") == "F-L262C37"
    assert page.locator('#filing .fig[tabindex="-1"]').count() == page.locator("#filing .fig").count() - 1
    assert page.locator("#filing").get_attribute("tabindex") is None  # the pane itself is a stop only without JS
    page.locator("#F-L262C37").focus()
    failing = set(page.locator("#filing .fig:is(.failed, .involved)").evaluate_all("els => els.map(e => e.id)"))
    seen = ["F-L262C37"]
    for _ in range(len(failing)):  # N steps through every figure of a failing check, then wraps around
        page.keyboard.press("n")
        seen.append(page.evaluate(active))
        assert seen[-1] in failing
        assert page.locator('#filing [tabindex="0"]').count() == 1  # still one stop, now here
    assert set(seen) == failing and seen[-1] == "F-L262C37"
    assert seen[1] == "F-L262C47"  # the next in the text: the same row's USD figure
    page.keyboard.press("p")
    assert page.evaluate(active) == seen[-2]
    page.keyboard.press("n")
    assert page.evaluate(active) == "F-L262C37"
    page.keyboard.press("ArrowRight")
    assert page.evaluate(active) == "F-L262C47"
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(active) == "F-L262C37"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(active).startswith("F-L263C")  # the next line's figure
    page.keyboard.press("ArrowUp")
    assert page.evaluate(active) == "F-L262C37"
    # Enter opens the figure's panel; Escape closes it; focus comes back from the panel to the figure
    page.keyboard.press("Enter")
    info = page.locator("#fig-info")
    expect(info).to_be_visible()
    expect(info).to_contain_text("should read 5,128,335")
    page.keyboard.press("Escape")
    expect(info).to_be_hidden()
    page.keyboard.press("Enter")
    info.get_by_role("button").first.focus()
    page.keyboard.press("Escape")
    expect(info).to_be_hidden()
    assert page.evaluate(active) == "F-L262C37"
    # Tab leaves the grid at once
    page.keyboard.press("Tab")
    assert not page.evaluate("document.activeElement.matches('#filing .fig')")
    # the grid remembers its place: Shift+Tab comes back to the figure last visited
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(active) == "F-L262C37"
    assert opened.console == []


def test_forced_colours_keep_every_mark(reports, open_report):
    page = open_report(reports["wrong"]).page
    page.emulate_media(forced_colors="active")
    style = "(el, p) => getComputedStyle(el)[p]"
    failed, involved = page.locator("#filing .fig.failed").first, page.locator("#filing .fig.involved").first
    assert failed.evaluate(style, "borderTopStyle") == "solid" and failed.evaluate(style, "borderTopWidth") == "2px"
    assert involved.evaluate(style, "borderTopStyle") == "dashed"
    assert page.locator("#filing .fig.verified").first.evaluate(style, "borderBottomStyle") == "solid"
    assert failed.evaluate("el => getComputedStyle(el, '::after').content") == '"\u2717"'
    assert page.locator(".pill").first.evaluate(style, "borderTopStyle") == "solid"
    page.emulate_media(forced_colors="none")
    assert failed.evaluate(style, "borderTopStyle") == "none"


# -- a real batch: every suspect in the index, and each report links back to it -------------------

@pytest.fixture(scope="module")
def batch_run(tmp_path_factory, fixture_text, fixture_path) -> Path:
    """`qfin-audit batch` over the clean fixture and a copy with two transposed figures (cash on
    line 262, deferred tax liabilities on line 297): two suspects in one filing."""
    folder = tmp_path_factory.mktemp("batchrun")
    lines = fixture_text.split("\n")
    lines[261] = lines[261].replace("5,128,335", "5,128,353")
    assert "100,835" in lines[296]
    lines[296] = lines[296].replace("100,835", "100,853")
    (folder / "two-wrong-6k.txt").write_text("\n".join(lines), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "audit", "batch", str(RULES), str(fixture_path),
                           str(folder / "two-wrong-6k.txt"), "--jobs", "1", "--out", str(folder / "out")],
                          cwd=folder, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    return folder / "out"


def test_batch_index_shows_every_suspect_and_reports_link_back(batch_run, open_report):
    import json

    lines = [json.loads(text) for text in (batch_run / "summary.jsonl").read_text(encoding="utf-8").splitlines()]
    wrong = next(line for line in lines if line["path"].endswith("two-wrong-6k.txt"))
    assert [(s["line"], s["text"], s["implied_text"]) for s in wrong["suspects"]] == [
        (262, "5,128,353", "5,128,335"), (297, "100,853", "100,835")]
    assert next(line for line in lines if line["verdict"] == "pass")["suspects"] == []
    opened = open_report(batch_run / "index.html")
    page = opened.page
    row = page.locator("#filings tbody tr").first
    assert row.get_attribute("data-verdict") == "fail"
    suspects = row.locator("ul.suspects li")
    assert suspects.count() == 2
    assert "5,128,353 should be 5,128,335" in suspects.nth(0).inner_text()
    assert "100,853 should be 100,835" in suspects.nth(1).inner_text()
    row.locator("a").first.click()  # the filing's report, then back to the index by its own link
    page.wait_for_load_state("load")
    assert page.url.endswith("/filings/two-wrong-6k.html")
    back = page.locator("a.to-index")
    assert back.get_attribute("href") == "../index.html" and back.is_visible()
    assert page.locator("#banner .likely li").count() == 2
    back.click()
    page.wait_for_load_state("load")
    assert page.url == (batch_run / "index.html").as_uri()
    assert [c for c in opened.console if "error" in c] == []


# -- without JavaScript ----------------------------------------------------------------------------

def test_without_javascript_nothing_is_shown_that_needs_it_and_links_still_work(reports, browser):
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False, viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        page.goto(reports["wrong"].as_uri(), wait_until="load")
        # no control that needs the script is shown: filters, their reset, the highlight bar, key help
        assert page.locator("button:visible, input:visible, select:visible").count() == 0
        for hidden in (".filters", "#filters-reset", "#hl-bar", "#fig-info", "#fig-keys"):
            assert page.locator(hidden).is_hidden(), hidden
        assert "Click a node" not in page.locator("#graph").inner_text()
        assert page.locator("svg.deps .node[tabindex]").count() == 0  # graph nodes are not offered as controls
        assert page.locator("#filing .fig").first.evaluate("el => getComputedStyle(el).cursor") != "pointer"
        # Locate is a plain link to the check's likely wrong figure, and it goes there
        card = page.locator('#exceptions .finding[data-name="BS-001 [2023-03-31 RMB]"]')
        locate = card.locator("a.locate")
        assert locate.is_visible() and locate.get_attribute("href") == "#F-L262C37"
        expect(page.locator("#F-L262C37")).not_to_be_in_viewport()
        locate.click()
        assert page.url.endswith("#F-L262C37")
        expect(page.locator("#F-L262C37")).to_be_in_viewport()
        # the link to a check is a plain link too
        other = page.locator('#exceptions .finding[data-name="X-006 [3M to 2023-03-31 RMB]"]')
        other.locator("a.permalink").click()
        assert page.url.endswith("#f-X-006--3M-to-2023-03-31-RMB")
        expect(other).to_be_in_viewport()
        # the filing pane still scrolls from the keyboard: it is the one stop
        assert page.locator("#filing").get_attribute("tabindex") == "0"
        assert page.locator('#filing [tabindex="0"]').count() == 0
    finally:
        context.close()


def test_with_javascript_the_graph_nodes_are_controls(reports, open_report):
    page = open_report(reports["wrong"]).page
    nodes = page.locator("svg.deps .node")
    assert nodes.count() > 5 and page.locator('svg.deps .node[tabindex="0"]').count() == nodes.count()
    assert "Click a node to find it." in page.locator("#graph").inner_text()
    assert page.locator("#filing .fig").first.evaluate("el => getComputedStyle(el).cursor") == "pointer"


@pytest.mark.parametrize("width", [390, 900])
def test_on_a_narrow_screen_locate_opens_the_filing_over_the_findings(reports, browser, width):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": 844})
    try:
        page = context.new_page()
        page.goto(reports["wrong"].as_uri(), wait_until="load")
        column, close = page.locator("#filing-pane"), page.locator("#overlay-close")
        expect(close).to_be_hidden()
        wrong = page.locator("#F-L262C37")
        card = page.locator('.finding[data-name="BS-001 [2023-03-31 RMB]"]')
        card.locator(".locate").click()
        expect(column).to_have_class(re.compile(r"\boverlay\b"))
        assert column.evaluate("el => getComputedStyle(el).position") == "fixed"
        box = column.bounding_box()
        assert box["width"] <= width and box["height"] <= 844  # over the findings, inside the window
        expect(close).to_be_visible()
        expect(close).to_be_focused()
        expect(wrong).to_have_class(re.compile(r"\bhl\b"))
        expect(wrong).to_be_in_viewport()
        pane = page.locator("#filing")
        assert pane.evaluate("el => ['overflow-x', 'overflow-y'].map(p => getComputedStyle(el)[p])") == ["auto", "auto"]
        # a modal dialog, named by its heading, the page behind it inert; Tab and Shift+Tab wrap round inside it
        dialog = page.get_by_role("dialog", name="Annotated filing")
        expect(dialog).to_be_visible()
        assert dialog.get_attribute("id") == "filing-pane" and dialog.get_attribute("aria-modal") == "true"
        assert page.get_by_role("region", name="Annotated filing").count() == 0
        assert page.evaluate("['.main-col', '#banner', 'header.top', 'footer'].every(s => document.querySelector(s).inert)")
        inside = "document.getElementById('filing-pane').contains(document.activeElement)"
        stops = page.evaluate("""() => [...document.querySelectorAll('#filing-pane :is(a[href], button, input, [tabindex])')]
            .filter((el) => el.tabIndex >= 0 && el.getClientRects().length > 0).map((el) => el.id || el.textContent)""")
        assert len(stops) >= 3 and stops[0] == "overlay-close" and stops[-1] == "F-L262C37", stops
        for _ in range(len(stops)):
            page.keyboard.press("Tab")
            assert page.evaluate(inside)
        expect(close).to_be_focused()  # round from the last stop to the first
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.id") == "F-L262C37"  # and back from the first to the last
        page.keyboard.press("Tab")
        expect(close).to_be_focused()
        page.keyboard.press("Escape")
        expect(column).not_to_have_class(re.compile(r"\boverlay\b"))
        expect(close).to_be_hidden()
        assert page.get_by_role("dialog").count() == 0 and column.get_attribute("aria-modal") is None
        expect(page.get_by_role("region", name="Annotated filing")).to_have_count(1)  # a plain region again
        assert not page.evaluate("['.main-col', '#banner', 'header.top', 'footer'].some(s => document.querySelector(s).inert)")
        assert page.evaluate("document.activeElement.closest('.finding')?.dataset.name") == "BS-001 [2023-03-31 RMB]"
        expect(card.locator(".locate")).to_be_in_viewport()
        # the Close button does the same
        card.locator(".locate").click()
        close.click()
        expect(column).not_to_have_class(re.compile(r"\boverlay\b"))
        expect(card.locator(".locate")).to_be_focused()
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1440])
def test_stepping_through_the_figures_of_a_check(reports, browser, width):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": 844})
    try:
        page = context.new_page()
        page.goto(reports["wrong"].as_uri(), wait_until="load")
        card = page.locator('.finding[data-name="BS-001 [2023-03-31 RMB]"]')
        ids = card.get_attribute("data-figs").split()
        assert len(ids) == 11
        step = card.locator(".step")
        expect(step).to_be_visible()
        expect(step.locator(".step-pos")).to_have_text("figure 1 of 11")
        card.locator(".locate").click()
        first = ids.index("L262C37")  # Locate lands on the likely wrong figure
        bar = page.locator("#hl-step")
        expect(bar.locator(".step-pos")).to_have_text(f"figure {first + 1} of 11")
        expect(page.locator("#F-L262C37")).to_have_class(re.compile(r"\bcur\b"))
        # the next and previous buttons: beside Locate on a wide screen, in the open panel on a narrow one
        controls = bar if width < 1100 else step
        positions = []
        for direction in ("1", "1", "-1"):
            controls.locator(f'[data-step="{direction}"]').click()
            cur = page.locator("#filing .fig.cur")
            expect(cur).to_have_count(1)
            expect(cur).to_be_in_viewport()
            expect(cur).to_have_class(re.compile(r"\bhl\b"))
            positions.append(cur.get_attribute("id")[2:])
        expected = [ids[(first + 1) % 11], ids[(first + 2) % 11], ids[(first + 1) % 11]]
        assert positions == expected
        expect(bar.locator(".step-pos")).to_have_text(f"figure {(first + 1) % 11 + 1} of 11")
        expect(step.locator(".step-pos")).to_have_text(f"figure {(first + 1) % 11 + 1} of 11")
        assert page.locator("#filing .fig.hl").count() == 11  # the check's other figures stay highlighted
    finally:
        context.close()


def test_on_a_wide_screen_the_filing_stays_beside_the_findings(reports, open_report):
    from playwright.sync_api import expect

    page = open_report(reports["wrong"]).page
    column = page.locator("#filing-pane")
    findings = page.locator(".main-col")
    page.locator('.finding[data-name="BS-001 [2023-03-31 RMB]"] .locate').click()
    expect(page.locator("#F-L262C37")).to_be_in_viewport()
    expect(column).not_to_have_class(re.compile(r"\boverlay\b"))
    expect(page.locator("#overlay-close")).to_be_hidden()
    assert column.evaluate("el => getComputedStyle(el).position") == "sticky"
    left, right = findings.bounding_box(), column.bounding_box()
    assert right["x"] >= left["x"] + left["width"]  # side by side
    assert right["width"] > 500
    # a plain region, never a dialog, and nothing behind it made inert
    assert page.get_by_role("region", name="Annotated filing").get_attribute("id") == "filing-pane"
    assert page.get_by_role("dialog").count() == 0 and column.get_attribute("aria-modal") is None
    assert not page.evaluate("document.querySelector('.main-col').inert")


@pytest.mark.parametrize("width", [390, 1440])
def test_a_figure_address_opens_from_a_fresh_page_load(reports, browser, width):
    """`report.html#F-L262C37` loaded afresh: on a phone the filing opens as the dialog over the
    findings, at the figure (below the statement's sticky headings); on a wide screen beside them."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": 844})
    try:
        page = context.new_page()
        page.goto(reports["wrong"].as_uri() + "#F-L262C37", wait_until="load")
        wrong = page.locator("#F-L262C37")
        expect(wrong).to_have_class(re.compile(r"\bhl\b"))
        expect(wrong).to_be_in_viewport()
        expect(page.locator("#fig-info")).to_contain_text("should read 5,128,335")
        column = page.locator("#filing-pane")
        if width < 1100:
            dialog = page.get_by_role("dialog", name="Annotated filing")
            expect(dialog).to_be_visible()
            expect(column).to_have_class(re.compile(r"\boverlay\b"))
            assert page.evaluate("document.getElementById('filing-pane').contains(document.activeElement)")
            assert page.evaluate("document.querySelector('.main-col').inert")
            # the figure is shown, not covered by its statement's column headings
            assert wrong.evaluate("""el => { const r = el.getBoundingClientRect();
                return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === el; }""")
            page.keyboard.press("Escape")
            expect(page.get_by_role("dialog")).to_have_count(0)
            expect(page.locator("#overlay-close")).to_be_hidden()
        else:
            expect(column).not_to_have_class(re.compile(r"\boverlay\b"))
            assert page.get_by_role("dialog").count() == 0
            assert column.evaluate("el => getComputedStyle(el).position") == "sticky"
    finally:
        context.close()


def test_a_statements_column_headings_stay_in_view_over_its_rows(reports, open_report):
    from playwright.sync_api import expect

    page = open_report(reports["wrong"]).page
    pane = page.locator("#filing")
    head = page.locator("#L258").locator("xpath=..")  # the balance sheet's headings: its dates and currencies
    assert head.get_attribute("class") == "stmt-head"
    assert head.locator(".ln").evaluate_all("els => els.map(e => e.id)") == ["L258", "L259"]
    assert page.locator("#filing .stmt-head").count() >= 5  # every statement of the fixture
    top = "el => el.getBoundingClientRect().top"
    shown = """el => { const r = el.getBoundingClientRect();
        return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.closest('.stmt-head') === el.closest('.stmt-head'); }"""
    page.locator("#L290").evaluate("el => el.scrollIntoView({ block: 'start' })")  # far down the balance sheet
    assert abs(head.evaluate(top) - pane.evaluate(top)) < 1  # held at the top of the pane
    assert page.locator("#L258 .cn").first.evaluate(shown)  # "December 31, 2022" shows, over the rows
    assert "December 31, 2022" in page.locator("#L258").inner_text()
    assert page.locator("#L259").inner_text().split() == ["RMB", "RMB", "USD"]
    # sideways too: the headings' background covers the whole width of the statement
    assert head.evaluate("el => el.scrollWidth <= el.getBoundingClientRect().width + 1")
    # past the statement its headings leave with it, and the next statement's take the top
    page.locator("#L330").evaluate("el => el.scrollIntoView({ block: 'start' })")
    assert head.evaluate(top) < pane.evaluate(top) - 100
    income = page.locator("#L311").locator("xpath=..")
    assert abs(income.evaluate(top) - pane.evaluate(top)) < 1
    # a figure reached from the keyboard is brought out from under the headings
    page.locator("#L263").evaluate("el => el.scrollIntoView({ block: 'start' })")
    page.locator("#F-L263C37").focus()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#F-L262C37")).to_be_focused()
    assert page.locator("#F-L262C37").evaluate(top) >= head.evaluate("el => el.getBoundingClientRect().bottom")
    # the unchecked figures' list keeps its column headings at the top of its own scroll box
    page.locator("#summary details.more > summary").click()
    box = page.locator("#summary .scroll")
    assert box.evaluate("el => el.scrollHeight > el.clientHeight + 100")
    box.evaluate("el => { el.scrollTop = el.scrollHeight / 2; }")
    assert abs(box.locator("thead th").first.evaluate(top) - box.evaluate(top)) < 1


def test_a_rule_files_heading_stays_at_the_top_over_its_checks(reports, open_report):
    page = open_report(reports["fixture"]).page
    group = page.locator("#findings .group").first
    assert group.locator(".finding").count() > 6
    group.locator(".finding").nth(6).evaluate("el => el.scrollIntoView({ block: 'start' })")
    box, head = group.bounding_box(), group.locator(":scope > header").bounding_box()
    assert box["y"] < -50  # the group runs above the window, its heading is held at the top
    assert abs(head["y"]) < 1


def test_axe_with_the_filing_open_over_the_findings_on_a_phone(reports, browser):
    def open_overlay(page):
        page.locator('.finding[data-name="BS-001 [2023-03-31 RMB]"] .locate').click()
        page.locator("#filing-pane.overlay").wait_for()

    result = axe_check(browser, reports["wrong"].as_uri(), width=390, before=open_overlay)
    assert _serious(result) == [], _serious(result)
