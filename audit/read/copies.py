"""Copies of the reader's frozen records with some fields changed: what dataclasses.replace
gives (every field passed to the constructor again), without its walk over the fields' metadata
on every call."""
from __future__ import annotations

from dataclasses import fields
from operator import attrgetter

from .filing import Column, Figure, Row


def _copier(cls):
    names = tuple(f.name for f in fields(cls))
    values_of = attrgetter(*names)
    index = {name: k for k, name in enumerate(names)}

    def copy(obj, **changes):
        values = list(values_of(obj))
        for name, value in changes.items():
            values[index[name]] = value
        return cls(*values)

    return copy


figure_with = _copier(Figure)
row_with = _copier(Row)
column_with = _copier(Column)
