"""Shared helpers of the rules: what a finding is, where references and anchors are in a record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..parse_common import escape

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


#: The anchors of a record: (pointer inside the record, anchor).
Anchors = list[tuple[str, dict[str, Any]]]


def anchors_of(data: dict[str, Any]) -> Anchors:
    """Every anchor inside a record, with its pointer: the items of 'anchors' and 'quotes', and
    the 'anchor' of each position and footnote (the schema allows anchors nowhere else)."""
    found: Anchors = []
    for key in ANCHOR_LISTS:
        items = data.get(key)
        if type(items) is list:
            for i, item in enumerate(items):
                if type(item) is dict:
                    found.append((f"/{key}/{i}", item))
    for key in ANCHOR_ITEMS:
        items = data.get(key)
        if type(items) is list:
            for i, item in enumerate(items):
                anchor = item.get("anchor") if type(item) is dict else None
                if type(anchor) is dict:
                    found.append((f"/{key}/{i}/anchor", anchor))
    return found


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

#: For each collection, its references as (field, pointer prefix, subfield or None, is a list,
#: target collection).
REFERENCE_FIELDS: dict[str, list[tuple[str, str, str | None, bool, str]]] = {}
for _source, _path, _target in REFERENCES:
    _field, *_rest = _path.split("/")
    REFERENCE_FIELDS.setdefault(_source, []).append(
        (_field, f"/{escape(_field)}", _rest[1] if len(_rest) == 2 else None, bool(_rest), _target)
    )


def references_of(data: dict[str, Any], collection: str, index: int) -> list[tuple[int, str, str, str]]:
    """(index, pointer, value, target collection) of every string in a reference field of a record."""
    found: list[tuple[int, str, str, str]] = []
    for field, prefix, sub, listed, target in REFERENCE_FIELDS.get(collection, ()):
        value = data.get(field)
        if not listed:
            if type(value) is str:
                found.append((index, prefix, value, target))
        elif type(value) is list and value:
            if sub is None:
                for i, item in enumerate(value):
                    if type(item) is str:
                        found.append((index, f"{prefix}/{i}", item, target))
                continue
            for i, item in enumerate(value):
                item = item.get(sub) if type(item) is dict else None
                if type(item) is str:
                    found.append((index, f"{prefix}/{i}/{escape(sub)}", item, target))
    return found
