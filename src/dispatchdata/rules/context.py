"""What every rule needs: the records of a dataset with their places, and shared helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..codes import CODES
from ..errors import Problem
from ..layout import RawDataset, SourceFile
from ..parse import escape


@dataclass(slots=True)
class Record:
    """One record of a collection, with the file and pointer it was read from."""

    collection: str
    file: SourceFile
    index: int
    data: dict[str, Any]

    @property
    def pointer(self) -> str:
        """JSON pointer of the record in its file."""
        return f"/{self.index}"

    @property
    def id(self) -> str | None:
        """The record's id, if it has a string one."""
        value = self.data.get("id")
        return value if isinstance(value, str) else None


@dataclass(slots=True)
class Context:
    """What every rule needs: the records, their ids, and the source texts found."""

    raw: RawDataset
    texts: dict[str, str]  # sha256 -> text
    records: dict[str, list[Record]] = field(default_factory=dict)
    ids: dict[str, dict[str, Record]] = field(default_factory=dict)
    _references: list[Reference] | None = None
    _anchors: list[tuple[Record, str, dict[str, Any]]] | None = None

    def __post_init__(self) -> None:
        for name in ("documents", "actors", "proposals", "statements"):
            records = [
                Record(name, f, i, data)
                for f in self.raw.collection(name)
                for i, data in enumerate(f.records)
                if isinstance(data, dict)
            ]
            self.records[name] = records
            table: dict[str, Record] = {}
            for record in records:
                if record.id is not None:
                    table.setdefault(record.id, record)
            self.ids[name] = table

    def problem(
        self, code: str, message: str, record: Record, pointer: str = "", *, key: bool = False
    ) -> Problem:
        """A problem at ``pointer`` inside ``record`` (relative to the record)."""
        absolute = record.pointer + pointer
        line, column = record.file.position(absolute, key=key)
        return Problem(
            code=code,
            severity=CODES[code].severity,
            message=message,
            file=record.file.path,
            line=line,
            column=column,
            pointer=record.file.prefix + absolute,
        )

    @property
    def references(self) -> list[Reference]:
        """Every reference in every record (see REFERENCES), found in one pass and shared."""
        if self._references is None:
            found: list[Reference] = []
            for source, path, target in REFERENCES:
                field, *rest = path.split("/")  # "field", "field/*" or "field/*/subfield"
                sub = rest[1] if len(rest) == 2 else None
                for record in self.records[source]:
                    value = record.data.get(field)
                    if not rest:
                        if isinstance(value, str):
                            found.append(Reference(record, field, None, None, value, target))
                    elif isinstance(value, list):
                        for i, item in enumerate(value):
                            if sub is not None:
                                item = item.get(sub) if isinstance(item, dict) else None
                            if isinstance(item, str):
                                found.append(Reference(record, field, i, sub, item, target))
            self._references = found
        return self._references

    @property
    def anchors(self) -> list[tuple[Record, str, dict[str, Any]]]:
        """Every anchor in every record, with its pointer, found in one pass and shared."""
        if self._anchors is None:
            found: list[tuple[Record, str, dict[str, Any]]] = []
            for name in ("documents", "actors", "proposals", "statements"):
                for record in self.records[name]:
                    found.extend((record, pointer, anchor) for pointer, anchor in iter_anchors(record.data))
            self._anchors = found
        return self._anchors

    def text_of(self, document_id: str) -> str | None:
        """The source text of a document, if it was found."""
        record = self.ids["documents"].get(document_id)
        digest = record.data.get("sha256") if record else None
        return self.texts.get(digest) if isinstance(digest, str) else None


class Reference:
    """A string in a reference field: where it is, and the collection it must name a record of.

    Made by the hundred thousand, so a plain slotted class whose pointer is built only when a
    problem needs it."""

    __slots__ = ("field", "index", "record", "subfield", "target", "value")

    def __init__(
        self, record: Record, field: str, index: int | None, subfield: str | None, value: str, target: str
    ) -> None:
        self.record, self.field, self.index, self.subfield = record, field, index, subfield
        self.value, self.target = value, target

    @property
    def pointer(self) -> str:
        """JSON pointer of the value inside its record."""
        pointer = f"/{escape(self.field)}"
        if self.index is not None:
            pointer += f"/{self.index}"
        if self.subfield is not None:
            pointer += f"/{escape(self.subfield)}"
        return pointer


Rule = Callable[[Context], Iterator[Problem]]

SINGULAR = {
    "documents": "document",
    "actors": "actor",
    "proposals": "proposal",
    "statements": "statement",
}


def where(record: Record) -> str:
    line, column = record.file.position(record.pointer)
    return f"{record.file.path}:{line}:{column}"


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
