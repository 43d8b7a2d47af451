"""The audit engine: (compiled rules, filing) -> AuditResult (findings, coverage).

Each rule is evaluated by walking its AST over rounding intervals, once per column of its
driving table (or per prose figure, or per row for `for each row` rules): the instances come from
`instances`, function calls from `functions`, messages and notes from `messages`.
"""
from __future__ import annotations

import weakref
from decimal import Decimal, DecimalException
from typing import Optional

from ..lang import nodes as n
from ..lang.graph import RuleSet, ref_key
from ..read.filing import Column, Figure, Filing, Row, Table
from . import earlier
from .anchors import ProseIndex
from .coverage import measure
from .findings import (  # noqa: F401
    ANCHOR,
    FIGURE,
    NOT_APPLICABLE,
    AuditResult,
    Ctx,
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
from .interval import DivisionByZero, Interval, holds
from .messages import message, order_note
from .resolve import LISTED, Unresolved, _listed, find_column, find_rows, find_table
from .units import declared_units


def audit(ruleset: RuleSet, filing: Filing) -> AuditResult:
    """Evaluate every rule over the filing. Diagnosis is the next stage (audit.diagnose)."""
    filing = declared_units(ruleset, filing)
    evaluator = Evaluator(ruleset, filing)
    findings = []
    for rule in ruleset.rules:
        findings.extend(evaluator.run(rule))
    coverage = measure(filing, findings, evaluator.unchecked())
    return AuditResult(filing, ruleset, tuple(findings), coverage, evaluator=evaluator)


_TOO_LARGE = "a value has more digits than can be computed exactly (28): simplify the check"


class Evaluator(RuleInstances):
    """Walks rule ASTs over one filing's figures, with caches for tables, rows and columns."""

    def __init__(self, ruleset: RuleSet, filing: Filing):
        self.rs = ruleset
        self.filing = filing
        self._tables: dict[str, object] = {}
        self._rows: dict[int, object] = {}
        self._columns: dict = {}
        self._by_identity: dict = {}  # column() by the identity of table and period
        self._cells: dict[int, tuple[Table, Row]] = {}  # id(CellRef) -> its table and first row
        self._labels: dict[int, tuple[Column, str]] = {}  # id(column) -> its label
        self._lets: dict = {}
        self._facts: dict = {}
        self._figures: dict[int, Val] = {}  # id(figure) -> its interval; figures live as long as the filing
        self._prose: Optional[ProseIndex] = None
        self._footings: Optional[Footings] = None
        self.overrides: dict[tuple[int, int], Interval] = {}
        self._allowance = Decimal(0)

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
        decl = self.rs.tables[name]
        try:
            return self._resolved(self._tables, name, lambda: find_table(self.filing, decl))
        except Skip as exc:
            raise _not_applicable(exc, f"optional table '{name}'") if decl.optional else exc from None

    def rows(self, ref: n.CellRef) -> list[Row]:
        return self._resolved(self._rows, id(ref), lambda: find_rows(self.table(ref.table), ref))

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
        if found is None:
            if fig.exact:
                found = Val(Interval.exact(fig.value.scaleb(fig.scale)), (fig,))
            else:
                found = Val(Interval.printed(fig.value, fig.decimals, fig.scale), (fig,))
            self._figures[id(fig)] = found
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
                hit = self._cells.get(id(node))  # its table and row, once found (AST nodes outlive this)
                if hit is None:
                    table = self.table(node.table)
                    hit = self._cells[id(node)] = (table, self.rows(node)[0])
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
            return self.eval(self.rs.lets[name].expr, ctx)
        key = (name, ctx.period, ctx.currency, ctx.row.span.line if ctx.row is not None else 0, ctx.occurrence,
               ctx.shift)
        found = self._lets.get(key)
        if found is None:
            try:
                found = self.eval(self.rs.lets[name].expr, ctx)
            except (Skip, EvalError) as exc:
                found = _bare(exc)
            self._lets[key] = found
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
        found = [m for m in matches if m is not None]
        if ctx.anchor is not None and _same_anchor(ref.anchors[0], ctx.anchor) and ctx.occurrence is not None:
            hit = matches[ctx.occurrence] if ctx.occurrence < len(matches) else None
            if hit is None:
                raise Skip(f"{ref_key(ref)} has no figure after occurrence {ctx.occurrence + 1} of its anchor",
                           FIGURE)
            return hit[1]
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
            self._footings = Footings(self.rs.rules, lambda ref: rows()(ref), (Skip, EvalError))
        return self._footings.allowance(amount.figs[0])

    # -- rules -----------------------------------------------------------------------------

    def run(self, rule: n.Rule) -> list[Finding]:
        unreleased = earlier.unreleased(self, rule)  # reads an earlier release this audit lacks (issue 17)
        if unreleased is not None:
            return [unreleased]
        try:
            instances = list(self.instances(rule))
        except (Skip, EvalError) as exc:
            status = "skip" if isinstance(exc, Skip) else "error"
            return [self._unrun(rule, status, exc.reason, None, None, getattr(exc, "cause", None))]
        return [self.evaluate(inst) for inst in instances]

    def evaluate(self, inst: Instance) -> Finding:
        rule, ctx = inst.rule, inst.ctx
        options = rule.check.options if isinstance(rule.check, n.Either) else (rule.check,)
        outcomes = []
        self._allowance = Decimal(0)
        for option in options:
            try:
                outcomes.append((option, self.compare(option, ctx, inst.figure, rule.tolerance)))
            except (Skip, EvalError) as exc:
                outcomes.append((option, _bare(exc)))
            except DecimalException:  # e.g. a product of 20-digit numbers
                outcomes.append((option, EvalError(_TOO_LARGE)))
            if isinstance(outcomes[-1][1], tuple) and outcomes[-1][1][0]:
                break
        chosen = next((o for o in outcomes if isinstance(o[1], tuple) and o[1][0]), None)
        first_option, first = outcomes[0]
        if isinstance(first, Exception) and chosen is None:
            status = "skip" if isinstance(first, Skip) else "error"
            return self._unrun(rule, status, first.reason, ctx, inst, getattr(first, "cause", None))
        option, (ok, left, right, tol) = chosen if chosen else outcomes[0]
        note = None
        if chosen is not None and chosen[0] is not first_option:
            note = order_note(self, first_option, first, option, right, ctx)
        elif len(options) > 1 and chosen is None:
            note = "no alternative holds"
        figures = _dedupe(left.figs + right.figs)
        display = _display(left.figs or right.figs)
        finding = Finding(
            rule=rule, file=self.rs.file_of(rule), status="pass" if ok else "fail",
            column=ctx.label, row=ctx.row.path if ctx.row is not None else None,
            actual=left.iv, expected=right.iv, display=display, tolerance=tol, figures=figures,
            message="", note=note, instance=inst, op=option.op if isinstance(option, n.Compare) else "=",
            allowance=self._allowance or None,
        )
        try:
            return finding._replace(message=message(rule, finding, option))
        except DecimalException:  # a value with more digits than can be shown to its printed places
            return self._unrun(rule, "error", _TOO_LARGE, ctx, inst, None)

    def reevaluate(self, inst: Instance, overrides: dict[tuple[int, int], Interval]) -> Finding:
        """Evaluate one instance again with some figures replaced: {(line, col): interval}."""
        saved = self.overrides
        self.overrides = overrides
        try:
            return self.evaluate(inst)
        finally:
            self.overrides = saved

    def compare(self, option, ctx: Ctx, figure: Optional[Figure], tolerance: Optional[n.Number]):
        if isinstance(option, n.Restates):
            if figure is None:
                raise EvalError("restates without a prose figure")
            left = self.figure_value(figure)
            right = self.eval(option.expr, ctx)
            op = "="
        else:
            left = self.eval(option.left, ctx)
            right = self.eval(option.right, ctx)
            op = option.op
        tol = None
        target = right.iv
        if tolerance is not None:
            tol = tolerance.value.scaleb(_display(left.figs or right.figs).scale)
            target = target.widen(tol)
        return holds(op, left.iv, target), left, right, tol

    def _unrun(self, rule, status, reason, ctx: Optional[Ctx], inst, cause: Optional[str] = None) -> Finding:
        if status == "skip":
            cause = NOT_APPLICABLE if rule.optional else cause or FIGURE
            if rule.optional and not reason.startswith("not applicable"):
                reason = f"not applicable (optional rule): {reason}"
        else:
            cause = None
        return Finding(rule=rule, file=self.rs.file_of(rule), status=status, cause=cause,
                       column=ctx.label if ctx else None,
                       row=ctx.row.path if ctx and ctx.row is not None else None,
                       actual=None, expected=None, display=None, tolerance=None,
                       figures=(inst.figure,) if inst and inst.figure else (), message=reason, reason=reason,
                       instance=inst)

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
    """Do two anchors (with their alternatives) say the same thing?"""
    def key(label):
        return tuple((o.value,) if isinstance(o, n.Text) else (o.source, o.flags) for o in label.options)
    return key(a) == key(b)


def _bare(exc: Exception) -> Exception:
    """An exception to keep (a cache's answer): without its traceback and the exceptions it was
    raised over, whose frames would hold this Evaluator in a reference cycle (freed only by the GC)."""
    exc.__traceback__ = exc.__context__ = exc.__cause__ = None
    return exc


def _dedupe(figs) -> tuple[Figure, ...]:
    seen, out = set(), []
    for fig in figs:
        key = fig.key
        if key not in seen:
            seen.add(key)
            out.append(fig)
    return tuple(out)


def _figs_text(figs) -> str:
    return ", ".join(f"'{f.text}' (line {f.span.line})" for f in figs)
