"""The extract command end to end: bad inputs, output formats, and variants of the fixture.

Bad inputs go through click's CliRunner on audit.cli:main and through the installed
qfin-audit script in a real subprocess.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit.base.errors import InputError
from audit.cli import main
from audit.read.extract import extract
from audit.read.source import read_text

ROOT = Path(__file__).resolve().parent.parent
#: The installed console script: next to the running interpreter, else the project's .venv.
SCRIPT = next((p for p in (Path(sys.executable).parent / "qfin-audit", ROOT / ".venv" / "bin" / "qfin-audit")
               if p.exists()), Path(sys.executable).parent / "qfin-audit")


def run(*args):
    return CliRunner().invoke(main, list(args))


def figure_keys(filing):
    return [(f.span.line, f.span.col, f.text, f.value, f.unit, f.scale, f.decimals, f.kind)
            for f in filing.figures()]


# -- bad inputs ------------------------------------------------------------------------------

def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path, words the one-line message must contain)."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"  \n\t\n")
    bom_only = tmp_path / "bom-only.txt"
    bom_only.write_bytes(b"\xef\xbb\xbf\n")
    binary = tmp_path / "binary.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Total net revenue was RMB3,599.2 million, café\n".encode("latin-1"))
    folder = tmp_path / "a-directory"
    folder.mkdir()
    return {
        "missing": (tmp_path / "no-such-filing.txt", "no such file"),
        "directory": (folder, "is a directory"),
        "empty": (empty, "empty"),
        "blank": (blank, "empty"),
        "bom-only": (bom_only, "empty"),
        "binary": (binary, "binary"),
        "not-utf8": (latin1, "not UTF-8"),
    }


BAD = ["missing", "directory", "empty", "blank", "bom-only", "binary", "not-utf8"]


@pytest.mark.parametrize("name", BAD)
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_bad_input_cli_runner(tmp_path, name, fmt):
    path, words = bad_inputs(tmp_path)[name]
    result = run("extract", str(path), "--format", fmt)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    assert words in lines[0]
    assert "Traceback" not in result.output + result.stderr
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an escaped exception


@pytest.mark.parametrize("name", BAD)
def test_bad_input_real_process(tmp_path, name):
    assert SCRIPT.exists(), SCRIPT
    path, words = bad_inputs(tmp_path)[name]
    proc = subprocess.run([str(SCRIPT), "extract", str(path)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "QFIN_AUDIT_DEBUG": ""})
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(path) in lines[0] and words in lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout


@pytest.mark.parametrize("name", BAD)
def test_bad_input_read_text_raises_input_error(tmp_path, name):
    path, words = bad_inputs(tmp_path)[name]
    with pytest.raises(InputError) as info:
        read_text(str(path))
    assert str(path) in str(info.value) and words in str(info.value)


def test_not_utf8_message_says_where(tmp_path):
    path, _ = bad_inputs(tmp_path)["not-utf8"]
    offset = path.read_bytes().index(b"\xe9")
    result = run("extract", str(path))
    assert f"byte 0xe9 at offset {offset} " in result.stderr


def test_missing_argument_is_usage_error():
    result = run("extract")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_real_process_success(fixture_path):
    proc = subprocess.run([str(SCRIPT), "extract", str(fixture_path), "--format", "json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    doc = json.loads(proc.stdout)
    assert len(doc["tables"]) == 5
    assert len([f for f in doc["figures"] if "table" in f]) == 308
    assert any(f["text"] == "RMB3,599.2 million" for f in doc["figures"] if "table" not in f)


# -- formats ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def json_doc(fixture_path):
    result = run("extract", str(fixture_path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def test_json_figures(json_doc, filing):
    figures = json_doc["figures"]
    assert isinstance(figures, list)
    assert len(figures) == len(list(filing.figures()))
    for fig in figures:
        for key in ("line", "col", "text", "value", "unit", "scale", "decimals", "kind"):
            assert key in fig, (key, fig)
        assert isinstance(fig["line"], int) and isinstance(fig["col"], int)
        assert isinstance(fig["value"], str)  # decimals as strings, never floats
        Decimal(fig["value"])
        assert isinstance(fig["scale"], int) and isinstance(fig["decimals"], int)


def test_json_table_cells(json_doc):
    cells = [f for f in json_doc["figures"] if "table" in f]
    assert len(cells) == 308
    for cell in cells:
        for key in ("table", "row", "section", "column"):
            assert key in cell
        assert isinstance(cell["section"], list)
        column = cell["column"]
        assert column["currency"] in ("RMB", "USD")
        if cell["table"] == "balance-sheets":  # instants
            assert column["period_start"] is None
            assert column["period_end"] in ("2022-12-31", "2023-03-31")
        else:  # three months ended March 31
            assert (column["period_start"], column["period_end"]) in (
                ("2022-01-01", "2022-03-31"), ("2023-01-01", "2023-03-31"))
    first = next(c for c in cells if c["line"] == 330 and c["text"] == "(2,236)")
    assert first["value"] == "-2236"
    assert first["table"] == "statements-of-operations"
    assert first["row"] == "Provision for accounts receivable and contract assets"
    assert first["column"]["period_start"] == "2023-01-01"
    assert first["column"]["period_end"] == "2023-03-31"
    assert first["column"]["currency"] == "RMB"
    assert (first["unit"], first["scale"], first["decimals"]) == ("RMB", 3, 0)
    fees = [c for c in cells if c["row"] == "Other services fees" and c["col"] == next(
        x["col"] for x in cells if x["line"] == 318 and x["text"] == "20,003")]
    assert [c["section"] for c in fees] == [["Credit driven services"], ["Platform services"]]


def test_json_prose_figure(json_doc):
    fig = next(f for f in json_doc["figures"] if f["line"] == 86 and f["text"] == "RMB4,320.0 million")
    assert fig["value"] == "4320.0"
    assert (fig["unit"], fig["scale"], fig["decimals"], fig["kind"]) == ("RMB", 6, 1, "amount")
    assert fig["period"] == "same period 2022"
    assert fig["phrase"] == "Total net revenue was"
    assert "table" not in fig


def test_json_tables_and_facts(json_doc):
    assert [t["title"] for t in json_doc["tables"]][0] == "Unaudited Condensed Consolidated Balance Sheets"
    assert all(t["scale"] == 3 for t in json_doc["tables"])
    assert json_doc["facts"]["exchange_rate"]["value"] == "6.8676"
    assert json_doc["facts"]["exchange_rate"]["line"] == 231


def test_csv_parses(fixture_path, filing):
    result = run("extract", str(fixture_path), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(list(filing.figures()))
    for row in rows:
        Decimal(row["value"])
        int(row["line"]), int(row["col"]), int(row["scale"]), int(row["decimals"])
    nils = [r for r in rows if r["line"] == "337" and r["text"] == "-"]
    assert [(r["value"], r["kind"], r["column"]) for r in nils] == [
        ("0", "nil", "3M to 2023-03-31 RMB"), ("0", "nil", "3M to 2023-03-31 USD")]
    label = next(r for r in rows if r["line"] == "86" and r["text"] == r"US\$524.1 million")
    assert label["value"] == "524.1" and label["unit"] == "USD"
    row = next(r for r in rows if r["line"] == "262" and r["text"] == "7,165,584")
    assert row["table"] == "balance-sheets"
    assert row["section"] == "ASSETS / Current assets:"
    assert row["column"] == "2022-12-31 RMB"


def test_table_format(fixture_path):
    result = run("extract", str(fixture_path))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for title in ("Unaudited Condensed Consolidated Balance Sheets", "Unaudited Reconciliations of GAAP and Non-GAAP Results"):
        assert title in out
    assert "Prose figures (" in out
    assert "6.8676" in out


# -- a filing with no tables ---------------------------------------------------------------

def test_narrative_only_filing(tmp_path, fixture_lines, filing):
    path = tmp_path / "narrative.txt"
    path.write_text("\n".join(fixture_lines[:180]) + "\n", encoding="utf-8")
    result = run("extract", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["tables"] == []
    got = [(f["line"], f["col"], f["text"], f["value"]) for f in doc["figures"]]
    want = [(f.span.line, f.span.col, f.text, str(f.value)) for f in filing.prose if f.span.line <= 180]
    assert len(want) > 150
    assert got == want


def test_narrative_only_in_process(fixture_lines):
    doc = extract("\n".join(fixture_lines[:180]), "narrative")
    assert doc.tables == []
    assert any(f.text == "RMB3,599.2 million" and f.span.line == 86 for f in doc.prose)


# -- variants of the fixture ----------------------------------------------------------------

def write_variant(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_crlf_gives_same_figures(tmp_path, fixture_bytes, filing):
    path = write_variant(tmp_path, "crlf.txt", fixture_bytes.replace(b"\n", b"\r\n"))
    assert b"\r\n" in path.read_bytes()
    variant = extract(read_text(str(path)), str(path))
    assert figure_keys(variant) == figure_keys(filing)
    assert [(t.id, t.title, t.columns) for t in variant.tables] == [(t.id, t.title, t.columns) for t in filing.tables]
    assert variant.facts["exchange_rate"].value == Decimal("6.8676")
    # and through the CLI
    result = run("extract", str(path), "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["figures"]) == len(figure_keys(filing))


def test_cr_only_gives_same_figures(tmp_path, fixture_bytes, filing):
    path = write_variant(tmp_path, "cr.txt", fixture_bytes.replace(b"\n", b"\r"))
    assert figure_keys(extract(read_text(str(path)), str(path))) == figure_keys(filing)


def test_utf8_bom_accepted(tmp_path, fixture_bytes, filing):
    path = write_variant(tmp_path, "bom.txt", b"\xef\xbb\xbf" + fixture_bytes)
    text = read_text(str(path))
    assert text.startswith("\ufeff")  # kept, so that offsets and the sha256 are the file's
    read = extract(text, str(path))
    assert figure_keys(read) == figure_keys(filing)
    assert read.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    raw = path.read_bytes()
    for fig in read.figures():
        assert raw[read.offset(fig.span):].startswith(fig.text.encode("utf-8")), fig
    result = run("extract", str(path), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_bom_and_crlf_together(tmp_path, fixture_bytes, filing):
    path = write_variant(tmp_path, "bom-crlf.txt", b"\xef\xbb\xbf" + fixture_bytes.replace(b"\n", b"\r\n"))
    assert figure_keys(extract(read_text(str(path)), str(path))) == figure_keys(filing)


def test_shifted_filing_moves_every_line(tmp_path, fixture_text, filing):
    """Three extra lines at the top: every figure moves down three lines and nothing else changes."""
    path = write_variant(tmp_path, "shifted.txt", ("Preface\n\n\n" + fixture_text).encode("utf-8"))
    variant = extract(read_text(str(path)), str(path))
    moved = [(line + 3, *rest) for line, *rest in figure_keys(filing)]
    assert figure_keys(variant) == moved
    assert [t.span.line for t in variant.tables] == [t.span.line + 3 for t in filing.tables]


def test_trailing_newline_does_not_matter(tmp_path, fixture_text, filing):
    path = write_variant(tmp_path, "nl.txt", (fixture_text.rstrip("\n") + "\n\n").encode("utf-8"))
    assert figure_keys(extract(read_text(str(path)), str(path))) == figure_keys(filing)


def test_sha256_is_of_the_text(fixture_text, filing):
    import hashlib

    assert filing.sha256 == hashlib.sha256(fixture_text.encode("utf-8")).hexdigest()
