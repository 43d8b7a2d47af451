"""One-comparison rules evaluated over all their instances at once: each reference's table and rows
found once per rule, each column once per distinct column of the instances, then the figures and the
arithmetic instance by instance. An instance this cannot decide (an absent figure or column, an error,
anything unusual) gets None and is evaluated by the general path (`compiled`), which says why.
"""
from __future__ import annotations

import itertools

from ..lang import nodes as n
from .compiled import _held, context_free, row_key
from .findings import Val
from .interval import _DOWN, _UP, ZERO, Interval

_new = tuple.__new__
_blank = object.__new__
_PLANS: dict[int, tuple] = {}  # id(check option) -> (the option, its plan or None); options live in rule sets
_LIMIT = 20_000


class _Unsupported(Exception):
    """A node this module does not evaluate: the check keeps the general path."""


class Fallback(Exception):
    """A reference of the rule is not resolved: every instance takes the general path."""


def plan(option):
    """(groups, key, run) for a Compare or Restates, else None: `groups` the (table name, or None for
    a `row`, and modifiers) of the columns it reads, `key` a number for them, `run(ev, state, instances)`
    (no stated tolerance) the outcomes, one per instance (None for one left to the general path), with
    state = [the instances' contexts, their columns(), None or the allowance translate() found for each]."""
    hit = _PLANS.get(id(option))
    if hit is not None and hit[0] is option:
        return hit[1]
    groups: list[tuple] = []
    try:
        if type(option) is n.Compare:
            made = _compare(_expr(option.left, groups), _expr(option.right, groups), option.op)
        elif type(option) is n.Restates:
            made = _restates(_expr(option.expr, groups))
        else:
            made = None
    except _Unsupported:
        made = None
    found = None
    if made is not None:
        groups_ = tuple(groups)
        key = _GROUP_KEYS.get(groups_)
        if key is None:
            if len(_GROUP_KEYS) > _LIMIT:  # (a number is never given again: one forgotten only stops being shared)
                _GROUP_KEYS.clear()
            key = _GROUP_KEYS[groups_] = next(_NUMBERS)
        found = (groups_, key, made)
    if len(_PLANS) > _LIMIT:
        _PLANS.clear()
    _PLANS[id(option)] = (option, found)
    return found


def columns(ev, groups, key, ctxs) -> list:
    """For each context, the index of the column each group reads (None: not found, or a context
    this module does not handle); found once per filing for each distinct column (period, currency,
    role and the driving table) and groups alike (`key`)."""
    memo, tables, out = ev._swept, None, []
    for ctx in ctxs:
        period, table = ctx.period, ctx.table
        hit = memo.get((id(period), ctx.currency, ctx.role, id(table), key))
        if hit is not None and hit[0] is period and hit[1] is table and not ctx.shift:
            out.append(hit[2])
            continue
        found = None
        if not ctx.shift:
            if tables is None:
                tables = _tables(ev, groups)
            if table is not None or all(t is not None for t in tables):
                try:
                    found = tuple([ev.column(t if t is not None else table, ctx, mods).index
                                   for t, (_, mods) in zip(tables, groups)])
                except Exception:  # (a column not found: the general path raises it)
                    found = None
            memo[(id(period), ctx.currency, ctx.role, id(table), key)] = (period, table, found)
        out.append(found)
    return out


def _tables(ev, groups) -> list:
    tables = []
    for name, _ in groups:
        try:
            tables.append(ev.table(name) if name is not None else None)
        except Exception:
            raise Fallback from None
    return tables


_GROUP_KEYS: dict[tuple, int] = {}  # a plan's groups -> a number for them
_NUMBERS = itertools.count()


def _compare(left, right, op):
    def run(ev, state, instances):
        a_vals, b_vals = left(ev, state), right(ev, state)
        out = []
        for a, b in zip(a_vals, b_vals):
            if a is None or b is None:
                out.append(None)
            elif op == "=":
                x, y = a[0], b[0]
                out.append((x.lo <= y.hi and y.lo <= x.hi, a, b, None))
            else:
                out.append(_held(op, a, b, None))
        return out
    return run


def _restates(right):
    def run(ev, state, instances):
        b_vals = right(ev, state)
        values, out = ev._figures, []
        for inst, b in zip(instances, b_vals):
            figure = inst[2]
            if figure is None or b is None:
                out.append(None)
                continue
            a = values.get(id(figure))
            if a is None:
                a = ev._figure(figure)
            x, y = a[0], b[0]
            out.append((x.lo <= y.hi and y.lo <= x.hi, a, b, None))
        return out
    return run


# -- expressions: fn(ev, state) -> [Val or None], one per instance ---------------------------------

def _expr(node, groups):
    kind = type(node)
    if kind is n.CellRef:
        if node.until or isinstance(node.path[-1], n.Star):
            raise _Unsupported  # (a range outside sum())
        return _cell(node, _group(groups, node.table, node.mods))
    if kind is n.RowRef:
        return _row(_group(groups, None, node.mods))
    if kind is n.Binary:
        return _binary(_expr(node.left, groups), _expr(node.right, groups), node.op)
    if kind is n.Number:
        val = _new(Val, (Interval.exact(node.value), ()))
        return lambda ev, state: [val] * len(state[0])
    if kind is n.Name and not node.mods:
        return _name(node.name)
    if kind is n.Unary:
        return _unary(_expr(node.operand, groups))
    if kind is n.Call and node.func == "sum" and node.args and all(type(a) is n.CellRef for a in node.args):
        return _sum(node, [_group(groups, a.table, a.mods) for a in node.args])
    if kind is n.Call and node.func == "translate" and len(node.args) == 2:
        return _translate(_expr(node.args[0], groups), _expr(node.args[1], groups))
    raise _Unsupported


def _group(groups: list, table, mods) -> int:
    key = (table, mods)
    if key not in groups:
        groups.append(key)
    return groups.index(key)


def _resolved(ev, ref):
    """(table, rows) of a reference, as the general path finds them; Fallback if they are not found."""
    try:
        return ev.table(ref.table), ev.rows(ref)
    except Exception:
        raise Fallback from None


def _cell(node, j):
    key = row_key(node)

    def cell(ev, state):
        hit = ev._cells.get(key)  # its table and row, as the general path keeps them
        if hit is None:
            table, rows = _resolved(ev, node)
            if not rows:
                raise Fallback
            hit = ev._cells[key] = (table, rows[0])
        cells = hit[1].cells
        size, values, out = len(cells), ev._figures, []
        for cols in state[1]:
            fig = cells[cols[j]] if cols is not None and cols[j] < size else None
            if fig is None:
                out.append(None)
                continue
            val = values.get(id(fig))
            out.append(val if val is not None else ev._figure(fig))
        return out
    return cell


def _row(j):
    def row(ev, state):
        values, out = ev._figures, []
        for ctx, cols in zip(state[0], state[1]):
            cells = ctx.row.cells if ctx.row is not None else ()
            fig = cells[cols[j]] if cols is not None and cols[j] < len(cells) else None
            if fig is None:
                out.append(None)
                continue
            val = values.get(id(fig))
            out.append(val if val is not None else ev._figure(fig))
        return out
    return row


def _binary(left, right, op):
    def binary(ev, state):
        out = []
        for a, b in zip(left(ev, state), right(ev, state)):
            if a is None or b is None:
                out.append(None)
                continue
            x, y = a[0], b[0]
            try:
                if op == "+":
                    iv = _blank(Interval)
                    iv.lo, iv.hi = _DOWN.add(x.lo, y.lo), _UP.add(x.hi, y.hi)
                elif op == "-":
                    iv = _blank(Interval)
                    iv.lo, iv.hi = _DOWN.subtract(x.lo, y.hi), _UP.subtract(x.hi, y.lo)
                elif op == "*":
                    iv = x * y
                else:
                    iv = x / y
            except ArithmeticError:  # (a divisor that may be zero, too many digits: said by the general path)
                out.append(None)
                continue
            out.append(_new(Val, (iv, a[1] + b[1])))
        return out
    return binary


def _unary(operand):
    def neg(ev, state):
        out = []
        for a in operand(ev, state):
            if a is None:
                out.append(None)
                continue
            x = a[0]
            iv = _blank(Interval)
            iv.lo, iv.hi = -x.hi, -x.lo
            out.append(_new(Val, (iv, a[1])))
        return out
    return neg


def _name(name):
    def let(ev, state):
        ctxs = state[0]
        free = ev._free.get(name)
        if free is None and name in ev.rs.lets:
            free = ev._free[name] = context_free(ev.rs.lets[name].expr, ev.rs.lets)
        if free and ctxs:  # one value for every context (Evaluator.let keeps it by its name)
            try:
                return [ev.let(name, ctxs[0])] * len(ctxs)
            except Exception:
                return [None] * len(ctxs)
        out = []
        for ctx in ctxs:
            try:
                out.append(ev.let(name, ctx))
            except Exception:
                out.append(None)
        return out
    return let


def _translate(amount_of, rate_of):
    def translate(ev, state):
        out = []
        allow = state[2]
        if allow is None:  # (each instance's, added to 0 as Evaluator._allowance is)
            allow = state[2] = [ZERO] * len(state[0])
        for k, (amount, rate) in enumerate(zip(amount_of(ev, state), rate_of(ev, state))):
            if amount is None or rate is None:
                out.append(None)
                continue
            try:
                iv = amount[0] / rate[0]
                allowance = ev.allowance(amount)
                if allowance:
                    allow[k] += allowance
                    iv = iv.widen(allowance)
            except ArithmeticError:
                out.append(None)
                continue
            out.append(_new(Val, (iv, amount[1] + rate[1])))
        return out
    return translate


def _sum(node, js):
    refs = node.args
    ranged = [bool(a.until or isinstance(a.path[-1], n.Star)) for a in refs]
    typed = any(a.kinds for a in refs)

    def total(ev, state):
        lines = []  # for each argument: (its rows' cells, its group)
        for ref, whole, j in zip(refs, ranged, js):
            if whole:
                _, rows = _resolved(ev, ref)
            else:
                hit = ev._cells.get(row_key(ref))
                rows = [hit[1]] if hit is not None else _resolved(ev, ref)[1][:1]
            if not rows:
                raise Fallback
            lines.extend((row.cells, j) for row in rows)
        values, out = ev._figures, []
        for cols in state[1]:
            if cols is None:
                out.append(None)
                continue
            figs = []
            for cells, j in lines:
                i = cols[j]
                fig = cells[i] if i < len(cells) else None
                if fig is None:
                    break
                figs.append(fig)
            else:
                out.append(_total(ev, values, figs, typed))
                continue
            out.append(None)
        return out
    return total


def _total(ev, values, figs, typed):
    """sum() of the figures' values, as compiled._sum makes it; None if they mix kinds."""
    if not typed and len({f.kind for f in figs} - {"nil"}) > 1:
        return None
    vals = []
    for fig in figs:
        val = values.get(id(fig))
        vals.append(val if val is not None else ev._figure(fig))
    if len(vals) == 1:
        return vals[0]
    iv = vals[0][0]
    lo, hi = iv.lo, iv.hi
    try:
        for part in vals[1:]:
            x = part[0]
            lo, hi = _DOWN.add(lo, x.lo), _UP.add(hi, x.hi)
    except ArithmeticError:
        return None
    iv = _blank(Interval)
    iv.lo, iv.hi = lo, hi
    return _new(Val, (iv, tuple(figs)))
