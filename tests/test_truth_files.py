"""The reader's truth files (benchmarks/truth/*.json) are well-formed and point at what they say.

Each sampled figure's printed text must stand at its byte offset in the filing as given, and each
statement's numeric cells must be digits inside the statement's byte ranges. Nothing here uses the
reader: the truth is checked against the raw bytes only.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "benchmarks" / "truth"
FILINGS = ROOT.parent / "shared" / "filings"
TRUTH_FILES = sorted(TRUTH.glob("*.json"))

KINDS = {"amount", "per_share", "shares", "percent", "count", "rate"}
SIGNS = {"positive", "negative", "zero"}
UNITS = {"USD", "RMB", "HKD", "EUR", "shares", "ADS", "percent", "count", "KWh"}

needs_filings = pytest.mark.skipif(not FILINGS.is_dir(), reason=f"{FILINGS} is absent (real filings are not bundled)")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _check_period(period: dict | None, where: str) -> None:
    if period is None:
        return
    if "instant" in period:
        assert set(period) == {"instant"}, where
        dt.date.fromisoformat(period["instant"])
        return
    assert set(period) == {"start", "end", "months"}, where
    start, end = dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["end"])
    assert start < end, where
    days = (end - start).days + 1
    assert abs(days - period["months"] * 30.44) <= 10, f"{where}: {days} days is not {period['months']} months"


def test_there_are_truth_files():
    assert len(TRUTH_FILES) >= 11


@pytest.mark.parametrize("path", TRUTH_FILES, ids=lambda p: p.stem)
def test_truth_file_is_well_formed(path):
    doc = _load(path)
    assert {"file", "current_period", "statement_tables", "figures", "skipped", "notes"} <= set(doc)
    _check_period(doc["current_period"], f"{path.name}: current_period")
    figures = doc["figures"]
    assert len(figures) >= 30, f"{path.name}: only {len(figures)} figures sampled"
    seen = set()
    for fig in figures:
        where = f"{path.name} #{fig['n']} {fig['text']!r}"
        assert fig["kind"] in KINDS, where
        assert fig["sign"] in SIGNS, where
        assert fig["unit"] in UNITS, where
        assert isinstance(fig["scale"], int) and -2 <= fig["scale"] <= 9, where
        value = Decimal(fig["value"])
        assert fig["sign"] == ("negative" if value < 0 else "zero" if value == 0 else "positive"), where
        digits = "".join(ch for ch in fig["text"] if ch.isdigit())
        assert digits and digits.lstrip("0") == "".join(ch for ch in fig["value"] if ch.isdigit()).lstrip("0"), where
        assert (fig["kind"] == "percent") == (fig["unit"] == "percent"), where
        if fig["kind"] == "percent":
            assert fig["scale"] == -2, where
        _check_period(fig["period"], where)
        assert fig["offset"] <= fig["digit_offset"] < fig["offset"] + len(fig["text"].encode("utf-8")), where
        assert fig["digit_offset"] not in seen, f"{where}: sampled twice"
        seen.add(fig["digit_offset"])
    for table in doc["statement_tables"]:
        assert table["title"].strip(), path.name
        assert table["rows"] > 0 and table["numeric_cells"] == len(table["cell_offsets"]) > 0, table["title"]
        assert len(set(table["cell_offsets"])) == len(table["cell_offsets"]), table["title"]


def test_abvc_has_no_statements():
    doc = _load(TRUTH / "abvc.json")
    assert doc["statement_tables"] == []


@needs_filings
@pytest.mark.parametrize("path", TRUTH_FILES, ids=lambda p: p.stem)
def test_truth_points_at_the_source(path):
    doc = _load(path)
    source = FILINGS / doc["file"]
    if not source.exists():
        pytest.skip(f"{source} is absent")
    data = source.read_bytes()
    for fig in doc["figures"] + doc["skipped"]:
        text = fig["text"].encode("utf-8")
        assert data[fig["offset"]:fig["offset"] + len(text)] == text, (
            f"{path.name}: {fig['text']!r} is not at byte {fig['offset']} "
            f"(found {data[fig['offset']:fig['offset'] + len(text)]!r})")
    for fig in doc["figures"]:
        assert chr(data[fig["digit_offset"]]).isdigit(), fig
        before = data[fig["digit_offset"] - 1:fig["digit_offset"]]
        assert not before.isdigit(), f"{path.name}: {fig['text']!r} does not start a number"
    for table in doc["statement_tables"]:
        for offset in table["cell_offsets"]:
            assert any(start <= offset < end for start, end in table["ranges"]), (table["title"], offset)
            assert chr(data[offset]).isdigit() and not chr(data[offset - 1]).isdigit(), (table["title"], offset)
        lowest = min(start for start, _ in table["ranges"])
        window = data[max(0, lowest - 4000):max(end for _, end in table["ranges"])].decode("utf-8", "replace")
        first_word = table["title"].split()[0]
        assert first_word.casefold() in window.casefold(), f"{path.name}: title {table['title']!r} not near its table"
