"""Rules compiled once into closures: each expression becomes a function (evaluator, ctx) -> Val,
each check a function (evaluator, ctx, prose figure) -> (holds, left, right, tolerance), made once
per node for the process. They do what Evaluator.eval's tree walk does, through the same
per-filing resolution (tables, rows, columns, definitions, what-if overrides); a node type not
known here is handed to that tree walk.
"""
from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Optional

from ..lang import nodes as n
from ..lang.graph import ref_key
from ..read.filing import Column
from .findings import EvalError, Skip, Val, _display, not_applicable
from .functions import call, translate
from .interval import _DOWN, _UP, DivisionByZero, Interval, holds, maximum, minimum

_new = tuple.__new__
_FNS: dict[int, tuple[object, object]] = {}  # id(node) -> (node, its function); nodes live in rule sets
_LIMIT = 20_000  # functions kept (a batch of --auto audits compiles new rules for every filing)


def expr(node):
    """The function evaluating an expression node: fn(ev, ctx) -> Val."""
    hit = _FNS.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    make = _MAKERS.get(type(node))
    fn = make(node) if make is not None else _walked(node)
    if len(_FNS) > _LIMIT:
        _FNS.clear()
    _FNS[id(node)] = (node, fn)
    return fn


def check(option):
    """The function comparing one check (a Compare or Restates):
    fn(ev, ctx, figure, tolerance) -> (holds, left, right, tolerance in base units)."""
    hit = _FNS.get(id(option))
    if hit is not None and hit[0] is option:
        return hit[1]
    fn = _restates(option) if isinstance(option, n.Restates) else _compare(option)
    _FNS[id(option)] = (option, fn)
    return fn


def row_key(ref: n.CellRef) -> int:
    """A number for the rows a cell reference names (its table and label path, range and kinds, not
    its column modifiers): references written alike share it, so their rows are found once."""
    hit = _ROW_KEYS.get(id(ref))
    if hit is not None and hit[0] is ref:
        return hit[1]
    written = ref_key(replace(ref, mods=(), optional=False))
    key = _KEYS.get(written)
    if key is None:
        if len(_KEYS) > _LIMIT:  # (a number is never given again: one forgotten only stops being shared)
            _KEYS.clear()
        key = _KEYS[written] = next(_NUMBERS)
    if len(_ROW_KEYS) > _LIMIT:
        _ROW_KEYS.clear()
    _ROW_KEYS[id(ref)] = (ref, key)
    return key


_ROW_KEYS: dict[int, tuple] = {}  # id(CellRef) -> (the reference, row_key)
_KEYS: dict[str, int] = {}  # a reference's rows as written -> row_key
_NUMBERS = itertools.count()


def context_free(node, lets: dict, seen: frozenset = frozenset()) -> bool:
    """Is an expression the same in every column, row and occurrence: numbers, stated facts, and
    arithmetic and definitions of them only? (Its value is then one per filing.)"""
    kind = type(node)
    if kind is n.Number or kind is n.Str:
        return True
    if kind is n.Unary:
        return context_free(node.operand, lets, seen)
    if kind is n.Binary:
        return context_free(node.left, lets, seen) and context_free(node.right, lets, seen)
    if kind is n.Call:
        return node.func in _FREE_CALLS and all(context_free(a, lets, seen) for a in node.args)
    if kind is n.Name:
        let = lets.get(node.name)
        return let is not None and node.name not in seen and context_free(let.expr, lets, seen | {node.name})
    return False


_FREE_CALLS = ("fact", "abs", "round", "min", "max")


def _walked(node):
    return lambda ev, ctx: ev.eval(node, ctx)


def _compare(option):
    left, right, op = expr(option.left), expr(option.right), option.op

    def fn(ev, ctx, figure, tolerance):
        a = left(ev, ctx)
        b = right(ev, ctx)
        if tolerance is None and op == "=":  # (most: holds("=", ...), inlined)
            x, y = a[0], b[0]
            return x.lo <= y.hi and y.lo <= x.hi, a, b, None
        return _held(op, a, b, tolerance)
    return fn


def _restates(option):
    right = expr(option.expr)

    def fn(ev, ctx, figure, tolerance):
        if figure is None:
            raise EvalError("restates without a prose figure")
        if ev.overrides:
            a = ev.figure_value(figure)
        else:
            a = ev._figures.get(id(figure))
            if a is None:
                a = ev._figure(figure)
        b = right(ev, ctx)
        if tolerance is None:
            x, y = a[0], b[0]
            return x.lo <= y.hi and y.lo <= x.hi, a, b, None
        return _held("=", a, b, tolerance)
    return fn


def _held(op, a, b, tolerance):
    target = b[0]
    if tolerance is None:
        return holds(op, a[0], target), a, b, None
    tol = tolerance.value.scaleb(_display(a[1] or b[1]).scale)
    return holds(op, a[0], target.widen(tol)), a, b, tol


# -- expressions ------------------------------------------------------------------------------

def _number(node):
    val = _new(Val, (Interval.exact(node.value), ()))
    return lambda ev, ctx: val


def _binary(node):
    left, right, op = expr(node.left), expr(node.right), node.op
    if op == "+":
        def add(ev, ctx):
            a = left(ev, ctx)
            b = right(ev, ctx)
            x, y = a[0], b[0]
            return _new(Val, (Interval(_DOWN.add(x.lo, y.lo), _UP.add(x.hi, y.hi)), a[1] + b[1]))
        return add
    if op == "-":
        def sub(ev, ctx):
            a = left(ev, ctx)
            b = right(ev, ctx)
            x, y = a[0], b[0]
            return _new(Val, (Interval(_DOWN.subtract(x.lo, y.hi), _UP.subtract(x.hi, y.lo)), a[1] + b[1]))
        return sub
    if op == "*":
        def mul(ev, ctx):
            a = left(ev, ctx)
            b = right(ev, ctx)
            return _new(Val, (a[0] * b[0], a[1] + b[1]))
        return mul

    def div(ev, ctx):
        a = left(ev, ctx)
        b = right(ev, ctx)
        try:
            iv = a[0] / b[0]
        except DivisionByZero:
            raise EvalError(f"division by zero: the divisor {_figs_text(b[1]) or 'value'} "
                            "may be zero") from None
        return _new(Val, (iv, a[1] + b[1]))
    return div


def _unary(node):
    operand = expr(node.operand)

    def neg(ev, ctx):
        a = operand(ev, ctx)
        x = a[0]
        return _new(Val, (Interval(-x.hi, -x.lo), a[1]))
    return neg


def _name(node):
    name, mods = node.name, node.mods
    if mods:
        return lambda ev, ctx: ev.let(name, ctx._replace(shift=ctx.shift + mods))
    return lambda ev, ctx: ev.let(name, ctx)


def _cellref(node):
    key, table, mods, optional = row_key(node), node.table, node.mods, node.optional
    what = f"optional {ref_key(node)}" if optional else None  # (what a skip of an optional reference says)
    gone = (key, what)  # (a skip of its table or rows says the same for every reference with this key)

    def cellref(ev, ctx):
        hit = ev._cells.get(key)  # its table and row, once found
        if hit is None:
            hit = _table_row(ev, table, node, optional, what, gone)
        found, row = hit
        shift, period = ctx.shift, ctx.period  # (_cell and _column_index, inlined)
        column = ev._by_identity.get((id(found), id(period), ctx.currency, shift + mods if shift else mods,
                                      ctx.role))
        if column is not None and column[0] is period and column[1] is found and not ev.overrides:
            column = column[2]
            if type(column) is Column:
                index, cells = column.index, row.cells
                fig = cells[index] if index < len(cells) else None
                if fig is not None:
                    val = ev._figures.get(id(fig))
                    return val if val is not None else ev._figure(fig)
            elif column.__class__ is Skip:  # (a column found absent: the Skip ev.cell raises, as said here)
                exc = Skip(column.reason, column.cause)
                raise not_applicable(exc, what) if optional else exc
        try:
            return ev.cell(found, row, ctx, mods)
        except Skip as exc:
            if optional:
                raise not_applicable(exc, what) from None
            raise
    return cellref


def _table_row(ev, table, node, optional, what, gone) -> tuple:
    """A cell reference's table and first row, found (and kept) the first time; a table or rows found
    absent is remembered for the filing and said again (a fresh Skip) without looking them up."""
    absent = ev._absent.get(gone)
    if absent is not None:
        raise Skip(*absent)
    try:
        hit = ev._cells[row_key(node)] = (ev.table(table), ev.rows(node)[0])
    except Skip as exc:
        exc = not_applicable(exc, what) if optional else exc
        ev._absent[gone] = (exc.reason, exc.cause)
        raise exc from None
    return hit


def _column_index(ev, table, ctx, mods) -> Optional[int]:
    """The index of the column of `table` that a context and modifiers name, when Evaluator.column
    has found it already (it keeps it in its caches) and no what-if override is in place; else None."""
    shift = ctx.shift
    period = ctx.period
    hit = ev._by_identity.get((id(table), id(period), ctx.currency, shift + mods if shift else mods, ctx.role))
    if hit is None or hit[0] is not period or hit[1] is not table or ev.overrides or type(hit[2]) is not Column:
        return None
    return hit[2].index


def _cell(ev, table, row, ctx, mods) -> Val:
    """ev.cell(table, row, ctx, mods): a column and figure value already found are read from the
    Evaluator's caches here (as Evaluator.column and figure_value keep them), anything else there."""
    index = _column_index(ev, table, ctx, mods)
    if index is not None:
        cells = row.cells
        fig = cells[index] if index < len(cells) else None
        if fig is not None:
            val = ev._figures.get(id(fig))
            return val if val is not None else ev._figure(fig)  # (no what-if here: see _column_index)
    return ev.cell(table, row, ctx, mods)  # (a column not found yet, or the Skip saying a cell is empty)


def _extend_cells(vals: list, ev, table, rows, ctx, mods) -> None:
    """vals.extend(_cell(ev, table, row, ctx, mods) for row in rows), the column found once for all."""
    index = _column_index(ev, table, ctx, mods)
    if index is None:
        vals.extend(_cell(ev, table, row, ctx, mods) for row in rows)
        return
    figures, add = ev._figures, vals.append
    for row in rows:
        cells = row.cells
        fig = cells[index] if index < len(cells) else None
        if fig is None:
            add(_cell(ev, table, row, ctx, mods))  # (the Skip saying so)
            continue
        val = figures.get(id(fig))
        add(val if val is not None else ev._figure(fig))


def _rowref(node):
    mods = node.mods

    def row(ev, ctx):
        if ctx.row is None:
            raise EvalError("'row' outside a 'for each row' rule")
        return _cell(ev, ctx.table, ctx.row, ctx, mods)
    return row


def _proseref(node):
    optional = node.optional
    what = f"optional {ref_key(node)}" if optional else None

    def prose(ev, ctx):
        try:
            return ev.figure_value(ev.prose_figure(node, ctx))
        except Skip as exc:
            if optional:
                raise not_applicable(exc, what) from None
            raise
    return prose


def _call(node):
    func = node.func
    if func == "sum":
        return _sum(node)
    if func == "fact":
        name = node.args[0].value
        return lambda ev, ctx: ev.fact(name)
    if func in ("signed", "coarse"):
        return lambda ev, ctx: call(ev, node, ctx)
    args = tuple(expr(a) for i, a in enumerate(node.args) if func != "round" or i == 0)  # round(2.5, 0)
    if func == "abs":
        def absolute(ev, ctx):
            val = args[0](ev, ctx)
            return _new(Val, (abs(val[0]), val[1]))
        return absolute
    if func == "round":
        places = int(node.args[1].value) if len(node.args) > 1 else 0

        def rounded(ev, ctx):
            val = args[0](ev, ctx)
            return _new(Val, (val[0].round(places), val[1]))
        return rounded
    if func in ("min", "max"):
        combine = minimum if func == "min" else maximum

        def extreme(ev, ctx):
            vals = [fn(ev, ctx) for fn in args]
            out = vals[0]
            for val in vals[1:]:
                out = _new(Val, (combine(out[0], val[0]), out[1] + val[1]))
            return out
        return extreme
    if func == "translate" and len(args) == 2:
        return _translate(*args)
    return lambda ev, ctx: call(ev, node, ctx)


def _translate(amount_of, rate_of):
    return lambda ev, ctx: translate(ev, amount_of(ev, ctx), rate_of(ev, ctx))


def _sum(node):
    parts = []
    for arg in node.args:
        ranged = type(arg) is n.CellRef and bool(arg.until or isinstance(arg.path[-1], n.Star))
        parts.append((arg, ranged, expr(arg), getattr(arg, "optional", False)))
    typed = any(getattr(arg, "kinds", ()) for arg in node.args)

    def total(ev, ctx):
        vals: list[Val] = []
        absent = None
        for arg, ranged, fn, optional in parts:
            try:
                if ranged:
                    table = ev.table(arg.table)
                    _extend_cells(vals, ev, table, ev.rows(arg), ctx, arg.mods)
                else:
                    vals.append(fn(ev, ctx))
            except Skip as exc:  # an optional item that is not printed adds nothing to a sum
                if not optional:
                    raise
                absent = absent or exc
        if not vals:
            raise not_applicable(absent, "every item of sum() is optional and absent")
        kinds = {f.kind for val in vals for f in val[1] if f.kind != "nil"}
        if len(kinds) > 1 and not typed:
            raise EvalError(f"sum() mixes {' and '.join(sorted(kinds))} figures; choose with "
                            "`where` (t[\"A\" .. \"B\" where amount]) or sum them apart")
        if len(vals) == 1:
            return vals[0]
        iv, figs = vals[0]
        lo, hi = iv.lo, iv.hi
        for part in vals[1:]:
            x = part[0]
            lo, hi = _DOWN.add(lo, x.lo), _UP.add(hi, x.hi)
            figs = figs + part[1]
        return _new(Val, (Interval(lo, hi), figs))
    return total


_MAKERS = {n.Number: _number, n.Binary: _binary, n.Unary: _unary, n.Name: _name, n.CellRef: _cellref,
           n.RowRef: _rowref, n.ProseRef: _proseref, n.Call: _call}


def _figs_text(figs) -> str:
    return ", ".join(f"'{f.text}' (line {f.span.line})" for f in figs)

