"""Making the reader's frozen records fast: ``make_figure(...)`` is ``Figure(...)`` with positional
arguments, set slot by slot (a frozen dataclass's __init__ sets each field through
object.__setattr__, twice the cost), and ``figure_with(fig, **changes)`` is dataclasses.replace
without its walk over the fields' metadata; the same for Span, Row, Column and Table (replace()
picks the copier of its record's type)."""
from __future__ import annotations

import dataclasses
from dataclasses import MISSING, fields
from operator import attrgetter

from .filing import Column, Figure, Row, Span, Table


def _maker(cls):
    """cls(*args) for a frozen, slotted dataclass of plain fields (no __post_init__, no factory):
    a new object whose slots are set directly. Anything else gets cls itself."""
    found = fields(cls)
    names = [f.name for f in found]
    if (hasattr(cls, "__post_init__") or tuple(getattr(cls, "__slots__", ())) != tuple(names)
            or any(not f.init or f.default_factory is not MISSING for f in found)):
        return cls
    env = {"_new": object.__new__, "_cls": cls}
    params = []
    for k, f in enumerate(found):
        env[f"_s{k}"] = getattr(cls, f.name).__set__
        if f.default is MISSING:
            params.append(f.name)
        else:
            env[f"_d{k}"] = f.default
            params.append(f"{f.name}=_d{k}")
    body = "".join(f"    _s{k}(o, {name})\n" for k, name in enumerate(names))
    exec(f"def make({', '.join(params)}):\n    o = _new(_cls)\n{body}    return o\n", env)  # noqa: S102
    return env["make"]


def _copier(cls, make):
    names = tuple(f.name for f in fields(cls))
    values_of = attrgetter(*names)
    index = {name: k for k, name in enumerate(names)}

    def copy(obj, **changes):
        values = list(values_of(obj))
        for name, value in changes.items():
            values[index[name]] = value
        return make(*values)

    return copy


make_figure, make_span, make_row = _maker(Figure), _maker(Span), _maker(Row)
figure_with = _copier(Figure, make_figure)
row_with = _copier(Row, make_row)
column_with = _copier(Column, _maker(Column))
_COPIERS = {Figure: figure_with, Row: row_with, Column: column_with, Table: _copier(Table, _maker(Table))}


def replace(obj, **changes):
    """dataclasses.replace(obj, **changes), by the copiers above for the reader's records."""
    copy = _COPIERS.get(type(obj))
    return dataclasses.replace(obj, **changes) if copy is None else copy(obj, **changes)
