"""Messages for findings: the rule's template, or a sentence naming the operands; rendered
when an output first reads them."""
from __future__ import annotations

from decimal import Decimal, getcontext
from typing import Optional

from ..lang import nodes as n
from ..lang.graph import ref_key
from .findings import SHOW, EvalError, Finding, Skip, _display, fmt, formatter
from .interval import UP_ADD, UP_DIVIDE

_SOURCES: dict[int, tuple[object, str]] = {}


def source(node) -> str:
    """A short text for a check or expression, for messages (memoised per node)."""
    hit = _SOURCES.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    text = _source_text(node)
    if len(_SOURCES) > 50_000:  # (a batch of --auto audits makes new rules for every filing)
        _SOURCES.clear()
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
    return _render(rule, option, finding.status, finding.column, finding.row, finding.actual, finding.expected,
                   finding.display, finding.tolerance, finding.op, finding.allowance)


def _render(rule: n.Rule, option, status, column, row, actual_iv, expected_iv, d, tolerance, op, allowance) -> str:
    if status == "pass" and d is not None and actual_iv is not None and expected_iv is not None and not rule.message:
        return _plain(d, actual_iv, expected_iv, op, allowance, tolerance)
    actual = fmt(actual_iv.mid if actual_iv is not None else None, d)
    expected = fmt(expected_iv.mid if expected_iv is not None else None, d)
    slack = _slack(d, allowance, tolerance) if allowance or tolerance else ""
    if status == "pass" and not rule.message:
        return f"{actual} {op} {expected} within rounding{slack}"
    values = {
        "actual": actual,
        "expected": expected,
        "difference": fmt((actual_iv.mid - expected_iv.mid)
                          if actual_iv is not None and expected_iv is not None else None, d),
        "column": column or "",
        "row": row or "",
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


def _plain(d, actual_iv, expected_iv, op, allowance, tolerance) -> str:
    """A passing check's message without a template, in a display unit: as _render writes it."""
    show = SHOW.get(d) or formatter(d)
    mid = UP_DIVIDE(UP_ADD(actual_iv.lo, actual_iv.hi), 2)  # (Interval.mid, inlined)
    other = UP_DIVIDE(UP_ADD(expected_iv.lo, expected_iv.hi), 2)
    actual = show(mid)
    expected = actual if mid == other and mid else show(other)  # (equal nonzero values show alike)
    if allowance or tolerance:
        return f"{actual} {op} {expected} within rounding{_slack(d, allowance, tolerance)}"
    return f"{actual} {op} {expected} within rounding"


def _slack(d, allowance, tolerance) -> str:
    """What a message says of a subtotal's allowance and a stated tolerance (either may be None)."""
    slack = ""
    if allowance:
        slack += f", allowing {fmt(allowance, d, 1)} for the rounding of the items under this subtotal"
    if tolerance:
        slack += f", with a stated tolerance of {fmt(tolerance, d, 0)}"
    return slack


class Message(tuple):
    """A finding's message, rendered from its values when first read (then kept): a tuple of what
    it is rendered from (rule, option, and the finding's status, column, row, actual, expected,
    display, tolerance, op, allowance), made with the finding's own fields, never from a finding.

    It compares, hashes and pickles as the text it renders to."""

    _text = None  # the text, once rendered (in the instance's __dict__)

    def __new__(cls, rule: n.Rule, finding: Finding, option):
        return _new(cls, (rule, option, finding.status, finding.column, finding.row, finding.actual,
                          finding.expected, finding.display, finding.tolerance, finding.op, finding.allowance))

    def __str__(self) -> str:
        text = self._text
        if text is None:
            text = self._text = _render(*self)
        return text

    def shown(self, actual: Optional[str], expected: Optional[str]) -> str:
        """str(self), given the finding's midpoints as its unit shows them without grouping (as the
        JSON document does): a passing check's plain message ('A = E within rounding', no template;
        an allowance or tolerance formatted as render_message formats it) is written from them. A
        midpoint whose digits are all zeros (whose sign fmt() keeps) is formatted again."""
        text = self._text
        if text is None:
            rule, _, status, _, _, _, _, d, tolerance, op, allowance = self
            if (status != "pass" or d is None or rule.message or not actual or not expected
                    or (actual[-1] == "0" and not actual.strip("-0."))
                    or (expected[-1] == "0" and not expected.strip("-0."))):
                return str(self)
            grouped = _grouped(actual)
            other = grouped if expected == actual else _grouped(expected)
            if d.unit == "%":
                grouped, other = grouped + "%", other + "%"
            if allowance or tolerance:
                text = self._text = f"{grouped} {op} {other} within rounding{_slack(d, allowance, tolerance)}"
            else:
                text = self._text = f"{grouped} {op} {other} within rounding"
        return text

    def __eq__(self, other) -> bool:
        return str(self) == str(other) if isinstance(other, (str, Message)) else NotImplemented

    def __ne__(self, other) -> bool:
        return str(self) != str(other) if isinstance(other, (str, Message)) else NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return repr(str(self))

    def __reduce__(self):
        return str, (str(self),)


_new = tuple.__new__


def _grouped(text: str) -> str:
    """A plain decimal ('-1234567.5') with its thousands grouped as fmt() groups them."""
    whole, point, frac = text.partition(".")
    n = len(whole)
    if n < 4:
        if whole.lstrip("-").isdigit():  # (no digit to group: '-123', '999')
            return text
    elif n < 10 and whole.isdigit() and whole.isascii() and whole[0] != "0":  # (most: 4 to 9 digits, no sign)
        if n < 7:
            return f"{whole[:-3]},{whole[-3:]}{point}{frac}"
        return f"{whole[:-6]},{whole[-6:-3]},{whole[-3:]}{point}{frac}"
    elif n < 11 and whole.isascii():  # up to 9 digits (no leading zero) grouped by slicing, as below
        sign, digits = ("-", whole[1:]) if whole[0] == "-" else ("", whole)
        if digits.isdigit() and digits[0] != "0":
            m = len(digits)
            if m < 4:
                return text
            if m < 7:
                return f"{sign}{digits[:-3]},{digits[-3:]}{point}{frac}"
            if m < 10:
                return f"{sign}{digits[:-6]},{digits[-6:-3]},{digits[-3:]}{point}{frac}"
    if whole[:1] == "-":
        return f"-{int(whole[1:]):,}{point}{frac}"
    return f"{int(whole):,}{point}{frac}"


def message(rule: n.Rule, option, status, column, row, actual, expected, display, tolerance, op, allowance):
    """A finding's message, from the finding's fields: a Message to render later when rendering
    cannot fail, else the text now (rendering raises DecimalException for a value with more digits
    than can be shown to its printed places, which makes the finding an error, as it always has)."""
    if display is None or _bounded(display, actual, expected, allowance, tolerance):
        return _new(Message, (rule, option, status, column, row, actual, expected, display, tolerance, op, allowance))
    if _renders(display, (allowance, tolerance, actual.lo if actual is not None else None,
                          actual.hi if actual is not None else None, expected.lo if expected is not None else None,
                          expected.hi if expected is not None else None)):
        return _new(Message, (rule, option, status, column, row, actual, expected, display, tolerance, op, allowance))
    return _render(rule, option, status, column, row, actual, expected, display, tolerance, op, allowance)


def _bounded(display, actual, expected, allowance, tolerance) -> bool:
    """_renders for two intervals (both given) and an allowance and tolerance (None: none), by
    comparing them with the power of ten that is too large (a finite nonzero value's adjusted()
    exceeds the limit exactly when its magnitude reaches 10 ** (limit + 1)); False means: ask _renders."""
    prec = getcontext().prec
    hit = _BOUNDS.get(display)
    if hit is None or hit[0] != prec:
        if len(_BOUNDS) > 20_000:
            _BOUNDS.clear()
        bound = Decimal(1).scaleb(prec - max(display.decimals + 2, 0) - 4 + display.scale + 1)
        hit = _BOUNDS[display] = (prec, bound, -bound)
    if actual is None or expected is None:
        return False
    _, bound, low = hit
    return (low < actual.lo and actual.hi < bound and low < expected.lo and expected.hi < bound
            and (allowance is None or low < allowance < bound) and (tolerance is None or low < tolerance < bound))


_BOUNDS: dict = {}  # Display -> (context precision, the bound _bounded compares with, its negation)


def _renders(d, values) -> bool:
    """Can fmt() show each value render_message may show? It quantizes the value in the display
    unit to at most the printed decimals + 2 places, in the current context: that fails only when
    the digits before the point and the places (one more for a carry) exceed its precision. The
    midpoints and their difference are bounded by the intervals' ends (two more digits: the
    difference, and a midpoint rounded up to the next power of ten)."""
    limit = getcontext().prec - max(d.decimals + 2, 0) - 4 + d.scale  # on value.adjusted()
    for value in values:
        if value and (value.adjusted() > limit or not value.is_finite()):
            return False
    return True


def order_note(ev, first_option, first, option, right, ctx) -> str:
    """Say which computation the printed figure follows, with the operands' values."""
    if isinstance(first, tuple):
        _, l0, r0, _ = first
        d = _display(l0.figs or r0.figs)
        wanted = operands(ev, first_option.right, ctx) if isinstance(first_option, n.Compare) else ""
        follows = operands(ev, option.right, ctx) if isinstance(option, n.Compare) else ""
        last_digit = Decimal(1).scaleb(d.scale - max(d.decimals, 0))
        if abs(r0.iv.mid - l0.iv.mid) <= last_digit:  # the two computations differ by rounding only
            return (f"rounding order: {wanted} = {fmt(r0.iv.mid, d)} would print differently from "
                    f"{fmt(l0.iv.mid, d)}; the printed figure follows {follows} = {fmt(right.iv.mid, d)}")
        return (f"the printed {fmt(l0.iv.mid, d)} follows {source(option)} = {fmt(right.iv.mid, d)}, "
                f"not {source(first_option)} = {fmt(r0.iv.mid, d)}")
    return f"{source(option)} holds; {source(first_option)} could not be evaluated ({first.reason})"


def operands(ev, node, ctx) -> str:
    """An expression with each printed figure shown as printed: '2 x 2.89', '934,109 / (322,859,462 / 2)'."""
    kind = type(node)
    if kind is n.Binary:
        text = f"{_operand(ev, node.left, ctx)} {'x' if node.op == '*' else node.op} " \
               f"{_operand(ev, node.right, ctx)}"
        return text
    try:
        val = ev.eval(node, ctx)
    except (Skip, EvalError):
        return source(node)
    if len(val.figs) == 1 and kind is not n.Call:
        return val.figs[0].text
    if kind is n.Name:
        return operands(ev, ev.rs.lets[node.name].expr, ctx)
    if kind is n.Number:
        return node.text
    return source(node)


def _operand(ev, node, ctx) -> str:
    inner = operands(ev, node, ctx)
    if type(node) is n.Binary or (type(node) is n.Name and type(ev.rs.lets[node.name].expr) is n.Binary):
        return f"({inner})"
    return inner
