"""A batch's process pool gives the same summary lines however its workers start (fork, spawn, forkserver)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES = str(ROOT / "rules" / "qfin")
PROBE = """import multiprocessing, sys
from audit.batch import runner
if __name__ == "__main__":
    multiprocessing.set_start_method(sys.argv[1])
    print(runner.run(sys.argv[2], [sys.argv[3]], jobs=2, out=sys.argv[4], html=False, echo=lambda text: None))
"""


def _lines(method: str, filings: Path, out: Path) -> list[dict]:
    env = {**os.environ, "QFIN_AUDIT_CACHE": "off"}
    done = subprocess.run([sys.executable, "-c", PROBE, method, RULES, str(filings), str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0 and done.stdout.strip() == "pass", done.stderr
    lines = [json.loads(text) for text in (out / "summary.jsonl").read_text().splitlines()]
    for line in lines:
        line.pop("seconds")
    return sorted(lines, key=lambda line: line["path"])


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_every_start_method_audits_every_filing(tmp_path, fixture_text, method):
    filings = tmp_path / "in"
    filings.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (filings / name).write_text(fixture_text, encoding="utf-8")
    forked = _lines("fork", filings, tmp_path / "fork")
    other = _lines(method, filings, tmp_path / method)
    assert [line["error"] for line in other] == [None, None, None]  # forkserver: workers killed themselves
    assert other == forked
