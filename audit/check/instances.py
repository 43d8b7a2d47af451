"""The instances a rule is evaluated in: each column of its driving table, each row of a
`for each`, each occurrence of its prose anchor."""
from __future__ import annotations

from typing import Optional

from ..lang import nodes as n
from ..lang.graph import ref_key
from ..read.filing import Column, Figure
from .findings import ANCHOR, NOT_APPLICABLE, Ctx, Instance, Skip, not_applicable
from .resolve import role_key


class RuleInstances:
    """The part of the Evaluator that enumerates a rule's instances (its tables, prose and lets)."""

    def instances(self, rule: n.Rule) -> list[Instance]:
        """One instance per column of the driving table, row of a `for each`, or prose figure."""
        out: list[Instance] = []
        add = out.append
        if rule.foreach:
            for name in rule.foreach.tables:
                try:
                    table = self.table(name)
                except Skip as exc:  # an optional table that is absent: the others are still checked
                    if exc.cause == NOT_APPLICABLE and len(rule.foreach.tables) > 1:
                        continue
                    raise
                kinds = set(rule.foreach.kinds)
                columns = [(c.index, c.period, c.currency, self._label(c), c.role or None)
                           for c in table.columns if _column_wanted(c, rule.columns)]
                for row in table.rows:
                    kind = row.kind  # (row.is_header: its kind is "header")
                    if kind == "header" or (kinds and kind not in kinds):
                        continue
                    cells = row.cells
                    for index, period, currency, label, role in columns:
                        if cells[index] is None:
                            continue
                        add(_new(Instance, (rule, _new(Ctx, (period, currency, row, table, None, None, label, (), role)),
                                            None)))
            return out
        check = rule.check.options[0] if isinstance(rule.check, n.Either) else rule.check
        if isinstance(check, n.Restates):
            return self.restated(rule, check.prose)
        driver = self._driver(rule, check)
        if isinstance(driver, n.CellRef):
            wanted = rule.columns
            key = (driver.table, wanted)  # the columns it drives, found once per filing for the rules alike
            ctxs = self._drives.get(key)
            if ctxs is None:
                table = self.table(driver.table)
                ctxs = self._drives[key] = [self._column_ctx(column) for column in table.columns
                                            if not wanted or _column_wanted(column, wanted)]
            return [_new(Instance, (rule, ctx, None)) for ctx in ctxs]
        elif isinstance(driver, n.ProseRef):
            hits = self.prose.find(driver.anchors)  # (kept for the filing: read, never changed)
            if hits.count(None) == len(hits):  # (no match has a figure)
                missing = Skip(f"no prose matches {ref_key(driver)}", ANCHOR)
                raise not_applicable(missing, f"optional {ref_key(driver)}") if driver.optional else missing
            anchor = driver.anchors[0]
            for k, hit in enumerate(hits):
                if hit is not None:
                    fig = hit[1]
                    currency = _currency(fig)
                    period = fig.period
                    label = _line_label(fig, self._period_words(period)[1] if period else "current", currency)
                    add(_new(Instance, (rule, _new(Ctx, (period, currency, None, None, anchor, k, label, (), None)),
                                        None)))
        else:
            add(Instance(rule, Ctx()))
        return out

    def _column_ctx(self, column: Column) -> Ctx:
        """The context of a column that drives rules: one per column, shared by its rules."""
        hit = self._ctxs.get(id(column))
        if hit is None or hit[0] is not column:
            hit = self._ctxs[id(column)] = (column, Ctx(column.period, column.currency, label=self._label(column),
                                                        role=column.role or None))
        return hit[1]

    def _driver(self, rule: n.Rule, check):
        """driver(check), found once per rule and rule set (it reads through the rule set's definitions)."""
        lets = self.rs.lets
        hit = _DRIVERS.get(id(rule))
        if hit is None or hit[0] is not rule or hit[1] is not lets:
            if len(_DRIVERS) > 20_000:
                _DRIVERS.clear()
            hit = _DRIVERS[id(rule)] = (rule, lets, self.driver(check))
        return hit[2]

    def _label(self, column: Column) -> str:
        hit = self._labels.get(id(column))
        if hit is None or hit[0] is not column:
            hit = self._labels[id(column)] = (column, column.label)
        return hit[1]

    def restated(self, rule: n.Rule, ref: n.ProseRef) -> list[Instance]:
        """An instance for each figure a `restates` rule checks: the sentences after its anchor."""
        figures = self.prose.restated(ref.anchors)
        if not figures:
            missing = Skip(f"no prose matches {ref_key(ref)}", ANCHOR)
            raise not_applicable(missing, f"optional {ref_key(ref)}") if ref.optional else missing
        ctxs, out = self._ctxs, []
        add = out.append
        for fig in figures:
            hit = ctxs.get(id(fig))
            if hit is not None and hit[0] is fig:
                ctx = hit[1]
            else:  # its context: one per figure, made the first time a rule checks it
                currency, period = _currency(fig), fig.period
                period, words = self._period_words(period) if period is not None else (None, "current")
                ctx = _new(Ctx, (period, currency, None, None, None, None, _line_label(fig, words, currency), (),
                                 None))
                ctxs[id(fig)] = (fig, ctx)
            add(_new(Instance, (rule, ctx, fig)))
        return out

    def _period_words(self, period) -> tuple:
        """(the one period object of the figures that name an equal period, its label()): found by the
        period's identity first (the figures of a sentence share one), then by equality."""
        periods = self._periods  # (keyed by the period, and by its id: (period, the equal one, words))
        hit = periods.get(id(period))
        if hit is not None and hit[0] is period:
            return hit[1], hit[2]
        known = periods.get(period)  # columns are found by the identity of the period first
        if known is None:
            known = periods[period] = (period, period.label())
        periods[id(period)] = (period,) + known
        return known

    def driver(self, node):
        """The first table or prose reference the check reads (through definitions too)."""
        for sub in n.walk(node):
            if isinstance(sub, (n.CellRef, n.ProseRef)):
                return sub
            if isinstance(sub, n.Name) and sub.name in self.rs.lets:
                found = self.driver(self.rs.lets[sub.name].expr)
                if found is not None:
                    return found
        return None


_new = tuple.__new__  # Instance and Ctx made from all their fields
_DRIVERS: dict[int, tuple] = {}  # id(rule) -> (rule, the rule set's definitions, its driver)


def _currency(fig: Figure) -> Optional[str]:
    return fig.unit if fig.kind in _MONEY and fig.unit and fig.unit.isupper() else None


_MONEY = ("amount", "per_share")  # the kinds of figure whose unit is a currency


def _line_label(fig: Figure, period: str, currency: Optional[str]) -> str:
    """'line 12 current RMB': where a prose figure is, its period in words and its currency (_currency(fig))."""
    return f"line {fig.span.line} {period} {currency}" if currency else f"line {fig.span.line} {period}"


def _column_wanted(column: Column, wanted: tuple[str, ...]) -> bool:
    """`columns USD 2023 6M "Non-GAAP"`: each kind of token named must match (any of its values)."""
    if not wanted:
        return True
    spec = _WANTED.get(wanted)
    if spec is None:
        if len(_WANTED) > 20_000:
            _WANTED.clear()
        spec = _WANTED[wanted] = _wanted(wanted)
    if spec is True:
        return True
    currencies, years, lengths, roles = spec
    if currencies and column.currency not in currencies:
        return False
    if years and (column.period is None or str(column.period.end.year) not in years):
        return False
    if lengths and (column.period is None or column.period.months not in lengths):
        return False
    if roles and role_key(column.role) not in roles:
        return False
    return True


def _wanted(wanted: tuple[str, ...]):
    """A `columns` list read once: True for every column, else (currencies, years, lengths, roles)."""
    if "all" in wanted:
        return True
    years = [w for w in wanted if w.isdigit()]
    lengths = [int(w[:-1]) for w in wanted if w.endswith("M") and w[:-1].isdigit()]
    roles = [role_key(w[5:]) for w in wanted if w.startswith("role:")]
    currencies = [w for w in wanted if not w.isdigit() and not w.startswith("role:") and not w[:-1].isdigit()]
    return currencies, years, lengths, roles


_WANTED: dict[tuple[str, ...], object] = {}  # a rule's `columns` list -> _wanted(it)
