"""CSV of extracted figures: one row per figure, for spreadsheets."""
from __future__ import annotations

import csv
import io

from ..read.filing import Filing

FIELDS = ["line", "col", "offset", "text", "value", "unit", "scale", "decimals", "kind", "table", "row", "section",
          "column", "period", "phrase"]


def figures_csv(filing: Filing) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for f in filing.figures():
        writer.writerow([
            f.span.line, f.span.col, _blank(filing.offset(f.span)), f.text, str(f.value), f.unit, f.scale, f.decimals, f.kind,
            f.table or "", f.row or "", " / ".join(f.section), f.column.label if f.column else "",
            f.period.label() if f.period else "", f.phrase or "",
        ])
    return out.getvalue()


def _blank(value) -> object:
    return "" if value is None else value
