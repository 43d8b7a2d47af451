"""The failing HTML report printed by real headless Chromium: about a third of the pages it took
before issue 18, a running header and footer on every page, findings never split, passing checks
as a count table, the graph scaled to fit. The PDF's text is read through its fonts' ToUnicode
maps, so no PDF library is needed."""
from __future__ import annotations

import hashlib
import re
import zlib

pytest_plugins = ("browser_kit",)  # its fixtures: the browser, the reports, the pages


PAGES_BEFORE = 33  # the failing report printed to 33 Letter pages before the print styles of issue 18


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def pdf_objects(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Each object of a PDF: its dictionary and its stream's data, inflated."""
    objects: dict[int, tuple[bytes, bytes]] = {}
    for match in re.finditer(rb"(?s)(\d+) 0 obj\s*(.*?)endobj", pdf):
        body = match.group(2)
        stream = re.search(rb"(?s)stream\r?\n(.*?)\r?\nendstream", body)
        data = b""
        if stream:
            data = stream.group(1)
            length = re.search(rb"/Length (\d+)(?!\s+\d+\s+R)", body[:stream.start()])
            if length:  # the stream's own length: its last byte may be a \r, which the pattern above drops
                data = body[stream.start(1):stream.start(1) + int(length.group(1))]
            if b"/FlateDecode" in body[:stream.start()]:
                data = zlib.decompress(data)
        objects[int(match.group(1))] = (body[:stream.start()] if stream else body, data)
    return objects


def pdf_text(pdf: bytes) -> list[str]:
    """Each page's text, decoded through the fonts' ToUnicode maps: enough for Chromium's own PDFs
    (Type0 fonts, hex strings shown with Tj), so no PDF library is needed."""
    objects = pdf_objects(pdf)

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
    opened = open_report(reports["wrong"], reads_only=True)  # printing leaves the page as it was
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


def test_the_pdf_reader_keeps_a_stream_whose_last_byte_is_a_carriage_return():
    """Deflated data ends in \\r about once in 256 streams: the reader takes the stream's /Length,
    not the line break before `endstream` (a fresh-clone run failed on it once)."""
    raw = next(r for r in (f"BT /F1 12 Tf <{i:04x}> Tj ET".encode() for i in range(5000))
               if zlib.compress(r).endswith(b"\r"))
    packed = zlib.compress(raw)
    pdf = (b"%PDF-1.4\n7 0 obj\n<</Length " + str(len(packed)).encode() + b" /Filter /FlateDecode>>\nstream\n"
           + packed + b"\nendstream\nendobj\n")
    assert pdf_objects(pdf)[7][1] == raw
