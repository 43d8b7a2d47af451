"""Messages for findings: the rule's template, or a sentence naming the operands."""
from __future__ import annotations

from ..lang import nodes as n
from ..lang.graph import ref_key
from .findings import Finding, fmt

_SOURCES: dict[int, tuple[object, str]] = {}


def source(node) -> str:
    """A short text for a check or expression, for messages (memoised per node)."""
    hit = _SOURCES.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    text = _source_text(node)
    _SOURCES[id(node)] = (node, text)
    return text


def _source_text(node) -> str:
    if isinstance(node, n.Compare):
        return f"{source(node.left)} {node.op} {source(node.right)}"
    if isinstance(node, n.Restates):
        return f"{ref_key(node.prose)} restates {source(node.expr)}"
    if isinstance(node, (n.CellRef, n.ProseRef)):
        return ref_key(node)
    if isinstance(node, n.RowRef):
        return "row" + "".join(f" @{m}" for m in node.mods)
    if isinstance(node, n.Number):
        return node.text
    if isinstance(node, n.Name):
        return node.name
    if isinstance(node, n.Unary):
        return f"-{source(node.operand)}"
    if isinstance(node, n.Binary):
        return f"({source(node.left)} {node.op} {source(node.right)})"
    if isinstance(node, n.Call):
        return f"{node.func}(" + ", ".join(source(a) if not isinstance(a, n.Str) else f'"{a.value}"'
                                           for a in node.args) + ")"
    return "?"


def render_message(rule: n.Rule, finding: Finding, option) -> str:
    """The finding's message: the rule's template, or a sentence with the operands' values."""
    d = finding.display
    actual = fmt(finding.actual.mid if finding.actual is not None else None, d)
    expected = fmt(finding.expected.mid if finding.expected is not None else None, d)
    slack = ""
    if finding.allowance:
        slack += f", allowing {fmt(finding.allowance, d, 1)} for the rounding of the items under this subtotal"
    if finding.tolerance:
        slack += f", with a stated tolerance of {fmt(finding.tolerance, d, 0)}"
    if finding.status == "pass" and not rule.message:
        return f"{actual} {finding.op} {expected} within rounding{slack}"
    values = {
        "actual": actual,
        "expected": expected,
        "difference": fmt((finding.actual.mid - finding.expected.mid)
                          if finding.actual is not None and finding.expected is not None else None, d),
        "column": finding.column or "",
        "row": finding.row or "",
        "unit": d.label if d else "",
        "left": source(option.left) if isinstance(option, n.Compare) else source(getattr(option, "prose", option)),
        "right": source(option.right) if isinstance(option, n.Compare) else source(getattr(option, "expr", option)),
        "title": rule.title,
    }
    if rule.message:
        try:
            return rule.message.format(**values)
        except (KeyError, IndexError, ValueError):
            return rule.message
    return (f"{values['left']} is {values['actual']} but {values['right']} gives {values['expected']} "
            f"(difference {values['difference']} {values['unit']}{slack})")
