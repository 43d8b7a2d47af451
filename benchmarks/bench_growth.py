"""Growth of time and peak memory with the size of the input (issue 20): a script, not a test.

    .venv/bin/python benchmarks/bench_growth.py [--only repeat,rows,line,columns,rules,50mb]
                                                [--scale F] [--timeout S] [--no-html]

Each shape is measured at 4 sizes k, 2k, 4k, 8k, every size in a fresh process (`qfin-audit run
rules/qfin FILING --json OUT --html OUT`, or `qfin-audit lint RULES`), its CPU time (user + system:
the machine's other load barely moves it; wall time is printed too) and peak RSS (os.wait4, that
process alone) recorded. The growth exponent is the slope of the least-squares
line through (log k, log cost) over the 4 sizes: 1 is linear, 2 quadratic. It is fitted twice:
on the whole cost, and on the cost above the same shape at k = 0 (the seed alone, or an empty
input), which start-up and the seed's own audit cannot flatten. Target: <= 1.2 for both.

shapes (issue 20, section 2):
  repeat   the seed (fixtures/qfin-2023q1-6k.txt, rules/qfin) repeated k times
  rows     the seed plus k random table rows, inserted at random places among its table rows
  line     the seed plus one tab-separated line of k numbers
  columns  an HTML table of k value columns (3 rows), `--pack qfin`
  rules    `lint` of a rules file of k rules
  50mb     the seed repeated to 50 MB, console report only (--large-reports: JSON and HTML too):
           peak memory, target < 2 GB

The limits that these inputs break on purpose are raised for the run (QFIN_AUDIT_MAX_FILING_MB,
QFIN_AUDIT_MAX_LINE_CHARS, QFIN_AUDIT_MAX_RULES_KB); the compiled-rules cache is warm for `run`
and off for `lint`. --scale multiplies every k (0.5 halves the run time of a quadratic shape by 4).
"""
from __future__ import annotations

import argparse
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, NamedTuple, Optional

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "qfin-2023q1-6k.txt"
RULES = ROOT / "rules" / "qfin"
BIN = Path(sys.executable).parent
CLI = str(BIN / "qfin-audit")
TARGET = 1.2
MEMORY_TARGET_MB = 2048


class Cost(NamedTuple):
    seconds: float  # CPU time of the process (user + system): other processes on the machine barely move it
    wall: float
    peak_mb: float
    code: Optional[int]  # None: killed at the time limit


class Shape(NamedTuple):
    name: str
    what: str
    sizes: tuple[int, ...]
    make: Callable[[int, Path], list[str]]  # k, folder -> the command's arguments after CLI


def measure(args: list[str], env: dict, timeout: float) -> Cost:
    """Wall time and peak RSS of one fresh process running the CLI."""
    start = time.perf_counter()
    proc = subprocess.Popen([CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            cwd=ROOT, env=env)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = -9
            return Cost(usage.ru_utime + usage.ru_stime, time.perf_counter() - start, usage.ru_maxrss / 1024, None)
        time.sleep(0.01)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1, 3):
        print(f"    ! exit {proc.returncode}: {err.strip().splitlines()[-1:] if err.strip() else ''}")
    return Cost(usage.ru_utime + usage.ru_stime, seconds, usage.ru_maxrss / 1024, proc.returncode)


def slope(xs: list[float], ys: list[float]) -> Optional[float]:
    """The least-squares slope of log y over log x (None when a value is not positive)."""
    if len(xs) < 2 or any(y <= 0 for y in ys):
        return None
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    den = sum((x - mx) ** 2 for x in lx)
    return sum((x - mx) * (y - my) for x, y in zip(lx, ly)) / den if den else None


# -- the inputs --------------------------------------------------------------------------------

def _seed() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def _run_args(filing: Path, folder: Path, html: bool, extra: tuple[str, ...] = (), json: bool = True) -> list[str]:
    out = ["--json", str(folder / "out.json")] if json else []
    out += ["--html", str(folder / "out.html")] if html else ["--no-html"]
    return ["run", str(RULES), str(filing), *extra, *out]


def repeated(k: int, folder: Path, html: bool) -> list[str]:
    path = folder / f"repeat-{k}.txt"
    seed = _seed().rstrip("\n")
    path.write_text("\n".join([seed] * k) + "\n", encoding="utf-8") if k else path.write_text(seed + "\n")
    return _run_args(path, folder, html)


def with_rows(k: int, folder: Path, html: bool) -> list[str]:
    rng = random.Random(20)
    lines = _seed().split("\n")
    # after body rows only (a label, then amounts), so the statements keep their headings and titles
    amount = re.compile(r"^\(?[\d,]+\)?$")
    table_rows = [i for i, line in enumerate(lines)
                  if "\t" in line and line.split("\t")[0].strip() and amount.match(line.split("\t")[1].strip())]
    inserts: dict[int, list[str]] = {}
    words = ("Other", "assets", "income", "net", "expenses", "receivable", "loans", "deferred", "fees",
             "current", "payable", "reserve", "service", "funding", "tax", "accrued")
    for _ in range(k):
        at = rng.choice(table_rows)
        label = " ".join(rng.choice(words) for _ in range(rng.randint(1, 4))).capitalize()
        values = (rng.randint(-999_999, 9_999_999) for _ in range(lines[at].count("\t")))
        cells = "\t".join(f"({-v:,})" if v < 0 else f"{v:,}" for v in values)
        inserts.setdefault(at, []).append(f"{label}\t{cells}")
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        out.extend(inserts.get(i, ()))
    path = folder / f"rows-{k}.txt"
    path.write_text("\n".join(out), encoding="utf-8")
    return _run_args(path, folder, html)


def with_line(k: int, folder: Path, html: bool) -> list[str]:
    rng = random.Random(20)
    numbers = "\t".join(f"{rng.randint(0, 9_999_999):,}" for _ in range(k))
    path = folder / f"line-{k}.txt"
    path.write_text(_seed().rstrip("\n") + "\n\nRandom figures\t" + numbers + "\n", encoding="utf-8")
    return _run_args(path, folder, html)


def html_columns(k: int, folder: Path, html: bool) -> list[str]:
    rng = random.Random(20)
    heads = "".join(f"<th>Q{1 + i % 4} {2000 + i // 4}</th>" for i in range(k))
    rows = "".join(
        f"<tr><td>{label}</td>" + "".join(f"<td>{rng.randint(0, 999_999):,}</td>" for _ in range(k)) + "</tr>"
        for label in ("Revenue", "Costs", "Net income"))
    path = folder / f"columns-{k}.htm"
    path.write_text("<html><body><p>Qifu Technology, Inc. (NASDAQ: QFIN) results.</p>"
                    "<p>Condensed Consolidated Statements of Operations</p>"
                    f"<table><tr><td></td>{heads}</tr>{rows}</table></body></html>\n", encoding="utf-8")
    return _run_args(path, folder, html, ("--pack", "qfin"))


def rules_file(k: int, folder: Path, html: bool) -> list[str]:
    rng = random.Random(20)
    lines = ['table ops = "Condensed Consolidated Statements of Operations"', ""]
    for i in range(k):
        a, b, c = (rng.choice(("Total net revenue", "Net income", "Income before income tax expense",
                                "Total operating costs and expenses", "Income tax expense"))
                   for _ in range(3))
        lines.append(f'rule G-{i:06d} "Generated rule {i}":')
        lines.append(f'    ops["{a}"] = ops["{b}"] + ops["{c}"] * {1 + i % 7} - {i}')
        lines.append("")
    path = folder / f"rules-{k}.rules"
    path.write_text("\n".join(lines), encoding="utf-8")
    return ["lint", str(path)]


SHAPES = {
    "repeat": ("the seed repeated k times", (10, 20, 40, 80), repeated),
    "rows": ("the seed + k random table rows", (1000, 2000, 4000, 8000), with_rows),
    "line": ("the seed + 1 line of k numbers", (10000, 20000, 40000, 80000), with_line),
    "columns": ("an HTML table of k columns", (500, 1000, 2000, 4000), html_columns),
    "rules": ("lint of k rules", (1000, 2000, 4000, 8000), rules_file),
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="repeat,rows,line,columns,rules,50mb")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size k")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per run before it is killed")
    parser.add_argument("--no-html", action="store_true", help="JSON report only")
    parser.add_argument("--mb", type=float, default=50.0, help="size of the large filing")
    parser.add_argument("--large-reports", action="store_true",
                        help="the large filing with JSON and HTML reports too (they are 13x and 23x its size)")
    args = parser.parse_args(argv)
    only = args.only.split(",")
    html = not args.no_html

    env = dict(os.environ, QFIN_AUDIT_MAX_FILING_MB="1024", QFIN_AUDIT_MAX_LINE_CHARS="100000000",
               QFIN_AUDIT_MAX_RULES_KB="1048576")
    folder = Path(tempfile.mkdtemp(prefix="bench-growth-"))
    try:
        cache_env = dict(env, QFIN_AUDIT_CACHE_DIR=str(folder / "cache"))
        subprocess.run([CLI, "lint", str(RULES)], stdout=subprocess.DEVNULL, env=cache_env, cwd=ROOT)
        summary = []
        for name in only:
            if name not in SHAPES:
                continue
            what, sizes, make = SHAPES[name]
            sizes = tuple(max(1, round(k * args.scale)) for k in sizes)
            run_env = dict(cache_env, QFIN_AUDIT_CACHE="off") if name == "rules" else cache_env
            print(f"{name}: {what}")
            base = measure(make(0, folder, html), run_env, args.timeout)
            print(f"    k={0:>7,}  {base.seconds:8.2f} s CPU {base.wall:8.2f} s wall {base.peak_mb:8.0f} MB"
                  f"  (exit {base.code})")
            costs = []
            for k in sizes:
                cost = measure(make(k, folder, html), run_env, args.timeout)
                size_mb = sum(p.stat().st_size for p in folder.glob(f"{name}-{k}.*")) / 2**20
                killed = "  KILLED at the time limit" if cost.code is None else ""
                print(f"    k={k:>7,}  {cost.seconds:8.2f} s CPU {cost.wall:8.2f} s wall {cost.peak_mb:8.0f} MB"
                      f"  (exit {cost.code}, "
                      f"input {size_mb:.2f} MB){killed}", flush=True)
                costs.append(cost)
                if cost.code is None:
                    break
            done = [c for c in costs if c.code is not None]  # a run killed at the time limit is no point of the fit
            xs = [float(k) for k in sizes[:len(done)]]
            costs = done
            t = slope(xs, [c.seconds for c in costs])
            m = slope(xs, [c.peak_mb for c in costs])
            te = slope(xs, [c.seconds - base.seconds for c in costs])
            me = slope(xs, [c.peak_mb - base.peak_mb for c in costs])
            summary.append((name, t, te, m, me, len(done) < len(sizes)))
        if "50mb" in only:
            seed = _seed().rstrip("\n") + "\n"
            k = math.ceil(args.mb * 2**20 / len(seed.encode()))
            path = folder / "large.txt"
            path.write_text(seed * k, encoding="utf-8")
            reports = args.large_reports
            big = measure(_run_args(path, folder, reports, json=reports), cache_env, max(args.timeout, 900.0))
            size = path.stat().st_size / 2**20
            ok = big.code is not None and big.peak_mb < MEMORY_TARGET_MB
            print(f"50mb: the seed repeated {k} times ({size:.1f} MB), "
                  f"{'JSON and HTML reports' if reports else 'console report only (--no-html)'}: "
                  f"{big.seconds:.1f} s CPU, {big.wall:.1f} s wall, peak "
                  f"{big.peak_mb:,.0f} MB (exit {big.code})  target < {MEMORY_TARGET_MB:,} MB: "
                  f"{'OK' if ok else 'MISSED'}")

        def fmt(x):
            return "  n/a" if x is None else f"{x:5.2f}"

        if summary:
            print()
            print(f"growth exponents (log-log least squares over 4 sizes; target <= {TARGET}):")
            print(f"    {'shape':<8} {'time':>6} {'above k=0':>10} {'memory':>7} {'above k=0':>10}  verdict")
            for name, t, te, m, me, killed in summary:
                worst = max((x for x in (t, te, m, me) if x is not None), default=None)
                ok = worst is not None and worst <= TARGET and not killed
                print(f"    {name:<8} {fmt(t):>6} {fmt(te):>10} {fmt(m):>7} {fmt(me):>10}  "
                      f"{'OK' if ok else 'MISSED'}{' (a size hit the time limit: fitted on the others)' if killed else ''}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
