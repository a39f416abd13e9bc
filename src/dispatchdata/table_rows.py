"""A record's rows in every table of its collection, made by functions derived from its class's
declaration (:mod:`~dispatchdata.fields`), once per class.

The exports' hot loop runs these for every record of a dataset, so each is a closure over what it
needs, empty lists cost a lookup, and a row is a plain tuple in its table's column order: a
tuple subclass with named fields costs a Python-level allocation per row and binds slower in
SQLite, which made the table exports a quarter slower. Rows are read back by column name
(:meth:`~dispatchdata.table_defs.Table.getter`, :func:`~dispatchdata.table_defs.row_type`), never
by position.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any, NamedTuple

from .fields import Anchors, Col, Declared, Rows, Values, declared
from .model import Anchor
from .table_defs import Row

#: One record's rows: table name -> its rows from that record.
RecordRows = dict[str, list[Row]]

#: Makes the rows of one list field of a record (or an item), given the keys of the columns
#: naming its owner, where its anchors go (collection, record id), and the record's rows so far
#: (where the anchors and the rows of an item's own lists go).
_Part = Callable[[dict[str, Any], tuple[Any, ...], tuple[str, str], RecordRows], list[Row]]

#: The keys of an anchor, in the order of its columns.
ANCHOR_KEYS = tuple(f.name for f in declared(Anchor))
#: An anchor's values in the order of its columns (all are required).
_anchor = itemgetter(*ANCHOR_KEYS)


class _Plain(NamedTuple):
    """A record class's columns when each is a key of the record and the required ones come
    first: the required ones read in C by one ``itemgetter``, then the optional ones with their
    defaults (a tuple literal's speed, which the exports' hot loop needs)."""

    required: Callable[[dict[str, Any]], Row]
    optional: tuple[str, ...]
    defaults: tuple[Any, ...]


def _plain(cls: type) -> _Plain | None:
    """How to read a record class's columns fast, where it can be (see :class:`_Plain`)."""
    own = [f for f in declared(cls) if isinstance(f.spec, Col)]
    required = [f.name for f in own if f.required]
    if any(len(f.path) > 1 for f in own) or [f.name for f in own[: len(required)]] != required:
        return None
    optional = own[len(required) :]
    get = itemgetter(*required)
    return _Plain(
        (lambda d: (get(d),)) if len(required) == 1 else get if required else (lambda d: ()),
        tuple(f.name for f in optional),
        tuple(f.default for f in optional),
    )


def _values(cls: type) -> Callable[[dict[str, Any]], Row]:
    """What reads the values of a record's columns out of it, in column order (a missing value
    is its default; the data is valid, so a required one is there)."""
    plain = _plain(cls)
    if plain is not None:
        required, keys, defaults = plain
        if not keys:
            return required
        return lambda d: required(d) + tuple(map(d.get, keys, defaults))
    own = [f for f in declared(cls) if isinstance(f.spec, Col)]
    paths = tuple((f.path, None if f.required else f.default) for f in own)
    return lambda d: tuple([_at(d, path, default) for path, default in paths])


def _at(d: dict[str, Any], path: tuple[str, ...], default: Any) -> Any:
    for key in path[:-1]:
        d = d.get(key) or {}
    return d.get(path[-1], default)


def _value_list(f: Declared, spec: Values) -> _Part:
    """The rows of a list of values: keyed by position, or by value (with a field of the owner
    copied into each row, where declared). Most such lists are empty: they cost a lookup."""
    name, copy = f.name, spec.copy[0] if spec.copy else ""

    def by_item(
        d: dict[str, Any], owner: tuple[Any, ...], where: tuple[str, str], out: RecordRows
    ) -> list[Row]:
        values = d.get(name)
        return [(*owner, i, v) for i, v in enumerate(values)] if values else []

    def by_value(
        d: dict[str, Any], owner: tuple[Any, ...], where: tuple[str, str], out: RecordRows
    ) -> list[Row]:
        values = d.get(name)
        return [(*owner, v) for v in values] if values else []

    def copied(
        d: dict[str, Any], owner: tuple[Any, ...], where: tuple[str, str], out: RecordRows
    ) -> list[Row]:
        values = d.get(name)
        return [(*owner, v, d[copy]) for v in values] if values else []

    return by_item if spec.item else copied if copy else by_value


def _item_list(f: Declared, spec: Rows) -> _Part:
    """The rows of a list of records: each item's own columns. Items with no anchor or list of
    their own and keyed by position, the common case, take one comprehension."""
    name, key, values, parts = f.name, spec.key, _values(f.type), _parts(f.type)
    anchor = next((g.name for g in declared(f.type) if isinstance(g.spec, Anchors)), "")
    if key or anchor or parts:
        return _nested_list(name, key, anchor, values, parts)

    plain = _plain(f.type)
    if plain is not None:  # the values read in C, not by a call per item
        required, keys, defaults = plain

        def flat(
            d: dict[str, Any], owner: tuple[Any, ...], where: tuple[str, str], out: RecordRows
        ) -> list[Row]:
            items = d.get(name)
            if not items:
                return []
            return [(*owner, i, *required(x), *map(x.get, keys, defaults)) for i, x in enumerate(items)]

        return flat

    def part(d: dict[str, Any], owner: tuple[Any, ...], where: tuple[str, str], out: RecordRows) -> list[Row]:
        items = d.get(name)
        return [(*owner, i, *values(x)) for i, x in enumerate(items)] if items else []

    return part


def _nested_list(
    name: str,
    key: str,
    anchor: str,
    values: Callable[[dict[str, Any]], Row],
    parts: tuple[tuple[str, _Part], ...],
) -> _Part:
    """The rows of a list of records keyed by one of their fields, or with an anchor or lists of
    their own: the anchor's row (under the list's name and the item's key) and the rows of the
    items' lists go into ``out``."""

    def part(d: dict[str, Any], owner: tuple[Any, ...], where: tuple[str, str], out: RecordRows) -> list[Row]:
        rows = []
        for table, _ in parts:
            out.setdefault(table, [])
        for i, x in enumerate(d.get(name, ())):
            at = x[key] if key else i
            rows.append((*owner, *values(x)) if key else (*owner, i, *values(x)))
            if anchor:
                out["anchors"].append((*where, name, at, *_anchor(x[anchor])))
            for table, sub in parts:
                out[table] += sub(x, (*owner, at), where, out)
        return rows

    return part


def _parts(cls: type) -> tuple[tuple[str, _Part], ...]:
    """The tables a record class's lists fill, and what makes their rows from a record."""
    parts: list[tuple[str, _Part]] = []
    for f in declared(cls):
        if isinstance(f.spec, Values):
            parts.append((f.spec.table, _value_list(f, f.spec)))
        elif isinstance(f.spec, Rows):
            parts.append((f.spec.table, _item_list(f, f.spec)))
    return tuple(parts)


def record_rows(collection: str, cls: type) -> Callable[[dict[str, Any]], RecordRows]:
    """What makes a record's rows: its row, its anchors' rows (the lists of anchors in one
    comprehension) and its lists' rows, every table of its collection (lists may be empty)."""
    values, parts = _values(cls), _parts(cls)
    lists = tuple(f.name for f in declared(cls) if isinstance(f.spec, Anchors) and f.many)

    def rows_of(d: dict[str, Any]) -> RecordRows:
        rid = d["id"]
        owner, where = (rid,), (collection, rid)
        out = {
            collection: [values(d)],
            "anchors": [(*where, n, i, *_anchor(a)) for n in lists for i, a in enumerate(d[n])],
        }
        for table, part in parts:
            out[table] = part(d, owner, where, out)
        return out

    return rows_of
