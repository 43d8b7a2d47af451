"""Making the reader's frozen records fast: ``make_figure(...)`` is ``Figure(...)`` with positional
arguments, made as its slot twin (a plain class of the same __slots__, whose fields are stored as
any attribute is, not through the frozen __setattr__) and then given its class; ``figure_with(fig,
**changes)`` is dataclasses.replace without its walk over the fields; the same for Span, Row,
Column and Table (replace() picks the copier of its record's type)."""
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


def _twin(cls, defaults: tuple):
    """A plain class with the slots of ``cls``, a frozen, slotted dataclass whose fields are its
    slots and whose last fields default to ``defaults`` (checked here, so that a change of the
    record's fields is not missed by its maker below). An object made as it has the layout of
    ``cls``: Python lets its __class__ be set to ``cls``."""
    found = fields(cls)
    names = tuple(f.name for f in found)
    if (tuple(cls.__slots__) != names or hasattr(cls, "__post_init__")
            or tuple(f.default for f in found[len(found) - len(defaults):]) != defaults
            or any(f.default is not MISSING for f in found[:len(found) - len(defaults)])):
        raise TypeError(f"copies: the maker of {cls.__name__} does not match its fields")
    return type(f"_{cls.__name__}Slots", (), {"__slots__": names})


_SpanSlots = _twin(Span, ())
_FigureSlots = _twin(Figure, (None, None, (), None, None, None, None, None, None))
_RowSlots = _twin(Row, (False, False, ()))


def make_span(line, col, end_col):
    """Span(line, col, end_col)."""
    o = _SpanSlots()
    o.line = line
    o.col = col
    o.end_col = end_col
    o.__class__ = Span
    return o


def make_figure(value, scale, unit, decimals, kind, text, span, table=None, row=None, section=(), column=None,
                phrase=None, context=None, period=None, scale_word=None, sentence=None):
    """Figure(...), the same arguments."""
    o = _FigureSlots()
    o.value = value
    o.scale = scale
    o.unit = unit
    o.decimals = decimals
    o.kind = kind
    o.text = text
    o.span = span
    o.table = table
    o.row = row
    o.section = section
    o.column = column
    o.phrase = phrase
    o.context = context
    o.period = period
    o.scale_word = scale_word
    o.sentence = sentence
    o.__class__ = Figure
    return o


def make_cell(value, scale, unit, decimals, kind, text, line, col, table, row, section, column):
    """A table cell's Figure, printed as text at (line, col), with its Span."""
    return make_figure(value, scale, unit, decimals, kind, text, make_span(line, col, col + len(text)), table, row,
                       section, column)


def make_row(index, label, section, kind, cells, span, is_total=False, is_group=False, label_figures=()):
    """Row(...), the same arguments."""
    o = _RowSlots()
    o.index = index
    o.label = label
    o.section = section
    o.kind = kind
    o.cells = cells
    o.span = span
    o.is_total = is_total
    o.is_group = is_group
    o.label_figures = label_figures
    o.__class__ = Row
    return o


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


figure_with = _copier(Figure, make_figure)
row_with = _copier(Row, make_row)
column_with = _copier(Column, _maker(Column))
_COPIERS = {Figure: figure_with, Row: row_with, Column: column_with, Table: _copier(Table, _maker(Table))}


def replace(obj, **changes):
    """dataclasses.replace(obj, **changes), by the copiers above for the reader's records."""
    copy = _COPIERS.get(type(obj))
    return dataclasses.replace(obj, **changes) if copy is None else copy(obj, **changes)
