"""Identities between rows that are not neighbours: the same row in two statements (or twice in
one), cash at the end of a period against the balance sheet, and (per_share.PerShare) earnings per
share = income / weighted shares, per-ADS = ratio x per-share, US$ = local currency / the stated rate.

Pairs are only tried when they share a value (a bucket of two significant digits), so the work
grows with the number of rows, not its square.
"""
from __future__ import annotations

from os.path import commonprefix

from ..read.filing import Filing, Row, Table
from .layout import _nonzero, clear_misses, short, totalish
from .model import ZERO, Candidate, Contexts, Outcome, big, interval, label_key, overlap, row_key, test, value_keys
from .names import quote
from .per_share import PerShare


def _digits(row: Row) -> int:
    """The most significant digits a figure of the row prints."""
    return max((len(str(abs(c.value)).replace(".", "").lstrip("0")) for c in row.cells if c is not None), default=0)


class Links(PerShare):
    """Searches across rows and statements; `tried` counts the candidates evaluated."""

    def __init__(self, filing: Filing, names):
        self.filing = filing
        self.names = names
        self.tables = [t for t in filing.tables if names.name(t)]
        self.ctxs = {id(t): Contexts(t) for t in self.tables}
        self.tried = 0

    def _ref(self, table: Table, row: Row, mods: str = ""):
        return self.names.ref(table, row, mods)

    def run(self) -> list[Candidate]:
        return (self.same() + self.changes() + self.eps() + self.ads() + self.ratios() + self.usd()
                + self.roles())

    # -- columns of one period: GAAP + adjustments = non-GAAP; the parts of a consolidation ----

    def roles(self) -> list[Candidate]:
        """A table whose periods each print three or more columns of named roles: one role's column
        is the sum of the others' on every amount row (non-GAAP = GAAP + adjustments; consolidated
        = the segments + the consolidating adjustments), in every period."""
        from ..check.resolve import role_key

        out = []
        for table in self.tables:
            groups: dict = {}
            for c in table.columns:
                if c.period and c.role:
                    groups.setdefault((c.period, c.currency), []).append(c)
            groups = {k: v for k, v in groups.items() if len(v) >= 3}
            if not groups:
                continue
            roles = [c.role for c in next(iter(groups.values()))]
            if any([c.role for c in cols] != roles for cols in groups.values()) or \
                    len({role_key(r) for r in roles}) != len(roles):
                continue
            rows = [r for r in table.rows if r.kind == "amount" and not r.is_header and value_keys(r)]
            for k, target in enumerate(roles):
                self.tried += 1
                held = failed = 0
                for cols in groups.values():
                    for row in rows:
                        cells = [interval(row.cells[c.index]) if c.index < len(row.cells) else None for c in cols]
                        if cells[k] is None or any(v is None for v in cells):
                            continue
                        total = ZERO
                        for j, v in enumerate(cells):
                            total = total + v if j != k else total
                        if cells[k].intersects(total) and any(v.lo != 0 or v.hi != 0 for v in cells):
                            held += 1
                        else:
                            failed += 1
                if held < 3 or failed:
                    continue
                name = self.names.name(table)
                parts = [r for j, r in enumerate(roles) if j != k]
                others = " + ".join(f"row @{quote(r)}" for r in parts)
                common = len(commonprefix([r + " " for r in parts]).rsplit(" ", 1)[0])
                said = [r[common:].strip() or r for r in parts] if common else parts
                out.append(Candidate(
                    kind="roles", table=table,
                    title=f"{short(target, 40)} = {' + '.join(short(r, 40) for r in said)} on every amount row"[:110],
                    check=f"for each row in {name} where amount:\n    row = {others}",
                    evidence=f"the columns of each period: {', '.join(roles)}",
                    certain=False, outcome=Outcome([f"{held} rows"], []), columns=quote(target),
                    keys=frozenset({("roles", table.id)})))
                break
        return out

    def changes(self) -> list[Candidate]:
        """Each amount row of a period's statement against the balance-sheet row its words name
        (the closest, at least half its words): the change of that balance over the period."""
        out = []
        instants = [t for t in self.tables if t.columns and t.columns[0].period and t.columns[0].period.is_instant]
        balances = [(bs, item) for bs in instants for item in bs.rows  # (found once, not per row)
                     if item.kind == "amount" and not item.is_header and value_keys(item)]
        for table in self.tables:
            if table in instants or not any(c.period for c in table.columns):
                continue
            for row in table.rows:
                if row.kind != "amount" or row.is_header or not value_keys(row):
                    continue
                near = [(overlap(row.label, item.label), bs, item) for bs, item in balances]
                near = sorted((x for x in near if x[0] >= 0.5), key=lambda x: -x[0])[:2]
                for _, bs, item in near:
                    cand = self._change(table, row, bs, item, label_key(row.label) == label_key(item.label))
                    if cand is not None:
                        out.append(cand)
                        break
        return out

    # -- margins -------------------------------------------------------------------------------

    def ratios(self) -> list[Candidate]:
        """A percentage row = an amount of its statement / a total (of any statement), in every
        column, where the percentage's label shares a word with the amount's."""
        out = []
        totals = [(t, r) for t in self.tables for r in t.rows if r.kind == "amount" and totalish(r) and value_keys(r)]
        for table in self.tables:
            ctxs = self.ctxs[id(table)]
            amounts = [r for r in table.rows if r.kind == "amount" and value_keys(r)]
            for row in table.rows:
                if row.kind != "percent" or not value_keys(row):
                    continue
                best = None
                for num in amounts:
                    if overlap(row.label, num.label) == 0:
                        continue
                    for den_table, den in totals:
                        if den is num:
                            continue
                        self.tried += 1
                        outcome = test(ctxs, [(1, table, num), (1, den_table, den)], (table, row),
                                       combine=lambda v: v[0] / v[1])
                        if outcome.all and len(outcome.held) >= 2:
                            score = (overlap(row.label, num.label), den_table is table, -abs(num.index - row.index))
                            if best is None or score > best[0]:
                                best = (score, num, den_table, den, outcome)
                if best is None:
                    continue
                _, num, den_table, den, outcome = best
                refs = [self._ref(table, row), self._ref(table, num), self._ref(den_table, den)]
                if None in refs:
                    continue
                out.append(Candidate(
                    kind="ratio", table=table, title=f"{short(row.label)} = {short(num.label, 40)} / {short(den.label, 40)}",
                    check=f"{refs[0]} =\n        {refs[1]} / {refs[2]}",
                    evidence=f"a percentage row = '{num.label.strip()}' / the total '{den.label.strip()}'",
                    certain=False, outcome=outcome,
                    keys=frozenset({("rows", frozenset({row_key(table, row), row_key(table, num),
                                                        row_key(den_table, den)}))})))
        return out

    # -- the same figure in two places ---------------------------------------------------------

    def same(self) -> list[Candidate]:
        index: dict[tuple, list[tuple[Table, Row]]] = {}
        out = []
        for table in self.tables:
            for row in table.rows:
                if row.is_header or row.kind not in ("amount", "per_share", "shares") or not value_keys(row):
                    continue
                seen: list[tuple[Table, Row]] = []
                for key in value_keys(row):
                    seen.extend(p for p in index.get(key, ()) if all(p[1] is not q[1] for q in seen))
                seen.sort(key=lambda p: (p[0] is not table, self.tables.index(p[0]), p[1].index))
                for group in ([p for p in seen if p[0] is table], [p for p in seen if p[0] is not table]):
                    cand = self._same(table, row, group)  # its best match in this statement and in another
                    if cand is not None:
                        out.append(cand)
                for key in value_keys(row):
                    index.setdefault(key, []).append((table, row))
        return out

    def _same(self, table: Table, row: Row, earlier):
        """The best earlier row this one restates: the same label first, then the closest words,
        then the same statement, then the earliest."""
        mine = label_key(row.label)
        best = None
        for order, (other_table, other) in enumerate(earlier):
            if other.kind != row.kind:
                continue
            same_label = label_key(other.label) == mine and bool(mine)
            near = overlap(mine, label_key(other.label))
            if other_table is not table:  # within one statement a shared heading says nothing
                near = max(near, overlap(row.path, other.path))
            found = self._tie(table, row, other_table, other, same_label, near)
            if found is not None:  # a tie to a figure as precise and of the same sign first: a statement
                # before a summary in billions, so the row also carries the statement's footing
                rank = (same_label, found.outcome.all, _digits(other) >= _digits(row) and "-" not in found.check,
                        round(near, 3), other_table is table, -order)
                if best is None or rank > best[0]:
                    best = (rank, found)
        return best[1] if best else None

    def _tie(self, table, row, other_table, other, same_label, near):
        instant = [c.period.is_instant for t in (table, other_table) for c in t.columns[:1] if c.period]
        if len(instant) == 2 and instant[0] != instant[1]:
            if not instant[0]:  # a period's row against a balance-sheet date: @end or @start
                for mods in (" @end", " @start"):
                    self.tried += 1
                    outcome = test(self.ctxs[id(table)], [(1, other_table, other, (mods.strip(" @"),))],
                                   (table, row))
                    if outcome.all and (same_label or near > 0) and big(row):
                        return self._make("cash", (table, row), (other_table, other), outcome, mods, same_label)
            return None
        for sign in ((1, -1) if same_label or near >= 0.5 else (1,)):
            # either table may drive: the one whose columns the other has (a table of no
            # stated currency drives, so its figures are never read against US$ columns)
            tries = []
            for a, b in (((table, row), (other_table, other)), ((other_table, other), (table, row))):
                self.tried += 1
                tries.append((test(self.ctxs[id(a[0])], [(sign, *b)], a), a, b))
            outcome, a, b = max(tries, key=lambda t: (t[0].all, len(t[0].held) - 2 * len(t[0].failed)))
            mods = "" if sign > 0 else "-"
            if same_label and (outcome.all or outcome.most and other_table is not table
                               and big(row) and not self._flipped(a, b, sign)
                               and clear_misses(self.ctxs[id(a[0])], [(sign, *b)], a)):
                return self._make("same", a, b, outcome, mods, True)
            if (outcome.all and big(row) and (len(outcome.held) >= 2 or near >= 0.5)
                    and (near >= 0.25 and other_table is not table or near >= 0.5
                         or other_table is table and totalish(row) and totalish(other))):
                return self._make("same", a, b, outcome, mods, False)
        return None

    def _change(self, table, row, bs, item, same_label):
        """A cash-flow row that is the change of a balance-sheet row over the period: the balance at
        the start less the balance at the end (an asset's increase uses cash), or the reverse (a
        liability's). Kept only where it holds exactly in every column that has both balances."""
        ctxs = self.ctxs[id(table)]
        for sign in (1, -1):
            self.tried += 1
            terms = [(sign, bs, item, ("start",)), (-sign, bs, item, ("end",))]
            outcome = test(ctxs, terms, (table, row))
            if not (outcome.all and _nonzero(ctxs, table, [row])):
                continue
            left = self._ref(table, row)
            start, end = self._ref(bs, item, " @start"), self._ref(bs, item, " @end")
            if None in (left, start, end):
                return None
            expr = f"{start} - {end}" if sign > 0 else f"{end} - {start}"
            how = "the balance at the start less the balance at the end" if sign > 0 else \
                "the balance at the end less the balance at the start"
            return Candidate(
                kind="change", table=table, title=f"{short(row.label, 60)} = the change in the balance sheet's row"[:110],
                check=f"{left} =\n        {expr}",
                evidence=(f"{'the same label' if same_label else 'the words of'} '{item.label.strip()}' in "
                          f"'{bs.title.strip()}': {how}, to the unit"),
                certain=False, outcome=outcome, group="cross_statement",
                keys=frozenset({("rows", frozenset({row_key(table, row), row_key(bs, item)}))}))
        return None

    def _flipped(self, a, b, sign) -> bool:
        """Does a failing column hold with the other sign? Statements print some rows with
        opposite signs (a reconciliation adds back what the statement deducts), so such a row is
        not proposed from the columns where the signs happen to agree."""
        ctxs = self.ctxs[id(a[0])]
        test_flip = test(ctxs, [(-sign, *b)], a)
        return bool(test_flip.held)

    def _make(self, kind, a, b, outcome, mods, same_label):
        (table, row), (other_table, other) = a, b
        left, right = self._ref(table, row), self._ref(other_table, other, mods if mods != "-" else "")
        if left is None or right is None:
            return None
        if mods == "-":
            right = "-" + right
        where = "the same statement" if other_table is table else f"'{other_table.title.strip()}'"
        how = (f"the same label in {where}" if same_label else f"the same figures as '{other.label}' in {where}")
        if mods == "-":
            how += ", with the opposite sign"
        elif mods:
            how += f" at the balance-sheet date{' at the start' if 'start' in mods else ''}"
        return Candidate(kind=kind, table=table, title=f"{row.label.strip() or '(unlabelled row)'} = {where}"[:110],
                         check=f"{left} =\n        {right}", evidence=how, certain=same_label and outcome.all,
                         keys=frozenset({("rows", frozenset({row_key(table, row), row_key(other_table, other)}))}),
                         outcome=outcome, group="cross_statement" if other_table is not table else "")
