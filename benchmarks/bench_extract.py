"""Benchmark of in-process extraction on the bundled fixture (a script, not a test).

    .venv/bin/python benchmarks/bench_extract.py [--runs N] [--warmup N] [--profile]

Reads the fixture once, then times audit.read.extract.extract(text, path) with time.perf_counter
over many runs and prints min and median per run in ms next to the target. --profile prints
the top of a cProfile of the same runs (by internal time).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audit.read.extract import extract  # noqa: E402

FIXTURE = ROOT / "fixtures" / "qfin-2023q1-6k.txt"
TARGET_MS = 5.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the runs")
    args = parser.parse_args(argv)

    text = FIXTURE.read_text(encoding="utf-8")
    path = str(FIXTURE)
    for _ in range(args.warmup):
        extract(text, path)

    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        filing = extract(text, path)
        times.append((time.perf_counter() - start) * 1000.0)

    cells = sum(1 for t in filing.tables for _ in t.figures())
    best, median = min(times), statistics.median(times)
    status = "OK" if median <= TARGET_MS else "OVER TARGET"
    print(f"extract({FIXTURE.name}): {len(text.splitlines())} lines, {len(filing.tables)} tables, "
          f"{cells} cells, {len(filing.prose)} prose figures")
    print(f"runs {args.runs}: min {best:.2f} ms  median {median:.2f} ms  max {max(times):.2f} ms  "
          f"(target <= {TARGET_MS:g} ms per run: {status})")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            extract(text, path)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
