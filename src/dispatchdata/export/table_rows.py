"""A record's rows in every table of its collection, made by a function written from its class's
declaration (:mod:`~dispatchdata.fields`), once per class.

The exports' hot loop runs that function for every record of a dataset, so it is what one would
write by hand: a dict of list comprehensions, one per table, with the record's keys spelled out
(``d["speaker"]``, ``x.get("note")``). Its source is generated and compiled once, as
:mod:`dataclasses` does for ``__init__``, because interpreting the declaration on every record
(a call per field and per list) made the table exports measurably slower. For the same reason a
row is a plain tuple in its table's column order, not a named tuple (one more allocation per row,
and slower to bind in SQLite): rows are read by column name, with
:meth:`~dispatchdata.export.table_defs.Table.getter`, and tables read back have named rows
(:func:`~dispatchdata.export.table_defs.row_type`). ``record_rows(...).source`` shows what was written.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from ..fields import Anchors, Col, Rows, Values, declared
from ..model import Anchor
from .table_defs import DERIVED, Row, collection_tables

#: One record's rows: table name -> its rows from that record.
RecordRows = dict[str, list[Row]]

#: The keys of an anchor, in the order of its columns.
ANCHOR_KEYS = tuple(f.name for f in declared(Anchor))


def _values(cls: type, var: str) -> list[str]:
    """Expressions of a record's column values, ``var`` being the record: a required value must be
    there, an optional one missing is its default (as is a missing object on its path); a
    derived column (:data:`~dispatchdata.export.table_defs.DERIVED`) is the first of its
    sources' values that is there."""
    values: dict[str, str] = {}
    for f in declared(cls):
        if not isinstance(f.spec, Col):
            continue
        *outer, key = f.path
        if f.required and not outer:
            values[f.name] = f"{var}[{key!r}]"
            continue
        holder = var
        for name in outer:
            holder = f"({holder}.get({name!r}) or {{}})"
        values[f.name] = f"{holder}.get({key!r}, {None if f.required else f.default!r})"
    out = []
    for name, value in values.items():
        out.append(value)
        for d in DERIVED.get(cls, ()):
            if d.after == name:
                out.append(f"({' or '.join(values[source] for source in d.sources)})")
    return out


#: Where a list's rows are made: the comprehension's loops so far, the expressions of the
#: columns naming the owner, and the nesting depth (which names the loop variables).
_Scope = tuple[str, tuple[str, ...], int]


def _lists(collection: str, cls: type, var: str, scope: _Scope, tables: dict[str, list[str]]) -> None:
    """Add to ``tables`` the comprehension of the rows of each list of a record (``var``),
    its items' lists' too, and of the anchors of the record and of its items."""
    loops, owner, depth = scope
    row: tuple[str, ...]
    for f in declared(cls):
        items = f"{var}[{f.name!r}]" if f.required else f"{var}.get({f.name!r}, ())"
        i, x = f"i{depth}", f"x{depth}"
        loop = f"{loops}for {i}, {x} in enumerate({items}) "
        if isinstance(f.spec, Anchors) and f.many:
            row = (repr(collection), "rid", repr(f.name), i, f"*_anchor({x})")
            tables["anchors"].append(f"[({', '.join(row)}) {loop.rstrip()}]")
        elif isinstance(f.spec, Values):
            spec = f.spec
            row = (
                *owner,
                *([i] if spec.item else []),
                x,
                *([f"{var}[{spec.copy[0]!r}]"] if spec.copy else []),
            )
            loop = loop if spec.item else f"{loops}for {x} in {items} "
            tables[spec.table].append(f"[({', '.join(row)},) {loop.rstrip()}]")
        elif isinstance(f.spec, Rows):
            key = f"{x}[{f.spec.key!r}]" if f.spec.key else i
            row = (*owner, *([] if f.spec.key else [i]), *_values(f.type, x))
            tables[f.spec.table].append(f"[({', '.join(row)},) {loop.rstrip()}]")
            for g in declared(f.type):
                if isinstance(g.spec, Anchors) and not g.many:  # an item's anchor: under the list's name
                    row = (repr(collection), "rid", repr(f.name), key, f"*_anchor({x}[{g.name!r}])")
                    tables["anchors"].append(f"[({', '.join(row)}) {loop.rstrip()}]")
            _lists(collection, f.type, x, (loop, (*owner, key), depth + 1), tables)


def _source(collection: str, cls: type) -> str:
    """The source of the function that makes a record's rows, every table of its collection."""
    tables: dict[str, list[str]] = {t.name: [] for t in collection_tables(collection, cls, "")}
    tables[collection].append(f"[({', '.join(_values(cls, 'd'))},)]")
    tables["anchors"] = []
    _lists(collection, cls, "d", ("", ("rid",), 0), tables)
    lines = [f"        {name!r}: {' + '.join(rows) or '[]'}," for name, rows in tables.items()]
    return "\n".join(["def rows_of(d):", "    rid = d['id']", "    return {", *lines, "    }", ""])


def record_rows(collection: str, cls: type) -> Callable[[dict[str, Any]], RecordRows]:
    """The function that makes a record's rows, every table of its collection (lists may be
    empty), written from the record class's declaration (see the module's docstring)."""
    source = _source(collection, cls)
    namespace: dict[str, Any] = {"_anchor": itemgetter(*ANCHOR_KEYS)}
    exec(
        compile(source, f"<rows of {collection}>", "exec"), namespace
    )  # our own source, from our declarations
    rows_of = namespace["rows_of"]
    rows_of.source = source
    return rows_of  # type: ignore[no-any-return]
