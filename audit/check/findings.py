"""The engine's results: findings with their values and figures, and the audit result.

Also the small types evaluation hands around (values, column contexts) and how a value is
shown in the unit of the figure it is compared with.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, Optional

from ..lang import nodes as n
from ..read.filing import UNIT_WORDS, Figure, Filing, Row, Table
from .coverage import Coverage
from .interval import Interval

if TYPE_CHECKING:
    from ..lang.graph import RuleSet


class Skip(Exception):
    """The check cannot run on this filing (a figure or column is absent)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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


class Finding(NamedTuple):
    """The outcome of one rule in one column: status, values, and every figure it used."""

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
    message: str
    reason: Optional[str] = None
    note: Optional[str] = None
    instance: Optional[Instance] = None
    op: str = "="
    allowance: Optional[Decimal] = None  # rounding of a subtotal's items, derived by translate()

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
    shown = value.scaleb(-display.scale)
    places = max(display.decimals + extra, 0)
    shown = shown.quantize(Decimal(1).scaleb(-places))
    text = f"{shown:,.{places}f}"
    if "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0")
        if len(frac) < display.decimals:
            frac = frac.ljust(display.decimals, "0")
        text = f"{whole}.{frac}" if frac else whole
    return text + ("%" if display.unit == "%" else "")
