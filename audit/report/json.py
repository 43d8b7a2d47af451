"""JSON documents: extracted figures, and audit results. Decimals are strings; order is stable."""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any, Optional

from .. import __version__
from ..read.filing import Column, Figure, Filing
from ..read.numbers import plain
from ..suggest import is_suggested


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


def dumps(document: dict[str, Any], pretty: bool = True) -> str:
    """Indented for people (`--json`), or compact (batch reports). Both are byte for byte what
    json.dumps writes (indent=2 / separators=(",", ":"), ensure_ascii=False); the indented form
    is written by _pretty, several times faster than json's pure-Python indenting encoder."""
    if pretty:
        out: list[str] = []
        _pretty(document, out, "\n")
        out.append("\n")
        return "".join(out)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


_STR = json.encoder.encode_basestring  # the C function json.dumps uses with ensure_ascii=False
_SCALARS = {type(None): lambda _: "null", bool: lambda v: "true" if v else "false", int: int.__repr__}


def _pretty(value: Any, out: list[str], nl: str) -> None:
    """Append value as json.dumps(value, indent=2, ensure_ascii=False) writes it nested where
    `nl` (a newline and the current indent) starts its lines. Exact types only: anything else
    (a float, a non-string key, a subclass) is left to json.dumps, re-indented."""
    kind = type(value)
    if kind is str:
        out.append(_STR(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        start = len(out)
        inner = nl + "  "
        sep = "{" + inner
        for key, item in value.items():
            if type(key) is not str:  # json.dumps turns it into a string its own way
                del out[start:]
                out.append(json.dumps(value, indent=2, ensure_ascii=False).replace("\n", nl))
                return
            out.append(sep)
            out.append(_STR(key))
            out.append(": ")
            _pretty(item, out, inner)
            sep = "," + inner
        out.append(nl + "}")
    elif kind is _Shared:
        text = getattr(value, "text", None)
        if text is None or text[0] != nl:
            part: list[str] = []
            _pretty(dict(value), part, nl)
            value.text = text = (nl, "".join(part))
        out.append(text[1])
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = nl + "  "
        sep = "[" + inner
        for item in value:
            out.append(sep)
            _pretty(item, out, inner)
            sep = "," + inner
        out.append(nl + "]")
    else:
        scalar = _SCALARS.get(kind)
        if scalar is not None:
            out.append(scalar(value))
        elif kind is float and value - value == 0:  # finite: json.dumps writes float.__repr__
            out.append(float.__repr__(value))
        else:  # floats (nan, inf), subclasses, what json.dumps refuses: exactly as it does
            out.append(json.dumps(value, indent=2, ensure_ascii=False).replace("\n", nl))


def display_value(value, display) -> str | None:
    """A base-unit Decimal shown in the finding's printed unit, as a plain decimal string."""
    if value is None:
        return None
    if display is None:
        return plain(value)
    decimals = display.decimals
    places = decimals + 2 if decimals > -2 else 0
    quantum = _QUANTA.get(places)
    if quantum is None:
        quantum = _QUANTA[places] = Decimal(1).scaleb(-places)
    text = format(value.scaleb(-display.scale).quantize(quantum), "f")
    if text in ("-0", "-0.0"):  # as plain() writes them
        return "0"
    if places:  # the text has a point (format "f" of a value quantized to places > 0)
        whole, _, frac = text.partition(".")
        frac = frac.rstrip("0").ljust(decimals, "0")
        text = f"{whole}.{frac}" if frac else whole
    return text


_QUANTA: dict[int, Decimal] = {}


def rules_dict(ruleset) -> dict[str, Any]:
    digest = hashlib.sha256("".join(f.sha256 for f in ruleset.files).encode()).hexdigest()
    return {"files": [f.path for f in ruleset.files], "sha256": digest,
            "file_sha256": {f.path: f.sha256 for f in ruleset.files}}


def verdict_dict(result) -> dict[str, Any]:
    """The verdict's line, its error-severity counts, skips by cause and what could not be checked."""
    v = result.verdict
    return {"verdict_line": v.line(),
            "error_checks": {"evaluated": v.evaluated, "held": v.held, "failed": v.failed,
                             "undecided": v.undecided, "not_run": v.missing},
            "skips_by_cause": dict(v.skips),
            "incomplete": list(v.problems) + sorted({f"{f.cause}: {f.rule.id}" for f in result.findings
                                                     if f.missing})}


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


class _Shared(dict):
    """A part of the document that many findings share (a figure): written once per indent.

    json.dumps treats it as the dict it is; _pretty keeps its text and writes it again."""

    __slots__ = ("text",)


class _Memo:
    """What one document's findings share: figure entries, and values shown in a unit."""

    def __init__(self, filing: Optional[Filing]):
        self.filing = filing
        self.figures: dict[int, tuple[Figure, _Shared]] = {}  # id(figure) -> its entry
        self.values: dict[tuple, Optional[str]] = {}  # (value, display) -> display_value

    def shown(self, value, display) -> Optional[str]:
        key = (value, display)
        try:
            return self.values[key]
        except KeyError:
            text = self.values[key] = display_value(value, display)
            return text
        except TypeError:  # None, or an unhashable display
            return display_value(value, display)

    def figure(self, g: Figure) -> _Shared:
        hit = self.figures.get(id(g))
        if hit is not None and hit[0] is g:
            return hit[1]
        filing = self.filing
        entry = _Shared(line=g.span.line, col=g.span.col, offset=filing.offset(g.span) if filing else None,
                        text=g.text, value=str(g.value))
        if g.table:
            entry.update(table=g.table, row=g.row, column=g.column.label if g.column else None)
        self.figures[id(g)] = (g, entry)
        return entry


def finding_dict(f, filing: Optional[Filing] = None, memo: Optional[_Memo] = None) -> dict[str, Any]:
    memo = memo or _Memo(filing)
    shown = memo.shown
    d = f.display
    actual = f.actual.mid if f.actual is not None else None
    expected = f.expected.mid if f.expected is not None else None
    out: dict[str, Any] = {
        "id": f.rule.id,
        "title": f.rule.title,
        "severity": f.rule.severity,
        "status": f.status,
        "column": f.column,
        "row": f.row,
        "expected": shown(expected, d),
        "actual": shown(actual, d),
        "difference": shown(actual - expected, d) if actual is not None and expected is not None else None,
        "tolerance": shown(f.tolerance, d) if f.tolerance is not None else None,
        "allowance": shown(f.allowance, d) if f.allowance is not None else None,
        "unit": d.label if d else None,
        "interval": {
            "actual": [shown(f.actual.lo, d), shown(f.actual.hi, d)] if f.actual else None,
            "expected": [shown(f.expected.lo, d), shown(f.expected.hi, d)] if f.expected else None,
        },
        "message": f.message,
        "reason": f.reason,
        "cause": f.cause,
        "note": f.note,
        "rule": {"file": f.file, "line": f.rule.span.line},
        **({"suggested": True} if is_suggested(f) else {}),  # run --auto: a check drafted from the filing
        "figures": [memo.figure(g) for g in f.figures],
    }
    return out


def suspect_dict(s) -> dict[str, Any]:
    return s.as_dict() if hasattr(s, "as_dict") else dict(s)


def result_document(result) -> dict[str, Any]:
    """The machine-readable audit: stable order, no timestamps."""
    counts = result.counts()
    memo = _Memo(result.filing)
    return {
        "tool": tool(),
        "filing": filing_dict(result.filing),
        "packs": packs_list(result),
        "rules": rules_dict(result.ruleset),
        "summary": {**counts, "verdict": result.verdict.status, **verdict_dict(result),
                    "coverage": coverage_dict(result.coverage)},
        "results": [finding_dict(f, result.filing, memo) for f in result.findings],
        "suspects": [suspect_dict(s) for s in result.suspects],
    }
