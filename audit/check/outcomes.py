"""The part of the Evaluator that turns a rule instance into a Finding: each alternative of its
check compared (compiled once, see `compiled`), the outcome with its values, figures and
message, or why it could not be decided."""
from __future__ import annotations

from decimal import Decimal, DecimalException
from typing import Optional

from ..lang import nodes as n
from ..read.filing import Figure
from .compiled import check
from .findings import FIGURE, NOT_APPLICABLE, Ctx, Display, EvalError, Finding, Instance, Skip
from .interval import Interval
from .messages import message, order_note

_ZERO = Decimal(0)
_NO_DISPLAY = Display(0, "", 4)
_new = tuple.__new__
_CHECKS: dict[int, tuple] = {}  # id(rule) -> (rule, its compiled alternatives)
_DISPLAYS: dict[tuple, Display] = {}  # (scale, unit, decimals) -> its Display
TOO_LARGE = "a value has more digits than can be computed exactly (28): simplify the check"


class RuleOutcomes:
    """Evaluates rule instances (mixed into the Evaluator, which resolves what they read)."""

    def evaluate(self, inst: Instance) -> Finding:
        rule, ctx = inst.rule, inst.ctx
        checks = self._checks(rule)
        self._allowance = _ZERO
        if len(checks) == 1:  # one comparison (most rules): its outcome, or why it could not be made
            option, compare = checks[0]
            try:
                outcome = compare(self, ctx, inst.figure, rule.tolerance)
            except (Skip, EvalError) as exc:
                return self._unrun(rule, "skip" if isinstance(exc, Skip) else "error", exc.reason, ctx, inst,
                                   getattr(exc, "cause", None))
            except DecimalException:  # e.g. a product of 20-digit numbers
                return self._unrun(rule, "error", TOO_LARGE, ctx, inst, None)
            return self._finding(rule, ctx, inst, option, outcome, None)
        outcomes = []
        for option, compare in checks:
            try:
                outcomes.append((option, compare(self, ctx, inst.figure, rule.tolerance)))
            except (Skip, EvalError) as exc:
                outcomes.append((option, _bare(exc)))
            except DecimalException:
                outcomes.append((option, EvalError(TOO_LARGE)))
            if isinstance(outcomes[-1][1], tuple) and outcomes[-1][1][0]:
                break
        chosen = next((o for o in outcomes if isinstance(o[1], tuple) and o[1][0]), None)
        first_option, first = outcomes[0]
        if isinstance(first, Exception) and chosen is None:
            status = "skip" if isinstance(first, Skip) else "error"
            return self._unrun(rule, status, first.reason, ctx, inst, getattr(first, "cause", None))
        option, outcome = chosen if chosen else outcomes[0]
        note = None
        if chosen is not None and chosen[0] is not first_option:
            note = order_note(self, first_option, first, option, outcome[2], ctx)
        elif chosen is None:
            note = "no alternative holds"
        return self._finding(rule, ctx, inst, option, outcome, note)

    def evaluate_all(self, rule: n.Rule, instances) -> list[Finding]:
        """[evaluate(inst) for inst in instances], the rule's instances (for one comparison, what
        evaluate finds per instance is found once per rule, before the loop)."""
        checks = self._checks(rule)
        if len(checks) != 1:
            return [self.evaluate(inst) for inst in instances]
        option, compare = checks[0]  # (as evaluate does it for one comparison)
        tolerance, file, out = rule.tolerance, self.rs.rule_files[rule.id], []
        for inst in instances:
            ctx = inst[1]
            self._allowance = _ZERO
            try:
                outcome = compare(self, ctx, inst[2], tolerance)
            except (Skip, EvalError) as exc:
                out.append(self._unrun(rule, "skip" if isinstance(exc, Skip) else "error", exc.reason, ctx, inst,
                                       getattr(exc, "cause", None)))
                continue
            except DecimalException:
                out.append(self._unrun(rule, "error", TOO_LARGE, ctx, inst, None))
                continue
            out.append(self._finding(rule, ctx, inst, option, outcome, None, file))
        return out

    def _checks(self, rule: n.Rule) -> tuple:
        """(option, its compiled comparison) for each alternative of the rule's check."""
        hit = _CHECKS.get(id(rule))  # (made once per rule for the process, not per audit)
        if hit is None or hit[0] is not rule:
            options = rule.check.options if isinstance(rule.check, n.Either) else (rule.check,)
            if len(_CHECKS) > 20_000:
                _CHECKS.clear()
            hit = _CHECKS[id(rule)] = (rule, tuple((o, check(o)) for o in options))
        return hit[1]

    def _finding(self, rule, ctx: Ctx, inst: Instance, option, outcome, note, file=None) -> Finding:
        ok, left, right, tol = outcome
        a, b = left[1], right[1]
        figs = a + b
        if len(figs) > 1:
            figs = _dedupe(figs)
        if figs:  # (in the unit of the first figure of a or b)
            fig = figs[0]
            display = _DISPLAYS.get((fig.scale, fig.unit, fig.decimals))
            if display is None:
                display = self._display(figs)
        else:
            display = _NO_DISPLAY
        if ok:
            status = "pass"
        else:
            status = "fail"
            self.failed = True
        row = ctx.row
        if row is not None:
            path = self._paths.get(id(row))  # (rows live as long as the filing)
            row = path if path is not None else self._path(row)
        op = option.op if type(option) is n.Compare else "="
        allowance = self._allowance or None
        actual, expected = left[0], right[0]
        try:  # (a Message rendered when read, for most: see messages.message)
            text = message(rule, option, status, ctx.label, row, actual, expected, display, tol, op, allowance)
        except DecimalException:  # a value with more digits than can be shown to its printed places
            return self._unrun(rule, "error", TOO_LARGE, ctx, inst, None)
        return _new(Finding, (rule, file or self.rs.rule_files[rule.id], status, ctx.label, row, actual, expected,
                              display, tol, figs, text, None, note, inst, op, allowance, None))

    def _path(self, row) -> str:
        path = self._paths[id(row)] = row.path
        return path

    def _display(self, figs) -> Display:
        """How values are shown: in the unit of the first figure (one Display per figure)."""
        if not figs:
            return _NO_DISPLAY
        fig = figs[0]
        found = self._displays.get(id(fig))
        if found is None:
            key = (fig.scale, fig.unit, fig.decimals)
            found = _DISPLAYS.get(key)  # (one Display per unit for the process)
            if found is None:
                if len(_DISPLAYS) > 20_000:
                    _DISPLAYS.clear()
                found = _DISPLAYS[key] = Display(*key)
            self._displays[id(fig)] = found
        return found

    def reevaluate(self, inst: Instance, overrides: dict[tuple[int, int], Interval]) -> Finding:
        """Evaluate one instance again with some figures replaced: {(line, col): interval}."""
        saved = self.overrides
        self.overrides = overrides
        try:
            return self.evaluate(inst)
        finally:
            self.overrides = saved

    def compare(self, option, ctx: Ctx, figure: Optional[Figure], tolerance: Optional[n.Number]):
        """(holds, left, right, tolerance) of one alternative of a check (a Compare or Restates)."""
        return check(option)(self, ctx, figure, tolerance)

    def _unrun(self, rule, status, reason, ctx: Optional[Ctx], inst, cause: Optional[str] = None) -> Finding:
        if status == "skip":
            cause = NOT_APPLICABLE if rule.optional else cause or FIGURE
            if rule.optional and not reason.startswith("not applicable"):
                reason = f"not applicable (optional rule): {reason}"
        else:
            cause = None
        return _new(Finding, (rule, self.rs.rule_files[rule.id], status, ctx.label if ctx else None,
                              ctx.row.path if ctx and ctx.row is not None else None, None, None, None, None,
                              (inst.figure,) if inst and inst.figure else (), reason, reason, None, inst, "=", None,
                              cause))


def _bare(exc: Exception) -> Exception:
    """An exception to keep (a cache's answer): without its traceback and the exceptions it was
    raised over, whose frames would hold this Evaluator in a reference cycle (freed only by the GC)."""
    exc.__traceback__ = exc.__context__ = exc.__cause__ = None
    return exc


def _dedupe(figs) -> tuple[Figure, ...]:
    """The figures without repeats (a figure is its place, Figure.key), in order."""
    if len(figs) == 2:
        a, b = figs
        if type(a) is Figure and type(b) is Figure:  # Figure.key, without making the tuples
            a, b = a.span, b.span
            return figs if a.line != b.line or a.col != b.col else figs[:1]
        return figs if a.key != b.key else figs[:1]
    if len(figs) == 3:  # (a translation's: its cell, the other currency's and the rate)
        a, b, c = figs
        if type(a) is Figure and type(b) is Figure and type(c) is Figure:
            a, b, c = a.span, b.span, c.span
            if ((a.line != b.line or a.col != b.col) and (a.line != c.line or a.col != c.col)
                    and (b.line != c.line or b.col != c.col)):
                return tuple(figs)
    if len({(f.span.line, f.span.col) if type(f) is Figure else f.key for f in figs}) == len(figs):  # (most)
        return tuple(figs)
    seen, out = set(), []
    for fig in figs:
        key = fig.key
        if key not in seen:
            seen.add(key)
            out.append(fig)
    return tuple(out)
