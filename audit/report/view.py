"""What the HTML, JUnit and Markdown reports share: check names, order, groups and figure states."""
from __future__ import annotations

import functools
import json
import os
import re
from typing import Any, Mapping, Optional

STATUSES = ("fail", "error", "skip", "pass")
SEVERITIES = ("error", "warning", "info")
_STATUS_RANK = {s: i for i, s in enumerate(STATUSES)}
_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def check_name(finding) -> str:
    """`BS-001 [2023-03-31 RMB]`, followed by the row for `for each row` rules."""
    name = finding.rule.id
    if finding.column:
        name += f" [{finding.column}]"
    if finding.row:
        name += f" {finding.row}"
    return name


def is_problem(finding) -> bool:
    return finding.status in ("fail", "error")


def problem_order(findings) -> list:
    """Failures and errors first, error severity before warning and info, then rule order."""
    return sorted(findings, key=lambda f: (_STATUS_RANK.get(f.status, 9), _SEVERITY_RANK.get(f.severity, 9)))


def file_stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def group_title(path: str) -> str:
    """`rules/balance_sheet.rules` -> `Balance sheet`; `00-tables.rules` -> `Tables`."""
    words = re.sub(r"^[0-9]+[-_ ]*", "", file_stem(path)).replace("_", " ").replace("-", " ").strip()
    return (words[:1].upper() + words[1:]) if words else file_stem(path)


def groups(result) -> list[tuple[str, list[tuple[int, Any]]]]:
    """Findings by rule file as (path, [(index, finding)]): files with a failure first."""
    by_file: dict[str, list[tuple[int, Any]]] = {}
    for index, finding in enumerate(result.findings):
        by_file.setdefault(finding.file, []).append((index, finding))
    order = {f.path: i for i, f in enumerate(result.ruleset.files)}
    out = []
    for path, items in by_file.items():
        items.sort(key=lambda item: (_STATUS_RANK.get(item[1].status, 9), item[0]))
        out.append((path, items))
    out.sort(key=lambda g: (not any(is_problem(f) for _, f in g[1]), order.get(g[0], len(order)), g[0]))
    return out


def severity_counts(result) -> dict[str, dict[str, int]]:
    """{severity: {status: count}} for the severities that occur, in a fixed order."""
    table: dict[str, dict[str, int]] = {}
    for finding in result.findings:
        severity = finding.severity
        row = table.get(severity)
        if row is None:
            row = table[severity] = dict.fromkeys(STATUSES, 0)
        row[finding.status] += 1
    return dict(sorted(table.items(), key=lambda kv: (_SEVERITY_RANK.get(kv[0], 9), kv[0])))


def skips_by_cause(result) -> list[tuple[str, list]]:
    """Skipped findings grouped by cause, in the order of findings.CAUSES."""
    from ..check.findings import CAUSES, FIGURE

    groups: dict[str, list] = {}
    for f in result.findings:
        if f.status == "skip":
            groups.setdefault(f.cause or FIGURE, []).append(f)
    return [(c, groups[c]) for c in CAUSES if c in groups]


def suspect_keys(result) -> frozenset:
    """(line, col) of every figure diagnosis names: each suspect and the figures tied with it."""
    keys = set()
    for suspect in result.suspects:
        raw = suspect.as_dict() if hasattr(suspect, "as_dict") else suspect
        if not isinstance(raw, Mapping):
            continue
        for part in (raw, *(t for t in (raw.get("tie") or ()) if isinstance(t, Mapping))):
            line, col = _int(part.get("line")), _int(part.get("col"))
            if line is not None and col is not None:
                keys.add((line, col))
    return frozenset(keys)


TICKS = ("failed", "involved", "verified", "unchecked")


def figure_states(result, suspects: Optional[frozenset] = None) -> dict[tuple[int, int], str]:
    """Every extracted figure's tick mark: failed (diagnosis names it as the likely wrong figure) >
    involved (a failing check used it, but diagnosis does not suspect it) > verified (a passing
    check used it) > unchecked."""
    suspects = suspect_keys(result) if suspects is None else suspects
    states = {f.key: "unchecked" for f in result.filing.figures()}
    for finding in result.findings:
        if finding.status == "pass":
            for fig in finding.figures:
                states[fig.key] = "verified"
    for finding in result.findings:
        if finding.status == "fail":
            for fig in finding.figures:
                states[fig.key] = "involved"
    for key in suspects:
        if key in states:
            states[key] = "failed"
    return states


@functools.lru_cache(maxsize=8192)  # rule ids and column labels recur in every report of a batch
def _slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text).strip("-")


_NOT_SLUG = re.compile(r"[^A-Za-z0-9]+")


def finding_anchors(findings) -> list[str]:
    """Each finding's stable anchor key, built from its rule id, column and row (never its place
    in the list): `BS-001--2023-03-31-RMB`; a repeated key gets `--2`, `--3` in rule order."""
    seen: dict[str, int] = {}
    out = []
    slug = _slug
    for finding in findings:
        key = slug(finding.rule.id) or "rule"
        column, row = finding.column, finding.row
        if column and (part := slug(column)):
            key = f"{key}--{part}"
        if row and (part := slug(row)):
            key = f"{key}--{part}"
        count = seen[key] = seen.get(key, 0) + 1
        out.append(key if count == 1 else f"{key}--{count}")
    return out


def fmt_printed(value, display, extra: int = 0, rounding=None) -> str:
    """A base-unit value in the display unit at exactly the printed decimals (plus `extra`),
    with thousands separators: the report's numbers read like the filing's. (fmt() in
    audit.check.findings keeps two more decimals, for the other outputs.)"""
    from decimal import ROUND_HALF_UP, Decimal

    if value is None:
        return ""
    if display is None:
        return str(value)
    places = max(display.decimals + extra, 0)
    shown = value.scaleb(-display.scale).quantize(Decimal(1).scaleb(-places), rounding=rounding or ROUND_HALF_UP)
    if shown == 0:
        shown = abs(shown)
    text = f"{shown:,.{places}f}"
    if extra > 0 and "." in text:  # the extra decimals only where they say something (a half unit)
        whole, frac = text.split(".")
        frac = frac[:max(display.decimals, 0)] + frac[max(display.decimals, 0):].rstrip("0")
        text = f"{whole}.{frac}" if frac else whole
    return text + ("%" if display.unit == "%" else "")


def range_text(lo, hi) -> str:
    """A range of printed values with thousands separators: `5,128,334 to 5,128,336`; one value
    once; an open end as `at least` / `at most`."""
    a, b = _number(lo), _number(hi)
    if a is None and b is None:
        return ""
    if a is None:
        return f"at most {b}"
    if b is None:
        return f"at least {a}"
    return a if a == b else f"{a} to {b}"


def _number(value) -> Optional[str]:
    from decimal import Decimal, InvalidOperation

    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    return f"{number:,}"


_SUSPECT_KEYS = ("kind", "line", "col", "text", "value", "implied", "implied_text", "unit", "hint", "table", "row",
                 "column", "range", "explains", "checks", "tie", "note")


def suspect_view(suspect) -> dict[str, Any]:
    """A suspect (audit.diagnose) as plain strings, read defensively from its as_dict()."""
    raw = suspect.as_dict() if hasattr(suspect, "as_dict") else suspect
    data: Mapping = raw if isinstance(raw, Mapping) else {"hint": str(raw)}
    out = _figure_part(data)
    explains = data.get("explains") or ()
    out["explains"] = [str(e) for e in ([explains] if isinstance(explains, str) else explains)]
    out["checks"] = [(_text(c.get("id")), c.get("column"), c.get("row"))
                     for c in (data.get("checks") or ()) if isinstance(c, Mapping) and c.get("id")]
    span = data.get("range")
    out["range"] = range_text(*span) if isinstance(span, (list, tuple)) and len(span) == 2 else ""
    out["tie"] = [_figure_part(t) for t in (data.get("tie") or ()) if isinstance(t, Mapping)]
    out["note"] = _text(data.get("note"))
    out["extra"] = {str(k): _text(v) for k, v in data.items() if k not in _SUSPECT_KEYS
                    and isinstance(v, (str, int, float)) and not isinstance(v, bool)}
    return out


def _figure_part(data: Mapping) -> dict[str, Any]:
    where = [_text(data.get(k)) for k in ("row", "column", "unit") if data.get(k)]
    return {
        "line": _int(data.get("line")),
        "col": _int(data.get("col")),
        "text": _text(data.get("text")) or _text(data.get("value")),
        "implied": _text(data.get("implied_text")) or _text(data.get("implied")),
        "hint": _text(data.get("hint")),
        "where": " \u00b7 ".join(where),
    }


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _text(value) -> str:
    return "" if value is None else str(value)


def suspect_text(suspect: Optional[dict]) -> str:
    """One line for a diagnosis suspect (audit.diagnose Suspect.as_dict())."""
    if not suspect:
        return ""
    try:
        fixes = ", ".join(suspect.get("explains") or [])
        if suspect.get("kind") == "group" or suspect.get("line") is None:
            return f"no single figure explains {fixes}"
        hint = f" ({suspect['hint']})" if suspect.get("hint") else ""
        implied = suspect.get("implied_text") or suspect.get("implied")
        should = f" should be {implied}" if implied else ""
        return f"L{suspect['line']}:{suspect['col']} {suspect['text']}{should}{hint}; fixes {fixes}"
    except (KeyError, TypeError, AttributeError):
        return json.dumps(suspect, ensure_ascii=False)
