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

    def instances(self, rule: n.Rule):
        """One instance per column of the driving table, row of a `for each`, or prose figure."""
        if rule.foreach:
            for name in rule.foreach.tables:
                try:
                    table = self.table(name)
                except Skip as exc:  # an optional table that is absent: the others are still checked
                    if exc.cause == NOT_APPLICABLE and len(rule.foreach.tables) > 1:
                        continue
                    raise
                kinds = set(rule.foreach.kinds)
                columns = [c for c in table.columns if _column_wanted(c, rule.columns)]
                for row in table.rows:
                    if row.is_header or (kinds and row.kind not in kinds):
                        continue
                    for column in columns:
                        if row.cells[column.index] is None:
                            continue
                        yield Instance(rule, Ctx(column.period, column.currency, row, table,
                                                 label=self._label(column), role=column.role or None))
            return
        check = rule.check.options[0] if isinstance(rule.check, n.Either) else rule.check
        if isinstance(check, n.Restates):
            for fig, ctx in self.restated(check.prose):
                yield Instance(rule, ctx, fig)
            return
        driver = self.driver(check)
        if isinstance(driver, n.CellRef):
            table = self.table(driver.table)
            for column in table.columns:
                if _column_wanted(column, rule.columns):
                    yield Instance(rule, Ctx(column.period, column.currency, label=self._label(column),
                                             role=column.role or None))
        elif isinstance(driver, n.ProseRef):
            hits = list(self.prose.find(driver.anchors))
            if not any(hit is not None for hit in hits):
                missing = Skip(f"no prose matches {ref_key(driver)}", ANCHOR)
                raise not_applicable(missing, f"optional {ref_key(driver)}") if driver.optional else missing
            for k, hit in enumerate(hits):
                if hit is not None:
                    fig = hit[1]
                    yield Instance(rule, Ctx(fig.period, _currency(fig), anchor=driver.anchors[0], occurrence=k,
                                             label=_prose_label(fig)))
        else:
            yield Instance(rule, Ctx())

    def _label(self, column: Column) -> str:
        hit = self._labels.get(id(column))
        if hit is None or hit[0] is not column:
            hit = self._labels[id(column)] = (column, column.label)
        return hit[1]

    def restated(self, ref: n.ProseRef):
        hits = [h for h in self.prose.find(ref.anchors) if h is not None]
        if not hits:
            missing = Skip(f"no prose matches {ref_key(ref)}", ANCHOR)
            raise not_applicable(missing, f"optional {ref_key(ref)}") if ref.optional else missing
        for line_index, first in hits:
            for fig in self.prose.sentence(line_index, first):
                yield fig, Ctx(fig.period, _currency(fig), label=_prose_label(fig))

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


def _currency(fig: Figure) -> Optional[str]:
    return fig.unit if fig.kind in ("amount", "per_share") and fig.unit and fig.unit.isupper() else None


def _prose_label(fig: Figure) -> str:
    parts = [f"line {fig.span.line}", fig.period.label() if fig.period else "current"]
    if _currency(fig):
        parts.append(_currency(fig))
    return " ".join(parts)


def _column_wanted(column: Column, wanted: tuple[str, ...]) -> bool:
    """`columns USD 2023 6M "Non-GAAP"`: each kind of token named must match (any of its values)."""
    if not wanted or "all" in wanted:
        return True
    years = [w for w in wanted if w.isdigit()]
    lengths = [int(w[:-1]) for w in wanted if w.endswith("M") and w[:-1].isdigit()]
    roles = [role_key(w[5:]) for w in wanted if w.startswith("role:")]
    currencies = [w for w in wanted if not w.isdigit() and not w.startswith("role:") and not w[:-1].isdigit()]
    if currencies and column.currency not in currencies:
        return False
    if years and (column.period is None or str(column.period.end.year) not in years):
        return False
    if lengths and (column.period is None or column.period.months not in lengths):
        return False
    if roles and role_key(column.role) not in roles:
        return False
    return True
