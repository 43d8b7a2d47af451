"""The rule language's functions over intervals: fact, sum, signed, coarse, abs, round, min, max, translate."""
from __future__ import annotations

from decimal import Decimal

from ..lang import nodes as n
from ..lang.graph import ref_key
from .anchors import direction
from .findings import FIGURE, EvalError, Skip, Val, not_applicable
from .interval import DivisionByZero, maximum, minimum


def call(ev, node: n.Call, ctx) -> Val:
    """A function call, evaluated by the Evaluator `ev` in the column or row `ctx`."""
    func = node.func
    if func == "fact":
        return ev.fact(node.args[0].value)
    if func == "sum":
        parts: list[Val] = []
        absent = None
        for arg in node.args:
            try:
                if type(arg) is n.CellRef and (arg.until or isinstance(arg.path[-1], n.Star)):
                    table = ev.table(arg.table)
                    parts.extend(ev.cell(table, row, ctx, arg.mods) for row in ev.rows(arg))
                else:
                    parts.append(ev.eval(arg, ctx))
            except Skip as exc:  # an optional item that is not printed adds nothing to a sum
                if not getattr(arg, "optional", False):
                    raise
                absent = absent or exc
        if not parts:
            raise not_applicable(absent, "every item of sum() is optional and absent")
        kinds = {f.kind for part in parts for f in part.figs if f.kind != "nil"}
        if len(kinds) > 1 and not any(getattr(arg, "kinds", ()) for arg in node.args):
            raise EvalError(f"sum() mixes {' and '.join(sorted(kinds))} figures; choose with "
                            "`where` (t[\"A\" .. \"B\" where amount]) or sum them apart")
        total = parts[0]
        for part in parts[1:]:
            total = Val(total.iv + part.iv, total.figs + part.figs)
        return total
    if func == "signed":
        try:
            fig = ev.prose_figure(node.args[0], ctx)
        except Skip as exc:
            if node.args[0].optional:
                raise not_applicable(exc, f"optional {ref_key(node.args[0])}") from None
            raise
        sign, _ = direction(fig, ev.filing.line(fig.span.line))
        if not sign:
            raise Skip(f"no word next to '{fig.text}' (line {fig.span.line}) says whether it rose or fell",
                       FIGURE)
        value = ev.figure_value(fig)
        return value if sign > 0 else Val(-value.iv, value.figs)
    if func == "coarse":  # a figure restated from a coarser one: good only to that precision
        val = ev.eval(node.args[0], ctx)
        factor = node.args[1].value
        fig = val.figs[0] if val.figs else None
        unit = Decimal(1).scaleb(fig.scale - fig.decimals) if fig is not None else Decimal(1)
        return Val(val.iv.widen(unit * (factor - 1) / 2), val.figs) if factor > 1 else val
    args = [ev.eval(a, ctx) for i, a in enumerate(node.args) if func != "round" or i == 0]  # round(2.5, 0)
    if func == "abs":
        return Val(abs(args[0].iv), args[0].figs)
    if func == "round":
        places = int(node.args[1].value) if len(node.args) > 1 else 0
        return Val(args[0].iv.round(places), args[0].figs)
    if func in ("min", "max"):
        combine = minimum if func == "min" else maximum
        out = args[0]
        for arg in args[1:]:
            out = Val(combine(out.iv, arg.iv), out.figs + arg.figs)
        return out
    if func == "translate":
        return translate(ev, *args)
    raise EvalError(f"unknown function {func}()")


def translate(ev, amount: Val, rate: Val) -> Val:
    """amount / rate, widened by the rounding of the translated items a translated total is made of
    (ev.allowance), which the evaluator also adds to the check's allowance."""
    try:
        iv = amount.iv / rate.iv
    except DivisionByZero:
        raise EvalError("translate(): the rate may be zero") from None
    allowance = ev.allowance(amount)
    if allowance:
        ev._allowance += allowance
        iv = iv.widen(allowance)
    return _new(Val, (iv, amount.figs + rate.figs))


_new = tuple.__new__  # (a Val made from its fields)
