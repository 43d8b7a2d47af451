"""The batch index in real headless Chromium: its default order with and without JavaScript, sorting
from the keyboard, every suspect of a real batch, and each report's link back to it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.register_assert_rewrite("browser_kit")  # before it is imported, as pytest_plugins would
from browser_kit import BATCH, DEFAULT_ORDER, RULES, Screen, shared_folder

pytest_plugins = ("browser_kit",)  # its fixtures: the browser, the reports, the pages


def _index_order(page) -> list[str]:
    return [Path(p).stem for p in page.locator("#filings tbody tr td:nth-child(2)").all_inner_texts()]


def test_batch_index_default_order_without_javascript(open_report, batch_index):
    page = open_report(batch_index, Screen(1280, 800, js=False), reads_only=True).page
    assert _index_order(page) == DEFAULT_ORDER
    assert page.locator("#tools").is_hidden()  # the filters need JavaScript: not shown without it
    assert page.locator("#filings thead button").count() == 0  # no sort button that would do nothing
    assert page.locator("#filings thead th").all_inner_texts()[:4] == ["#", "filing", "pack", "verdict"]
    assert page.locator("main").count() == 1
    assert page.locator('meta[name="viewport"]').count() == 1
    assert page.locator("#by-verdict").get_attribute("aria-sort") == "ascending"


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


@pytest.fixture(scope="session")
def batch_run(tmp_path_factory, fixture_text, fixture_path) -> Path:
    """`qfin-audit batch` over the clean fixture and a copy with two transposed figures (cash on
    line 262, deferred tax liabilities on line 297): two suspects in one filing."""

    def make(folder: Path) -> None:
        lines = fixture_text.split("\n")
        lines[261] = lines[261].replace("5,128,335", "5,128,353")
        assert "100,835" in lines[296]
        lines[296] = lines[296].replace("100,835", "100,853")
        (folder / "two-wrong-6k.txt").write_text("\n".join(lines), encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "audit", "batch", str(RULES), str(fixture_path),
                               str(folder / "two-wrong-6k.txt"), "--jobs", "1", "--out", str(folder / "out")],
                              cwd=folder, capture_output=True, text=True, timeout=300)
        assert done.returncode == 1, done.stdout + done.stderr

    return shared_folder(tmp_path_factory, "browser-batch", make) / "out"


def test_batch_index_shows_every_suspect_and_reports_link_back(batch_run, open_report):
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
