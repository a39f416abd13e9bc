"""What each table of the exports holds (columns, keys, rows read by name), derived from the
record classes' declarations (:mod:`~dispatchdata.fields`): a collection's table holds its records'
scalar fields, a link table each list, and one ``anchors`` table every anchor."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import TYPE_CHECKING, Any, ClassVar, cast

from ..fields import Anchors, Col, Declared, Rows, Values, declared
from ..model import Anchor, FootnoteDate
from .constraints import Constraints, Place, collection_place, constraints_of, definition

#: A collection: its name, its record class and its table's description.
Collection = tuple[str, type, str]


#: A table's row as the exports write it: its values in the table's column order (a plain tuple:
#: see :mod:`~dispatchdata.export.table_rows`); read its columns by name, with :meth:`Table.getter`.
Row = tuple[Any, ...]


class NamedRow(tuple[Any, ...]):
    """A table's row read back (:func:`~dispatchdata.export.csv_tables.read_table`): its values
    in column order, each also read by its column's name (``row.exact``). Each table's rows are
    of a subclass of its own (:func:`row_type`)."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True))
        return f"{type(self).__name__}({values})"

    @classmethod
    def _make(cls, values: Iterable[Any]) -> NamedRow:
        """A row of this class from its values in column order."""
        return tuple.__new__(cls, values)

    if TYPE_CHECKING:

        def __getattr__(self, column: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class Column:
    """A column: name, Table Schema type, whether it may be empty, what it holds, the constraints
    the JSON Schema puts on its values (:mod:`~dispatchdata.export.constraints`) and, for an
    enumerated column, its allowed values."""

    name: str
    type: str  # string | integer | boolean | date
    description: str
    required: bool = True
    text_may_be_empty: bool = False  # an empty string is a value here (anchor prefix/suffix)
    constraints: Constraints = ()
    enum: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """Columns of this table that reference the primary key of another (or the same) table."""

    columns: tuple[str, ...]
    table: str
    referenced: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table: its columns, keys and rows (rows sorted by primary key)."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = field(default=(), compare=False)

    @property
    def column_names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(c.name for c in self.columns)

    def getter(self, *names: str) -> Callable[[Row], Any]:
        """What reads these columns of a row by name (a value, or a tuple of several)."""
        return itemgetter(*map(self.column_names.index, names))


def C(
    name: str, description: str, type: str = "string", required: bool = True, empty: bool = False
) -> Column:
    """Shorthand for a column definition."""
    return Column(name, type, description, required, empty)


def FK(columns: str, table: str, referenced: str = "id") -> ForeignKey:
    """Shorthand for a foreign key: comma-separated column names."""
    return ForeignKey(tuple(columns.split(",")), table, tuple(referenced.split(",")))


METADATA = Table(
    "metadata",
    "The dataset's metadata, one property a row.",
    (C("key", "Property."), C("value", "Its value.")),
    ("key",),
)


# -- the tables, derived from the model ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Derived:
    """A column the tables add to a record's own: the first of ``sources`` (its fields) that has a
    value, placed after the field ``after``; it is the record class's property of the same name
    (whose docstring describes it), so a table gives what ``load()`` gives."""

    name: str
    sources: tuple[str, ...]
    after: str


#: The derived columns of each record class: a footnote date's effective date (its correction
#: where the printed date is wrong, else the printed date) beside the date as printed.
DERIVED: dict[type, tuple[Derived, ...]] = {
    FootnoteDate: (Derived("effective", ("corrected", "date"), "date"),),
}


def _type(f: Declared) -> str:
    """A field's Table Schema type."""
    if isinstance(f.spec, Col) and f.spec.date:
        return "date"
    return {int: "integer", bool: "boolean"}.get(f.type, "string")


def _column(f: Declared, place: Place | None, description: str = "", name: str = "") -> Column:
    """The column of a field (a scalar, or the items of a list of values) with what the schema
    node of its values (``place``) implies: required unless it may be missing (a flag that
    defaults to false is always written)."""
    type_, spec = _type(f), f.spec
    limits, enum = constraints_of(place, type_)
    empty = isinstance(spec, Col) and spec.may_be_empty
    return Column(
        name or f.name,
        type_,
        description or (spec.description if isinstance(spec, Col) else ""),
        f.default is not None,
        empty,
        limits,
        enum,
    )


def _own_columns(cls: type, place: Place | None) -> tuple[Column, ...]:
    """The columns of a record class's scalar fields (``place``: the schema node of its records),
    each derived column after the field it follows."""
    columns: list[Column] = []
    fields = {f.name: f for f in declared(cls)}
    for f in fields.values():
        if not isinstance(f.spec, Col):
            continue
        columns.append(_column(f, place.property(f.path) if place else None))
        for d in DERIVED.get(cls, ()):
            if d.after == f.name:
                doc = " ".join((getattr(cls, d.name).__doc__ or "").split())
                columns.append(Column(d.name, _type(fields[d.sources[0]]), doc))
    return tuple(columns)


def _own_keys(cls: type) -> tuple[ForeignKey, ...]:
    return tuple(
        ForeignKey((f.name,), f.spec.references, ("id",))
        for f in declared(cls)
        if isinstance(f.spec, Col) and f.spec.references
    )


def _singular(table: str) -> str:
    return table.removesuffix("s")


def _lead(owner: tuple[Column, ...], descriptions: tuple[str, ...]) -> tuple[Column, ...]:
    """The columns naming a list's owner: its key's columns, as the owner's table has them."""
    return tuple(
        replace(c, description=d, required=True, text_may_be_empty=False)
        for c, d in zip(owner, descriptions, strict=True)
    )


def _link_tables(cls: type, owner: tuple[Column, ...], parent: Table, place: Place | None) -> Iterator[Table]:
    """The tables of a record class's lists, depth first: each keyed by its owner's key
    (``owner``, with the names it takes), which references the owner's table, and the item's
    position (or own key, or value). ``place``: the schema node of the class's records."""
    for f in declared(cls):
        if not isinstance(f.spec, (Rows, Values)):
            continue
        spec = f.spec
        items = place.property(f.path) if place else None
        items = items.items() if items else None
        lead = _lead(owner, spec.owner)
        keys: tuple[ForeignKey, ...] = (
            ForeignKey(tuple(c.name for c in owner), parent.name, parent.primary_key),
        )
        keyed_by_item = bool(spec.item) and not (isinstance(spec, Rows) and spec.key)
        item = (C("item", spec.item, "integer"),) if keyed_by_item else ()
        if isinstance(spec, Values):
            name, description = spec.column
            own: tuple[Column, ...] = (replace(_column(f, items, description, name), required=True),)
            if spec.copy:
                copied = next(c for c in parent.columns if c.name == spec.copy[0])
                own += (replace(copied, description=spec.copy[1]),)
            if spec.references:
                keys += (FK(name, spec.references),)
            if spec.foreign_key:
                keys += (FK(*spec.foreign_key),)
            key = (item[0].name,) if item else (name,)
        else:
            own, key = _own_columns(f.type, items), (spec.key or "item",)
            keys += _own_keys(f.type)
        columns = lead + item + own
        table = Table(spec.table, spec.description, columns, tuple(c.name for c in owner) + key, keys)
        yield table
        if isinstance(spec, Rows):
            key_column = next(c for c in columns if c.name == key[0])
            yield from _link_tables(
                f.type, (*owner, replace(key_column, name=_singular(spec.table))), table, items
            )


def collection_tables(collection: str, cls: type, description: str) -> Iterator[Table]:
    """A collection's tables: its records' table, then its lists' tables, depth first."""
    place = collection_place(collection)
    table = Table(collection, description, _own_columns(cls, place), ("id",), _own_keys(cls))
    yield table
    (key,) = (c for c in table.columns if c.name == "id")
    yield from _link_tables(cls, (replace(key, name=_singular(collection)),), table, place)


def _anchor_fields(cls: type) -> Iterator[str]:
    """The names anchors are kept under in the anchors table (see :mod:`~dispatchdata.fields`):
    a field of anchors, or a list whose items have one."""
    for f in declared(cls):
        if isinstance(f.spec, Anchors) and f.many:
            yield f.name
        elif isinstance(f.spec, Rows):
            if any(isinstance(g.spec, Anchors) and not g.many for g in declared(f.type)):
                yield f.name
            yield from _anchor_fields(f.type)


def _anchors_lead(collections: Iterable[Collection]) -> tuple[Column, ...]:
    """The anchors table's first columns: where each anchor is held."""
    collections = tuple(collections)
    names = tuple(sorted(name for name, _, _ in collections))
    fields = tuple(sorted({name for _, cls, _ in collections for name in _anchor_fields(cls)}))
    id_limits, _ = constraints_of(definition("id"), "string")
    return (
        Column("collection", "string", "Collection of the record.", enum=names),
        Column("record", "string", "Record id.", constraints=id_limits),
        Column("field", "string", f"{', '.join(fields[:-1])} or {fields[-1]}.", enum=fields),
        Column("item", "integer", "Position in the list (footnote number for footnotes)."),
    )


def schemas_of(collections: Iterable[Collection]) -> tuple[Table, ...]:
    """Every table of these collections: the metadata first, the anchors last."""
    collections = tuple(collections)
    return (
        METADATA,
        *(t for collection in collections for t in collection_tables(*collection)),
        Table(
            "anchors",
            "Every anchor into the texts: a record's passages, a statement's quotes, where positions and "
            "footnotes are printed.",
            _anchors_lead(collections) + _own_columns(Anchor, definition("anchor")),
            ("collection", "record", "field", "item"),
            _own_keys(Anchor),
        ),
    )


def row_type(table: Table) -> type[NamedRow]:
    """The class of a table's rows read back: a :class:`NamedRow` with a property per column."""
    names = table.column_names
    attributes: dict[str, Any] = {n: property(itemgetter(i)) for i, n in enumerate(names)}
    return cast(
        type[NamedRow], type(table.name, (NamedRow,), {**attributes, "__slots__": (), "_fields": names})
    )
