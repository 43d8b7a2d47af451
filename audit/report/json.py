"""JSON documents: extracted figures, and audit results. Decimals are strings; order is stable."""
from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..filing import Column, Figure, Filing


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


def figure_dict(fig: Figure) -> dict[str, Any]:
    """A figure as JSON: where it is, what was printed, and what it stands for."""
    out: dict[str, Any] = {
        "line": fig.span.line,
        "col": fig.span.col,
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


def extract_document(filing: Filing) -> dict[str, Any]:
    return {
        "tool": tool(),
        "filing": {"path": filing.path, "sha256": filing.sha256},
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
        "figures": [figure_dict(f) for f in filing.figures()],
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
