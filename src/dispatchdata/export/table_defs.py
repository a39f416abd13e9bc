"""What each table of the exports holds (columns, keys, rows read by name), derived from the
record classes' declarations (:mod:`~dispatchdata.fields`): a collection's table holds its records'
scalar fields, a link table each list, and one ``anchors`` table every anchor."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any, ClassVar, cast

from ..fields import Col, Declared, Rows, Values, declared
from ..model import Anchor

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
    """A column: name, Table Schema type, whether it may be empty, and what it holds."""

    name: str
    type: str  # string | integer | boolean | date
    description: str
    required: bool = True
    text_may_be_empty: bool = False  # an empty string is a value here (anchor prefix/suffix)
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
_ANCHORS_LEAD = (
    (C("collection", "Collection of the record."), C("record", "Record id."),
     C("field", "anchors, quotes, positions or footnotes."),
     C("item", "Position in the list (footnote number for footnotes).", "integer"))
)  # fmt: skip


# -- the tables, derived from the model ---------------------------------------------------------


def _type(f: Declared) -> str:
    """A field's Table Schema type."""
    if isinstance(f.spec, Col) and f.spec.date:
        return "date"
    return {int: "integer", bool: "boolean"}.get(f.type, "string")


def _own_columns(cls: type) -> tuple[Column, ...]:
    """The columns of a record class's scalar fields: required unless they may be missing (a
    flag that defaults to false is always written)."""
    return tuple(
        Column(f.name, _type(f), f.spec.description, f.default is not None, f.spec.may_be_empty)
        for f in declared(cls)
        if isinstance(f.spec, Col)
    )


def _own_keys(cls: type) -> tuple[ForeignKey, ...]:
    return tuple(
        ForeignKey((f.name,), f.spec.references, ("id",))
        for f in declared(cls)
        if isinstance(f.spec, Col) and f.spec.references
    )


#: A column that names a list's owner: its name and Table Schema type.
_Owner = tuple[tuple[str, str], ...]


def _singular(table: str) -> str:
    return table.removesuffix("s")


def _link_tables(cls: type, owner: _Owner, parent: Table) -> Iterator[Table]:
    """The tables of a record class's lists, depth first: each keyed by its owner's key, which
    references the owner's table, and the item's position (or own key, or value)."""
    for f in declared(cls):
        if not isinstance(f.spec, (Rows, Values)):
            continue
        spec = f.spec
        lead = tuple(Column(n, t, d) for (n, t), d in zip(owner, spec.owner, strict=True))
        keys: tuple[ForeignKey, ...] = (
            ForeignKey(tuple(n for n, _ in owner), parent.name, parent.primary_key),
        )
        keyed_by_item = bool(spec.item) and not (isinstance(spec, Rows) and spec.key)
        item = (C("item", spec.item, "integer"),) if keyed_by_item else ()
        if isinstance(spec, Values):
            name, description = spec.column
            own: tuple[Column, ...] = (Column(name, _type(f), description),)
            if spec.copy:
                own += (C(*spec.copy),)
            if spec.references:
                keys += (FK(name, spec.references),)
            if spec.foreign_key:
                keys += (FK(*spec.foreign_key),)
            key = (item[0].name,) if item else (name,)
        else:
            own, key = _own_columns(f.type), (spec.key or "item",)
            keys += _own_keys(f.type)
        table = Table(spec.table, spec.description, lead + item + own, tuple(n for n, _ in owner) + key, keys)
        yield table
        if isinstance(spec, Rows):
            key_type = next((c.type for c in table.columns if c.name == key[0]), "integer")
            yield from _link_tables(f.type, (*owner, (_singular(spec.table), key_type)), table)


def collection_tables(collection: str, cls: type, description: str) -> Iterator[Table]:
    table = Table(collection, description, _own_columns(cls), ("id",), _own_keys(cls))
    """A collection's tables: its records' table, then its lists' tables, depth first."""
    yield table
    yield from _link_tables(cls, ((_singular(collection), "string"),), table)


def schemas_of(collections: Iterable[Collection]) -> tuple[Table, ...]:
    """Every table of these collections: the metadata first, the anchors last."""
    return (
        METADATA,
        *(t for collection in collections for t in collection_tables(*collection)),
        Table(
            "anchors",
            "Every anchor into the texts: a record's passages, a statement's quotes, where positions and "
            "footnotes are printed.",
            _ANCHORS_LEAD + _own_columns(Anchor),
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
