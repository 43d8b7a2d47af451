"""The series' typed result: releases, observations, matches, year-to-date sums, splits and the verdict."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple, Optional

from ..check.interval import Interval
from ..read.filing import Figure, Filing, Period


class Release(NamedTuple):
    """One filing of the series, placed by the latest period it reports."""

    index: int
    filing: Filing
    name: str
    latest: Optional[Period]
    rate: Optional[Decimal]  # the stated convenience-translation rate, if any
    translated: str  # the currency it translates into ("USD"), or ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.latest.label()})" if self.latest else self.name


class Obs(NamedTuple):
    """One table figure of one release, with the keys it is matched by."""

    release: int
    table: str  # the table's identity across releases (a pack's table name, else its normalised title)
    title: str  # as printed
    label: str  # the row's identity (a pack's label alternatives, else its normalised label)
    row: str  # the row's path as printed
    section: str  # normalised section path (tells apart rows of the same label)
    period: Period
    measure: str  # currency or unit of the figure
    role: str
    kind: str  # amount | per_share | shares | percent | ...
    figure: Figure
    header: str  # the column heading as printed

    @property
    def interval(self) -> Interval:
        if self.figure.exact:
            return Interval.exact(Decimal(0))
        return Interval.printed(self.figure.value, self.figure.decimals, self.figure.scale)

    @property
    def where(self) -> str:
        return f"{self.figure.span.line}:{self.figure.span.col}"


class Split(NamedTuple):
    """A stock split between two releases: later share counts are `factor` times the earlier ones."""

    earlier: int
    later: int
    factor: Fraction
    source: str  # "figures" | "words"
    evidence: str

    @property
    def ratio(self) -> str:
        return f"{self.factor.numerator}:{self.factor.denominator}"


class Match(NamedTuple):
    """A figure printed in two releases for the same period, and whether they agree.

    status: agree | sign (the same amount, its sign turned with its label: "Net loss 1.33" and "Net profit
    (loss) (1.33)") | split (agrees through a split's ratio) | restated | mismatch."""

    status: str
    a: Obs  # the earlier release's figure
    b: Obs  # the later release's
    expected: Interval  # a's interval as b should print it (through a split's ratio)
    how: str  # how the two were matched
    note: str = ""
    evidence: str = ""  # where a release says it restated the figure

    @property
    def failed(self) -> bool:
        return self.status == "mismatch"


class SumCheck(NamedTuple):
    """A longer period's figure against the sum of shorter periods published in the series.

    status: pass | fail | restated (the total's release says it restated the figure)."""

    status: str
    total: Obs
    parts: tuple[Obs, ...]
    expected: Interval
    note: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "fail"


class RuleCheck(NamedTuple):
    """A finding of a rule that reads an earlier release (`prior_year.ops[...]`), in the release audited."""

    release: int  # the release audited
    finding: object  # check.findings.Finding
    read: tuple[tuple[str, int], ...]  # (qualifier, release index) of each earlier release the rule read
    figures: tuple[tuple[int, Figure], ...]  # each figure of the finding with the release that prints it

    @property
    def status(self) -> str:
        return self.finding.status


class Skip(NamedTuple):
    """Figures that could not be compared, and why."""

    reason: str
    where: str


class SeriesResult(NamedTuple):
    """Everything the series found; `verdict` decides the exit code."""

    releases: tuple[Release, ...]
    matches: tuple[Match, ...]
    sums: tuple[SumCheck, ...]
    splits: tuple[Split, ...]
    skips: tuple[Skip, ...]
    notes: tuple[str, ...]
    packs: tuple[str, ...]  # "name (path): applied to ..." lines
    tables: tuple[tuple[str, tuple[str, ...]], ...]  # identity -> titles as printed, matched together
    rules: tuple[RuleCheck, ...] = ()  # findings of the rules that read an earlier release

    def counts(self) -> dict[str, int]:
        out = {"agree": 0, "sign": 0, "split": 0, "restated": 0, "mismatch": 0,
               "sum_pass": 0, "sum_fail": 0, "sum_restated": 0, "rule_pass": 0, "rule_fail": 0, "rule_error": 0,
               "rule_skip": 0}
        for m in self.matches:
            out[m.status] += 1
        for s in self.sums:
            out["sum_" + s.status] += 1
        for r in self.rules:
            out["rule_" + r.status] += 1
        return out

    @property
    def status(self) -> str:
        if any(m.failed for m in self.matches) or any(s.failed for s in self.sums) or \
                any(r.finding.blocking for r in self.rules):
            return "fail"
        if not self.matches and not any(s.status == "pass" for s in self.sums) and \
                not any(r.status == "pass" for r in self.rules):
            return "incomplete"
        if any(r.finding.missing for r in self.rules):  # a rule's required figure absent, as in `run`
            return "incomplete"
        return "pass"

    @property
    def figures(self) -> int:
        """How many figures (a row's value for one period and currency) two or more releases print."""
        return len({(m.a.table, m.a.label, m.a.period, m.a.measure, m.a.role, m.a.section) for m in self.matches})

    def verdict_line(self) -> str:
        c = self.counts()
        matched = len(self.matches)
        head = (f"verdict: {self.status.upper()}, {len(self.releases)} releases, {self.figures} figure(s) printed in "
                f"more than one release, {matched} comparison(s) with the release before: {c['agree']} agree, "
                + (f"{c['sign']} agree with the sign their new label gives, " if c["sign"] else "") +
                f"{c['split']} agree through a split, {c['restated']} restated, {c['mismatch']} disagree")
        sums = (f"; {len(self.sums)} period sum(s): {c['sum_pass']} held, {c['sum_fail']} failed"
                + (f", {c['sum_restated']} restated" if c["sum_restated"] else ""))
        rules = ""
        if self.rules:
            causes: dict[str, int] = {}
            for r in self.rules:
                if r.status == "skip":
                    causes[r.finding.cause] = causes.get(r.finding.cause, 0) + 1
            rules = (f"; {c['rule_pass'] + c['rule_fail']} check(s) of rules across releases: {c['rule_pass']} held, "
                     f"{c['rule_fail']} failed" + (f", {c['rule_error']} undecided" if c["rule_error"] else "")
                     + (f", {c['rule_skip']} skipped ({', '.join(f'{n} {k}' for k, n in causes.items())})"
                        if c["rule_skip"] else ""))
        tail = "" if matched or c["sum_pass"] or c["rule_pass"] else \
            "; nothing was printed in two releases for the same period"
        return head + sums + rules + tail
