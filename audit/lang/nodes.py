"""The rule-file AST: frozen dataclasses, each with a Span (line, column) into its rule file."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional, Union

from ..read.filing import Span

# -- labels and anchors ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """A quoted label or anchor: matched case-insensitively, with whitespace and quotes normalised."""

    value: str
    span: Span

    def written(self) -> str:
        return f'"{self.value}"'


_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
_COMPILED: dict[tuple[str, str], "re.Pattern[str]"] = {}  # (source, flags) -> the compiled pattern


@dataclass(frozen=True, slots=True)
class Pattern:
    """A /regular expression/ with flags, matched with re.search."""

    source: str
    flags: str
    span: Span

    def written(self) -> str:
        return f"/{self.source}/{self.flags}"

    def regex(self) -> "re.Pattern[str]":
        """The compiled expression, with its flags: compiled once per process (re's own cache holds
        512 patterns, fewer than a pack's patterns and the reader's together)."""
        key = (self.source, self.flags)
        found = _COMPILED.get(key)
        if found is None:
            value = 0
            for flag in self.flags:
                value |= _FLAGS[flag]
            if len(_COMPILED) > 20_000:
                _COMPILED.clear()
            found = _COMPILED[key] = re.compile(self.source, value)
        return found


@dataclass(frozen=True, slots=True)
class Star:
    """`*` at the end of a path: every member row of the section or group."""

    span: Span


@dataclass(frozen=True, slots=True)
class Label:
    """One step of a row path: alternatives separated by `|` (aliases for wording changes)."""

    options: tuple[Union[Text, Pattern], ...]
    span: Span


Step = Union[Label, Star]

# -- expressions --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Number:
    """An exact number written in the rule (no rounding interval); `50%` is 0.5."""

    value: Decimal
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Name:
    """A reference to a `let` definition, optionally in another column (`net_sales @prior`) or as an
    earlier release prints it (`prior_year.net_sales`: name is then "prior_year.net_sales")."""

    name: str
    span: Span
    mods: tuple[str, ...] = ()
    release: Optional[str] = None  # `prior_quarter.`, `prior_half.`, `prior_year.`: the earlier release read


@dataclass(frozen=True, slots=True)
class CellRef:
    """`bs["Current assets" / "Cash"] @end`: a cell by table, row path and column modifiers."""

    table: str
    path: tuple[Step, ...]
    mods: tuple[str, ...]
    span: Span
    until: tuple[Step, ...] = ()  # `t["A" .. "B"]`: every row from A to B
    optional: bool = False  # `t["A"]?`: absent in some filings; the check is then not applicable
    between: bool = False  # `t[between "A" and "B"]`: the rows strictly between A and B
    kinds: tuple[str, ...] = ()  # `t["A" .. "B" where amount, percent]`: the row kinds a range or section keeps
    release: Optional[str] = None  # `prior_year.t["A"]`: the table as the earlier release prints it; `table` is
    # then "prior_year.t" and `mods` end with "release:prior_year" (the release's own column lookups)


@dataclass(frozen=True, slots=True)
class RowRef:
    """`row` inside a `for each row` rule: the current row, optionally in another column."""

    mods: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class ProseRef:
    """`prose["Total outstanding loan balance" / "increase of"]`: the first figure after the anchors.

    An anchor containing `{}` marks where the figure stands: `"{} loans across"`.
    """

    anchors: tuple[Label, ...]
    span: Span
    optional: bool = False  # `prose["A"]?`: an anchor some filings do not print

@dataclass(frozen=True, slots=True)
class Str:
    """A string argument, as in `fact("exchange_rate")`."""

    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Unary:
    op: str
    operand: "Expr"
    span: Span


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: "Expr"
    right: "Expr"
    span: Span


@dataclass(frozen=True, slots=True)
class Call:
    """A built-in function: abs, round, sum, min, max, fact, translate."""

    func: str
    args: tuple["Expr", ...]
    span: Span


Expr = Union[Number, Name, CellRef, RowRef, ProseRef, Str, Unary, Binary, Call]

# -- checks --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Compare:
    """`left = right` holds when the rounding intervals meet; `<`, `<=`, `>`, `>=` likewise."""

    op: str
    left: Expr
    right: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Restates:
    """`prose["Total net revenue was"] restates ops["Total net revenue"]`: every figure of the
    sentence after the anchors equals the expression in the column its words name."""

    prose: ProseRef
    expr: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Either:
    """`a = b or a = c`: holds when any alternative holds; a later one holding is noted."""

    options: tuple[Union[Compare, Restates], ...]
    span: Span


Check = Union[Compare, Restates, Either]

# -- statements ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableDecl:
    """`table bs = "Balance Sheets" | "Statement of Financial Position"`: a name for a statement."""

    name: str
    titles: tuple[Union[Text, Pattern], ...]
    span: Span
    optional: bool = False  # `table seg = "Segments" optional`: some filings do not print it
    scale: Optional[int] = None  # `unit millions`: the amounts' unit when the filing's note is missing or wrong
    release: Optional[str] = None  # a table of an earlier release ("prior_year.t"), made by the compiler


@dataclass(frozen=True, slots=True)
class Let:
    """`let name = expr`: a named definition; these make the dependency graph."""

    name: str
    expr: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class ForEach:
    """`for each row in bs, ops where amount:` the rule holds for every such row."""

    tables: tuple[str, ...]
    kinds: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Rule:
    """A check with a stable id, a title, a severity, its columns and an optional message."""

    id: str
    title: str
    check: Check
    span: Span
    severity: str = "error"
    columns: tuple[str, ...] = ()
    tolerance: Optional[Number] = None
    foreach: Optional[ForEach] = None
    message: Optional[str] = None
    optional: bool = False  # `rule X "..." optional:`: whatever it reads may be absent


@dataclass(frozen=True, slots=True)
class Unchecked:
    """`unchecked "reason": prose[...], ...`: figures no rule can check, listed with the reason."""

    reason: str
    refs: tuple[Union[ProseRef, CellRef], ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Applies:
    """`issuer = "Qifu Technology" | /360 DigiTech/`: a field of the filing's description matched
    against alternatives (a string as a whole word or phrase, case-insensitive; a pattern anywhere)."""

    field: str
    options: tuple[Union[Text, Pattern], ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Not:
    """`not condition`."""

    operand: "Condition"
    span: Span


@dataclass(frozen=True, slots=True)
class BoolOp:
    """`a and b`, `a or b`: conditions combined, evaluated left to right."""

    op: str
    operands: tuple["Condition", ...]
    span: Span


Condition = Union[Applies, Not, BoolOp]


@dataclass(frozen=True, slots=True)
class PackDecl:
    """`pack qfin "Qifu Technology releases": issuer = /Qifu/`: names the pack this file belongs to
    and the filings it applies to (every filing when there is no condition)."""

    name: str
    title: str
    condition: Optional[Condition]
    span: Span


Statement = Union[PackDecl, TableDecl, Let, Rule, Unchecked]


@dataclass(frozen=True)
class RuleFile:
    """One parsed rule file: its path, text, sha256 and statements in order."""

    path: str
    text: str
    sha256: str
    statements: tuple[Statement, ...] = field(default_factory=tuple)

    def line(self, number: int) -> str:
        lines = self.text.splitlines()
        return lines[number - 1] if 0 < number <= len(lines) else ""


def children(node) -> tuple:
    """The direct sub-nodes of an expression or check (for walks)."""
    if isinstance(node, (Unary,)):
        return (node.operand,)
    if isinstance(node, (Binary, Compare)):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Restates):
        return (node.prose, node.expr)
    if isinstance(node, Either):
        return node.options
    return ()


def walk(node):
    """Every node below and including `node`, depth first, left to right."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))
