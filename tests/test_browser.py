"""The HTML report in real headless Chromium: clean render, filters, jumps to figures, escaping, offline.

The browser, the reports and the pages come from browser_kit (one Chromium per worker, each report
written once per session, a page only read kept for the next test); the window prefers reduced
motion unless a test is about the smooth scrolling itself.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytest.register_assert_rewrite("browser_kit")  # before it is imported, as pytest_plugins would
from browser_kit import CHROMIUM, MISSING, ROOT, Screen, absent, run_cli, settle, shared_folder

pytest_plugins = ("browser_kit",)  # its fixtures: the browser, the reports, the pages


def test_chromium_is_installed():
    if not os.access(CHROMIUM, os.X_OK):
        absent(MISSING)


@pytest.mark.parametrize("name", ["fixture", "wrong"])
def test_report_renders_without_console_errors_or_requests(reports, open_report, name, tmp_path):
    assert reports[name].stat().st_size < 1_000_000
    opened = open_report(reports[name], reads_only=True)
    page = opened.page
    settle(page)
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
    page = open_report(reports["wrong"], reads_only=True).page
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

    opened = open_report(reports["wrong"], Screen(motion=True))  # the smooth scrolling, as most readers see it
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
    opened = open_report(reports["evil"], reads_only=True)
    page = opened.page
    settle(page)
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


def test_a_finding_anchor_opens_from_a_fresh_page_load(reports, open_report):
    from playwright.sync_api import expect

    # a passing check: closed in the page, opened by its address
    anchor = "f-BS-001--2023-03-31-RMB"
    page = open_report(reports["fixture"], fragment=anchor).page
    card = page.locator(f'[id="{anchor}"]')
    assert card.get_attribute("data-name") == "BS-001 [2023-03-31 RMB]"
    assert card.get_attribute("data-status") == "pass"
    expect(card).to_have_class(re.compile(r"\bcurrent\b"))
    expect(card).to_be_in_viewport()
    assert card.locator("details").get_attribute("open") is not None
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


@pytest.fixture(scope="session")
def buckle_report(tmp_path_factory) -> Path:
    """The report of the Buckle HTML exhibit with net income changed in the markup, run with
    every bundled pack (only the Buckle pack applies)."""

    def make(folder: Path) -> None:
        markup = (ROOT.parent / "shared" / "filings" / "buckle-8k-ex99-1-2024-11-22.htm").read_text(encoding="utf-8")
        assert markup.count(">44,172&#160;<") == 1  # the income statement's net income, 13 weeks
        (folder / "buckle-wrong.htm").write_text(markup.replace(">44,172&#160;<", ">44,127&#160;<"), encoding="utf-8")
        run_cli(([ROOT / "rules", folder / "buckle-wrong.htm", "--html", folder / "b.html"], (1,)), cwd=folder)

    return shared_folder(tmp_path_factory, "browser-buckle", make) / "b.html"


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


def test_with_javascript_the_graph_nodes_are_controls(reports, open_report):
    page = open_report(reports["wrong"], reads_only=True).page
    nodes = page.locator("svg.deps .node")
    assert nodes.count() > 5 and page.locator('svg.deps .node[tabindex="0"]').count() == nodes.count()
    assert "Click a node to find it." in page.locator("#graph").inner_text()
    assert page.locator("#filing .fig").first.evaluate("el => getComputedStyle(el).cursor") == "pointer"


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


def test_a_rule_files_heading_stays_at_the_top_over_its_checks(reports, open_report):
    page = open_report(reports["fixture"]).page
    group = page.locator("#findings .group").first
    assert group.locator(".finding").count() > 6
    group.locator(".finding").nth(6).evaluate("el => el.scrollIntoView({ block: 'start' })")
    box, head = group.bounding_box(), group.locator(":scope > header").bounding_box()
    assert box["y"] < -50  # the group runs above the window, its heading is held at the top
    assert abs(head["y"]) < 1


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
