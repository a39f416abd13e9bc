"""The dataset as relational tables: one per collection, plus link tables for every list.

Shared by the CSV, SQLite and Data Package exports, and reversible (:func:`collections_from_tables`)
so that exports can be checked by round trip. No cell holds JSON: every list becomes rows of its own
table, keyed by the owning record and the item's position (or its own natural key). Every table but
``metadata`` and the lead columns of ``anchors`` is derived from the model's declarations
(:mod:`~dispatchdata.model`, :mod:`~dispatchdata.fields`): its columns, keys and rows, and the way
back from rows to records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import Any

from ..citation import cite_text
from ..identity import identity_of
from ..model import Actor, Document, Proposal, Statement
from ..progress import stepper
from .table_defs import FK, C, Collection, Column, ForeignKey, NamedRow, Row, Table, row_type, schemas_of
from .table_records import records_from_tables
from .table_rows import RecordRows, record_rows

__all__ = [
    "ALL_TABLES",
    "BY_NAME",
    "COLLECTIONS",
    "FK",
    "TABLES",
    "C",
    "Column",
    "ForeignKey",
    "NamedRow",
    "RecordRows",
    "Row",
    "Table",
    "TableSet",
    "collections_from_tables",
    "derive_tables",
    "iter_record_rows",
    "metadata_rows",
    "row_type",
    "tables_of",
]  # fmt: skip

#: The collections, in the order of their tables, with their record classes and tables' descriptions.
COLLECTIONS: tuple[Collection, ...] = (
    ("documents", Document, "The source texts."),
    ("actors", Actor, "Persons and organisations."),
    ("proposals", Proposal, "Measures put forward, floated, or argued for or against."),
    ("statements", Statement, "Attributed statements."),
)


@dataclass(frozen=True, slots=True)
class TableSet:
    """The tables of a set of collections and what fills them, all derived from the collections'
    record classes (:func:`derive_tables`)."""

    collections: tuple[Collection, ...]
    schemas: tuple[Table, ...]
    #: What makes a record's rows, by collection, in the order the collections' names sort (the
    #: order of the anchors table's first column).
    record_rows: dict[str, Callable[[dict[str, Any]], RecordRows]]
    #: What gives a row's primary key, by table.
    keys: dict[str, Callable[[Row], Any]]

    def iter_record_rows(self, bundle: dict[str, Any]) -> Iterator[RecordRows]:
        """Every table's rows, one record at a time, in key order (see :func:`iter_record_rows`)."""
        collections = bundle["collections"]
        step = stepper()  # a caller showing progress counts the records
        for collection, rows_of in self.record_rows.items():
            for record in _in_id_order(collections[collection]):
                rows = rows_of(record)
                for name, some in rows.items():
                    if len(some) > 1:
                        some.sort(key=self.keys[name])
                yield rows
                if step is not None:
                    step(1)
        # Last: the version label may still be being decided (IdentifiedBundle.decide_aside).
        yield {"metadata": metadata_rows(bundle)}

    def tables_of(self, bundle: dict[str, Any]) -> list[Table]:
        """Every table of a bundle, rows sorted by primary key."""
        rows: dict[str, list[Row]] = {t.name: [] for t in self.schemas}
        for record in self.iter_record_rows(bundle):
            for name, some in record.items():
                rows[name] += some
        return [replace(t, rows=tuple(rows[t.name])) for t in self.schemas]

    def collections_from_tables(self, tables: dict[str, Table]) -> dict[str, list[dict[str, Any]]]:
        """The collections back from their tables (see :func:`collections_from_tables`)."""
        return records_from_tables(self.collections, tables)


def derive_tables(collections: tuple[Collection, ...]) -> TableSet:
    """The tables of these collections (the model's, :data:`TABLES`, or another set of record
    classes, such as a test's)."""
    schemas = schemas_of(collections)
    return TableSet(
        collections,
        schemas,
        {name: record_rows(name, cls) for name, cls, _ in sorted(collections)},
        {t.name: itemgetter(*(t.column_names.index(k) for k in t.primary_key)) for t in schemas},
    )


#: The tables of the model's collections.
TABLES = derive_tables(COLLECTIONS)
ALL_TABLES = TABLES.schemas
BY_NAME = {t.name: t for t in ALL_TABLES}


def _in_id_order(records: Iterable[Any]) -> Iterable[dict[str, Any]]:
    """A collection's records in id order: sorted, or as a holder that knows their ids gives them
    (``in_id_order()``, as :class:`~dispatchdata.release.release.CanonicalRecords` does)."""
    in_order = getattr(records, "in_id_order", None)
    if in_order is not None:
        return in_order()  # type: ignore[no-any-return]
    return sorted(records, key=itemgetter("id"))


def iter_record_rows(bundle: dict[str, Any]) -> Iterator[RecordRows]:
    """Every table's rows, one record at a time (the metadata last), in an order where each
    table's rows come sorted by its primary key: collections as their names sort (the anchors
    table's first column), records by id (the first column of every other table's key), and
    each record's rows sorted. So a table can be written as its rows come, whatever the size of
    the dataset. (Ids are unique in valid data: rows of two records with one id would be
    adjacent, not merged.)"""
    return TABLES.iter_record_rows(bundle)


def metadata_rows(bundle: dict[str, Any]) -> list[tuple[str, str]]:
    """The metadata table's rows, sorted."""
    return sorted(_metadata_rows(bundle))


def _metadata_rows(bundle: dict[str, Any]) -> Iterator[tuple[str, str]]:
    m = bundle["metadata"]
    identity = identity_of(bundle)
    yield ("name", m["name"])
    yield ("title", m["title"])
    yield ("version", identity.label)
    yield ("license", m["license"])
    yield ("description", m["description"])
    yield ("keywords", "; ".join(m.get("keywords", [])))
    yield ("creators", "; ".join(c["name"] for c in m.get("creators", [])))
    yield ("citation", cite_text(bundle))
    yield ("schema_sha256", bundle["schema"]["sha256"])
    if identity.released:
        yield ("released", identity.released)


def tables_of(bundle: dict[str, Any]) -> list[Table]:
    """Every table of a release bundle, rows sorted by primary key (see :func:`iter_record_rows`)."""
    return TABLES.tables_of(bundle)


def collections_from_tables(tables: dict[str, Table]) -> dict[str, list[dict[str, Any]]]:
    """Rebuild the collections (records sorted by id) from tables; optional values that are
    empty, and flags that are false, are left out, as in the YAML."""
    return TABLES.collections_from_tables(tables)
