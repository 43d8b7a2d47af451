"""Totals found from the layout: a total or subtotal foots the contiguous run of rows above it,
or is the difference of the top row of that run and the rest; a group row foots its members.

The search walks up from each amount row. A total already found stands for its items (the walk
jumps over them and over their heading), so `Total assets = Total current assets + Total
non-current assets` is tried as two rows, not twenty. Only these runs are tried, with two sign
patterns each: no subsets. A run that ends at a heading, the top of the table or a total already
found is *natural*; the shortest run that holds in every column is taken, else a natural run that
holds in most columns (one wrong column does not hide its identity).
"""
from __future__ import annotations

import re

from ..check.resolve import members, norm
from ..read.filing import Row, Table
from .model import Candidate, Contexts, Outcome, evaluations, row_key, test

MAX_RUN = 40
_TOTALISH = re.compile(r"^(?:total|net|subtotal|sub-total)\b|\btotal\b", re.I)


def _amount(row: Row) -> bool:
    return row.kind == "amount" and not row.is_header and any(c is not None for c in row.cells)


def _nonzero(ctxs: Contexts, table: Table, rows) -> bool:
    """At least one of the figures is not nil (a run of nils proves nothing)."""
    return any((iv := ctxs.cell(k, table, r)) is not None and not (iv.lo == 0 and iv.hi == 0)
               for r in rows for k in range(len(ctxs)))


def labelled_total(row: Row) -> bool:
    """A row the statement itself calls a total ("Total current assets"), not one that only nets."""
    return row.is_total or bool(re.match(r"\s*(?:total|subtotal|sub-total)\b", row.label, re.I))


def totalish(row: Row) -> bool:
    return row.is_total or not norm(row.label) or bool(_TOTALISH.search(row.label))


class Layout:
    """The footing search over one table; `tried` counts the candidates evaluated."""

    def __init__(self, table: Table, names):
        self.table = table
        self.names = names
        self.ctxs = Contexts(table)
        self.start: dict[int, int] = {}  # a found total -> the first row its items cover
        self.group_end: dict[int, int] = {}  # last member row of a found group -> the group row
        self.members: set[int] = set()  # rows a found group row stands for
        self.tried = 0

    def run(self) -> list[Candidate]:
        found = []
        for row in self.table.rows:
            if not _amount(row):
                continue
            cand = self._group(row) if row.is_group else None
            if cand is not None:
                found.append(cand)
            if row.index not in self.members:  # a group row may also be the total of the rows above it
                cand = self._walk(row) or (self._walk(row, groups=False) if self.group_end else None)
                if cand is not None:
                    found.append(cand)
        return found

    # -- groups: a row above its members ------------------------------------------------

    def _group(self, row: Row):
        items = [r for r in members(self.table, row) if len(r.section) == len(row.section) + 1 and _amount(r)]
        if not items:
            return None
        self.tried += 1
        terms = [(1, self.table, r) for r in items]
        outcome = test(self.ctxs, terms, (self.table, row))
        partial = outcome.most and totalish(row) and clear_misses(self.ctxs, terms, (self.table, row))
        if not (outcome.all or partial) or not _nonzero(self.ctxs, self.table, items):
            return None
        self.group_end[items[-1].index] = row.index
        self.members.update(r.index for r in items)
        self.start[row.index] = row.index
        return self._candidate("group", row, terms, outcome, natural=True,
                               how=f"group row above its {len(items)} member rows")

    # -- runs above a row ------------------------------------------------------------------

    def _walk(self, row: Row, groups: bool = True):
        """`groups`: a found group's last member stands for the group (False: read as it is)."""
        rows = self.table.rows
        items: list[Row] = []
        j = row.index - 1
        best_all = None
        natural_most = None
        headings = 0
        while j >= 0 and len(items) < MAX_RUN:
            r = rows[j]
            if r.is_header or not _amount(r):
                if r.is_header or not any(c is not None for c in r.cells):
                    headings += 1
                    if headings > 2:
                        break
                j -= 1
                continue
            if groups and j in self.group_end:  # the last member of a found group: the group row stands for it
                r = rows[self.group_end[j]]
            items.append(r)
            j = self.start.get(r.index, r.index) - 1
            if j >= 0 and rows[j].is_header and self.start.get(r.index, r.index) != r.index:
                j -= 1  # the heading of the items a found total stands for
            natural = j < 0 or rows[j].is_header or j in self.start or not _amount(rows[j])
            if len(items) == 1 and not (natural and items[0].index == row.index - 1 and j >= 0
                                        and rows[j].is_header):
                continue  # one row equal to another proves little, unless it is a section's only item
            patterns = [("footing", [1] * len(items)), ("difference", [-1] * (len(items) - 1) + [1])]
            if len(items) == 3:  # 'profit before taxes = operating profit - interest + other income'
                patterns += [("difference", [1, -1, 1]), ("difference", [-1, 1, 1])]
            for kind, signs in patterns:
                if kind == "difference" and (len(items) < 2 or (len(items) > 2 and not totalish(row)
                                                                and signs.count(-1) > 1)):
                    continue  # 'A = B - C - D' for a row not labelled as a total is too easy to find
                self.tried += 1
                terms = [(s, self.table, r) for s, r in zip(signs, items)]
                outcome = test(self.ctxs, terms, (self.table, row))
                if not outcome.held or not _nonzero(self.ctxs, self.table, items):
                    continue
                if outcome.all and best_all is None:
                    best_all = (kind, list(terms), outcome, natural)
                elif ((outcome.most or outcome.half and len(items) > 1 and labelled_total(row))
                      and natural and totalish(row) and natural_most is None
                      and clear_misses(self.ctxs, terms, (self.table, row))):
                    natural_most = (kind, list(terms), outcome, natural)
            if best_all is None and len(items) > 2:  # the top row less a total inside the run
                for inner in items[:-1]:
                    if not inner.is_total:
                        continue
                    self.tried += 1
                    terms = [(1, self.table, items[-1]), (-1, self.table, inner)]
                    outcome = test(self.ctxs, terms, (self.table, row))
                    if outcome.all and _nonzero(self.ctxs, self.table, [items[-1], inner]):
                        best_all = ("difference", terms, outcome, natural)
                        break
            if best_all is not None:
                break
        chosen = best_all or natural_most
        if chosen is None:
            return None
        kind, terms, outcome, natural = chosen
        self.start[row.index] = min(self.start.get(r.index, r.index) for _, _, r in terms)
        how = (f"{'a total' if totalish(row) else 'a row'} under a run of {len(terms)} row(s)"
               + (" bounded by a heading or a total" if natural else ""))
        return self._candidate(kind, row, terms, outcome, natural, how)

    def _candidate(self, kind, row, terms, outcome: Outcome, natural: bool, how: str):
        target = self.names.ref(self.table, row)
        refs = [self.names.ref(self.table, r) for _, _, r in terms]
        if target is None or None in refs:
            return None
        ordered = sorted(zip(terms, refs), key=lambda p: p[0][2].index)
        expr = ""
        for (sign, _, _), ref in ordered:
            expr += (ref if not expr and sign > 0 else f" {'+' if sign > 0 else '-'} {ref}" if expr else f"-{ref}")
        first = ordered[0][0][2].index
        bounded = first - 1 in self.start and first - 1 not in self.members
        if (len(ordered) > 2 or bounded) and all(s > 0 for (s, _, _), _ in ordered) and _contiguous(self.table, terms):
            expr = self.names.items(self.table, [t[2] for t, _ in ordered], row, bounded) or expr
        certain = natural and totalish(row) and outcome.all
        word = {"group": "foots its members", "footing": "foots the rows above",
                "difference": "is the top row less the rows below it"}[kind]
        if kind == "difference" and sum(1 for s, _, _ in terms if s > 0) > 1:
            word = "adds and deducts the rows above"
        return Candidate(kind=kind, table=self.table, title=f"{short(row.label) or '(unlabelled row)'} {word}",
                         check=f"{target} =\n        {expr}", evidence=how, certain=certain,
                         keys=frozenset({("rows", frozenset(row_key(self.table, r) for r in
                                                              [row] + [t[2] for t in terms]))}),
                         outcome=outcome, parts=(row, tuple((s, r) for (s, _, r), _ in ordered)))


def clear_misses(ctxs: Contexts, terms, target, combine=None) -> bool:
    """Does every failing column miss by more than two units of the target's last printed digit?
    A smaller miss is rounding order (a total computed before its items were rounded), not a
    misprint: the identity is then not proposed, rather than proposed to fail on a clean filing."""
    for _, left, right in evaluations(ctxs, terms, target, combine or None, skipped=ArithmeticError):
        if left.intersects(right):
            continue
        unit = left.width  # one unit of the last printed digit
        if not unit or right.lo - left.hi <= 2 * unit and left.lo - right.hi <= 2 * unit:
            return False
    return True


def _contiguous(table: Table, terms) -> bool:
    """Items that are every non-heading row between the first and the last (a range says it)."""
    rows = sorted(r.index for _, _, r in terms)
    between = [r.index for r in table.rows[rows[0]:rows[-1] + 1] if not r.is_header]
    return between == rows


def short(label: str, size: int = 70) -> str:
    label = " ".join(label.split())
    return label if len(label) <= size else label[:size - 3].rstrip() + "..."
