"""Accessibility of the HTML report and the batch index in real headless Chromium: axe-core (WCAG 2
A and AA, and best practice) finds no serious or critical violation, controls never sit in a
summary, skip links, one Tab stop for the figure grid, forced colours, and nothing shown without
JavaScript that would need it."""
from __future__ import annotations

import base64
import hashlib

import pytest

pytest.register_assert_rewrite("browser_kit")  # before it is imported, as pytest_plugins would
from browser_kit import AXE, AXE_SRI, AXE_VERSION, PHONE, Screen, axe_check, serious

pytest_plugins = ("browser_kit",)  # its fixtures: the browser, the reports, the pages


def test_vendored_axe_is_the_published_file():
    digest = base64.b64encode(hashlib.sha256(AXE.read_bytes()).digest()).decode("ascii")
    assert f"sha256-{digest}" == AXE_SRI, "tests/vendor/axe-core/axe.min.js is not axe-core's published file"
    assert AXE.read_text(encoding="utf-8").startswith(f"/*! axe v{AXE_VERSION}")
    assert "Mozilla Public" in (AXE.parent / "LICENSE").read_text(encoding="utf-8")


def test_axe_finds_what_it_should(open_report, tmp_path):
    """The check can fail: a page with grey-on-grey text and an unlabeled button has serious violations."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>bad</title></head><body><main>'
                   '<p style="color:#999;background:#aaa">faint text</p><button></button></main></body></html>',
                   encoding="utf-8")
    found = {v["id"] for v in serious(axe_check(open_report(bad).page))}
    assert {"color-contrast", "button-name"} <= found, found


@pytest.mark.parametrize("name", ["fixture", "wrong", "incomplete", "index"])
def test_axe_finds_no_serious_or_critical_violations(reports, batch_index, open_report, name):
    path = batch_index if name == "index" else reports[name]
    result = axe_check(open_report(path).page)
    assert result["version"] == AXE_VERSION and result["passes"] > 10
    print(f"axe {name}: {len(result['violations'])} violations, {result['passes']} rules passed")
    assert serious(result) == [], serious(result)

def test_axe_on_a_390_px_phone_with_the_filing_below_and_over_the_findings(reports, open_report):
    """One page, axe evaluated into it once and run twice: the phone's page as it loads (the filing
    below the findings), then with the filing open over them as a modal dialog."""
    page = open_report(reports["wrong"], PHONE).page
    result = axe_check(page)
    assert result["version"] == AXE_VERSION and result["passes"] > 10
    assert serious(result) == [], serious(result)
    page.locator('.finding[data-name="BS-001 [2023-03-31 RMB]"] .locate').click()
    page.locator("#filing-pane.overlay").wait_for()
    result = axe_check(page)
    assert result["passes"] > 10
    assert serious(result) == [], serious(result)


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


def test_without_javascript_nothing_is_shown_that_needs_it_and_links_still_work(reports, open_report):
    from playwright.sync_api import expect

    page = open_report(reports["wrong"], Screen(js=False)).page
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
