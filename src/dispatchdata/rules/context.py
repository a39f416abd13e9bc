"""Shared helpers of the rules: what a finding is, where references and anchors are in a record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..parse import escape

#: A problem found in one record, before it is placed in a file: (index of the record, code,
#: message, JSON pointer inside the record, whether the position is the key's).
Finding = tuple[int, str, str, str, bool]

SINGULAR = {
    "documents": "document",
    "actors": "actor",
    "proposals": "proposal",
    "statements": "statement",
}


def values(data: Any, parts: list[str], pointer: str = "") -> Iterator[tuple[str, Any]]:
    """(pointer, value) for every value at a path with '*' wildcards; skips wrong shapes."""
    if len(parts) == 1:  # the common shapes, without recursion: "field"
        if isinstance(data, dict) and parts[0] in data:
            yield f"{pointer}/{escape(parts[0])}", data[parts[0]]
        return
    if len(parts) == 2 and parts[1] == "*":  # "field/*"
        items = data.get(parts[0]) if isinstance(data, dict) else None
        if isinstance(items, list):
            base = f"{pointer}/{escape(parts[0])}"
            for i, item in enumerate(items):
                yield f"{base}/{i}", item
        return
    if not parts:
        yield pointer, data
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from values(item, rest, f"{pointer}/{i}")
    elif isinstance(data, dict) and head in data:
        yield from values(data[head], rest, f"{pointer}/{escape(head)}")


#: Where anchors are: lists of anchors, and lists of items that each carry one anchor.
ANCHOR_LISTS = ("anchors", "quotes")
ANCHOR_ITEMS = ("positions", "footnotes")


def iter_anchors(data: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every anchor inside a record, with its pointer: the items of 'anchors' and 'quotes', and
    the 'anchor' of each position and footnote (the schema allows anchors nowhere else)."""
    if not isinstance(data, dict):
        return
    for key in ANCHOR_LISTS:
        items = data.get(key)
        if isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    yield f"/{key}/{i}", item
    for key in ANCHOR_ITEMS:
        items = data.get(key)
        if isinstance(items, list):
            for i, item in enumerate(items):
                anchor = item.get("anchor") if isinstance(item, dict) else None
                if isinstance(anchor, dict):
                    yield f"/{key}/{i}/anchor", anchor


def as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# (collection of the referring record, JSON path inside the record with '*' for list items,
#  collection referred to)
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("documents", "publisher", "actors"),
    ("actors", "parent", "actors"),
    ("actors", "positions/*/organisation", "actors"),
    ("actors", "positions/*/represents", "actors"),
    ("proposals", "proposed_by/*", "actors"),
    ("statements", "document", "documents"),
    ("statements", "speaker", "actors"),
    ("statements", "stances/*/proposal", "proposals"),
    ("statements", "responds_to/*", "statements"),
    ("statements", "targets/*", "actors"),
)

#: For each collection, its references as (field, subfield or None, is a list, target).
REFERENCE_FIELDS: dict[str, list[tuple[str, str | None, bool, str]]] = {}
for _source, _path, _target in REFERENCES:
    _field, *_rest = _path.split("/")
    REFERENCE_FIELDS.setdefault(_source, []).append(
        (_field, _rest[1] if len(_rest) == 2 else None, bool(_rest), _target)
    )


def iter_references(data: dict[str, Any], collection: str) -> Iterator[tuple[str, str, str]]:
    """(pointer, value, target collection) of every string in a reference field of a record."""
    for field, sub, listed, target in REFERENCE_FIELDS.get(collection, ()):
        value = data.get(field)
        if value is None:
            continue
        if not listed:
            if isinstance(value, str):
                yield f"/{escape(field)}", value, target
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if sub is not None:
                    item = item.get(sub) if isinstance(item, dict) else None
                if isinstance(item, str):
                    pointer = f"/{escape(field)}/{i}"
                    yield (pointer if sub is None else f"{pointer}/{escape(sub)}"), item, target
