"""JSON documents: extracted figures, and audit results. Decimals are strings; order is stable."""
from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any, Optional

from .. import __version__
from ..check.findings import _MESSAGE
from ..check.messages import Message
from ..read.filing import Column, Figure, Filing
from ..read.numbers import plain
from ..suggest import is_suggested
from .json_text import _STR, Deferred, Shared, dumps, scalar  # noqa: F401 (dumps: this module's API)


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


class _Memo:
    """What one document's findings share: figure entries, and values shown in a unit."""

    def __init__(self, filing: Optional[Filing]):
        self.filing = filing
        self.figures: dict[int, tuple] = {}  # id(figure) -> (figure, its fields, its entry, (indent, text))
        self.units: dict = {}  # display -> (fn(value) -> display_value(value, display), its unit label)
        self.by_id: dict[int, tuple] = {}  # id(display) -> (display, units[display])
        self.labels: dict[int, tuple[Column, str]] = {}  # id(column) -> (column, its label)

    def unit(self, display) -> tuple:
        """(fn(value) -> display_value(value, display), the unit's label): the values of equal
        displays share one memo, as (value, display) keyed it before, and a Display is hashed once
        per object."""
        hit = self.by_id.get(id(display))
        if hit is not None and hit[0] is display:
            return hit[1]
        found = self.units.get(display)
        if found is None:
            found = self.units[display] = (_shower(display), display.label if display else None)
        self.by_id[id(display)] = (display, found)
        return found

    def _figure(self, g: Figure) -> list:
        hit = self.figures.get(id(g))
        if hit is not None and hit[0] is g:
            return hit
        filing = self.filing
        fields = (g.span.line, g.span.col, filing.offset(g.span) if filing else None, g.text, str(g.value))
        if g.table:
            fields += (g.table, g.row, self._label(g.column) if g.column else None)
        hit = self.figures[id(g)] = [g, fields, None, None]
        return hit

    def _label(self, column: Column) -> str:
        hit = self.labels.get(id(column))
        if hit is None or hit[0] is not column:
            hit = self.labels[id(column)] = (column, column.label)
        return hit[1]

    def figure(self, g: Figure) -> Shared:
        """A figure's entry (one per figure in a document)."""
        hit = self._figure(g)
        if hit[2] is None:
            hit[2] = Shared(zip(_FIGURE_KEYS, hit[1]))
        return hit[2]

    def figure_text(self, g: Figure, nl: Optional[str]) -> str:
        """figure(g) as dumps() writes it where `nl` starts its lines (compact where nl is None)."""
        hit = self._figure(g)
        text = hit[3]
        if text is not None and text[0] == nl:
            return text[1]
        line, col, offset, printed, value, *cell = hit[1]
        n, q = _number, scalar
        if nl is None:
            body = (f'{{"line":{n(line, None)},"col":{n(col, None)},"offset":{n(offset, None)},'
                    f'"text":{q(printed, None)},"value":{q(value, None)}')
            if cell:
                body += f',"table":{q(cell[0], None)},"row":{q(cell[1], None)},"column":{q(cell[2], None)}'
            hit[3] = (nl, body + "}")
        else:
            i = nl + "  "
            body = (f'{{{i}"line": {n(line, i)},{i}"col": {n(col, i)},{i}"offset": {n(offset, i)},'
                    f'{i}"text": {q(printed, i)},{i}"value": {q(value, i)}')
            if cell:
                body += f',{i}"table": {q(cell[0], i)},{i}"row": {q(cell[1], i)},{i}"column": {q(cell[2], i)}'
            hit[3] = (nl, body + nl + "}")
        return hit[3][1]


_FIGURE_KEYS = ("line", "col", "offset", "text", "value", "table", "row", "column")


def _number(value, nl: Optional[str]) -> str:
    return int.__repr__(value) if type(value) is int else scalar(value, nl)


def _shower(display):
    """display_value(·, display) as a function of the value, memoised by value."""
    memo: dict = {}
    if display is None:
        def show_plain(value):
            if value is None:
                return None
            text = memo.get(value)
            if text is None:
                text = memo[value] = plain(value)
            return text
        return show_plain
    shift, decimals = -display.scale, display.decimals
    places = decimals + 2 if decimals > -2 else 0
    quantum = Decimal(1).scaleb(-places)
    text_of = str if places <= 6 else (lambda q: format(q, "f"))  # the same text while str() writes no exponent

    def show(value):
        if value is None:
            return None
        text = memo.get(value)
        if text is not None:
            return text
        text = text_of(value.scaleb(shift).quantize(quantum))
        if text == "-0" or text == "-0.0":  # as plain() writes them
            text = "0"
        elif places and text[-1] == "0":  # trailing zeros beyond the printed decimals go
            whole, _, frac = text.partition(".")
            frac = frac.rstrip("0").ljust(decimals, "0")
            text = f"{whole}.{frac}" if frac else whole
        memo[value] = text
        return text
    return show


def finding_dict(f, filing: Optional[Filing] = None, memo: Optional[_Memo] = None) -> dict[str, Any]:
    return _entry(_values(f, memo or _Memo(filing)))


def _values(f, memo: _Memo) -> tuple:
    """What a finding's entry holds, in its order (interval and rule flattened; whether suggested)."""
    shown, unit = memo.unit(f.display)
    actual_iv, expected_iv, tolerance, allowance = f.actual, f.expected, f.tolerance, f.allowance
    actual = actual_iv.mid if actual_iv is not None else None
    expected = expected_iv.mid if expected_iv is not None else None
    rule = f.rule
    # the values in the order the memo first meets them (equal values share the text first made)
    expected_text = shown(expected)
    actual_text = shown(actual)
    difference = shown(actual - expected) if actual is not None and expected is not None else None
    return (rule.id, rule.title, rule.severity, f.status, f.column, f.row, expected_text, actual_text, difference,
            shown(tolerance) if tolerance is not None else None, shown(allowance) if allowance is not None else None,
            unit, [shown(actual_iv.lo), shown(actual_iv.hi)] if actual_iv else None,
            [shown(expected_iv.lo), shown(expected_iv.hi)] if expected_iv else None,
            _message(f, actual_text, expected_text), f.reason, f.cause, f.note, f.file, rule.span.line,
            is_suggested(f),  # run --auto: a check drafted from the filing
            f.figures, memo)


def _message(f, actual: Optional[str], expected: Optional[str]) -> str:
    """f.message, a passing check's written from the midpoints as shown here (Message.shown)."""
    stored = tuple.__getitem__(f, _MESSAGE)
    return stored.shown(actual, expected) if type(stored) is Message else f.message


def _entry(v: tuple) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": v[0], "title": v[1], "severity": v[2], "status": v[3], "column": v[4], "row": v[5],
        "expected": v[6], "actual": v[7], "difference": v[8], "tolerance": v[9], "allowance": v[10],
        "unit": v[11], "interval": {"actual": v[12], "expected": v[13]},
        "message": v[14], "reason": v[15], "cause": v[16], "note": v[17],
        "rule": {"file": v[18], "line": v[19]},
    }
    if v[20]:
        out["suggested"] = True
    figure = v[22].figure
    out["figures"] = [figure(g) for g in v[21]]
    return out


def _write(v: tuple, nl: Optional[str]) -> str:
    """_entry(v) as dumps() writes it where `nl` starts its lines (compact where nl is None)."""
    q = scalar
    line = int.__repr__(v[19]) if type(v[19]) is int else q(v[19], None if nl is None else nl + "    ")
    figures, text = v[21], v[22].figure_text
    if nl is None:
        figs = "[" + ",".join(text(g, None) for g in figures) + "]"
        return (f'{{"id":{q(v[0], None)},"title":{q(v[1], None)},"severity":{q(v[2], None)},'
                f'"status":{q(v[3], None)},"column":{q(v[4], None)},"row":{q(v[5], None)},'
                f'"expected":{q(v[6], None)},"actual":{q(v[7], None)},"difference":{q(v[8], None)},'
                f'"tolerance":{q(v[9], None)},"allowance":{q(v[10], None)},"unit":{q(v[11], None)},'
                f'"interval":{{"actual":{_pair(v[12], None)},"expected":{_pair(v[13], None)}}},'
                f'"message":{q(v[14], None)},"reason":{q(v[15], None)},"cause":{q(v[16], None)},'
                f'"note":{q(v[17], None)},"rule":{{"file":{q(v[18], None)},"line":{line}}},'
                + ('"suggested":true,' if v[20] else "") + f'"figures":{figs}}}')
    i1 = nl + "  "
    i2 = i1 + "  "
    figs = "[" + i2 + ("," + i2).join(text(g, i2) for g in figures) + i1 + "]" if figures else "[]"
    return (f'{{{i1}"id": {q(v[0], i1)},{i1}"title": {q(v[1], i1)},{i1}"severity": {q(v[2], i1)},'
            f'{i1}"status": {q(v[3], i1)},{i1}"column": {q(v[4], i1)},{i1}"row": {q(v[5], i1)},'
            f'{i1}"expected": {q(v[6], i1)},{i1}"actual": {q(v[7], i1)},{i1}"difference": {q(v[8], i1)},'
            f'{i1}"tolerance": {q(v[9], i1)},{i1}"allowance": {q(v[10], i1)},{i1}"unit": {q(v[11], i1)},'
            f'{i1}"interval": {{{i2}"actual": {_pair(v[12], i2)},{i2}"expected": {_pair(v[13], i2)}{i1}}},'
            f'{i1}"message": {q(v[14], i1)},{i1}"reason": {q(v[15], i1)},{i1}"cause": {q(v[16], i1)},'
            f'{i1}"note": {q(v[17], i1)},{i1}"rule": {{{i2}"file": {q(v[18], i2)},{i2}"line": {line}{i1}}},'
            + (f'{i1}"suggested": true,' if v[20] else "") + f'{i1}"figures": {figs}{nl}}}')


def _pair(value, nl: Optional[str]) -> str:
    """An interval's two ends ([lo, hi] as text), or anything else as scalar() writes it."""
    if type(value) is list and len(value) == 2 and type(value[0]) is str and type(value[1]) is str:
        if nl is None:
            return f"[{_STR(value[0])},{_STR(value[1])}]"
        inner = nl + "  "
        return f"[{inner}{_STR(value[0])},{inner}{_STR(value[1])}{nl}]"
    return scalar(value, nl)


def suspect_dict(s) -> dict[str, Any]:
    return s.as_dict() if hasattr(s, "as_dict") else dict(s)


def result_document(result) -> dict[str, Any]:
    """The machine-readable audit: stable order, no timestamps. Its "results" (an entry per
    finding) are built when first read: dumps() writes them straight from the findings."""
    counts = result.counts()
    memo = _Memo(result.filing)
    data = {
        "tool": tool(),
        "filing": filing_dict(result.filing),
        "packs": packs_list(result),
        "rules": rules_dict(result.ruleset),
        "summary": {**counts, "verdict": result.verdict.status, **verdict_dict(result),
                    "coverage": coverage_dict(result.coverage)},
        "results": None,
        "suspects": [suspect_dict(s) for s in result.suspects],
    }
    return Deferred(data, "results", result.findings, lambda f: _values(f, memo), _entry, _write)
