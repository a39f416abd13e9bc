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

    def text_of(self, document_id: str) -> str | None:
        """The source text of a document, if it was found."""
        record = self.ids["documents"].get(document_id)
        digest = record.data.get("sha256") if record else None
        return self.texts.get(digest) if isinstance(digest, str) else None


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


def iter_anchors(data: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every anchor inside a record: mappings under 'anchor', 'anchors' or 'quotes'."""
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{pointer}/{escape(key)}"
            if key == "anchor" and isinstance(value, dict):
                yield here, value
            elif key in ("anchors", "quotes") and isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        yield f"{here}/{i}", item
            else:
                yield from iter_anchors(value, here)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from iter_anchors(item, f"{pointer}/{i}")


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
