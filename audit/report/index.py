"""A batch's index.html: one row per filing linking its report, sortable, self-contained.

The rows are read from summary.jsonl (completion order), each cut down to the few strings and
numbers the page shows (never a report), sorted server-side so the page is right without
JavaScript: failing filings first (fail, then error, then incomplete, then pass), within a verdict
the most error-severity failures first, then completion order. The inline script sorts by the same
key when the verdict heading is used, and by any other column on request.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import os
from typing import Any, Iterable, Optional

from ..base.output import write_atomic

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
VERDICT_ORDER = ("fail", "error", "incomplete", "pass")
_VERDICT_RANK = {v: i for i, v in enumerate(VERDICT_ORDER)}


def row_view(n: int, line: dict) -> dict[str, Any]:
    """What the index shows of one summary line (n: its place in completion order, from 1)."""
    from .view import suspect_text

    counts = line.get("counts") or {}
    suspects = line.get("suspects")  # every suspect (short dicts); lines written before it have top_suspect alone
    if not isinstance(suspects, list):
        suspects = [line["top_suspect"]] if line.get("top_suspect") else []
    coverage = line.get("coverage") or {}

    def ratio(part: str) -> Optional[float]:
        value = coverage.get(part).get("ratio") if isinstance(coverage.get(part), dict) else None
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    return {
        "n": n,
        "path": str(line.get("path") or ""),
        "href": line.get("html") or line.get("json") or "",
        "packs": ", ".join(line.get("packs") or ()),
        "verdict": str(line.get("verdict") or "error"),
        "verdict_line": line.get("verdict_line") or "",
        "failures": line.get("failures"),
        "counts": {k: counts.get(k) for k in ("fail", "error", "skip", "pass")},
        "tables": ratio("tables"),
        "narrative": ratio("narrative"),
        "suspects": [suspect_text(s)[:200] for s in suspects if isinstance(s, dict)],
        "error": line.get("error") or "",
        "sha256": (line.get("sha256") or "")[:12],
    }


def order_key(row: dict[str, Any]) -> tuple:
    """Failing filings first: fail, error, incomplete, pass; then most error-severity failures; then
    completion order."""
    failures = row["failures"] if isinstance(row.get("failures"), int) else 0
    return (_VERDICT_RANK.get(row["verdict"], len(VERDICT_ORDER)), -failures, row["n"])


def ordered_rows(lines: Iterable[dict]) -> list[dict[str, Any]]:
    """The summary lines as index rows in the default order, each with `rank` (its place, from 0)."""
    rows = sorted((row_view(n, line) for n, line in enumerate(lines, start=1)), key=order_key)
    for rank, row in enumerate(rows):
        row["rank"] = rank
    return rows


def write_index(path: str, rows: Iterable[dict], tally, rules: str) -> None:
    """Render the index of the summary lines `rows` (any order) to path atomically."""
    template, script, script_hash = preload()
    write_atomic(path, template.generate(rows=ordered_rows(rows), tally=tally, rules=rules, script=script,
                                         script_hash=script_hash))


@functools.lru_cache(maxsize=None)
def preload() -> tuple:
    """The index's compiled template, its inline script (Markup) and the script's CSP hash: made
    once per process (a batch calls it while its workers audit, so that its end does not wait)."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
                             lstrip_blocks=True)
    with open(os.path.join(TEMPLATES, "batch_index.js"), encoding="utf-8") as handle:
        script = handle.read()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return env.get_template("batch_index.html.j2"), Markup(script), f"sha256-{digest}"
