"""Benchmarks of the whole pipeline (a script, not a test); each figure is printed next to its target
(issue 21).

    .venv/bin/python benchmarks/bench_pipeline.py [--only a,b,c,d] [--runs N] [--reps N]
                                                  [--count N] [--small N] [--rounds N] [--profile]

(a) in process, the seed (fixtures/qfin-2023q1-6k.txt, rules/qfin): extract + audit, by stage
                                                        target <= 5 ms median (>= 200 filings/s per core)
    the same for a filing never seen: the caches its strings fill (labels, anchors) emptied first
    the JSON document (result_document + dumps, as `run --json` writes it)   target <= 5 ms
    the HTML report (render)                                                 target <= 20 ms
(b) a cold `qfin-audit run ... --no-html` vs a cold `python -c "import pyparsing, networkx,
    jinja2, click, tabulate"`, interleaved, median of --reps runs          target <= 1.3x
(c) `qfin-audit batch --jobs 2` of --count copies of the seed (best of --rounds runs):
    JSON reports only                                                       target >= 150 filings/s
    JSON + HTML reports                                                     target >= 60 filings/s
    peak memory of the command's process tree (parent + workers) at --small vs --count filings
                                                                            target: flat (<= 1.10x)
(d) a filing made of the seed repeated 10 times vs once                    target <= 12x

(a) and (d) time the CPU this process uses (time.process_time: on a quiet machine the wall time,
on a shared one without the time other processes hold the cores), median and minimum of many
runs; (c) is wall time, printed with the CPU other processes took during it.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIXTURE = ROOT / "fixtures" / "qfin-2023q1-6k.txt"
RULES = ROOT / "rules" / "qfin"
BIN = Path(sys.executable).parent
CLI = str(BIN / "qfin-audit") if (BIN / "qfin-audit").exists() else None


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


CLOCK = time.process_time  # (a), (d): this process's CPU time


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = CLOCK()
        fn()
        out.append((CLOCK() - start) * 1000.0)
    return out


def timed_fresh(make, fn, runs: int) -> list[float]:
    """fn(make()) timed without make()."""
    out = []
    for _ in range(runs):
        arg = make()
        start = CLOCK()
        fn(arg)
        out.append((CLOCK() - start) * 1000.0)
    return out


def med(values) -> float:
    return statistics.median(values)


def reference_ms(runs: int = 9) -> float:
    """CPU ms of a fixed pure-Python workload of the kind the pipeline does (a regex over a line of
    prose, Decimal arithmetic, strings, tuples and a dict), independent of this project's code: the
    same on every commit, so figures taken on two machines compare through it (median of ``runs``)."""
    import re
    from decimal import Decimal

    number = re.compile(r"\d[\d,]*(?:\.\d+)?")
    line = "Total revenues were RMB4,180,112 thousand, up 9.2% from RMB3,828,406 thousand a year ago."

    def work():
        seen, total = {}, Decimal(0)
        for i in range(3000):
            for m in number.finditer(line):
                text = m.group()
                value = Decimal(text.replace(",", ""))
                total += value
                seen[i % 97, text] = (value, m.start(), m.end(), f"{text} at {m.start()}")
        return total, len(seen)

    work()
    return med(timed(work, runs))


# -- (a) in process -----------------------------------------------------------------------------

def bench_in_process(runs: int, profile: bool) -> None:
    from audit.check.coverage import measure
    from audit.check.engine import Evaluator, gc_paused
    from audit.diagnose import audit
    from audit.lang.graph import load
    from audit.read.extract import extract
    from audit.report.json import dumps, result_document

    ruleset = load([str(RULES)])
    text = FIXTURE.read_text(encoding="utf-8")
    path = str(FIXTURE)
    filing = extract(text, path)
    for _ in range(20):  # warm up (regex caches, lru caches)
        audit(ruleset, extract(text, path))

    # Every stage is timed in the same loop, so load from other processes affects them alike.
    # Inside audit(): the steps of engine.audit, one by one (a clean filing: no diagnosis), with the
    # GC paused as audit() pauses it; the collection it puts off runs as it ends (in its timing).
    names = ["extract", "audit", "evaluate every check", "unchecked declarations", "coverage"]
    times: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(runs):
        t0 = CLOCK()
        extracted = extract(text, path)
        t1 = CLOCK()
        audit(ruleset, extracted)
        t2 = CLOCK()
        with gc_paused():
            evaluator = Evaluator(ruleset, extracted)
            findings = []
            for rule in ruleset.rules:
                findings.extend(evaluator.run(rule))
            t3 = CLOCK()
            declared = evaluator.unchecked()
            t4 = CLOCK()
            measure(extracted, findings, declared)
            t5 = CLOCK()
        del evaluator, findings, declared
        for name, dt in zip(names, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
            times[name].append(dt * 1000.0)
    t_both = [e + a for e, a in zip(times["extract"], times["audit"])]
    # A filing never seen: the per-process caches keyed by strings of a filing (labels, anchors) are
    # emptied before each run, so nothing is left from reading the same seed before.
    caches = _string_caches()
    t_unseen = []
    for _ in range(max(runs // 4, 20)):
        for cached in caches:
            cached.cache_clear()
        t0 = CLOCK()
        audit(ruleset, extract(text, path))
        t_unseen.append((CLOCK() - t0) * 1000.0)
    result = audit(ruleset, filing)
    # Each output is timed on the result of a filing read afresh, as every filing of a batch is: findings'
    # messages are rendered when first read, and a filing's source map (line starts, byte offsets) is made
    # when a report first asks it.
    def fresh():
        return audit(ruleset, extract(text, path))

    t_json = timed_fresh(fresh, lambda r: dumps(result_document(r)), max(runs // 4, 5))

    figures = sum(1 for _ in filing.figures())
    total = med(t_both)
    print(f"(a) in process, {FIXTURE.name} ({len(filing.lines)} lines, {figures} figures, "
          f"{len(ruleset.rules)} rules, {len(result.findings)} checks), CPU time, median of {runs}:")
    print(f"    {'':<28}  median      min")
    print(f"    {'extract + audit':<28}{total:7.2f} ms {min(t_both):7.2f} ms   target <= 5 ms: "
          f"{verdict(total <= 5.0)} ({1000.0 / total:.0f} filings/s per core; target >= 200)")
    print(f"    {'  the same, never seen':<28}{med(t_unseen):7.2f} ms {min(t_unseen):7.2f} ms   "
          f"(every per-process cache of a filing's strings emptied first: {', '.join(c.__name__ for c in caches)})")
    for name in names:
        indent = "  " if name in ("extract", "audit") else "    "
        label = indent + name
        print(f"    {label:<28}{med(times[name]):7.2f} ms {min(times[name]):7.2f} ms")
    t_compact = timed_fresh(fresh, lambda r: dumps(result_document(r), pretty=False),
                            max(runs // 4, 5))
    j = med(t_json)
    print(f"    {'JSON document (--json)':<28}{j:7.2f} ms {min(t_json):7.2f} ms   target <= 5 ms: "
          f"{verdict(j <= 5.0)} (compact, as batch writes it: {med(t_compact):.2f} ms)")
    from audit.report.html import render

    t_html = timed_fresh(fresh, render, max(runs // 4, 5))
    h = med(t_html)
    print(f"    {'HTML report':<28}{h:7.2f} ms {min(t_html):7.2f} ms   target <= 20 ms: {verdict(h <= 20.0)}")

    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(runs):
            audit(ruleset, extract(text, path))
        profiler.disable()
        _print_profile(profiler, f"{runs} runs of extract + audit")
        results = [fresh() for _ in range(max(runs // 4, 5))]
        profiler = cProfile.Profile()
        profiler.enable()
        for fresh in results:
            dumps(result_document(fresh))
        profiler.disable()
        _print_profile(profiler, f"{len(results)} JSON documents")


RULE_SET_CACHES = {"_longer_anchors", "_suffix_groups"}  # keyed by a rule pack's anchors: once per rule set, kept


def _string_caches() -> list:
    """The functools caches of the reader and the evaluator that a filing's own strings fill."""
    found = []
    for name, module in sorted(sys.modules.items()):
        if not name.startswith(("audit.read", "audit.check", "audit.lang", "audit.diagnose")):
            continue
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", None) == name \
                    and value.__name__ not in RULE_SET_CACHES:
                found.append(value)
    return found


def _print_profile(profiler, what: str) -> None:
    for key, title in (("tottime", "own time"), ("cumulative", "cumulative time")):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key).print_stats(18)
        body = out.getvalue()
        start = body.find("   ncalls")
        print(f"    cProfile of {what}, by {title}:")
        print("\n".join("      " + line for line in body[start:].strip().splitlines()))


# -- (b) cold CLI ----------------------------------------------------------------------------

def default_python_env() -> dict:
    """The environment for the commands timed, as on a default Python, which keeps each module's
    compiled bytecode: with PYTHONDONTWRITEBYTECODE set, the libraries pip compiled at install load
    from bytecode while an editable install's own modules are compiled from source on every run
    (~100 ms of each cold run here)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def bench_cold_cli(reps: int) -> None:
    help_text = subprocess.run([CLI, "run", "--help"], capture_output=True, text=True).stdout
    tail = ["--no-html"] if "--no-html" in help_text else ["--json", os.devnull]
    run_cmd = [CLI, "run", str(RULES), str(FIXTURE), *tail]
    base_cmd = [sys.executable, "-c", "import pyparsing, networkx, jinja2, click, tabulate"]
    env = default_python_env()
    no_bytecode = "PYTHONDONTWRITEBYTECODE" in os.environ

    def once(cmd, extra_env=None) -> float:
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                              env={**env, **(extra_env or {})})
        elapsed = (time.perf_counter() - start) * 1000.0
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}")
        return elapsed

    once(run_cmd)  # fills the compiled-rules cache, as any earlier run would have
    once(base_cmd)
    runs, bases, uncached = [], [], []
    for _ in range(reps):  # interleaved, so drift affects both alike
        runs.append(once(run_cmd))
        bases.append(once(base_cmd))
        uncached.append(once(run_cmd, {"QFIN_AUDIT_CACHE": "off"}))
    ratio = med(runs) / med(bases)
    print(f"(b) cold CLI, median of {reps} interleaved runs"
          + (" (PYTHONDONTWRITEBYTECODE unset for both, as on a default Python)" if no_bytecode else "") + ":")
    print(f"    qfin-audit run rules/ {FIXTURE.name} {' '.join(tail)}: {med(runs):6.0f} ms")
    print(f"    python -c 'import pyparsing, networkx, jinja2, click, tabulate': {med(bases):6.0f} ms")
    print(f"    ratio {ratio:.2f}x   target <= 1.3x: {verdict(ratio <= 1.3)}")
    print(f"    (for reference) the same run with the rules cache off: {med(uncached):.0f} ms "
          f"({med(uncached) / med(bases):.2f}x)")


# -- (c) batch -------------------------------------------------------------------------------

def _tree_memory_kb(pid: int) -> int:
    """Memory of pid and all its descendants (Linux /proc), in kB: the sum of their PSS
    (proportional set size: pages a forked worker shares with its parent count once), or of
    their RSS where PSS is not available."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            try:
                with open(f"/proc/{p}/smaps_rollup") as handle:
                    total += next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
            except (OSError, StopIteration):
                with open(f"/proc/{p}/status") as handle:
                    total += next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    stack.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError, StopIteration):  # gone, or a zombie
            continue
    return total


def _busy_seconds() -> float:
    """CPU time all processes on the machine have used so far (/proc/stat), in seconds."""
    with open("/proc/stat") as handle:
        fields = handle.readline().split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class BatchRun(NamedTuple):
    """One timed batch: wall time, memory, and how much CPU other processes took meanwhile."""

    seconds: float
    peak_kb: int  # summed PSS of the process tree, sampled every 250 ms
    maxrss_kb: int  # the largest single process (wait4: the command and the workers it waited for)
    cpu: float  # CPU seconds of the command and its workers
    foreign: float  # CPU seconds used by every other process on the machine during the run


def run_batch(folder: Path, jobs: int, out: Path, html: bool) -> BatchRun:
    cmd = [CLI, "batch", str(RULES), str(folder), "--jobs", str(jobs), "--out", str(out)]
    if not html:
        cmd.append("--no-html")
    peak = [0]
    finished = threading.Event()
    busy = _busy_seconds()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                            env=default_python_env())

    def sample():
        while not finished.is_set():
            peak[0] = max(peak[0], _tree_memory_kb(proc.pid))
            time.sleep(0.25)  # reading smaps_rollup costs ~1 ms: sample lightly, the cores are busy

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)  # the sampler never reaps: no race with this wait
    elapsed = time.perf_counter() - start
    busy = _busy_seconds() - busy
    finished.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"batch exited {proc.returncode}")
    lines = sum(1 for _ in open(out / "summary.jsonl"))
    if lines != len(os.listdir(folder)):
        raise SystemExit(f"batch wrote {lines} summary lines for {len(os.listdir(folder))} filings")
    cpu = usage.ru_utime + usage.ru_stime
    return BatchRun(elapsed, peak[0], usage.ru_maxrss, cpu, max(busy - cpu, 0.0))


def bench_batch(count: int, small: int, rounds: int) -> None:
    """`batch --jobs 2` over `count` copies of the seed, JSON reports only and JSON + HTML, for
    `rounds` alternating rounds; the best time of each counts (other processes on a shared machine
    only ever make a run slower). Memory: the JSON + HTML batch of `small` filings vs `count`."""
    data = FIXTURE.read_bytes()
    runs: dict[str, list[BatchRun]] = {"small-html": [], "json": [], "html": []}
    with tempfile.TemporaryDirectory(prefix="qfin-bench-") as tmp:
        def corpus(n: int) -> Path:
            folder = Path(tmp) / f"corpus-{n}"
            folder.mkdir()
            for i in range(n):
                (folder / f"filing-{i:05d}.txt").write_bytes(data)
            return folder

        big, little = corpus(count), corpus(small)
        subprocess.run([CLI, "lint", str(RULES)], stdout=subprocess.DEVNULL, cwd=ROOT,
                       env=default_python_env())  # rules cache and bytecode warm
        plan = [("small-html", little, True)] + [(name, big, html) for _ in range(rounds)
                                                 for name, html in (("json", False), ("html", True))]
        for name, folder, html in plan:
            out = Path(tmp) / f"out-{name}"
            runs[name].append(run_batch(folder, 2, out, html))
            shutil.rmtree(out)
    best = {name: min(values, key=lambda r: r.seconds) for name, values in runs.items()}
    print(f"(c) batch --jobs 2 of {count} copies of the fixture, {os.cpu_count()} cores, "
          f"best of {rounds} rounds:")
    for name, what, target in (("json", "JSON reports", 150.0), ("html", "JSON + HTML reports", 60.0)):
        r = best[name]
        rate = count / r.seconds
        every = ", ".join(f"{x.seconds:.1f}" for x in runs[name])
        print(f"    {what:<20} {r.seconds:6.1f} s {rate:6.1f} filings/s   target >= {target:.0f}/s: "
              f"{verdict(rate >= target)}  (CPU {r.cpu:5.1f} s, {1000.0 * r.cpu / count:.0f} ms per filing; "
              f"rounds: {every} s)")
    worst = max(best[k].foreign / best[k].seconds for k in ("json", "html"))
    print(f"    other processes on the machine used {best['json'].foreign / best['json'].seconds:.2f} and "
          f"{best['html'].foreign / best['html'].seconds:.2f} cores during these two runs"
          + ("  (disturbed: rerun on a quiet machine)" if worst > 0.1 else ""))
    peak_big = max(r.peak_kb for r in runs["html"])
    max_big = max(r.maxrss_kb for r in runs["html"])
    peak_small, max_small = best["small-html"].peak_kb, best["small-html"].maxrss_kb
    growth = peak_big / peak_small
    print(f"    peak memory of the process tree (parent + workers, summed PSS), JSON + HTML: "
          f"{small} filings {peak_small / 1024:.0f} MB, {count} filings {peak_big / 1024:.0f} MB "
          f"({growth:.2f}x)   target: flat: {verdict(growth <= 1.10)}")
    print(f"    largest single process maxrss (getrusage): {small} filings {max_small / 1024:.0f} MB, "
          f"{count} filings {max_big / 1024:.0f} MB")


# -- (d) growth ------------------------------------------------------------------------------

def bench_growth(runs: int) -> None:
    from audit.diagnose import audit
    from audit.lang.graph import load
    from audit.read.extract import extract

    ruleset = load([str(RULES)])
    text = FIXTURE.read_text(encoding="utf-8")
    big = "\n".join([text.rstrip("\n")] * 10) + "\n"
    rows = []
    for label, body, n in (("1x", text, runs), ("10x", big, max(runs // 10, 5))):
        for _ in range(3):
            audit(ruleset, extract(body, label))
        t_ex = timed(lambda body=body, label=label: extract(body, label), n)
        filing = extract(body, label)
        t_au = timed(lambda filing=filing: audit(ruleset, filing), n)
        result = audit(ruleset, filing)
        rows.append((label, med(t_ex), med(t_au), result.counts(), len(filing.lines)))
    (_, e1, a1, c1, _), (_, e10, a10, c10, lines10) = rows
    ratio = (e10 + a10) / (e1 + a1)
    print(f"(d) growth: the fixture repeated 10 times ({lines10} lines) vs once, median:")
    print(f"    1x : extract {e1:7.2f} ms  audit {a1:7.2f} ms  total {e1 + a1:7.2f} ms  checks {c1}")
    print(f"    10x: extract {e10:7.2f} ms  audit {a10:7.2f} ms  total {e10 + a10:7.2f} ms  checks {c10}")
    print(f"    ratio {ratio:.1f}x (extract {e10 / e1:.1f}x, audit {a10 / a1:.1f}x)   "
          f"target <= 12x: {verdict(ratio <= 12)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="a,b,c,d", help="which benchmarks, e.g. a,b")
    parser.add_argument("--runs", type=int, default=200, help="(a), (d): timed runs")
    parser.add_argument("--reps", type=int, default=15, help="(b): cold runs of each command")
    parser.add_argument("--count", type=int, default=1000, help="(c): filings in the large batch")
    parser.add_argument("--small", type=int, default=200, help="(c): filings in the small batch")
    parser.add_argument("--rounds", type=int, default=2, help="(c): alternating rounds of JSON and JSON + HTML")
    parser.add_argument("--profile", action="store_true", help="(a): print a cProfile even on target")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    if CLI is None and only & {"b", "c"}:
        raise SystemExit("qfin-audit is not installed next to this interpreter (run make bench)")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"qfin-audit pipeline benchmarks, Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"load average before: {load}")
    print(f"reference loop: {reference_ms():.1f} ms CPU (a fixed workload, the same on every commit: "
          "compare machines by it)\n")
    if "a" in only:
        bench_in_process(args.runs, args.profile)
        print()
    if "b" in only:
        bench_cold_cli(args.reps)
        print()
    if "c" in only:
        bench_batch(args.count, args.small, args.rounds)
        print()
    if "d" in only:
        bench_growth(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
