"""The worker side of a batch: audit one filing, write its reports, return one summary line.

A worker process receives the compiled rule packs once (pickled bytes, unpickled once per
process and kept by digest); each task then sends a path and gets back a small dict, never the
result. The packs that apply are chosen per filing; several that apply together are compiled
together once per process.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import signal
import stat
import time
from typing import NamedTuple, Optional

from ..base.errors import QfinError

_RULESETS: dict[str, object] = {}  # digest -> list of packs.Pack, in this process
_COMBINED: dict[tuple[str, ...], object] = {}  # rule files of packs applied together -> RuleSet


class Task(NamedTuple):
    """One filing to audit: the path as given, where to read it, and where its reports go."""

    path: str  # as the user gave or globbed it; used in messages and reports
    source: str  # absolute path, for workers whose working directory differs
    name: str  # report file stem, unique within the batch
    out: str  # absolute folder for the per-filing reports
    html: bool = True  # write HTML too when the HTML report module is available
    document: Optional[str] = None  # the <DOCUMENT> type to audit in an EDGAR submission
    only: tuple[str, ...] = ()  # --pack NAME: these packs, whatever their conditions say
    timeout: Optional[float] = None  # seconds for this filing (--timeout); None: no limit
    auto: bool = False  # --auto: also the checks suggested from the filing itself (audit.suggest)


def install(digest: str, blob: Optional[bytes] = None, ruleset=None):
    """Make the packs with this digest available here; unpickle them at most once per process."""
    found = _RULESETS.get(digest)
    if found is None:
        found = ruleset if ruleset is not None else pickle.loads(blob)
        _RULESETS.clear()  # one rule set at a time: workers are per batch
        _RULESETS[digest] = found
        if ruleset is None:  # a worker process: the rules live as long as it, so collections skip them
            gc.freeze()
    return found


def init(digest: str, blob: bytes, parent: Optional[int] = None) -> None:
    """Process-pool initializer: the worker dies with the batch (Linux), leaves Ctrl-C to the
    batch, which stops the pool, and gets the rules (a worker forked from a batch that installed
    them has them already: it does not unpickle its own copy)."""
    from .heap import keep_freed_memory
    from .limits import die_with_parent

    die_with_parent(parent)
    keep_freed_memory()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if digest in _RULESETS:  # what it was forked with lives as long as it: collections skip it
        gc.freeze()
    else:
        install(digest, blob)


def preload(html: bool) -> None:
    """Import what auditing a filing needs (and compile the HTML report's template) here, before
    the process pool forks its workers from this process: they start with it, instead of each
    importing and compiling it again on its first filing."""
    from ..check.engine import audit as evaluate  # noqa: F401  (diagnose imports it when first called)
    from ..diagnose import audit  # noqa: F401
    from ..lang.packs import choose  # noqa: F401
    from ..read.extract import extract  # noqa: F401
    from ..report.json import dumps  # noqa: F401
    from .limits import time_limit  # noqa: F401

    if html:
        from ..report.html import preload as templates

        templates()


def run_task(digest: str, task: Task) -> dict:
    """Audit task.path with the installed rules; never raises (errors go on the summary line)."""
    return audit_file(_RULESETS[digest], task)


def run_tasks(digest: str, tasks: tuple[Task, ...]) -> list[dict]:
    """run_task for each of a chunk of tasks: their summary lines, in order."""
    packs = _RULESETS[digest]
    return [audit_file(packs, task) for task in tasks]


def dask_task(digest: str, blob: bytes, task: Task) -> dict:
    """The same for a Dask worker: blob is scattered once to every worker, unpickled once."""
    return audit_file(install(digest, blob), task)


def summary_line(task: Task, error: Optional[str] = None) -> dict:
    """A filing's summary.jsonl line before anything is known of it: an error until audited."""
    return {"path": task.path, "sha256": None, "verdict": "error", "failures": None, "counts": None,
            "coverage": None, "top_suspect": None, "error": error, "json": None, "html": None, "packs": None}


def _combined(files: list[str]):
    key = tuple(files)
    if key not in _COMBINED:
        from ..lang.cache import load_rules

        _COMBINED[key] = load_rules(files)
    return _COMBINED[key]


def audit_file(packs, task: Task) -> dict:
    """Audit one filing and write its reports; the summary line says pass or fail only when
    every report was written, and error (with the reason) otherwise."""
    from .limits import Timeout, time_limit

    started = time.perf_counter()
    collecting = gc.isenabled()
    if collecting:  # a filing's objects (its text, figures, findings, reports) die with it, by reference
        gc.disable()  # counting (the few cycles of a failing one's report wait for the next collection):
        # collections while it is audited would only walk them
    try:
        with time_limit(task.timeout):
            line = _audit(packs, task)
    except Timeout:  # the limit struck between _audit's own handler and the end of the limit
        line = summary_line(task, _TIMED_OUT.format(task.timeout))
    finally:
        if collecting:
            gc.enable()
    line["seconds"] = round(time.perf_counter() - started, 4)
    return line


_COUNTS = ("total", "pass", "fail", "skip", "error")  # a result's counts() in a JSON summary
_SUSPECT = ("kind", "line", "col", "text", "implied_text", "hint", "explains")  # a suspect on a summary line
_TIMED_OUT = "took longer than the time limit of {:g} s per filing; raise it with --timeout SECONDS (0: no limit)"


def _audit(packs, task: Task) -> dict:
    from ..base.output import write_atomic
    from ..diagnose import audit
    from ..lang.packs import choose, rules_for
    from ..read.extract import extract
    from ..read.source import read_text
    from ..report.json import dumps, result_document
    from .limits import Timeout

    line = summary_line(task)
    written: list[str] = []
    try:
        try:
            text = read_text(task.source)
        except QfinError as exc:
            line["sha256"] = _raw_sha256(task.source)
            raise QfinError(str(exc).replace(task.source, task.path, 1)) from None
        filing = extract(text, task.path, task.document)
        del text
        line["sha256"] = filing.sha256
        verdicts = choose(packs, filing, task.only)
        line["packs"] = [v.pack.name for v in verdicts if v.applies]
        if task.auto:  # the packs that apply (none may), then the suggested checks
            from ..suggest.auto import with_suggestions

            ruleset = with_suggestions(filing, [v.pack.ruleset for v in verdicts if v.applies])[0]
        else:
            ruleset = rules_for(verdicts, _combined, task.path)
        result = audit(ruleset, filing)._replace(packs=tuple(verdicts))
        document = result_document(result)
        summary = dict.__getitem__(document, "summary")  # (the document's own fields: its results are
        suspects = dict.__getitem__(document, "suspects")  # built when read, these never are)
        checks = summary["error_checks"]
        line.update(  # the summary's counts, coverage and verdict, made once for the report and the line
            failures=checks["failed"] + checks["undecided"],  # (error-severity checks failed or not decided)
            counts={k: summary[k] for k in _COUNTS},
            coverage={k: v for k, v in summary["coverage"].items() if k != "unchecked"},
            top_suspect=suspects[0] if suspects else None,
            suspects=[{k: s.get(k) for k in _SUSPECT} for s in suspects],  # every suspect, short, for the index
        )
        reports = [("json", dumps(document, pretty=False))]
        del document  # (its memo of the filing's text and figures goes before the HTML report is made)
        if task.html:  # as the pieces render() joins: written one by one (mostly ASCII, fast to encode)
            from ..report.html import render_parts

            reports.append(("html", render_parts(result, index="../index.html")))  # filings/NAME.html -> index.html
        for kind, text in reports:  # all rendered first: a write error leaves no report behind
            path = os.path.join(task.out, f"{task.name}.{kind}")
            write_atomic(path, text)
            written.append(path)
            line[kind] = os.path.join("filings", f"{task.name}.{kind}")
        line.update(verdict=summary["verdict"], verdict_line=summary["verdict_line"])
    except QfinError as exc:
        line["error"] = str(exc)
    except Timeout:
        line["error"] = _TIMED_OUT.format(task.timeout)
    except RecursionError:
        line["error"] = "the filing is nested too deeply to process"
    except Exception as exc:  # a bug on one filing must not stop the batch
        line["error"] = f"internal error: {type(exc).__name__}: {exc}"
    if line["error"]:
        line.update(verdict="error", json=None, html=None)
        for path in written:  # a report next to an error line would say pass or fail
            try:
                os.unlink(path)
            except OSError:
                pass
    return line


def _raw_sha256(path: str) -> Optional[str]:
    """The sha256 of a regular file that could not be read as a filing (never a FIFO or device)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
