"""Batch auditing: many filings, one compiled rule set, results streamed to a report folder.

The rules are compiled (or loaded from the cache) once and pickled once; tasks run in this
process, a local process pool or on Dask (audit.pool). Each finished filing becomes one line
of summary.jsonl as it arrives; only counts and a bounded list of the worst filings are kept,
never the results themselves. index.html is rendered from summary.jsonl at the end.
"""
from __future__ import annotations

import atexit
import functools
import gc
import glob
import hashlib
import heapq
import itertools
import json
import multiprocessing
import os
import pickle
import re
import sys
import time
from typing import Iterable, Iterator, Optional

from ..base.errors import QfinError
from ..base.output import OutputError
from ..report.view import suspect_text
from . import worker
from .outdir import OutFolder, is_batch_output, refuse_overwrites
from .worker import Task

SHOWN = 10  # worst filings and unreadable filings listed on the console


def expand(targets: Iterable[str], skip: Optional[str] = None) -> list[str]:
    """FILINGS arguments -> paths: files as given, folders recursively (hidden names, the folder
    `skip` and every earlier batch's report folder left out), globs sorted. A missing path or a
    glob that matches nothing is kept, to be reported."""
    out: list[str] = []
    seen: set[str] = set()
    skipped = os.path.normcase(os.path.abspath(skip)) if skip else None

    def add(path: str) -> None:
        key = os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            out.append(path)

    def folder(path: str) -> None:
        if is_batch_output(path):
            return
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                             and os.path.normcase(os.path.abspath(os.path.join(root, d))) != skipped
                             and not is_batch_output(os.path.join(root, d)))
            for name in sorted(files):
                if not name.startswith("."):
                    add(os.path.join(root, name))

    for target in targets:
        if os.path.isdir(target):
            folder(target)
        elif os.path.lexists(target) or not glob.has_magic(target):
            add(target)
        else:
            matches = sorted(glob.glob(target, recursive=True))
            for match in matches:
                folder(match) if os.path.isdir(match) else add(match)
            if not matches:
                add(target)
    return out


def report_names(paths: list[str]) -> list[str]:
    """A unique, filesystem-safe report name per path (its file name, then -2, -3 ...)."""
    used: set[str] = set()
    names = []
    for path in paths:
        stem = os.path.splitext(os.path.basename(path.rstrip("/\\")))[0]
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._")[:80] or "filing"
        name, k = base, 1
        while name.lower() in used:
            k += 1
            name = f"{base}-{k}"
        used.add(name.lower())
        names.append(name)
    return names


def default_out() -> str:
    """reports/batch-<time>[-k], created here (mkdir is atomic), so that batches started in the
    same second each get a folder of their own."""
    base = os.path.join("reports", "batch-" + time.strftime("%Y%m%d-%H%M%S"))
    try:
        os.makedirs("reports", exist_ok=True)
    except OSError as exc:
        raise OutputError(f"reports: cannot create the report folder ({exc.strerror or exc})") from None
    out, k = base, 1
    while True:
        try:
            os.mkdir(out)
            return out
        except FileExistsError:
            k += 1
            out = f"{base}-{k}"
        except OSError as exc:
            raise OutputError(f"{out}: cannot create the report folder ({exc.strerror or exc})") from None


class Tally:
    """Running totals of a batch and the few filings worth listing; constant memory."""

    def __init__(self) -> None:
        self.filings = 0
        self.verdicts = {"pass": 0, "fail": 0, "incomplete": 0, "error": 0}
        self.checks = {"total": 0, "pass": 0, "fail": 0, "skip": 0, "error": 0}
        self.worst: list[tuple] = []  # heap of (failures, -seq, line), the SHOWN worst
        self.errors: list[dict] = []  # the first SHOWN filings with an error
        self.error_count = 0
        self.failed = False

    def add(self, line: dict) -> None:
        self.filings += 1
        self.verdicts[line["verdict"]] += 1
        for key, value in (line.get("counts") or {}).items():
            self.checks[key] = self.checks.get(key, 0) + value
        if line.get("error"):
            self.failed = True
            self.error_count += 1
            if len(self.errors) < SHOWN:
                self.errors.append(line)
        if line["verdict"] == "fail":
            self.failed = True
        if line.get("failures"):
            entry = (line["failures"], -self.filings, line)
            (heapq.heappush if len(self.worst) < SHOWN else heapq.heappushpop)(self.worst, entry)

    def render(self, seconds: float, jobs_label: str, out: str) -> str:
        from tabulate import tabulate

        rate = self.filings / seconds if seconds else 0.0
        lines = [f"qfin-audit batch: {self.filings} filing(s) in {seconds:.1f} s ({rate:.1f}/s, {jobs_label})",
                 tabulate([[v, self.verdicts[v]] for v in ("pass", "fail", "incomplete", "error")]
                          + [["total", self.filings]],
                          headers=["verdict", "filings"], tablefmt="simple"),
                 "",
                 tabulate([[self.checks.get(s, 0) for s in ("pass", "fail", "skip", "error", "total")]],
                          headers=["checks pass", "fail", "skip", "error", "total"], tablefmt="simple")]
        if self.worst:
            rows = []
            for failures, _, line in sorted(self.worst, key=lambda e: (-e[0], -e[1])):
                suspect = suspect_text(line.get("top_suspect"))
                rows.append([line["path"], failures, line["counts"]["fail"], line["counts"]["error"],
                             f"{line['coverage']['tables']['ratio']:.1%}", suspect[:60]])
            more = self.verdicts["fail"] - len(rows)
            lines += ["", "Filings with error-severity failures" + (f" (worst {len(rows)})" if more > 0 else "") + ":",
                      tabulate(rows, headers=["filing", "failures", "fail", "error", "table coverage", "top suspect"],
                               tablefmt="simple", disable_numparse=True)]
        if self.errors:
            more = self.error_count - len(self.errors)
            lines += ["", f"Errors ({self.error_count}):",
                      tabulate([[e["path"], e["error"]] for e in self.errors], headers=["filing", "error"],
                               tablefmt="simple", disable_numparse=True)]
            if more > 0:
                lines.append(f"... and {more} more (see summary.jsonl)")
        lines += ["", f"reports: {os.path.join(out, 'index.html')}, {os.path.join(out, 'summary.jsonl')}"]
        return "\n".join(lines) + "\n"


class Plan:
    """What a batch will do: the filings, where reports go, and the rules to send (pickled, with
    their digest, when first asked for: a pool that forks its workers never asks)."""

    def __init__(self, tasks: list[Task], out: str, packs) -> None:
        self.tasks, self.out, self.packs = tasks, out, packs

    @functools.cached_property
    def blob(self) -> bytes:
        return pickle.dumps(self.packs, protocol=pickle.HIGHEST_PROTOCOL)

    @functools.cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.blob).hexdigest()


def plan(packs, filings: Iterable[str], out: str, html: bool = True, document: Optional[str] = None,
         only: tuple[str, ...] = (), timeout: Optional[float] = None, auto: bool = False) -> Plan:
    """The tasks; OutputError when a report would overwrite a filing or a rule file."""
    from ..base.errors import InputError

    paths = expand(filings, skip=out)
    if not paths:
        raise InputError("no filings given")
    folder = os.path.abspath(os.path.join(out, "filings"))
    tasks = [Task(p, os.path.abspath(p), name, folder, html, document, only, timeout, auto)
             for p, name in zip(paths, report_names(paths))]
    reports = (os.path.join(folder, t.name + ext) for t in tasks for ext in (".json", ".html"))
    refuse_overwrites(out, [t.source for t in tasks] + [f for p in packs for f in p.files], reports)
    return Plan(tasks, out, packs)


_LOCAL = itertools.count(1)  # rules installed in this process (and the workers it forks) are known by
# a number of this process's own; rules sent elsewhere (spawned workers, Dask) by their pickle's digest


def results(plan_: Plan, packs, jobs: int, scheduler: Optional[str]) -> Iterator[dict]:
    from . import pool

    if scheduler:
        return pool.dask(plan_.tasks, plan_.blob, plan_.digest, scheduler, jobs)
    if jobs <= 1 or len(plan_.tasks) <= 1:
        return pool.in_process(plan_.tasks, packs, f"local-{next(_LOCAL)}")
    jobs = min(jobs, len(plan_.tasks))
    chunk = chunk_size(len(plan_.tasks), jobs)
    if multiprocessing.get_start_method() == "fork":  # the workers start as copies of this process,
        worker.preload(any(task.html for task in plan_.tasks))  # with what a filing needs imported
        key = f"local-{next(_LOCAL)}"
        worker.install(key, ruleset=packs)  # and the rules installed: nothing to pickle
        return pool.processes(plan_.tasks, b"", key, jobs, chunk)
    return pool.processes(plan_.tasks, plan_.blob, plan_.digest, jobs, chunk)


def chunk_size(tasks: int, jobs: int) -> int:
    """Filings per round trip to a worker: up to CHUNK where there are many (fewer round trips
    for the batch and its workers), one where there are few (every worker kept busy to the end)."""
    return max(1, min(CHUNK, tasks // (jobs * 16)))


CHUNK = 8


def stream(lines: Iterator[dict], summary_path: str, tally: Tally, progress=None) -> None:
    """Write each summary line as it arrives (one JSON object per line); a write error (full
    disk) is an OutputError naming the summary. A system error while the lines are made (in the
    worker pool, not in a filing's audit) stops the batch with an error saying so."""
    try:
        summary = open(summary_path, "w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise _cannot_write(summary_path, exc) from None
    try:
        while True:
            try:
                line = next(lines, None)
            except OSError as exc:
                raise QfinError(f"the worker processes failed ({exc.strerror or exc}); the batch stopped") from None
            if line is None:
                break
            try:
                summary.write(json.dumps(line, ensure_ascii=False, sort_keys=False) + "\n")
                summary.flush()
            except OSError as exc:
                raise _cannot_write(summary_path, exc) from None
            tally.add(line)
            if progress is not None:
                progress.update(1)
    except BaseException:
        try:
            summary.close()  # (what could not be flushed is dropped: the error above says why)
        except OSError:
            pass
        raise
    try:
        summary.close()
    except OSError as exc:
        raise _cannot_write(summary_path, exc) from None


def _cannot_write(summary_path: str, exc: OSError) -> OutputError:
    return OutputError(f"{summary_path}: cannot write ({exc.strerror or exc}); the batch stopped")


def _ready_to_end(lines: Iterator[dict]) -> Iterator[dict]:
    """The lines; once the first is in (the workers are busy), what the end of the batch needs
    (the console table's module, the index's compiled template) is made here, instead of after
    the last."""
    for line in lines:
        yield line
        break
    import tabulate  # noqa: F401

    from ..report.index import preload

    preload()  # (the index's template, compiled)

    yield from lines


def read_summary(summary_path: str) -> Iterator[dict]:
    with open(summary_path, encoding="utf-8") as summary:
        for text in summary:
            if text.strip():
                yield json.loads(text)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run(rules, filings, jobs: Optional[int] = None, out: Optional[str] = None, scheduler: Optional[str] = None,
        html: bool = True, echo=print, document: Optional[str] = None, only: tuple[str, ...] = (),
        timeout: Optional[float] = None, auto: bool = False) -> str:
    """Audit every filing; write the report folder; return the batch's verdict: "fail" when a
    filing failed or could not be audited, else "incomplete" when one was, else "pass". Rule and
    usage errors raise QfinError before any filing is read."""
    import click

    from ..lang.cache import load_rules
    from ..lang.packs import compile_packs
    from ..report.index import write_index

    started = time.perf_counter()
    atexit.unregister(gc.freeze)  # (once however many batches this process runs)
    atexit.register(gc.freeze)  # at exit, what is left (modules, rules) goes with the process, not collected
    packs = compile_packs(list(rules) if isinstance(rules, (list, tuple)) else [rules], load_rules)
    if only:
        from ..lang.packs import check_names

        check_names(packs, only)  # an unknown name is a usage error before anything is read
    if scheduler:
        from .pool import check_scheduler

        check_scheduler(scheduler)  # before anything is written
    jobs = jobs or cores()
    out = out or default_out()
    with OutFolder(out):  # locked: a second batch into the same folder stops here
        the_plan = plan(packs, filings, out, html, document, only, timeout, auto)
        tally = Tally()
        summary = os.path.join(out, "summary.jsonl")
        lines = results(the_plan, packs, jobs, scheduler)
        stderr = sys.stderr
        with click.progressbar(length=len(the_plan.tasks), label="auditing", file=stderr,
                               hidden=not stderr.isatty()) as bar:
            stream(_ready_to_end(lines), summary, tally, bar)
        rules_text = ", ".join(f"pack {p.name}: {len(p.ruleset.files)} file(s), {len(p.ruleset.rules)} rules"
                               for p in packs)
        write_index(os.path.join(out, "index.html"), read_summary(summary), tally, rules_text)
    where = f"Dask {scheduler}" if scheduler else f"{min(jobs, len(the_plan.tasks))} job(s)"
    echo(tally.render(time.perf_counter() - started, where, out))
    return "fail" if tally.failed else "incomplete" if tally.verdicts["incomplete"] else "pass"
