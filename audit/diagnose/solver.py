"""Diagnosis: which printed figure is wrong, and what it should say.

For every figure in a failing check, each failing check it takes part in is solved for that
figure: the check instance is evaluated again with the figure replaced by exact values
(Evaluator overrides), and the roots of its two bounds are found by the secant method. A
check `left = right` holds when lo(left - right) <= 0 <= hi(left - right); both bounds are
linear in any one figure for footings and ties (the secant step is then exact) and smooth
for ratios (a few more steps). Between the two roots lie the exact values that make the
check hold; widened by half a unit of the figure's last printed digit, they give the printed
values that do.

A printed value consistent with all the figure's failing checks is its implied value: of
those values, one that differs from the printed figure by a known shape (transposed digits,
a sign flip, a scale slip, one digit off) is preferred, else the middle of the range. The
implied value is put in and every check that uses the figure is evaluated again: the figure
explains the failing checks that now pass, provided none of its passing checks fails (a
passing check the value would break narrows the range, and the value is picked again).

Cost (issue 20): solving a check for one figure evaluates the whole check, so solving a check of
m figures for each of them costs m^2. A check that reads more than _MOST_FIGURES figures (a sum
over a long run of rows) is therefore not solved for each of its figures: it is evaluated again
only for a suspect picked on its other checks (explained when it then holds; the suspect is
dropped when it would break it), else listed undiagnosed. Statements' checks read a dozen figures.

Several errors: suspects are picked greedily (most failing checks explained first, then a
full explanation, then the strength of the hint), each pick's implied value stays in for the
next round, so two errors in one check are found one after the other. Figures that explain
exactly the same checks are reported as a tie (ranked by the shape of their difference, then
by place); failing checks no single figure explains are reported as a group with no suspect.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, localcontext
from typing import Optional

from ..check.engine import AuditResult, EvalError, Evaluator, Instance, Skip
from ..check.interval import Interval
from ..lang import nodes as n
from ..read.filing import Figure
from ..read.numbers import half_unit
from .hints import Neighbours, hint_for, neighbours
from .search import Candidate, pick, printed_range, regions, secant, stands_for
from .suspect import Suspect

Key = tuple[int, int]
Bounds = tuple[Optional[Decimal], Optional[Decimal]]  # (lo, hi); None is unbounded

_MAX_ROUNDS = 50  # suspects named at most; failures beyond are listed undiagnosed
_REFINE = 2  # times a value that breaks a passing check is moved within the consistent range
_REFINE_BROKEN = 4  # most passing checks a value may break and still be moved
_UNDIAGNOSED = "not diagnosed"
_MOST_FIGURES = 64  # a check reading more figures is not solved for each of them (see the docstring)



def diagnose(result: AuditResult) -> tuple[Suspect, ...]:
    """Ranked suspects for the failing checks of an audit (empty when nothing fails)."""
    if not any(f.status == "fail" for f in result.findings):
        return ()
    return _Diagnosis(result).run()


class _Diagnosis:
    def __init__(self, result: AuditResult):
        self.result = result
        self.ev: Evaluator = result.evaluator or Evaluator(result.ruleset, result.filing)
        self.findings = result.findings
        self.status = {i: f.status for i, f in enumerate(self.findings)}
        self.base: dict[Key, Interval] = {}
        self.figures: dict[Key, Figure] = {}
        self.uses: dict[Key, list[int]] = {}  # figure -> findings (pass or fail) that use it
        self.keys_of: dict[int, tuple[Key, ...]] = {}
        self._sets: dict[tuple[int, Key], Optional[list[Bounds]]] = {}
        self.explained_by: dict[int, int] = {}  # failing finding -> index of the suspect that fixes it
        self._picked_figures: list[Figure] = []
        self._neighbours: Optional[Neighbours] = None  # built when a first candidate needs it
        for i, f in enumerate(self.findings):
            if f.status not in ("pass", "fail") or f.instance is None:
                continue
            figs = list(f.figures)
            if isinstance(f.rule.check, n.Either):  # every alternative's figures, not the chosen one's
                for option in f.rule.check.options:
                    figs.extend(self._option_figures(f.instance, option))
            keys = []
            for fig in figs:
                k = fig.key
                if k in keys:
                    continue
                keys.append(k)
                self.figures.setdefault(k, fig)
                self.uses.setdefault(k, []).append(i)
            self.keys_of[i] = tuple(keys)
        self.wide = {i for i, keys in self.keys_of.items() if len(keys) > _MOST_FIGURES}

    # -- evaluating a check with one figure replaced -----------------------------------------

    def _option_figures(self, inst: Instance, option) -> tuple[Figure, ...]:
        try:
            _, left, right, _ = self.ev.compare(option, inst.ctx, inst.figure, inst.rule.tolerance)
        except (Skip, EvalError):
            return ()
        return left.figs + right.figs

    def _bounds(self, inst: Instance, option, key: Key, x: Decimal) -> Optional[Bounds]:
        """(lo, hi) of left - right for the check with the figure at exactly x: it holds iff lo <= 0 <= hi."""
        overrides = dict(self.base)
        overrides[key] = Interval.exact(x)
        saved = self.ev.overrides
        self.ev.overrides = overrides
        try:
            _, left, right, tol = self.ev.compare(option, inst.ctx, inst.figure, inst.rule.tolerance)
        except (Skip, EvalError, ArithmeticError):
            return None
        finally:
            self.ev.overrides = saved
        target = right.iv.widen(tol) if tol else right.iv
        op = option.op if isinstance(option, n.Compare) else "="
        lo = left.iv.lo - target.hi if op in ("=", "<", "<=") else None
        hi = left.iv.hi - target.lo if op in ("=", ">", ">=") else None
        return lo, hi

    def _solve(self, inst: Instance, option, fig: Figure) -> Optional[Bounds]:
        """The exact values (base units) of `fig` for which this alternative of the check holds."""
        key = fig.key
        memo: dict[Decimal, Optional[Bounds]] = {}

        def at(x: Decimal) -> Optional[Bounds]:
            if x not in memo:
                memo[x] = self._bounds(inst, option, key, x)
            return memo[x]

        unit = Decimal(1).scaleb(fig.scale - fig.decimals)
        x0 = fig.base_value
        x1 = x0 + max(unit, abs(x0) / 1000)
        b0, b1 = at(x0), at(x1)
        if b0 is None or b1 is None:
            return None
        roots: list[Optional[Decimal]] = []
        for side in (0, 1):
            if b0[side] is None:
                roots.append(None)
                continue
            if b0[side] == b1[side]:
                return None  # the check does not depend on this figure
            root = secant(lambda x, side=side: (at(x) or (None, None))[side], x0, b0[side], x1, b1[side], unit)
            if root is None:
                return None
            roots.append(root)
        lo_root, hi_root = roots
        if lo_root is not None and hi_root is not None:
            low, high = min(lo_root, hi_root), max(lo_root, hi_root)
            if low != high:
                with localcontext() as ctx:
                    ctx.prec = 50
                    mid = at((low + high) / 2)
                if mid is None or not (mid[0] <= 0 <= mid[1]):
                    return None  # not monotone here: no single interval of solutions
            return low, high
        side, root = (0, lo_root) if lo_root is not None else (1, hi_root)
        rising = b1[side] > b0[side]
        # lo <= 0 below a rising root; hi >= 0 above it
        if side == 0:
            return (None, root) if rising else (root, None)
        return (root, None) if rising else (None, root)

    def _check_sets(self, i: int, key: Key) -> Optional[list[Bounds]]:
        """Printed values of the figure (its unit) for which finding i holds, as a union of ranges."""
        cache_key = (i, key)
        if cache_key in self._sets:
            return self._sets[cache_key]
        fig = self.figures[key]
        inst = self.findings[i].instance
        check = inst.rule.check
        options = check.options if isinstance(check, n.Either) else (check,)
        half = half_unit(fig.decimals)
        out: list[Bounds] = []
        for option in options:
            solved = self._solve(inst, option, fig)
            if solved is None:
                continue
            lo, hi = solved
            out.append((lo.scaleb(-fig.scale) - half if lo is not None else None,
                        hi.scaleb(-fig.scale) + half if hi is not None else None))
        found = out or None
        self._sets[cache_key] = found
        return found

    # -- one figure as the explanation -------------------------------------------------------

    def candidate(self, key: Key) -> Optional[Candidate]:
        fig = self.figures[key]
        uses = [i for i in self.uses.get(key, []) if i not in self.wide]
        failing = [i for i in uses if self.status[i] == "fail"]
        if not failing:
            return None
        optional = {i: s for i in failing if (s := self._check_sets(i, key))}
        if not optional:
            return None
        mandatory: list[list[Bounds]] = []
        constrained: set[int] = set()
        for attempt in range(_REFINE + 1):
            best = None
            for region, covered in regions(optional, mandatory, fig.value):
                picked = pick(fig, region)
                if picked is None:
                    continue
                value, hint = picked
                score = (len(covered), hint.strength if hint else 0, -abs(value - fig.value))
                if best is None or score > best[0]:
                    best = (score, region, value)
            if best is None:
                return None
            _, region, value = best
            statuses = self._verify(key, fig, value)
            explains = tuple(i for i in failing if statuses[i] == "pass")
            broken = [i for i in uses if self.status[i] == "pass" and statuses[i] != "pass"]
            if not broken:
                break
            # The value breaks a passing check: let the few it breaks constrain the value too.
            # One that breaks many is no single-figure explanation.
            if len(broken) > _REFINE_BROKEN or attempt == _REFINE:
                return None
            for i in broken:
                if i not in constrained:
                    constrained.add(i)
                    sets = self._check_sets(i, key)
                    if sets is None:
                        return None
                    mandatory.append(sets)
        if not explains:
            return None
        if self._neighbours is None:
            self._neighbours = neighbours(self.result.filing)
        hint = hint_for(fig, value, self.result.filing, self._neighbours)
        return Candidate(key, fig, value, explains, len(explains) == len(failing), hint, region, statuses)

    def _verify(self, key: Key, fig: Figure, value: Decimal, wide: bool = False) -> dict[int, str]:
        """The status of each check using the figure (the narrow ones, or with `wide` the wide ones) at `value`."""
        overrides = dict(self.base)
        overrides[key] = stands_for(fig, value)
        return {i: self.ev.reevaluate(self.findings[i].instance, overrides).status for i in self.uses[key]
                if (i in self.wide) == wide}

    def _with_wide(self, c: Candidate) -> Optional[Candidate]:
        """The candidate with the wide checks that use its figure evaluated too: None when it breaks one."""
        statuses = self._verify(c.key, c.figure, c.implied, wide=True)
        if not statuses:
            return c
        if any(self.status[i] == "pass" and s != "pass" for i, s in statuses.items()):
            return None
        explains = tuple(sorted(c.explains + tuple(i for i, s in statuses.items()
                                                   if self.status[i] == "fail" and s == "pass")))
        failing = [i for i in self.uses[c.key] if self.status[i] == "fail"]
        return replace(c, explains=explains, full=len(explains) == len(failing), statuses={**c.statuses, **statuses})

    # -- greedy cover ------------------------------------------------------------------------

    def run(self) -> tuple[Suspect, ...]:
        remaining = {i for i, s in self.status.items() if s == "fail"}
        cache: dict[Key, Optional[Candidate]] = {}
        picked: list[Suspect] = []
        while remaining:
            if len(picked) == _MAX_ROUNDS:
                return tuple(self._partial_note(s) for s in picked) + self._groups(
                    remaining, f"{_UNDIAGNOSED}, {_MAX_ROUNDS} suspects are named already")
            keys = sorted({k for i in remaining for k in self.keys_of.get(i, ()) if k not in self.base})
            scored = []
            for k in keys:
                if k not in cache:
                    cache[k] = self.candidate(k)
                c = cache[k]
                if c is not None and remaining.intersection(c.explains):
                    scored.append(c)
            if not scored:
                break

            def score(c: Candidate, remaining=remaining):
                return (len(remaining.intersection(c.explains)), c.full, c.strength,
                        -c.key[0], -c.key[1])

            scored.sort(key=score, reverse=True)
            best = scored[0]
            covered = remaining.intersection(best.explains)
            ties = [c for c in scored[1:] if remaining.intersection(c.explains) == covered and c.full == best.full]
            if any(i in self.wide for i in self.uses[best.key]):
                checked = self._with_wide(best)
                if checked is None:  # its value would break a wide check that holds: no explanation
                    cache[best.key] = None
                    continue
                best = checked
                covered = remaining.intersection(best.explains)
            picked.append(self._suspect(best, covered, ties))
            self._picked_figures.append(best.figure)
            self.base[best.key] = stands_for(best.figure, best.implied)
            self.status.update(best.statuses)
            remaining -= covered
            remaining = {i for i in remaining if self.status[i] == "fail"}
            for i in covered:
                self.explained_by[i] = len(picked) - 1
            changed = set(self.uses[best.key])  # the checks that read the corrected figure
            # candidates are solved on their narrow checks only: a wide check makes none stale
            stale = {k for i in changed if i not in self.wide for k in self.keys_of.get(i, ())}
            for k in stale:
                cache.pop(k, None)
            # only those checks' solutions move (a check's value depends on its own figures alone)
            self._sets = {ck: v for ck, v in self._sets.items() if ck[0] not in changed}
        return tuple(self._partial_note(s) for s in picked) + self._groups(remaining)

    def _partial_note(self, suspect: Suspect) -> Suspect:
        """For a figure that fixes only some of its failing checks: what the others need."""
        if suspect.full:
            return suspect
        mine = {id(f) for f in suspect.explains}
        rest = [i for i in self.uses[suspect.figure.key]
                if self.findings[i].status == "fail" and id(self.findings[i]) not in mine]
        parts = []
        for i in rest:
            f = self.findings[i]
            by = self.explained_by.get(i)
            if by is not None and self._picked_figures[by] is not None:
                other = self._picked_figures[by]
                parts.append(f"{f.rule.id} [{f.column}] passes once L{other.span.line}:{other.span.col} "
                             "is corrected too")
            else:
                parts.append(f"{f.rule.id} [{f.column}] still fails")
        if not parts:
            return suspect
        note = "; ".join(parts)
        return replace(suspect, note=f"{suspect.note}; {note}" if suspect.note else note)

    def _suspect(self, c: Candidate, covered: set[int], ties: list[Candidate]) -> Suspect:
        explains = tuple(self.findings[i] for i in sorted(covered))
        tie = tuple(Suspect(t.figure, t.implied, explains, t.hint.text if t.hint else None,
                            range=printed_range(t), full=t.full) for t in ties)
        note = None
        if tie and c.strength > max(t.strength for t in ties):
            note = "the checks cannot tell these figures apart; the shape of the difference points to this one"
        elif tie:
            note = "the checks cannot tell these figures apart"
        return Suspect(c.figure, c.implied, explains, c.hint.text if c.hint else None, tie,
                       printed_range(c), note, c.full)

    def _groups(self, remaining: set[int], note: Optional[str] = None) -> tuple[Suspect, ...]:
        """Failing checks no single figure explains, grouped by the figures they share."""
        parent = {i: i for i in remaining}  # union-find over shared figures: linear, not quadratic

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        first_with: dict[Key, int] = {}
        for i in sorted(remaining):
            for k in self.keys_of.get(i, ()):
                j = first_with.setdefault(k, i)
                a, b = root(i), root(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        groups: dict[int, list[int]] = {}
        for i in sorted(remaining):
            groups.setdefault(root(i), []).append(i)
        out = []
        for g in sorted(groups.values(), key=min):
            explains = tuple(self.findings[i] for i in g)
            why = note or ("more than one figure may be wrong, or the rule does not fit this filing"
                           if not self.wide.intersection(g) else
                           f"{_UNDIAGNOSED}: a check that reads more than {_MOST_FIGURES} figures is not solved "
                           "for each of them")
            out.append(Suspect(None, None, explains, None, full=False, note=why))
        return tuple(out)
