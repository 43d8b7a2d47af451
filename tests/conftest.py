"""Shared fixtures: the bundled 6-K fixture (path, text, lines) and its parsed Filing.

The fixture file itself is never modified; tests that need variants write them to tmp_path.
"""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

from audit.read.extract import extract

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "qfin-2023q1-6k.txt"


@pytest.fixture(scope="session")
def fixture_path() -> Path:
    assert FIXTURE.is_file(), f"fixture missing: {FIXTURE}"
    return FIXTURE


@pytest.fixture(scope="session")
def fixture_bytes(fixture_path) -> bytes:
    return fixture_path.read_bytes()


@pytest.fixture(scope="session")
def fixture_text(fixture_bytes) -> str:
    return fixture_bytes.decode("utf-8")


@pytest.fixture(scope="session")
def fixture_lines(fixture_text) -> list[str]:
    """The fixture's lines; fixture_lines[n - 1] is line n."""
    return fixture_text.split("\n")


@pytest.fixture(scope="session")
def filing(fixture_text, fixture_path):
    """The fixture extracted once per session. Tests must not mutate it."""
    return extract(fixture_text, str(fixture_path))


@pytest.fixture(scope="session")
def tables_by_id(filing):
    return {t.id: t for t in filing.tables}



RULES = ROOT / "rules" / "qfin"


@functools.lru_cache(maxsize=None)
def parsed_rules(folder: Path = RULES) -> tuple:
    """The rule files of a folder, parsed once per worker (the nodes are frozen, so tests share them)."""
    from audit.lang.grammar import parse

    return tuple(parse(p.read_text(encoding="utf-8"), str(p)) for p in sorted(folder.glob("*.rules")))


@pytest.fixture(scope="session")
def ruleset():
    """The bundled rule pack, parsed and compiled once per session."""
    from audit.lang.graph import load

    return load([str(RULES)])


@pytest.fixture(scope="session")
def clean_result(ruleset, filing):
    """The audit of the clean fixture with the bundled rules."""
    from audit.diagnose import audit

    return audit(ruleset, filing)


def replace_on_line(text: str, line: int, old: str, new: str) -> str:
    """A copy of text with `old` replaced by `new` once on the given 1-based line (must exist)."""
    lines = text.split("\n")
    assert old in lines[line - 1], f"{old!r} not on line {line}: {lines[line - 1]!r}"
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


def replace_figure(fixture_lines: list[str], fig, new_text: str) -> str:
    """The fixture's text with one extracted figure's printed text replaced in place."""
    lines = list(fixture_lines)
    line = lines[fig.span.line - 1]
    start, end = fig.span.col - 1, fig.span.end_col - 1
    assert line[start:end] == fig.text
    lines[fig.span.line - 1] = line[:start] + new_text + line[end:]
    return "\n".join(lines)
