"""The stage layers (pyproject's import-linter contract) hold, and the contract bites on an upward import."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(root))
    return subprocess.run([str(LINT), "--no-cache"], cwd=root, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    if not LINT.exists():
        pytest.skip(f"import-linter is missing ({LINT}): pip install -e '.[test]'")
    root = tmp_path_factory.mktemp("house")
    shutil.copytree(ROOT / "audit", root / "audit", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_stages_import_downwards_only(copy):
    done = lint(copy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


@pytest.mark.parametrize("module, upward", [
    ("check/engine.py", "from ..diagnose import solver"),  # the engine calling diagnosis back
    ("read/filing.py", "from ..lang import nodes"),  # the reader knowing the rule language
    ("report/index.py", "from ..batch import runner"),  # a report reaching into batch
])
def test_an_upward_import_breaks_the_contract(copy, module, upward):
    path = copy / "audit" / module
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + f"\n{upward}  # noqa\n", encoding="utf-8")
        done = lint(copy)
    finally:
        path.write_text(original, encoding="utf-8")
    assert done.returncode != 0
    assert "BROKEN" in done.stdout and "is not allowed to import" in done.stdout, done.stdout
