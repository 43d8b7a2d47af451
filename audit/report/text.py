"""Console text for people, laid out with tabulate."""
from __future__ import annotations

from tabulate import tabulate

from ..filing import Filing


def extraction(filing: Filing) -> str:
    """Every table as a grid (line, row, cells), then every prose figure."""
    out: list[str] = []
    for table in filing.tables:
        unit = f" ({table.unit_note})" if table.unit_note else ""
        out.append(f"{table.title} [{table.id}], line {table.span.line}{unit}")
        headers = ["line", "row"] + [c.label for c in table.columns]
        body = []
        for row in table.rows:
            label = ("  " * len(row.section)) + row.label
            if row.is_group:
                label += "  [group]"
            body.append([row.span.line, label] + [c.text if c else "" for c in row.cells])
        out.append(tabulate(body, headers=headers, tablefmt="simple", disable_numparse=True))
        out.append("")
    out.append(f"Prose figures ({len(filing.prose)})")
    body = [[f"{f.span.line}:{f.span.col}", f.text, f.value, f.unit_label, f.decimals, f.kind,
             f.period.label() if f.period else "", (f.phrase or "")[:60]] for f in filing.prose]
    out.append(tabulate(body, headers=["at", "text", "value", "unit", "dp", "kind", "period", "phrase"],
                        tablefmt="simple", disable_numparse=True))
    if filing.facts:
        out.append("")
        out.append("Facts")
        out.append(tabulate([[n, f.value, f"{f.span.line}:{f.span.col}", f.text] for n, f in filing.facts.items()],
                            headers=["fact", "value", "at", "text"], tablefmt="simple", disable_numparse=True))
    return "\n".join(out) + "\n"
