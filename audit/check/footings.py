"""Footings: which rows a subtotal is made of, from the pack's own rules.

`translate()` allows for the rounding of the items under a translated subtotal; the items
come from the rules `total = a + b - c ...` (and `x = y` ties) of the rule set, i.e. the graph.
"""
from __future__ import annotations

from decimal import Decimal

from ..lang import nodes as n
from ..read.filing import Row
from ..read.numbers import half_unit


def _cells_line(row: Row) -> int:
    """The line a row's figures are printed on (a wrapped label sits on the line above)."""
    for c in row.cells:
        if c is not None:
            return c.span.line
    return row.span.line


class Footings:
    """Compositions of rows (keyed by the line their figures are on) and how many rounded
    items lie under each, read from a rule set with a row resolver: `rows()` gives it (`resolve(ref) ->
    [Row]`; a weakref.WeakMethod of the Evaluator's, which the Footings it holds must not hold)."""

    def __init__(self, rules, rows, unresolved: tuple[type, ...]):
        self._rules, self._rows, self._unresolved = rules, rows, unresolved
        self._parts: dict[int, list[list[int]]] | None = None
        self._items: dict[int, int] = {}
        self._pure: dict[int, int] = {}
        self._acyclic: set[int] | None = None

    def parts(self) -> dict[int, list[list[int]]]:
        """Row line -> lists of row lines it is made of, from rules `row = a + b - c ...`.

        An equality of two single rows (`ops["Net income"] = ci["Net income"]`) makes each
        the other's composition, so a restated subtotal carries its items' rounding too.
        """
        if self._parts is not None:
            return self._parts
        parts: dict[int, list[list[int]]] = {}
        rows = self._rows()
        for left, refs in _plan(self._rules):
            try:
                head = rows(left)
                items: list[Row] = []
                for ref in refs:
                    found = rows(ref)
                    if not found:  # (a reference to no rows: no sum of rows)
                        items = []
                        break
                    items.extend(found)
            except self._unresolved:
                continue
            if not items or len(head) != 1:
                continue
            parts.setdefault(_cells_line(head[0]), []).append([_cells_line(r) for r in items])
            if len(items) == 1:
                parts.setdefault(_cells_line(items[0]), []).append([_cells_line(head[0])])
        self._parts = parts
        return parts

    def items_under(self, line: int) -> int:
        """How many rounded items the row printed on `line` is the total of (1 for an item)."""
        known = self._items.get(line)
        if known is not None:
            return known
        parts = self.parts()
        if not parts.get(line):  # an item (as _count finds it)
            self._items[line] = 1
            return 1
        if self._acyclic is None:
            self._acyclic = _acyclic(parts)
        # per call: a count found inside a cycle cut holds only for this call; across calls: the count
        # of a row no cycle lies below is the same in any call
        self._items[line] = found = _count(line, frozenset(), parts, {}, self._pure, self._acyclic)
        return found

    def allowance(self, fig) -> Decimal:
        """Half a unit of the figure's last digit for every rounded item under it, but one."""
        if fig.table is None or fig.exact:
            return _ZERO
        line = fig.span.line
        count = self._items.get(line)  # (items_under's answer, once found)
        if count is None:
            count = self.items_under(line)
        if count <= 1:
            return _ZERO
        found = _ALLOWANCES.get((count, fig.decimals, fig.scale))
        if found is None:
            found = _ALLOWANCES[(count, fig.decimals, fig.scale)] = (
                Decimal(count - 1) * half_unit(fig.decimals).scaleb(fig.scale))
        return found


_ZERO = Decimal(0)
_ALLOWANCES: dict[tuple[int, int, int], Decimal] = {}  # (items, decimals, scale) -> the allowance


def _plan(rules) -> list[tuple[n.CellRef, list[n.CellRef]]]:
    """(the total's reference, its items' references) of each rule `total = a + b - c ...` (or a tie
    `x = y`) of a rule set: what parts() resolves in each filing, found once per rule set."""
    hit = _PLANS.get(id(rules))
    if hit is not None and hit[0] is rules:
        return hit[1]
    plan = []
    for rule in rules:
        check = rule.check
        if rule.foreach or not isinstance(check, n.Compare) or check.op != "=":
            continue
        if not isinstance(check.left, n.CellRef) or check.left.mods:
            continue
        refs = _linear_refs(check.right)
        if refs:
            plan.append((check.left, refs))
    if len(_PLANS) > 256:
        _PLANS.clear()
    _PLANS[id(rules)] = (rules, plan)
    return plan


_PLANS: dict[int, tuple] = {}  # id(a rule set's rules) -> (the rules, _plan(them))


def _linear_refs(node) -> list[n.CellRef]:
    """The cell references of a sum or difference of plain cell references, or [] if it is not one."""
    if isinstance(node, n.CellRef) and not node.mods:
        return [node]
    if isinstance(node, n.Binary) and node.op in "+-":
        left, right = _linear_refs(node.left), _linear_refs(node.right)
        return left + right if left and right else []
    if isinstance(node, n.Unary):
        return _linear_refs(node.operand)
    if isinstance(node, n.Call) and node.func == "sum":
        out: list[n.CellRef] = []
        for arg in node.args:
            refs = _linear_refs(arg)
            if not refs:
                return []
            out.extend(refs)
        return out
    return []


def _acyclic(parts: dict[int, list[list[int]]]) -> set[int]:
    """The rows below which (through `parts`) no cycle lies: their counts do not depend on the path
    that reached them."""
    state: dict[int, bool | None] = {}  # True: no cycle below; False: one below; None: being visited
    for k in parts:
        _visit(k, parts, state)
    return {k for k, ok in state.items() if ok}


def _visit(k: int, parts: dict, state: dict) -> bool:
    if k in state:
        return state[k] is True
    state[k] = None
    ok = True
    for group in parts.get(k, ()):
        for c in group:
            if not _visit(c, parts, state):
                ok = False
    state[k] = ok
    return ok


def _count(k: int, seen: frozenset, parts: dict, memo: dict, pure: dict, acyclic: set) -> int:
    """How many rounded items row k is the total of, on the path `seen` (a function of its own: a
    closure calling itself would be a reference cycle, left for the GC)."""
    if k in memo:
        return memo[k]
    found = pure.get(k)
    if found is not None:
        return found
    children = parts.get(k)
    if not children or k in seen:
        return 1
    inner = seen | {k}
    best = 0  # the largest group's count (each counts 1 or more)
    for group in children:
        total = 0
        for c in group:  # (an item, a row no part names: 1, as _count finds it, without the call)
            total += _count(c, inner, parts, memo, pure, acyclic) if parts.get(c) else 1
        if total > best:
            best = total
    memo[k] = best
    if k in acyclic:
        pure[k] = best
    return best
