"""JSON documents: extracted figures, and audit results. Decimals are strings; order is stable."""
from __future__ import annotations

import hashlib
from typing import Any, Optional

from .. import __version__
from ..read.filing import Column, Figure, Filing
from .json_findings import _Memo, finding_dict  # noqa: F401 (finding_dict: this module's API)
from .json_text import Deferred, dumps  # noqa: F401 (dumps: this module's API)


def tool() -> dict[str, str]:
    return {"name": "qfin-audit", "version": __version__}


def column_dict(column: Column) -> dict[str, Any]:
    period = column.period
    return {
        "label": column.label,
        "header": column.header,
        "period_start": period.start.isoformat() if period and period.start else None,
        "period_end": period.end.isoformat() if period else None,
        "currency": column.currency,
    }


def figure_dict(fig: Figure, filing: Optional[Filing] = None) -> dict[str, Any]:
    """A figure as JSON: where it is (line and column in the text read; byte offset in the
    input file), what was printed, and what it stands for."""
    out: dict[str, Any] = {
        "line": fig.span.line,
        "col": fig.span.col,
        "offset": filing.offset(fig.span) if filing is not None else None,
        "text": fig.text,
        "value": str(fig.value),
        "unit": fig.unit,
        "scale": fig.scale,
        "decimals": fig.decimals,
        "kind": fig.kind,
    }
    if fig.table is not None:
        out["table"] = fig.table
        out["row"] = fig.row
        out["section"] = list(fig.section)
        out["column"] = column_dict(fig.column) if fig.column else None
    else:
        out["phrase"] = fig.phrase
        out["context"] = fig.context
        out["period"] = fig.period.label() if fig.period else None
        out["scale_word"] = fig.scale_word
    return out


def filing_dict(filing: Filing) -> dict[str, Any]:
    """The filing: path, sha256 of the input, format read, and what it says about itself."""
    meta = filing.meta
    return {"path": filing.path, "sha256": filing.sha256, "format": filing.source_format,
            "issuer": meta.issuer, "ticker": meta.ticker, "form": meta.form, "document": meta.document,
            "read_from": dict(meta.where)}


def packs_list(result) -> list[dict[str, Any]]:
    """Every rule pack considered for the filing: applied or skipped, and why."""
    return [{"name": v.pack.name, "title": v.pack.title, "path": v.pack.path, "applied": v.applies,
             "reason": v.reason} for v in result.packs]


def extract_document(filing: Filing) -> dict[str, Any]:
    return {
        "tool": tool(),
        "filing": filing_dict(filing),
        "tables": [
            {
                "id": t.id,
                "title": t.title,
                "line": t.span.line,
                "unit_note": t.unit_note,
                "scale": t.scale,
                "columns": [column_dict(c) for c in t.columns],
                "rows": [
                    {"line": r.span.line, "label": r.label, "section": list(r.section), "kind": r.kind,
                     "total": r.is_total, "group": r.is_group}
                    for r in t.rows
                ],
            }
            for t in filing.tables
        ],
        "facts": {
            name: {"value": str(f.value), "text": f.text, "line": f.span.line, "col": f.span.col,
                   **dict(f.attrs)}
            for name, f in filing.facts.items()
        },
        "figures": [figure_dict(f, filing) for f in filing.figures()],
    }


def rules_dict(ruleset) -> dict[str, Any]:
    digest = hashlib.sha256("".join(f.sha256 for f in ruleset.files).encode()).hexdigest()
    return {"files": [f.path for f in ruleset.files], "sha256": digest,
            "file_sha256": {f.path: f.sha256 for f in ruleset.files}}


def verdict_dict(result, v=None) -> dict[str, Any]:
    """The verdict's line, its error-severity counts, skips by cause and what could not be checked
    (v: result.verdict, if already made)."""
    v = result.verdict if v is None else v
    return {"verdict_line": v.line(),
            "error_checks": {"evaluated": v.evaluated, "held": v.held, "failed": v.failed,
                             "undecided": v.undecided, "not_run": v.missing},
            "skips_by_cause": dict(v.skips),
            "incomplete": list(v.problems) + sorted({f"{f.cause}: {f.rule.id}" for f in result.findings
                                                     if f.status == "skip" and f.missing})}  # (missing: a skip)


def coverage_dict(coverage) -> dict[str, Any]:
    return {
        "tables": {"figures": coverage.table_total, "checked": coverage.table_checked,
                   "ratio": round(coverage.table_ratio, 4), "text": coverage.table_text(),
                   "stray_lines": list(coverage.stray_lines)},
        "narrative": {"figures": coverage.narrative_total, "checked": coverage.narrative_checked,
                      "uncheckable": coverage.narrative_uncheckable,
                      "ratio": round(coverage.narrative_ratio, 4)},
        "unchecked": [
            {"line": u.figure.span.line, "col": u.figure.span.col, "text": u.figure.text, "where": u.where,
             "reason": u.reason or None}
            for u in coverage.unchecked
        ],
    }


def suspect_dict(s) -> dict[str, Any]:
    return s.as_dict() if hasattr(s, "as_dict") else dict(s)


def result_document(result) -> dict[str, Any]:
    """The machine-readable audit: stable order, no timestamps. Its "results" (an entry per
    finding) are built when first read: dumps() writes them straight from the findings."""
    counts = result.counts()
    verdict = result.verdict
    memo = _Memo(result.filing)
    data = {
        "tool": tool(),
        "filing": filing_dict(result.filing),
        "packs": packs_list(result),
        "rules": rules_dict(result.ruleset),
        "summary": {**counts, "verdict": verdict.status, **verdict_dict(result, verdict),
                    "coverage": coverage_dict(result.coverage)},
        "results": None,
        "suspects": [suspect_dict(s) for s in result.suspects],
    }
    return Deferred(data, "results", result.findings, None, memo.entry, memo.write)
