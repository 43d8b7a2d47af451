"""The full transposition sweep (a measurement, not a test): every statement cell of the seed with two
adjacent digits swapped, one cell at a time; how often diagnosis names the changed figure first with its
exact value. The tests run a fixed-seed sample of the same sweep (tests/test_diagnose.py).

    .venv/bin/python benchmarks/bench_diagnose_sweep.py
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sweep import eligible, measure  # noqa: E402

from audit.diagnose import audit  # noqa: E402
from audit.lang.graph import load  # noqa: E402
from audit.read.extract import extract  # noqa: E402

FIXTURE = ROOT / "fixtures" / "qfin-2023q1-6k.txt"
TARGET_RATE, TARGET_ABSORBED = 0.90, 0.05


def main() -> int:
    text = FIXTURE.read_text(encoding="utf-8")
    ruleset = load([str(ROOT / "rules" / "qfin")])
    filing = extract(text, str(FIXTURE))
    out = measure(ruleset, text.split("\n"), eligible(filing), lambda rs, t: audit(rs, extract(t, "variant.txt")))
    print("\n".join(out.lines("every statement cell")))
    absorbed = len(out.absorbed) / out.cells if out.cells else 0.0
    print(f"ranked first: {out.rate:.1%} (target >= {TARGET_RATE:.0%}); "
          f"absorbed: {absorbed:.1%} (target <= {TARGET_ABSORBED:.0%})")
    return 0 if out.rate >= TARGET_RATE and absorbed <= TARGET_ABSORBED else 1


if __name__ == "__main__":
    sys.exit(main())
