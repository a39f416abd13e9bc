"""Tables back to records (for round-trip checks and for readers of the exports): the inverse of
:mod:`~dispatchdata.export.table_rows`, derived from the same declarations."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from ..fields import Anchors, Col, Declared, Rows, Values, declared
from .table_defs import Collection, Table, collection_tables
from .table_rows import ANCHOR_KEYS

#: A table's rows as dicts by column name, grouped by the key of the owner they belong to.
_Groups = dict[str, dict[tuple[Any, ...], list[dict[str, Any]]]]
#: Anchors by (collection, record, field): their position (or item key) and the anchor.
_AnchorIndex = dict[tuple[Any, ...], list[tuple[Any, dict[str, Any]]]]


def _dicts(table: Table) -> Iterator[dict[str, Any]]:
    """A table's rows as dicts by column name, in the order they come."""
    names = table.column_names
    return (dict(zip(names, row, strict=True)) for row in table.rows)


def _grouped(table: Table, width: int) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    """A table's rows (in the order they come), by the values of their first ``width`` columns."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row, values in zip(table.rows, _dicts(table), strict=True):
        groups.setdefault(tuple(row[:width]), []).append(values)
    return groups


def _anchor(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in ANCHOR_KEYS}


def _scalar(d: dict[str, Any], f: Declared, value: Any) -> None:
    """Set a column's value in the record, unless it is missing (or a flag left at its default)."""
    if value is None or (value is False and f.default is False):
        return
    *outer, key = f.path
    for name in outer:
        d = d.setdefault(name, {})
    d[key] = value


def _record(cls: type, values: dict[str, Any], key: tuple[Any, ...], place: tuple[Any, ...], groups: _Groups,
            anchors: _AnchorIndex) -> dict[str, Any]:  # fmt: skip
    """A record (or an item) back from its row's ``values``: ``key`` is the key its lists' rows
    are grouped by, ``place`` where its anchors are (collection, record id, and for an item the
    list's name and the item's key). Empty lists that may be missing are left out."""
    d: dict[str, Any] = {}
    for f in declared(cls):
        spec = f.spec
        if isinstance(spec, Col):
            _scalar(d, f, values[f.name])
            continue
        if isinstance(spec, Anchors):
            if f.many:
                found = sorted(anchors.get((*place, f.name), []), key=itemgetter(0))
                d[f.name] = [a for _, a in found]
            else:
                *where, at = place
                d[f.name] = next(a for item, a in anchors.get(tuple(where), []) if item == at)
            continue
        assert isinstance(spec, (Rows, Values))
        rows = groups[spec.table].get(key, [])
        if isinstance(spec, Values):
            items = [r[spec.column[0]] for r in rows]
        else:
            items = []
            for i, r in enumerate(rows):
                at = r[spec.key] if spec.key else i
                items.append(_record(f.type, r, (*key, at), (*place[:2], f.name, at), groups, anchors))
        if items or f.required:
            d[f.name] = items
    return d


def records_from_tables(
    collections: Iterable[Collection], tables: dict[str, Table]
) -> dict[str, list[dict[str, Any]]]:
    """Rebuild the collections (records sorted by id) from tables; optional values that are
    empty, and flags that are false, are left out, as in the YAML."""
    anchors: _AnchorIndex = {}
    for values in _dicts(tables["anchors"]):
        where = (values["collection"], values["record"], values["field"])
        anchors.setdefault(where, []).append((values["item"], _anchor(values)))
    out: dict[str, list[dict[str, Any]]] = {}
    for collection, cls, description in collections:
        links = list(collection_tables(collection, cls, description))[1:]
        groups = {t.name: _grouped(tables[t.name], len(t.primary_key) - 1) for t in links}
        out[collection] = [
            _record(cls, values, (values["id"],), (collection, values["id"]), groups, anchors)
            for values in _dicts(tables[collection])
        ]
    return out
