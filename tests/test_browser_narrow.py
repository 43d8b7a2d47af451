"""The HTML report on narrow screens in real headless Chromium: no sideways overflow on a phone, the
filing as a modal dialog over the findings (Locate, the figure steps, a figure's address), and
back to a region beside them on a wide screen."""
from __future__ import annotations

import re

import pytest

pytest.register_assert_rewrite("browser_kit")  # before it is imported, as pytest_plugins would
from browser_kit import Screen, settle

pytest_plugins = ("browser_kit",)  # its fixtures: the browser, the reports, the pages


@pytest.mark.parametrize("name", ["wrong", "fixture", "index"])
def test_no_sideways_overflow_on_a_390_px_phone(reports, batch_index, open_report, name):
    page = open_report(batch_index if name == "index" else reports[name], Screen(390, 844, mobile=True)).page
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate("document.documentElement.clientWidth") == 390
    assert page.evaluate(overflow) == 0
    if name == "wrong":
        where = page.locator('#exceptions .finding[data-name="BS-001 [2023-03-31 RMB]"] summary .where')
        assert where.bounding_box()["width"] > 60  # the column label stays readable, not squeezed to a sliver
        assert page.locator("#banner").bounding_box()["width"] <= 390
        page.locator('#exceptions .finding[data-name="BS-001 [2023-03-31 RMB]"] .locate').click()
        page.locator("#filing-pane.overlay").wait_for()
        settle(page)
        assert page.evaluate(overflow) == 0


@pytest.mark.parametrize("width", [390, 900])
def test_on_a_narrow_screen_locate_opens_the_filing_over_the_findings(reports, open_report, width):
    from playwright.sync_api import expect

    page = open_report(reports["wrong"], Screen(width, 844)).page
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


@pytest.mark.parametrize("width", [390, 1440])
def test_stepping_through_the_figures_of_a_check(reports, open_report, width):
    from playwright.sync_api import expect

    page = open_report(reports["wrong"], Screen(width, 844)).page
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


@pytest.mark.parametrize("width", [390, 1440])
def test_a_figure_address_opens_from_a_fresh_page_load(reports, open_report, width):
    """`report.html#F-L262C37` loaded afresh: on a phone the filing opens as the dialog over the
    findings, at the figure (below the statement's sticky headings); on a wide screen beside them."""
    from playwright.sync_api import expect

    page = open_report(reports["wrong"], Screen(width, 844), fragment="F-L262C37").page
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
