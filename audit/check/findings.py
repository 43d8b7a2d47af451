"""The engine's results: findings with their values and figures, and the audit result.

Also the small types evaluation hands around (values, column contexts) and how a value is
shown in the unit of the figure it is compared with.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Optional

from ..lang import nodes as n
from ..read.filing import UNIT_WORDS, Figure, Filing, Row, Table
from .coverage import Coverage
from .interval import Interval

if TYPE_CHECKING:
    from ..lang.graph import RuleSet


#: Why a check was skipped. All but the last two mean the pack expected something the filing, as
#: read, did not give (the verdict is then INCOMPLETE); "not applicable" is an absence the pack
#: declared normal (`optional` tables and rules, `ref?` references); "needs an earlier release": a
#: rule reading the issuer's earlier release (`prior_year.ops[...]`) audited without it (issue 17).
TABLE, ROW, COLUMN, ANCHOR, FIGURE, NOT_APPLICABLE, EARLIER = (
    "table not found", "row not found", "column not found", "anchor not found", "figure not found",
    "not applicable", "needs an earlier release")
CAUSES = (TABLE, ROW, COLUMN, ANCHOR, FIGURE, NOT_APPLICABLE, EARLIER)


class Skip(Exception):
    """The check cannot run on this filing: something is absent; `cause` says what (CAUSES)."""

    def __init__(self, reason: str, cause: str = FIGURE):
        super().__init__(reason)
        self.reason = reason
        self.cause = cause


def not_applicable(exc: Skip, what: str) -> Skip:
    """An absence the pack declared normal: the check is not applicable, with the absence named."""
    if exc.cause in (NOT_APPLICABLE, EARLIER):
        return exc
    return Skip(f"not applicable ({what}): {exc.reason}", NOT_APPLICABLE)


class EvalError(Exception):
    """The check cannot be decided (ambiguous label, division by zero)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Val(NamedTuple):
    """A value under evaluation: its interval (base units) and the printed figures behind it."""

    iv: Interval
    figs: tuple[Figure, ...]


class Ctx(NamedTuple):
    """Where a rule is being evaluated: a period and currency, and the row or prose occurrence."""

    period: object = None  # Period | ProsePeriod | None
    currency: Optional[str] = None
    row: Optional[Row] = None
    table: Optional[Table] = None
    anchor: object = None  # the driving prose reference's first anchor
    occurrence: Optional[int] = None
    label: Optional[str] = None
    shift: tuple[str, ...] = ()  # column modifiers of the definitions being evaluated (`net_sales @prior`)
    role: Optional[str] = None  # the driving column's role ("GAAP", "Adj.", a segment): other tables line up by it


class Display(NamedTuple):
    """How a finding's numbers are shown: in the printed unit of its first figure."""

    scale: int
    unit: str
    decimals: int

    @property
    def label(self) -> str:
        if self.unit == "%":
            return "%"
        return f"{self.unit} {UNIT_WORDS.get(self.scale, f'x1e{self.scale}')}".strip()


class Instance(NamedTuple):
    """One evaluation of a rule: enough to evaluate it again with a figure changed."""

    rule: n.Rule
    ctx: Ctx
    figure: Optional[Figure] = None  # the prose figure a `restates` instance checks


class _Fields(NamedTuple):
    """A finding's fields (Finding adds how its message is read)."""

    rule: n.Rule
    file: str
    status: str  # pass | fail | skip | error
    column: Optional[str]
    row: Optional[str]
    actual: Optional[Interval]
    expected: Optional[Interval]
    display: Optional[Display]
    tolerance: Optional[Decimal]
    figures: tuple[Figure, ...]
    message: str  # or a messages.Message, rendered when first read
    reason: Optional[str] = None
    note: Optional[str] = None
    instance: Optional[Instance] = None
    op: str = "="
    allowance: Optional[Decimal] = None  # rounding of a subtotal's items, derived by translate()
    cause: Optional[str] = None  # a skip's cause (CAUSES)


class Finding(_Fields):
    """The outcome of one rule in one column: status, values, and every figure it used."""

    __slots__ = ()

    @property
    def message(self) -> str:
        """The message; a check's is rendered only when an output reads it (most audits in a
        batch write it once, a diagnosis re-evaluating a check never)."""
        text = _item(self, _MESSAGE)
        return text if type(text) is str else str(text)

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def severity(self) -> str:
        return self.rule.severity

    @property
    def blocking(self) -> bool:
        """Does this finding make the verdict FAIL (error severity, failed or not evaluable)?"""
        return self.status in ("fail", "error") and self.rule.severity == "error"

    @property
    def missing(self) -> bool:
        """Does this finding make the verdict INCOMPLETE (an error-severity check that could not run
        because something the pack requires is absent)?"""
        return self.status == "skip" and self.rule.severity == "error" and self.cause not in (NOT_APPLICABLE, EARLIER)


_MESSAGE = _Fields._fields.index("message")  # where the stored message is
_item = tuple.__getitem__


class AuditResult(NamedTuple):
    """Everything one audit found: findings in rule order, coverage, and suspects."""

    filing: Filing
    ruleset: RuleSet
    findings: tuple[Finding, ...]
    coverage: Coverage
    suspects: tuple = ()
    evaluator: Any = None  # the engine's Evaluator, for what-if re-evaluation (diagnosis); not serialised
    packs: tuple = ()  # packs.Verdict for every rule pack considered: applied or skipped, and why

    def counts(self) -> dict[str, int]:
        out = {"total": len(self.findings), "pass": 0, "fail": 0, "skip": 0, "error": 0}
        for f in self.findings:
            out[f.status] += 1
        return out

    @property
    def failed(self) -> bool:
        """Did an error-severity check fail or fail to evaluate?"""
        return any(f.blocking for f in self.findings)

    @property
    def verdict(self) -> Verdict:
        """PASS, FAIL or INCOMPLETE, with the counts and causes behind it."""
        return Verdict.of(self)


class Verdict(NamedTuple):
    """The audit's verdict. FAIL: an error-severity check failed or could not be decided.
    INCOMPLETE: none did, but the pack expected something the filing, as read, did not give (or
    nothing was checked at all). PASS: every error-severity check that applies ran and held."""

    status: str  # pass | fail | incomplete
    evaluated: int  # error-severity checks that ran (pass or fail)
    held: int
    failed: int
    undecided: int  # error-severity checks in error (ambiguous label, division by zero)
    missing: int  # error-severity checks skipped for a required absence
    skips: tuple[tuple[str, int], ...]  # every skip (any severity) by cause, in CAUSES order
    problems: tuple[str, ...]  # filing-level reasons for INCOMPLETE (no tables read, nothing checked)
    reach: tuple[int, ...] = ()  # a PASS that leaves figures out: (figures in a check, figures read a check could use)

    @classmethod
    def of(cls, result: "AuditResult") -> "Verdict":
        held = failed = undecided = missing = 0  # error-severity checks by outcome (one pass)
        by_cause: dict[str, int] = {}
        for f in result.findings:
            status = f.status
            if status == "pass":
                if f.rule.severity == "error":
                    held += 1
            elif status == "skip":
                cause = f.cause
                by_cause[cause or FIGURE] = by_cause.get(cause or FIGURE, 0) + 1
                if f.rule.severity == "error" and cause not in (NOT_APPLICABLE, EARLIER):  # (f.missing)
                    missing += 1
            elif f.rule.severity == "error":
                if status == "fail":
                    failed += 1
                elif status == "error":
                    undecided += 1
        skips = tuple((c, by_cause[c]) for c in CAUSES if c in by_cause)
        problems = []
        if result.coverage.table_total == 0 and any(not t.optional for t in result.ruleset.tables.values()):
            problems.append("no table figures read: the pack declares tables, the filing as read has none")
        if held + failed == 0:  # a pack with no error-severity checks, or none that could run
            problems.append("no error-severity check ran")
        status = "fail" if failed or undecided else "incomplete" if missing or problems else "pass"
        cov = result.coverage  # a PASS says how much of the filing its checks covered, when not all of it
        used = cov.table_checked + cov.narrative_checked
        readable = cov.table_total + cov.narrative_total - cov.narrative_uncheckable
        reach = (used, readable) if status == "pass" and used < readable else ()
        return cls(status, held + failed, held, failed, undecided, missing, skips, tuple(problems), reach)

    @property
    def word(self) -> str:
        return self.status.upper()

    def skip_text(self) -> str:
        return ", ".join(f"{count} {cause}" for cause, count in self.skips) or "none"

    def line(self) -> str:
        """The verdict line every output shows."""
        if self.status == "fail":
            parts = [f"{self.failed} error-severity check{'s' if self.failed != 1 else ''} failed"]
            if self.undecided:
                parts.append(f"{self.undecided} could not be decided (ambiguous or undefined)")
            head = ", ".join(parts) + f" of {self.evaluated + self.undecided}"
        elif self.status == "incomplete":
            bits = []
            if self.missing:
                bits.append(f"{self.missing} error-severity check{'s' if self.missing != 1 else ''} could not run"
                            " for something the pack requires")
            bits.extend(self.problems)
            head = "; ".join(bits) + f"; {self.held} of {self.evaluated} evaluated held"
        else:
            head = f"{self.evaluated} error-severity check{'s' if self.evaluated != 1 else ''} evaluated, all held"
        scope = f"; {self.reach[0]:,} of the {self.reach[1]:,} figures read are in a check" if self.reach else ""
        return f"{self.word}, {head}; skipped: {self.skip_text()}{scope}"


def _display(figs) -> Display:
    if not figs:
        return Display(0, "", 4)
    fig = figs[0]
    return Display(fig.scale, fig.unit, fig.decimals)


def fmt(value: Optional[Decimal], display: Optional[Display], extra: int = 2) -> str:
    """A base-unit value in the display unit, to the printed decimals plus `extra`."""
    if value is None:
        return ""
    if display is None:
        return str(value)
    return formatter(display, extra)(value)


def formatter(display: Display, extra: int = 2) -> Callable[[Decimal], str]:
    """fmt(·, display, extra) as a function of a (non-None) value, made once per display unit."""
    by_unit = _FORMATTERS.get(extra)
    if by_unit is None:
        by_unit = _FORMATTERS[extra] = {}
    found = by_unit.get(display)
    if found is None:
        if len(by_unit) > 20_000:
            by_unit.clear()
        found = by_unit[display] = _formatter(display, extra)
    return found


def _formatter(display: Display, extra: int) -> Callable[[Decimal], str]:
    decimals = display.decimals
    places = max(decimals + extra, 0)
    quantum, spec, shift = Decimal(1).scaleb(-places), f",.{places}f", -display.scale
    suffix = "%" if display.unit == "%" else ""
    # the text has `places` digits after its point; trailing zeros go down to the printed decimals
    # (with the point when none is left): the quantized value normalized (its coefficient's trailing
    # zeros gone), written with as many places as it keeps, then padded to the decimals

    def trimmed(value: Decimal) -> str:  # (decimals <= 0 < places: every trailing zero goes)
        return format(value.scaleb(shift).quantize(quantum).normalize(), ",f") + suffix

    def padded(value: Decimal) -> str:  # (0 < decimals < places)
        text = format(value.scaleb(shift).quantize(quantum).normalize(), ",f")
        point = text.find(".")
        if point < 0:
            if text[-1:].isdigit():  # (not a NaN)
                text += zeros
        elif len(text) - point <= decimals:
            text += "0" * (decimals + 1 - len(text) + point)
        return text + suffix

    def kept(value: Decimal) -> str:  # (places == decimals, or none: nothing goes)
        return format(value.scaleb(shift).quantize(quantum), spec) + suffix

    def general(value: Decimal) -> str:  # (an extra < 0: fewer places than the printed decimals)
        text = format(value.scaleb(shift).quantize(quantum), spec)
        if "." in text:
            whole, frac = text.split(".")
            frac = frac.rstrip("0")
            if len(frac) < decimals:
                frac = frac.ljust(decimals, "0")
            text = f"{whole}.{frac}" if frac else whole
        return text + suffix

    zeros = "." + "0" * decimals
    if places == max(decimals, 0):
        return kept
    if extra < 0:
        return general
    return trimmed if decimals <= 0 else padded


_FORMATTERS: dict[int, dict[Display, Callable[[Decimal], str]]] = {2: {}}  # extra -> display -> fmt(·, display, extra)
SHOW = _FORMATTERS[2]  # display -> fmt(·, display) (messages: the most asked)
