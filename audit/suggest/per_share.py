"""Per-share identities, searched across a filing's statements: earnings per share = income /
weighted shares, per-ADS = ratio x per-share and ADS counts, and US$ = local currency / the stated rate."""
from __future__ import annotations

import re

from ..check.interval import Interval
from ..read.filing import Table
from .layout import clear_misses, short
from .model import Candidate, big, overlap, row_key, test, value_keys

_ADS = re.compile(r"\bADSs?\b")


def _divide_by(value):
    ratio = Interval.exact(value)
    return lambda v: v[0] / ratio


_ADS = re.compile(r"\bADSs?\b")


class PerShare:
    """The per-share searches of Links (self.tables, self.ctxs, self.names, self._ref, self.tried)."""

    def eps(self) -> list[Candidate]:
        out = []
        for table in self.tables:
            ctxs = self.ctxs[id(table)]
            incomes = [r for r in table.rows if r.kind == "amount" and value_keys(r)]
            shares = [r for r in table.rows if r.kind == "shares" and value_keys(r)]
            for row in table.rows:
                if row.kind != "per_share" or not value_keys(row):
                    continue
                best = None
                for income in incomes:
                    for count in shares:
                        self.tried += 1
                        outcome = test(ctxs, [(1, table, income), (1, table, count)], (table, row),
                                       combine=lambda v: v[0] / v[1])
                        if not (outcome.all or outcome.most and clear_misses(
                                ctxs, [(1, table, income), (1, table, count)], (table, row), lambda v: v[0] / v[1])):
                            continue
                        score = (len(outcome.held), overlap(row.path, income.path) + overlap(row.label, count.label),
                                 -abs(row.index - income.index))
                        if best is None or score > best[0]:
                            best = (score, income, count, outcome)
                if best is None:
                    continue
                _, income, count, outcome = best
                refs = [self._ref(table, r) for r in (row, income, count)]
                if None in refs:
                    continue
                out.append(Candidate(
                    kind="eps", table=table, title=f"{short(row.path, 80)} = income / weighted shares",
                    check=f"{refs[0]} =\n        {refs[1]} / {refs[2]}",
                    evidence=f"per-share row = '{income.label.strip()}' / '{count.label.strip()}'",
                    certain=outcome.all and best[0][1] > 0, outcome=outcome,
                    keys=frozenset({("rows", frozenset(row_key(table, r) for r in (row, income, count)))})))
        return out

    def ads(self) -> list[Candidate]:
        fact = self.filing.facts.get("ads_ratio")
        if fact is not None:
            value, said = fact.value, f"the stated ADS ratio ({fact.text.strip()}, line {fact.span.line})"
        else:
            found = self._ads_ratio()
            if found is None:
                return []
            value, said = found
            self.names.ads_ratio = (value, said)
        out = []
        ratio = Interval.exact(value)
        for table in self.tables:
            ctxs = self.ctxs[id(table)]
            per = [r for r in table.rows if r.kind == "per_share" and value_keys(r)]
            for row in per:
                for base in per:
                    if base is row:
                        continue
                    self.tried += 1
                    outcome = test(ctxs, [(1, table, base)], (table, row), combine=lambda v: ratio * v[0])
                    if outcome.all or outcome.most:
                        refs = [self._ref(table, r) for r in (row, base)]
                        if None in refs:
                            continue
                        out.append(Candidate(
                            kind="ads", table=table, title=f"{short(row.path, 80)} = ADS ratio x per share",
                            check=f"{refs[0]} =\n        ads_ratio * {refs[1]}",
                            evidence=f"{said} x '{base.path.strip()}'", certain=outcome.all, outcome=outcome,
                            keys=frozenset({("rows", frozenset(row_key(table, r) for r in (row, base)))})))
                        break
            out += self._ads_counts(table, ratio, said)
        return out

    def _ads_ratio(self):
        """The ADS ratio the figures state when the words do not: a count of ADSs that is a count of
        shares / the same whole number in every column (two at least, six digits or more)."""
        counts = [(t, r) for t in self.tables for r in t.rows if r.kind == "shares" and value_keys(r) and big(r)]
        for table, row in [(t, r) for t, r in counts if _ADS.search(r.path)]:
            ctxs = self.ctxs[id(table)]
            for other, base in [(t, r) for t, r in counts if not _ADS.search(r.path)]:
                first = next((ctxs.cell(k, table, row) for k in range(len(ctxs)) if ctxs.cell(k, table, row)
                              and ctxs.cell(k, other, base)), None)
                k = next((ctxs.cell(k, other, base) for k in range(len(ctxs)) if ctxs.cell(k, table, row)
                          and ctxs.cell(k, other, base)), None)
                if first is None or k is None or first.lo <= 0:
                    continue
                value = (k.lo / first.lo).to_integral_value()
                if not 2 <= value <= 20:
                    continue
                self.tried += 1
                outcome = test(ctxs, [(1, other, base)], (table, row), combine=_divide_by(value))
                if outcome.all and len(outcome.held) >= 2:
                    return value, (f"the ADS ratio the counts state ('{short(row.label, 50)}' = "
                                   f"'{short(base.path, 60)}' / {value} in every column)")
        return None

    def _ads_counts(self, table: Table, ratio: Interval, said: str) -> list[Candidate]:
        """A count of ADSs = a count of shares (above it, else in another statement) / the ratio, in
        every column (the weighted ADSs under per-ADS earnings and the weighted shares above)."""
        out = []
        ctxs = self.ctxs[id(table)]
        counts = [r for r in table.rows if r.kind == "shares" and value_keys(r)]
        others = [(t, r) for t in self.tables for r in t.rows if r.kind == "shares" and value_keys(r)
                  and not _ADS.search(r.path)]
        for row in counts:
            if not _ADS.search(row.path):
                continue
            best = None
            for other, base in others:
                if other is table and base.index >= row.index:
                    continue
                self.tried += 1
                outcome = test(ctxs, [(1, other, base)], (table, row), combine=lambda v: v[0] / ratio)
                if outcome.all and len(outcome.held) >= 2:
                    rank = (other is table, overlap(row.label, base.label), base.index)
                    if best is None or rank > best[0]:
                        best = (rank, other, base, outcome)
            if best is None:
                continue
            _, other, base, outcome = best
            refs = [self._ref(table, row), self._ref(other, base)]
            if None in refs:
                continue
            out.append(Candidate(
                kind="ads", table=table, title=f"{short(row.path, 80)} = shares / ADS ratio",
                check=f"{refs[0]} =\n        {refs[1]} / ads_ratio",
                evidence=f"{said}: a count of ADSs = '{base.path.strip()}' / the ratio", certain=True,
                outcome=outcome, keys=frozenset({("rows", frozenset({row_key(table, row), row_key(other, base)}))}),
                group="" if other is table else "cross_statement"))
        return out

    # -- convenience translation ---------------------------------------------------------------

    def usd(self) -> list[Candidate]:
        fact = self.filing.facts.get("exchange_rate")
        if fact is None:
            return []
        attrs = dict(fact.attrs)
        local, foreign = attrs.get("from"), attrs.get("to")
        if not local or not foreign:
            return []
        out = []
        for table in self.tables:
            currencies = {c.currency for c in table.columns}
            if local not in currencies or foreign not in currencies:
                continue
            name = self.names.name(table)
            kinds = {r.kind for r in table.rows}
            key = frozenset({("usd", table.id)})
            for kind, what in (("amount", "amounts"), ("per_share", "per-share amounts")):
                if kind in kinds:
                    out.append(Candidate(
                        kind="usd", table=table,
                        title=f"{foreign} {what} in '{table.title.strip()[:50]}' = {local} / stated rate",
                        check=f"for each row in {name} where {kind}:\n    row = translate(row @{local}, usd_rate)",
                        evidence=f"the stated rate ({fact.text.strip()}, line {fact.span.line}); {foreign} columns "
                                 f"beside {local} columns of the same periods", certain=True, keys=key,
                        columns=foreign, group="usd_translation"))
            if "shares" in kinds:
                out.append(Candidate(
                    kind="shares", table=table, title=f"Share counts in '{table.title.strip()[:50]}' are not translated",
                    check=f"for each row in {name} where shares:\n    row = row @{local}",
                    evidence=f"share counts repeat in the {foreign} columns", certain=True,
                    keys=frozenset({("shares", table.id)}), columns=foreign, group="usd_translation"))
        return out
