"""What the browser tests share: one Chromium per worker, reports written once per test session, pages kept open.

Needs Debian's chromium at /usr/bin/chromium and Python playwright (the `test` extra). Without the
browser the tests skip with a one-line reason; with QFIN_REQUIRE_BROWSER=1 (set by .ci/run, which
installs chromium) a missing browser is a failure, so CI never skips them. `playwright install` is
never run. The test modules import the fixtures from here (`from browser_kit import ...`).
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable, NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "qfin"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
MISSING = f"no browser at {CHROMIUM}: `apt-get install chromium` to run the browser tests (.ci/run does)"
REQUIRED = os.environ.get("QFIN_REQUIRE_BROWSER") == "1"


def absent(reason: str) -> None:
    """Skip with the reason, or fail where the browser is required (CI)."""
    if REQUIRED:
        pytest.fail(reason + " (QFIN_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test of this worker process."""
    if not os.access(CHROMIUM, os.X_OK):
        absent(MISSING)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        absent("Python playwright is missing: pip install -e '.[test]'")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def shared_folder(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder made once per test session: the first worker to get here makes it (`make(folder)`)
    while the others wait on a file lock, then reuse it (pytest-xdist workers share the parent of
    their base temporary folders)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / name
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".made").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed half-way
            folder.mkdir()
            make(folder)
            (folder / ".made").touch()
    return folder


def run_cli(*runs, cwd) -> list[subprocess.CompletedProcess]:
    """`qfin-audit run` with each argument list, all at once; a run is (args, exit codes allowed)."""
    started = [(subprocess.Popen([sys.executable, "-m", "audit", "run", *map(str, args)], cwd=cwd, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE), codes) for args, codes in runs]
    done = []
    for process, codes in started:
        out, err = process.communicate(timeout=120)
        assert process.returncode in codes, err
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


@pytest.fixture(scope="session")
def reports(tmp_path_factory, fixture_text, fixture_path) -> dict[str, Path]:
    """Reports written by `qfin-audit run`: the fixture, one wrong figure, hostile text, and a
    filing whose cash flow statement is renamed (INCOMPLETE)."""

    def make(folder: Path) -> None:
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
        cash_flows = "Unaudited Condensed Consolidated Statements of Cash Flows"  # renamed: its checks cannot run
        assert fixture_text.count(cash_flows) >= 1
        (folder / "renamed-6k.txt").write_text(fixture_text.replace(cash_flows, "Selected Figures"), encoding="utf-8")
        _, wrong, _, _ = run_cli(([RULES, fixture_path, "--html", folder / "fixture.html"], (0, 1)),
                                 ([RULES, folder / "wrong-6k.txt"], (1,)),  # default reports/<stem>.html
                                 ([rules, folder / "evil-6k.txt", "--html", folder / "evil.html"], (0, 1)),
                                 ([RULES, folder / "renamed-6k.txt", "--html", folder / "incomplete.html"], (3,)),
                                 cwd=folder)
        assert wrong.returncode == 1

    folder = shared_folder(tmp_path_factory, "browser-reports", make)
    return {"fixture": folder / "fixture.html", "wrong": folder / "reports" / "wrong-6k.html",
            "evil": folder / "evil.html", "incomplete": folder / "incomplete.html"}


def _summary_line(name: str, verdict: str, failures, fail: int = 0, error_text=None) -> dict:
    counts = None if verdict == "error" else {"total": 400, "pass": 380 - fail, "fail": fail, "skip": 20, "error": 0}
    coverage = None if verdict == "error" else {"tables": {"ratio": 0.95}, "narrative": {"ratio": 0.5}}
    return {"path": f"/corpus/{name}.txt", "sha256": "ab" * 32, "verdict": verdict, "failures": failures,
            "counts": counts, "coverage": coverage, "top_suspect": None, "error": error_text,
            "json": None if verdict == "error" else f"filings/{name}.json",
            "html": None if verdict == "error" else f"filings/{name}.html", "packs": ["qfin"]}


# a batch's summary lines in completion order, as summary.jsonl has it, and the index's default order
BATCH = [_summary_line("p1", "pass", 0), _summary_line("f2-one", "fail", 1, 1),
         _summary_line("e3", "error", None, error_text="e3: not UTF-8"), _summary_line("i4", "incomplete", 0),
         _summary_line("f5-five", "fail", 5, 6), _summary_line("p6", "pass", 0), _summary_line("f7-one", "fail", 1, 2)]
DEFAULT_ORDER = ["f5-five", "f2-one", "f7-one", "e3", "i4", "p1", "p6"]


@pytest.fixture(scope="session")
def batch_index(tmp_path_factory) -> Path:
    """A batch index written from BATCH."""
    from audit.batch.runner import Tally
    from audit.report.index import write_index

    tally = Tally()
    for line in BATCH:
        tally.add(line)
    path = tmp_path_factory.mktemp("batch") / "index.html"
    write_index(str(path), iter(BATCH), tally, "pack qfin: 12 file(s), 400 rules")
    return path


class Screen(NamedTuple):
    """A browser window: its size, whether the script runs, a phone's emulation, and whether the
    page may animate its scrolling (else the window prefers reduced motion: a jump is at once)."""

    width: int = 1440
    height: int = 900
    js: bool = True
    mobile: bool = False
    motion: bool = False


WIDE, PHONE = Screen(), Screen(390, 844)


class Opened(NamedTuple):
    """A report open in a page, with everything the page logged, requested and alerted since it loaded."""

    page: object
    url: str
    console: list
    requests: list
    dialogs: list


class Pages:
    """The pages of a worker, one browser context per Screen. A page a test only read is kept open
    for the next test of the same report and screen; any other page is closed after its test."""

    def __init__(self, browser):
        self.browser = browser
        self.contexts: dict[Screen, object] = {}
        self.kept: dict[tuple[str, Screen], Opened] = {}

    def load(self, url: str, screen: Screen, fragment: str = "") -> Opened:
        context = self.contexts.get(screen)
        if context is None:
            context = self.contexts[screen] = self.browser.new_context(
                viewport={"width": screen.width, "height": screen.height}, java_script_enabled=screen.js,
                is_mobile=screen.mobile, has_touch=screen.mobile,
                reduced_motion="no-preference" if screen.motion else "reduce")
        page = context.new_page()
        console, requests, dialogs = [], [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url + (f"#{fragment}" if fragment else ""), wait_until="load")
        return Opened(page, url, console, requests, dialogs)

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


@pytest.fixture(scope="session")
def pages(browser):
    kept = Pages(browser)
    yield kept
    kept.close()


@pytest.fixture()
def open_report(pages):
    """open_report(path, screen=WIDE, reads_only=False, fragment=""): the page of a report,
    loaded. `reads_only`: the test only reads the page (no click, key, scroll or emulation), so it
    is kept for the next such test; a page loaded at an address with a `fragment` is always fresh."""
    used: dict[int, list] = {}  # id(opened) -> [key, opened, only read so far]

    def opener(path: Path, screen: Screen = WIDE, *, reads_only: bool = False, fragment: str = "") -> Opened:
        key = (path.as_uri(), screen)
        opened = None if fragment else pages.kept.pop(key, None)
        if opened is None:
            opened = pages.load(key[0], screen, fragment)
        entry = used.setdefault(id(opened), [key, opened, True])
        entry[2] = entry[2] and reads_only and not fragment
        return opened

    yield opener
    for key, opened, keep in used.values():
        if keep and key not in pages.kept and not opened.page.is_closed():
            pages.kept[key] = opened
        elif not opened.page.is_closed():
            opened.page.close()


def settle(page) -> None:
    """Wait until the page has drawn two frames: whatever the last step set off has run."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


# -- accessibility: axe-core, vendored (tests/vendor/axe-core) ------------------------------------

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


def axe_check(page) -> dict:
    """axe-core's verdict on the page as it is now. axe is evaluated into the page through the
    DevTools protocol once per page, so the report's Content Security Policy (which forbids any
    script but its own) stays in force; the report never carries axe."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    return page.evaluate(AXE_RUN)


def serious(result: dict) -> list:
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
