"""What the JSON Schema says of the tables' columns: the schema node of each record class, found
by walking the schema as the tables walk the model (a collection's items, a field's property, a
list's items), and the Table Schema constraints a node implies (``enum``, ``pattern``,
``minLength``, ``maxLength``, ``minimum``, ``maximum``). Nothing here is a copy of the schema: a
value allowed or refused by the schema is allowed or refused by the tables alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ..check.schema import SCHEMA_FILES, schemas

#: A column's constraints besides ``required`` and ``enum``, as (keyword, value) pairs.
Constraints = tuple[tuple[str, Any], ...]

#: The keywords a Table Schema field of each type takes from the JSON Schema, as they are named
#: in both (a date's own format says what its pattern says).
_KEYWORDS = {"string": ("minLength", "maxLength", "pattern"), "integer": ("minimum", "maximum")}


@dataclass(frozen=True, slots=True)
class Place:
    """A schema node, its ``$ref`` chain merged in, and the schema document its local
    references resolve in."""

    node: dict[str, Any]
    doc: dict[str, Any]

    def property(self, path: tuple[str, ...]) -> Place | None:
        """The node of the property at ``path`` (keys of nested objects), if the schema has it."""
        place: Place | None = self
        for key in path:
            if place is None or key not in place.node.get("properties", {}):
                return None
            place = resolve(place.node["properties"][key], place.doc)
        return place

    def items(self) -> Place | None:
        """The node of an array's items, if it says."""
        return resolve(self.node["items"], self.doc) if "items" in self.node else None


@cache
def _documents() -> dict[str, dict[str, Any]]:
    return {doc["$id"]: doc for doc in schemas().values()}


def resolve(node: dict[str, Any], doc: dict[str, Any]) -> Place:
    """A node with its ``$ref`` chain merged in (the referring node's own keywords win, as in
    ``summary``'s ``maxLength`` beside the text it refers to)."""
    merged = dict(node)
    while "$ref" in merged:
        base, _, pointer = merged.pop("$ref").partition("#")
        doc = _documents()[base] if base else doc
        target: Any = doc
        for part in pointer.strip("/").split("/"):
            target = target[part]
        merged = {**target, **merged}
    return Place(merged, doc)


def collection_place(collection: str) -> Place | None:
    """The node of a collection's records (None for a collection the schema does not have)."""
    name = SCHEMA_FILES.get(collection)
    if name is None or collection in ("dataset", "release"):
        return None
    doc = schemas()[name]
    return resolve(doc["items"], doc)


def definition(name: str) -> Place:
    """A shared definition (``anchor``, ``id``) of ``defs.schema.json``."""
    doc = schemas()["defs.schema.json"]
    return resolve(doc["$defs"][name], doc)


def pattern(expression: str) -> str:
    """A JSON Schema pattern (searched for) as a Table Schema one (matched whole): ``^X$`` is
    ``X``. A pattern not anchored at both ends would need rewriting to mean the same; none is,
    and one would raise here, when the tables are derived, never be dropped."""
    if not (expression.startswith("^") and expression.endswith("$") and not expression.endswith("\\$")):
        raise ValueError(
            f"a pattern not anchored at both ends cannot be said in Table Schema: {expression!r}"
        )
    inner = expression[1:-1]
    return f"({inner})" if "|" in inner else inner


def constraints_of(place: Place | None, table_type: str) -> tuple[Constraints, tuple[str, ...]]:
    """The constraints and the allowed values (``enum``) a node implies for a column of this
    Table Schema type."""
    if place is None:
        return (), ()
    node = place.node
    found = []
    for keyword in _KEYWORDS.get(table_type, ()):
        if keyword in node:
            value = node[keyword]
            found.append((keyword, pattern(value) if keyword == "pattern" else value))
    return tuple(found), tuple(node.get("enum", ()))
