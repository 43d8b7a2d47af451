"""A batch's index.html: one row per filing linking its report, sortable, self-contained.

Rows are streamed from summary.jsonl through the template (autoescaped), so the page is never
held in memory whole; sorting is inline JavaScript in the page.
"""
from __future__ import annotations

import os
from typing import Iterable

from ..base.output import write_atomic


def write_index(path: str, rows: Iterable[dict], tally, rules: str) -> None:
    """Render the index to path atomically (temporary file, then rename)."""
    import jinja2

    from .view import suspect_text

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(os.path.join(os.path.dirname(__file__), "templates")),
        autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals["suspect"] = lambda s: suspect_text(s)[:200]
    template = env.get_template("batch_index.html.j2")
    write_atomic(path, template.generate(rows=rows, tally=tally, rules=rules))
