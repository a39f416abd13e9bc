"""Shared helpers of the rules: what a finding is, where references and anchors are in a record."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from ...read.common import escape


class Finding(NamedTuple):
    """A problem found in one record, before it is placed in a file."""

    record: int  # the index of the record in its file
    code: str
    message: str
    pointer: str  # JSON pointer inside the record
    key: bool  # whether the position is the key's (else the value's)


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


# Pointers of the first items of anchor lists, made once: anchors_of runs for every record.
_LIST_POINTERS = {key: tuple(f"/{key}/{i}" for i in range(64)) for key in ANCHOR_LISTS}


def anchors_of(data: dict[str, Any]) -> Anchors:
    """Every anchor inside a record, with its pointer: the items of 'anchors' and 'quotes', and
    the 'anchor' of each position and footnote (the schema allows anchors nowhere else)."""
    found: Anchors = []
    # Counted by hand, not enumerated (this runs for every record, and most lists here hold one
    # item): enumerate's pairs cost more than the count.
    for key, pointers in _LIST_POINTERS.items():
        items = data.get(key)
        if type(items) is list and items:
            i = 0
            for item in items:
                if type(item) is dict:
                    found.append((pointers[i] if i < 64 else f"/{key}/{i}", item))
                i += 1  # noqa: SIM113 - counted by hand, see above
    for key in ANCHOR_ITEMS:
        items = data.get(key)
        if type(items) is list and items:
            i = 0
            for item in items:
                if type(item) is dict:
                    anchor = item.get("anchor")
                    if type(anchor) is dict:
                        found.append((f"/{key}/{i}/anchor", anchor))
                i += 1  # noqa: SIM113 - counted by hand, see above
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
    ("statements", "stances/*/holder", "actors"),
    ("statements", "responds_to/*", "statements"),
    ("statements", "targets/*", "actors"),
)

#: Every reference field, numbered (a reference names its field by this number, its "slot"):
#: (collection, field, subfield or None, is a list, target collection).
REFERENCE_SLOTS: tuple[tuple[str, str, str | None, bool, str], ...] = tuple(
    (source, path.split("/")[0], path.split("/")[2] if path.count("/") == 2 else None, "/" in path, target)
    for source, path, target in REFERENCES
)
#: The target collection of each slot.
REFERENCE_TARGETS: tuple[str, ...] = tuple(slot[4] for slot in REFERENCE_SLOTS)
_SLOTS_OF: dict[str, list[tuple[int, str, str | None, bool]]] = {}
for _slot, (_source, _field, _sub, _listed, _) in enumerate(REFERENCE_SLOTS):
    _SLOTS_OF.setdefault(_source, []).append((_slot, _field, _sub, _listed))

#: One reference in a record: (index of the record, slot, position in the field's list or -1,
#: value). A bare tuple, unlike the other facts: one is made for every reference (several per
#: statement), and a NamedTuple's constructor costs several times a tuple's, which the hot loop
#: would feel; every reader unpacks it into these names (``for index, slot, position, value in``).
Reference = tuple[int, int, int, str]


def references_of(data: dict[str, Any], collection: str, index: int) -> list[Reference]:
    """Every string in a reference field of a record (made by the million: no pointer strings,
    see :func:`reference_pointer`)."""
    found: list[Reference] = []
    for slot, field, sub, listed in _SLOTS_OF.get(collection, ()):
        value = data.get(field)
        if not listed:
            if type(value) is str:
                found.append((index, slot, -1, value))
        elif type(value) is list and value:
            for i, item in enumerate(value):
                if sub is not None:
                    item = item.get(sub) if type(item) is dict else None
                if type(item) is str:
                    found.append((index, slot, i, item))
    return found


def reference_pointer(slot: int, position: int) -> str:
    """The JSON pointer, inside its record, of the reference in ``slot`` at ``position``."""
    _, field, sub, _, _ = REFERENCE_SLOTS[slot]
    pointer = f"/{escape(field)}" if position < 0 else f"/{escape(field)}/{position}"
    return pointer if sub is None else f"{pointer}/{escape(sub)}"


def reference_field(slot: int) -> str:
    """The name of the field (or subfield) a reference in ``slot`` is the value of."""
    _, field, sub, _, _ = REFERENCE_SLOTS[slot]
    return sub if sub is not None else field
