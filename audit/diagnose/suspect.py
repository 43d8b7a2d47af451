"""A suspect: the printed figure that most likely explains failing checks, with its implied value."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Optional

from ..check.engine import Finding
from ..read.filing import Figure
from ..read.numbers import plain

Bounds = tuple[Optional[Decimal], Optional[Decimal]]  # (lo, hi); None is unbounded

_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_TIE_SHOWN = 3
_GROUP_SHOWN = 6
_UNDIAGNOSED = "not diagnosed"



def _checks(findings) -> list[str]:
    """Rule ids, each once, in order."""
    seen: list[str] = []
    for f in findings:
        if f.rule.id not in seen:
            seen.append(f.rule.id)
    return seen


def render(fig: Figure, value: Decimal) -> str:
    """`value` printed the way `fig` is printed: separators, decimals, parentheses, % and words."""
    places = max(fig.decimals, 0)
    number = f"{abs(value):,.{places}f}"
    text = fig.text
    match = _NUMBER.search(text)
    if match is None:  # a nil dash
        return f"({number})" if value < 0 and fig.table else ("-" if value < 0 else "") + number
    out = text[:match.start()] + number + text[match.end():]
    if (value < 0) != (fig.value < 0):
        if value >= 0:
            out = out.replace("(", "").replace(")", "").replace("-", "", 1).replace("\u2212", "", 1)
        elif fig.table is not None:
            out = f"({out})"
        else:
            out = "-" + out
    return out


@dataclass(frozen=True)
class Suspect:
    """A printed figure that explains failing checks, the value it should have, and why.

    `figure` is None for a group of failing checks no single figure explains.
    """

    figure: Optional[Figure]
    implied: Optional[Decimal]  # in the figure's printed unit, to its printed decimals
    explains: tuple[Finding, ...]
    hint: Optional[str] = None
    tie: tuple["Suspect", ...] = ()
    range: Optional[Bounds] = None  # printed values consistent with the explained checks
    note: Optional[str] = None
    full: bool = True  # explains every failing check the figure takes part in

    @property
    def rule_ids(self) -> list[str]:
        return _checks(self.explains)

    @property
    def implied_text(self) -> Optional[str]:
        if self.figure is None or self.implied is None:
            return None
        return render(self.figure, self.implied)

    def _figure_dict(self) -> dict[str, Any]:
        fig = self.figure
        out: dict[str, Any] = {
            "line": fig.span.line if fig else None,
            "col": fig.span.col if fig else None,
            "text": fig.text if fig else None,
            "value": plain(fig.value) if fig else None,
            "implied": plain(self.implied),
            "implied_text": self.implied_text,
            "unit": fig.unit_label if fig else None,
            "hint": self.hint,
        }
        if fig is not None and fig.table is not None:
            out["table"] = fig.table
            out["row"] = fig.row
            out["column"] = fig.column.label if fig.column else None
        return out

    def as_dict(self) -> dict[str, Any]:
        out = {"kind": "figure" if self.figure is not None else "group", **self._figure_dict()}
        out["range"] = [plain(self.range[0]), plain(self.range[1])] if self.range else None
        out["explains"] = self.rule_ids
        out["checks"] = [{"id": f.rule.id, "column": f.column, "row": f.row} for f in self.explains]
        out["tie"] = [t._figure_dict() for t in self.tie]
        out["note"] = self.note
        if self.figure is None:  # a group: the figures its checks use
            figs = {g.key: g for f in self.explains for g in f.figures}
            out["figures"] = [{"line": g.span.line, "col": g.span.col, "text": g.text} for g in figs.values()]
        return out

    def describe(self) -> str:
        checks = ", ".join(self.rule_ids)
        if self.figure is None:
            where = "; ".join(f"{f.rule.id} [{f.column or '-'}]" for f in self.explains[:_GROUP_SHOWN])
            if len(self.explains) > _GROUP_SHOWN:
                where += f" and {len(self.explains) - _GROUP_SHOWN} more"
            if self.note and self.note.startswith(_UNDIAGNOSED):
                return f"{self.note}: {where}"
            return f"no single figure explains {where}" + (f" ({self.note})" if self.note else "")
        fig = self.figure
        hint = f" ({self.hint})" if self.hint else ""
        text = f"L{fig.span.line}:{fig.span.col} {fig.text} should be {self.implied_text}{hint} — fixes {checks}"
        if self.tie:
            shown = [f"L{t.figure.span.line}:{t.figure.span.col} {t.figure.text} -> {t.implied_text}"
                     + (f" ({t.hint})" if t.hint else "") for t in self.tie[:_TIE_SHOWN]]
            more = f" and {len(self.tie) - _TIE_SHOWN} more" if len(self.tie) > _TIE_SHOWN else ""
            text += f"; tie, these fit the same checks equally: {'; '.join(shown)}{more}"
        if self.note:
            text += f" [{self.note}]"
        return text
