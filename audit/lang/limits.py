"""What a rule file may ask for, checked before compiling, so that `lint` finds what `run` would
trip over: nesting depth (counting the definitions an expression uses), the size of number
literals, round()'s places, and message templates limited to a safe subset."""
from __future__ import annotations

import re
import string
from typing import Iterator, Optional

from ..base.errors import RuleError
from . import nodes as n

MAX_DEPTH = 100  # nested operations in one check or definition, through the definitions it uses
MAX_DIGITS = 20  # digits of a number literal (as for a figure: read.numbers.MAX_DIGITS)
MAX_PLACES = 12  # round(x, places)
MESSAGE_FIELDS = ("actual", "expected", "difference", "unit", "column", "row", "left", "right", "title")


def _children(node) -> tuple:
    if isinstance(node, n.Not):
        return (node.operand,)
    if isinstance(node, n.BoolOp):
        return node.operands
    return n.children(node)


def _roots(stmt) -> tuple:
    if isinstance(stmt, n.Let):
        return (stmt.expr,)
    if isinstance(stmt, n.Rule):
        return (stmt.check,) + ((stmt.tolerance,) if stmt.tolerance is not None else ())
    if isinstance(stmt, n.PackDecl):
        return (stmt.condition,) if stmt.condition is not None else ()
    if isinstance(stmt, n.Unchecked):
        return stmt.refs
    return ()


def _walk(stmt) -> Iterator[tuple[object, int]]:
    """Every node under a statement with its depth (1 for a root), without recursion."""
    stack = [(root, 1) for root in reversed(_roots(stmt))]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack.extend((child, depth + 1) for child in reversed(_children(node)))


def _error(message: str, file: n.RuleFile, span, expected: Optional[str] = None) -> RuleError:
    return RuleError(message, file.path, span.line, span.col, file.line(span.line), expected)


def check(files: list[n.RuleFile]) -> list[RuleError]:
    """Every limit a pack's files break, each at file:line:col."""
    errors: list[RuleError] = []
    own: dict[int, int] = {}  # id(stmt) -> its own depth
    uses: dict[int, list[tuple[str, int]]] = {}  # id(stmt) -> (definition used, depth of the use)
    lets: dict[str, n.Let] = {}
    order: list[tuple[n.RuleFile, object]] = []
    for file in files:
        for stmt in file.statements:
            order.append((file, stmt))
            if isinstance(stmt, n.Let):
                lets.setdefault(stmt.name, stmt)
            deepest, used, too_deep = 0, [], None
            for node, depth in _walk(stmt):
                deepest = max(deepest, depth)
                if depth > MAX_DEPTH and too_deep is None:
                    too_deep = node
                if isinstance(node, n.Name):
                    used.append((node.name, depth))
                elif isinstance(node, n.Number):
                    _number(node, file, errors)
                elif isinstance(node, n.Call) and node.func == "round":
                    _places(node, file, errors)
            own[id(stmt)], uses[id(stmt)] = deepest, used
            if too_deep is not None:
                what = "condition" if isinstance(stmt, n.PackDecl) else "expression"
                errors.append(_error(f"{what} nested more than {MAX_DEPTH} levels deep, the limit (each operator "
                                     "of a chain such as a + b + c counts)", file, getattr(too_deep, "span", stmt.span),
                                     "a simpler condition" if what == "condition" else
                                     "a simpler expression: name parts of it with 'let'"))
                uses[id(stmt)] = []  # counted once
            if isinstance(stmt, n.Rule) and stmt.message is not None:
                _message(stmt, file, errors)
            for pattern in _patterns(stmt):
                if _nested_repeat(pattern):
                    errors.append(_error(f"pattern {pattern.written()} repeats a repetition, which can take "
                                         "exponential time on some text", file, pattern.span,
                                         "a pattern without a repeat inside a repeat, or one inside an "
                                         "atomic group (?>...) or made possessive (++, *+)"))
    totals = _through_definitions(lets, own, uses)
    for file, stmt in order:
        if own[id(stmt)] > MAX_DEPTH:
            continue
        total = max([own[id(stmt)]] + [d + totals.get(name, 0) for name, d in uses[id(stmt)]])
        if total > MAX_DEPTH:
            errors.append(_error(f"nested {total} levels deep counting the definitions it uses, more than "
                                 f"the limit of {MAX_DEPTH}", file, stmt.span,
                                 "fewer definitions built on one another, or a sum(...) of several"))
            break  # one is enough: every user of a deep definition is deep too
    return errors


def _patterns(stmt) -> Iterator[n.Pattern]:
    """The /patterns/ of a statement: table titles, row labels, prose anchors, pack conditions."""
    options: list = list(stmt.titles) if isinstance(stmt, n.TableDecl) else []
    for node, _ in _walk(stmt):
        if isinstance(node, n.CellRef):
            options += [o for s in node.path + node.until if isinstance(s, n.Label) for o in s.options]
        elif isinstance(node, n.ProseRef):
            options += [o for a in node.anchors for o in a.options]
        elif isinstance(node, n.Applies):
            options += list(node.options)
    return (o for o in options if isinstance(o, n.Pattern))


def _nested_repeat(pattern: n.Pattern) -> bool:
    """Does the pattern repeat something that itself repeats, as (a+)+ or (ab*c?)* do (the
    shape of catastrophic backtracking)? Atomic groups and possessive repeats are safe."""
    try:
        from re import _constants as c
        from re import _parser as sre

        parsed = sre.parse(pattern.source, pattern.regex().flags)
    except (re.error, RecursionError, ImportError, KeyError):
        return False  # an invalid pattern is reported by the compiler

    def walk(items, inside: bool) -> bool:
        for op, av in items:
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                if av[1] > 1 and inside:
                    return True
                if walk(av[2], inside or av[1] > 1):
                    return True
            elif op is c.SUBPATTERN and walk(av[3], inside):
                return True
            elif op is c.BRANCH and any(walk(branch, inside) for branch in av[1]):
                return True
            elif op in (c.ASSERT, c.ASSERT_NOT) and walk(av[1], inside):
                return True
            elif op is c.ATOMIC_GROUP and walk(av, False):  # never backtracked into from outside
                return True
            elif op is c.POSSESSIVE_REPEAT and walk(av[2], False):
                return True
        return False

    try:
        return walk(parsed, False)
    except RecursionError:
        return True


def _through_definitions(lets: dict[str, n.Let], own: dict[int, int], uses: dict) -> dict[str, int]:
    """Each definition's depth counting those it uses, computed without recursion; a cycle
    (reported when compiling) counts as nothing."""
    totals: dict[str, int] = {}
    for start in lets:
        stack, open_ = [start], set()
        while stack:
            name = stack[-1]
            if name in totals or name not in lets:
                stack.pop()
                continue
            pending = [u for u, _ in uses[id(lets[name])] if u in lets and u not in totals and u not in open_]
            if pending and name not in open_:
                open_.add(name)
                stack.extend(pending)
                continue
            stack.pop()
            open_.discard(name)
            totals[name] = max([own[id(lets[name])]]
                               + [d + totals.get(u, 0) for u, d in uses[id(lets[name])]])
    return totals


def _number(node: n.Number, file: n.RuleFile, errors: list[RuleError]) -> None:
    digits = sum(ch.isdigit() for ch in node.text)
    if digits > MAX_DIGITS:
        errors.append(_error(f"a number of {digits} digits; the limit is {MAX_DIGITS}", file, node.span))


def _places(node: n.Call, file: n.RuleFile, errors: list[RuleError]) -> None:
    if len(node.args) == 2 and isinstance(node.args[1], n.Number):
        value = node.args[1].value
        if value != value.to_integral_value() or not 0 <= value <= MAX_PLACES:
            errors.append(_error(f"round() takes 0 to {MAX_PLACES} decimal places, not {node.args[1].text}",
                                 file, node.args[1].span))


def _message(rule: n.Rule, file: n.RuleFile, errors: list[RuleError]) -> None:
    """A message may name the fields {actual}, {expected}, ... and nothing else: no attributes,
    indexes, conversions or format specifications."""
    problem = None
    try:
        for _, name, spec, conversion in string.Formatter().parse(rule.message):
            if name is None:
                continue
            if name not in MESSAGE_FIELDS or spec or conversion:
                text = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
                problem = f"message field {text} is not allowed"
                break
    except ValueError as exc:
        problem = f"message is not a valid template ({exc}; write {{{{ and }}}} for braces)"
    if problem:
        errors.append(_error(problem, file, _message_span(rule, file),
                             "only " + ", ".join("{" + f + "}" for f in MESSAGE_FIELDS)))


def _message_span(rule: n.Rule, file: n.RuleFile):
    """Where the rule's `message "..."` stands (its opening quote), else the rule."""
    lines = file.text.splitlines()
    for number in range(rule.span.line, len(lines) + 1):
        text = lines[number - 1]
        at = text.find("message")
        quote = text.find('"', at) if at >= 0 else -1
        if quote >= 0:
            return type(rule.span)(number, quote + 1, quote + 2)
    return rule.span
