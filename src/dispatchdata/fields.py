"""The markers a record's fields carry in :mod:`~dispatchdata.model` (``Annotated[type, marker]``),
and :func:`declared`, which reads a record class into the one description of its fields that the
loader and the tables derive everything from: each field's key in the data, type, default, and the
column or table it becomes in the exports.
"""

from __future__ import annotations

import dataclasses
import types
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints


@dataclass(frozen=True, slots=True)
class Col:
    """A scalar field's column in its record's table: what it holds, whether it holds an ISO
    8601 date, the collection whose ids it holds, and whether an empty string is a value."""

    description: str
    date: bool = False
    references: str = ""
    may_be_empty: bool = False


@dataclass(frozen=True, slots=True)
class At:
    """Where a field's value sits in a record when not under the field's own name: a path of keys
    (``("erratum", "corrected")``)."""

    path: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Anchors:
    """A field holding an anchor, or a list of them: kept in the one ``anchors`` table, under the
    record's collection and id, the field's name (the list's name, for an item's anchor) and the
    position in the list (the item's key, for an item's anchor)."""


#: The marker of an anchor field.
ANCHORS = Anchors()


@dataclass(frozen=True, slots=True, kw_only=True)
class Rows:
    """A list of records kept as rows of a table of its own, keyed by the owner's key and each
    item's position (or ``key``, a field of the items that keys them, such as a footnote's
    number). ``owner`` describes the columns that name the owner (the owner's own owner first)."""

    table: str
    description: str
    owner: tuple[str, ...]
    item: str = "Position in the list."
    key: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Values:
    """A list of values (ids, numbers) kept as rows of a table of its own: the owner's key, the
    position (when ``item`` describes it; else the values key themselves) and the value, in
    ``column`` (name, description); ``copy`` repeats a field of the owner in each row, and
    ``foreign_key`` (columns, table, columns referenced, comma-separated) adds a reference."""

    table: str
    description: str
    owner: tuple[str, ...]
    column: tuple[str, str]
    item: str = ""
    references: str = ""
    copy: tuple[str, str] | None = None
    foreign_key: tuple[str, str, str] | None = None


Spec = Col | Anchors | Rows | Values | None


@dataclass(frozen=True, slots=True)
class Declared:
    """One field of a record class as declared: its name, where its value sits in the data,
    its default (``dataclasses.MISSING`` where required), the type of its value (of each item
    of a tuple, where ``many``; ``str`` for a ``Literal``) and its marker."""

    name: str
    path: tuple[str, ...]
    default: Any
    type: Any
    many: bool
    spec: Spec

    @property
    def required(self) -> bool:
        """Whether the data must hold it (no default)."""
        return self.default is dataclasses.MISSING

    @property
    def record(self) -> bool:
        """Whether its value (or each item) is a record of its own (a dataclass)."""
        return dataclasses.is_dataclass(self.type)


def _value_type(hint: Any) -> tuple[Any, bool]:
    """The type of a hint's value (``str | None`` -> ``str``; ``tuple[X, ...]`` -> ``X``, many)."""
    if get_origin(hint) in (Union, types.UnionType):
        (hint,) = (arg for arg in get_args(hint) if arg is not type(None))
    if get_origin(hint) is tuple:
        return _value_type(get_args(hint)[0])[0], True
    if get_origin(hint) is Literal:
        return str, False
    return hint, False


@cache
def declared(cls: type) -> tuple[Declared, ...]:
    """The fields of a record class, in declaration order."""
    hints = get_type_hints(cls, include_extras=True)
    out = []
    markers: tuple[Any, ...]
    for f in dataclasses.fields(cls):
        hint, markers = hints[f.name], ()
        if get_origin(hint) is Annotated:
            hint, markers = get_args(hint)[0], hint.__metadata__
        path = next((m.path for m in markers if isinstance(m, At)), (f.name,))
        spec = next((m for m in markers if isinstance(m, (Col, Anchors, Rows, Values))), None)
        value, many = _value_type(hint)
        out.append(Declared(f.name, path, f.default, value, many, spec))
    return tuple(out)
