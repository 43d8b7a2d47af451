"""The worker side of a batch: audit one filing, write its reports, return one summary line.

A worker process receives the compiled rule packs once (pickled bytes, unpickled once per
process and kept by digest); each task then sends a path and gets back a small dict, never the
result. The packs that apply are chosen per filing; several that apply together are compiled
together once per process.
"""
from __future__ import annotations

import hashlib
import os
import pickle
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


def install(digest: str, blob: Optional[bytes] = None, ruleset=None):
    """Make the packs with this digest available here; unpickle them at most once per process."""
    found = _RULESETS.get(digest)
    if found is None:
        found = ruleset if ruleset is not None else pickle.loads(blob)
        _RULESETS.clear()  # one rule set at a time: workers are per batch
        _RULESETS[digest] = found
    return found


def init(digest: str, blob: bytes) -> None:
    """Process-pool initializer."""
    install(digest, blob)


def run_task(digest: str, task: Task) -> dict:
    """Audit task.path with the installed rules; never raises (errors go on the summary line)."""
    return audit_file(_RULESETS[digest], task)


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
    from ..base.output import write_atomic
    from ..diagnose import audit
    from ..lang.packs import choose, rules_for
    from ..read.extract import extract
    from ..read.source import read_text
    from ..report.json import coverage_dict, dumps, result_document, suspect_dict

    started = time.perf_counter()
    line = summary_line(task)
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
        result = audit(rules_for(verdicts, _combined, task.path), filing)._replace(packs=tuple(verdicts))
        counts = result.counts()
        coverage = coverage_dict(result.coverage)
        coverage.pop("unchecked", None)
        line.update(
            verdict="fail" if result.failed else "pass",
            failures=sum(1 for f in result.findings if f.blocking),
            counts=counts, coverage=coverage,
            top_suspect=suspect_dict(result.suspects[0]) if result.suspects else None,
        )
        json_name = os.path.join("filings", task.name + ".json")
        write_atomic(os.path.join(task.out, task.name + ".json"), dumps(result_document(result), pretty=False))
        line["json"] = json_name
        if task.html:
            from ..report.html import render

            write_atomic(os.path.join(task.out, task.name + ".html"), render(result))
            line["html"] = os.path.join("filings", task.name + ".html")
    except QfinError as exc:
        line["error"] = str(exc)
    except Exception as exc:  # a bug on one filing must not stop the batch
        line["error"] = f"internal error: {type(exc).__name__}: {exc}"
    line["seconds"] = round(time.perf_counter() - started, 4)
    return line


def _raw_sha256(path: str) -> Optional[str]:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
