"""The audit engine: (compiled rules, filing) -> AuditResult (findings, coverage).

Each rule is evaluated over rounding intervals, once per column of its driving table (or per
prose figure, or per row for `for each row` rules): the instances come from `instances`, the
rule compiled into closures from `compiled` (which hands node types it does not know to the tree
walk here, `eval`), outcomes from `outcomes`, messages and notes from `messages`.
"""
from __future__ import annotations

import weakref
from decimal import Decimal
from typing import Optional

from ..lang import nodes as n
from ..lang.graph import RuleSet, ref_key
from ..read.filing import Column, Figure, Filing, Row, Table
from ..read.numbers import half_unit
from . import earlier
from .anchors import ProseIndex
from .compiled import context_free, expr, row_key
from .coverage import measure
from .findings import (  # noqa: F401
    ANCHOR,
    FIGURE,
    NOT_APPLICABLE,
    AuditResult,
    Ctx,
    Display,
    EvalError,
    Finding,
    Instance,
    Skip,
    Val,
    _display,
    fmt,
)
from .findings import not_applicable as _not_applicable
from .footings import Footings
from .functions import call
from .instances import RuleInstances
from .interval import _HALVES, DivisionByZero, Interval
from .outcomes import TOO_LARGE as _TOO_LARGE  # noqa: F401
from .outcomes import RuleOutcomes, _bare, _dedupe  # noqa: F401
from .pause import gc_paused
from .resolve import LISTED, Unresolved, _listed, find_column, find_rows, find_table
from .units import declared_units


def audit(ruleset: RuleSet, filing: Filing) -> AuditResult:
    """Evaluate every rule over the filing. Diagnosis is the next stage (audit.diagnose)."""
    with gc_paused():
        filing = declared_units(ruleset, filing)
        evaluator = Evaluator(ruleset, filing)
        findings = []
        for rule in ruleset.rules:
            findings.extend(evaluator.run(rule))
        coverage = measure(filing, findings, evaluator.unchecked())
        if not evaluator.failed:  # (no diagnosis follows)
            evaluator.release()
        return AuditResult(filing, ruleset, tuple(findings), coverage, evaluator=evaluator)


_new = tuple.__new__
_blank = object.__new__
_POWERS: dict[int, Decimal] = {}  # scale -> Decimal(1).scaleb(scale)


def _power(scale: int) -> Decimal:
    """x * _power(scale) is x.scaleb(scale): the same digits, rounded alike, and quicker."""
    power = _POWERS.get(scale)
    if power is None:
        power = _POWERS[scale] = Decimal(1).scaleb(scale)
    return power


class Evaluator(RuleInstances, RuleOutcomes):
    """Walks rule ASTs over one filing's figures, with caches for tables, rows and columns."""

    def __init__(self, ruleset: RuleSet, filing: Filing):
        self.rs = ruleset
        self.filing = filing
        self._tables: dict[str, object] = {}
        self._rows: dict[int, object] = {}  # row_key(CellRef) -> its rows (refs to the same rows share them)
        self._columns: dict = {}
        self._by_identity: dict = {}  # column() by the identity of table and period
        self._cells: dict[int, tuple[Table, Row]] = {}  # row_key(CellRef) -> its table and first row
        self._absent: dict[tuple, tuple] = {}  # (row_key, optional's words) -> its table or rows' Skip (reason, cause)
        self._labels: dict[int, tuple[Column, str]] = {}  # id(column) -> its label
        self._ctxs: dict[int, tuple] = {}  # id(column or prose figure) -> (it, the context of the rules it drives)
        self._drives: dict[tuple, list] = {}  # (table, `columns` list) -> the contexts of the columns it drives
        self._lets: dict = {}  # a definition's value in a column, row or occurrence (by its name if context_free)
        self._free: dict[str, bool] = {}  # definition -> context_free(its expression)
        self._facts: dict = {}
        self._figures: dict[int, Val] = {}  # id(figure) -> its interval; figures live as long as the filing
        self._prose: Optional[ProseIndex] = None
        self._footings: Optional[Footings] = None
        self.overrides: dict[tuple[int, int], Interval] = {}
        self._allowance = Decimal(0)
        self._displays: dict[int, Display] = {}  # id(figure) -> how values compared with it are shown
        self._paths: dict[int, str] = {}  # id(row) -> its path (findings of `for each row` rules show it)
        self._periods: dict = {}  # a prose figure's period, and its id() -> the equal period its context holds and its label() (see instances)
        self.failed = False  # has a check failed (made a finding with status 'fail')?

    def release(self) -> None:
        """Forget what this filing's evaluation kept (found again if asked for)."""
        for store in (self._figures, self._lets, self._cells, self._absent, self._by_identity, self._columns,
                      self._rows, self._displays, self._paths, self._drives, self._labels,
                      self._periods, self._ctxs):  # (the contexts themselves stay with the findings' instances)
            store.clear()
        self._prose = None
        self._footings = None

    # -- resolution ------------------------------------------------------------------------

    @property
    def prose(self) -> ProseIndex:
        if self._prose is None:
            self._prose = ProseIndex(self.filing, self.rs.anchor_texts())
        return self._prose

    @staticmethod
    def _resolved(store: dict, key, resolve):
        """Resolve once per filing; an absent or ambiguous reference is remembered too and
        raised as Skip or EvalError each time it is asked for."""
        found = store.get(key)
        if found is None:
            try:
                found = resolve()
            except Unresolved as exc:
                found = _bare(exc)
            store[key] = found
        if isinstance(found, Unresolved):
            if found.status == "skip":
                raise Skip(found.reason, found.cause)
            raise EvalError(found.reason)
        return found

    def table(self, name: str) -> Table:
        found = self._tables.get(name)  # (found before: _resolved's answer without a call)
        if found is not None and not isinstance(found, Unresolved):
            return found
        decl = self.rs.tables[name]
        try:
            return self._resolved(self._tables, name, lambda: find_table(self.filing, decl))
        except Skip as exc:
            raise _not_applicable(exc, f"optional table '{name}'") if decl.optional else exc from None

    def rows(self, ref: n.CellRef) -> list[Row]:
        found = self._rows.get(row_key(ref))  # (found before: _resolved's answer without a call)
        if type(found) is list:
            return found
        return self._resolved(self._rows, row_key(ref), lambda: find_rows(self.table(ref.table), ref))

    def column(self, table: Table, ctx: Ctx, mods: tuple[str, ...]) -> Column:
        period = ctx.period
        fast = (id(table), id(period), ctx.currency, mods, ctx.role)  # hashing a Period costs more
        hit = self._by_identity.get(fast)
        if hit is not None and hit[0] is period and hit[1] is table:
            found = hit[2]
        else:
            try:
                found = self._resolved(self._columns, (table.id, period, ctx.currency, mods, ctx.role),
                                       lambda: find_column(table, period, ctx.currency, mods, ctx.role))
            except (Skip, EvalError) as exc:
                found = _bare(exc)
            self._by_identity[fast] = (period, table, found)
        if isinstance(found, Exception):
            raise Skip(found.reason, found.cause) if isinstance(found, Skip) else EvalError(found.reason)
        return found

    def figure_value(self, fig: Figure) -> Val:
        if self.overrides:
            override = self.overrides.get(fig.key)
            if override is not None:
                return Val(override, (fig,))
        found = self._figures.get(id(fig))
        return found if found is not None else self._figure(fig)

    def _figure(self, fig: Figure) -> Val:
        """A figure's value, the first time it is asked for (kept: figures live as long as the filing)."""
        value, scale = fig.value, fig.scale
        iv = _blank(Interval)  # (Interval(lo, hi), without a call of its __init__)
        if fig.kind == "nil":  # fig.exact: Interval.exact(value.scaleb(scale))
            iv.lo = iv.hi = value * _power(scale)
        else:  # Interval.printed(value, decimals, scale)
            half = _HALVES.get(fig.decimals)
            if half is None:
                half = _HALVES[fig.decimals] = half_unit(fig.decimals)
            if scale:
                power = _power(scale)
                iv.lo = (value - half) * power
                iv.hi = (value + half) * power
            else:  # (x * 1 is x)
                iv.lo = value - half
                iv.hi = value + half
        found = self._figures[id(fig)] = _new(Val, (iv, (fig,)))
        return found

    def cell(self, table: Table, row: Row, ctx: Ctx, mods: tuple[str, ...]) -> Val:
        column = self.column(table, ctx, ctx.shift + mods if ctx.shift else mods)
        fig = row.cells[column.index] if column.index < len(row.cells) else None
        if fig is None:
            raise Skip(f"no figure for '{row.label}' (line {row.span.line}) in column {column.label}", FIGURE)
        return self.figure_value(fig)

    # -- expressions -------------------------------------------------------------------------

    def eval(self, node, ctx: Ctx) -> Val:
        kind = type(node)
        if kind is n.CellRef:
            try:
                hit = self._cells.get(row_key(node))  # its table and row, once found
                if hit is None:
                    table = self.table(node.table)
                    hit = self._cells[row_key(node)] = (table, self.rows(node)[0])
                return self.cell(hit[0], hit[1], ctx, node.mods)
            except Skip as exc:
                if node.optional:
                    raise _not_applicable(exc, f"optional {ref_key(node)}") from None
                raise
        if kind is n.Binary:
            left = self.eval(node.left, ctx)
            right = self.eval(node.right, ctx)
            op = node.op
            try:
                if op == "+":
                    iv = left.iv + right.iv
                elif op == "-":
                    iv = left.iv - right.iv
                elif op == "*":
                    iv = left.iv * right.iv
                else:
                    iv = left.iv / right.iv
            except DivisionByZero:
                raise EvalError(f"division by zero: the divisor {_figs_text(right.figs) or 'value'} "
                                "may be zero") from None
            return Val(iv, left.figs + right.figs)
        if kind is n.Number:
            return Val(Interval.exact(node.value), ())
        if kind is n.Name:
            return self.let(node.name, ctx._replace(shift=ctx.shift + node.mods) if node.mods else ctx)
        if kind is n.RowRef:
            if ctx.row is None:
                raise EvalError("'row' outside a 'for each row' rule")
            return self.cell(ctx.table, ctx.row, ctx, node.mods)
        if kind is n.Unary:
            inner = self.eval(node.operand, ctx)
            return Val(-inner.iv, inner.figs)
        if kind is n.Call:
            return self.call(node, ctx)
        if kind is n.ProseRef:
            try:
                return self.figure_value(self.prose_figure(node, ctx))
            except Skip as exc:
                if node.optional:
                    raise _not_applicable(exc, f"optional {ref_key(node)}") from None
                raise
        raise EvalError(f"cannot evaluate {kind.__name__}")

    def let(self, name: str, ctx: Ctx) -> Val:
        if self.overrides:  # a what-if evaluation: never read or fill the cache
            return expr(self.rs.lets[name].expr)(self, ctx)
        free = self._free.get(name)
        if free is None:
            free = self._free[name] = context_free(self.rs.lets[name].expr, self.rs.lets)
        # everything a definition's references are resolved by: the column's period, currency and role,
        # the driving table, row and prose anchor (the objects themselves, alive through the audit)
        key = name if free else (name, ctx.period, ctx.currency, ctx.role, id(ctx.table), id(ctx.row),
                                 id(ctx.anchor), ctx.occurrence, ctx.label, ctx.shift)
        found = self._lets.get(key)
        if found is None:
            try:
                found = expr(self.rs.lets[name].expr)(self, ctx)
            except (Skip, EvalError) as exc:
                found = _bare(exc)
            self._lets[key] = found
        if type(found) is Val:  # (most)
            return found
        if isinstance(found, Skip):
            raise Skip(found.reason, found.cause)
        if isinstance(found, Exception):
            raise type(found)(found.reason)
        return found

    def call(self, node: n.Call, ctx: Ctx) -> Val:
        return call(self, node, ctx)

    def fact(self, name: str) -> Val:
        found = self._facts.get(name)
        if found is None:
            fact = self.filing.facts.get(name)
            if fact is None:
                found = Skip(f"the filing states no {name.replace('_', ' ')}", FIGURE)
            else:
                figs = tuple(f for f in self.filing.prose
                             if f.kind == "rate" and f.span.line == fact.span.line
                             and fact.span.col <= f.span.col < fact.span.end_col)
                found = Val(Interval.exact(fact.value), figs)
            self._facts[name] = found
        if isinstance(found, Skip):
            raise Skip(found.reason, found.cause)
        for fig in found.figs if self.overrides else ():  # a what-if may replace the printed fact
            override = self.overrides.get(fig.key)
            if override is not None and fig.base_value == found.iv.lo:
                return Val(override, found.figs)
        return found

    def prose_figure(self, ref: n.ProseRef, ctx: Ctx) -> Figure:
        matches = self.prose.find(ref.anchors)
        if ctx.anchor is not None and ctx.occurrence is not None and _same_anchor(ref.anchors[0], ctx.anchor):
            hit = matches[ctx.occurrence] if ctx.occurrence < len(matches) else None
            if hit is None:
                raise Skip(f"{ref_key(ref)} has no figure after occurrence {ctx.occurrence + 1} of its anchor",
                           FIGURE)
            return hit[1]
        found = [m for m in matches if m is not None]
        if not found:
            raise Skip(f"no prose matches {ref_key(ref)}", ANCHOR)
        if len({id(m[1]) for m in found}) > 1:
            raise EvalError(f"{ref_key(ref)} matches {len(found)} figures: "  # issue 20: 5 listed, the rest counted
                            + _listed([f"line {m[1].span.line} '{m[1].text}'" for m in found[:LISTED]], len(found)))
        return found[0][1]

    # -- the USD translation allowance -------------------------------------------------------

    def allowance(self, amount: Val) -> Decimal:
        """Half a unit of the last digit for every rounded item under a subtotal, but one:
        a subtotal translated item by item carries its items' rounding (see footings.py)."""
        if len(amount.figs) != 1:
            return Decimal(0)
        if self._footings is None:
            rows = weakref.WeakMethod(self.rows)  # the Evaluator is freed by reference counting, not the GC
            self._footings = Footings(self.rs.rules, rows, (Skip, EvalError))
        return self._footings.allowance(amount.figs[0])

    # -- rules -----------------------------------------------------------------------------

    def run(self, rule: n.Rule) -> list[Finding]:
        if self.rs.earlier.get(rule.id):  # (earlier.unreleased is None for a rule reading no earlier release)
            unreleased = earlier.unreleased(self, rule)  # reads an earlier release this audit lacks (issue 17)
            if unreleased is not None:
                return [unreleased]
        try:
            instances = self.instances(rule)
        except (Skip, EvalError) as exc:
            status = "skip" if isinstance(exc, Skip) else "error"
            return [self._unrun(rule, status, exc.reason, None, None, getattr(exc, "cause", None))]
        return self.evaluate_all(rule, instances)

    def unchecked(self) -> list[tuple[Figure, str]]:
        """Figures that rule files declare uncheckable, with the reason."""
        out = []
        for decl in self.rs.unchecked:
            for ref in decl.refs:
                try:
                    if isinstance(ref, n.ProseRef):
                        for line_index, first in (h for h in self.prose.find(ref.anchors) if h):
                            out.extend((fig, decl.reason) for fig in self.prose.rest_of_sentence(line_index, first))
                    else:
                        for row in self.rows(ref):
                            out.extend((c, decl.reason) for c in row.cells if c is not None)
                except (Skip, EvalError):
                    continue
        return out


def _same_anchor(a: n.Label, b: n.Label) -> bool:
    """Do two anchors (with their alternatives) say the same thing? (Asked once per pair of nodes.)"""
    if a is b:
        return True
    hit = _SAME.get((id(a), id(b)))
    if hit is not None and hit[0] is a and hit[1] is b:
        return hit[2]
    if len(_SAME) > 20_000:
        _SAME.clear()
    same = _anchor_key(a) == _anchor_key(b)
    _SAME[(id(a), id(b))] = (a, b, same)
    return same


def _anchor_key(label: n.Label) -> tuple:
    return tuple((o.value,) if isinstance(o, n.Text) else (o.source, o.flags) for o in label.options)


_SAME: dict[tuple[int, int], tuple] = {}  # (id(a), id(b)) -> (a, b, _same_anchor(a, b))


def _figs_text(figs) -> str:
    return ", ".join(f"'{f.text}' (line {f.span.line})" for f in figs)
