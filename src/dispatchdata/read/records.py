"""A collection's records held compactly, as their canonical JSON: indexed by id (what a diff
compares) or in reading order (:class:`CanonicalRecords`, what an export or a bundle is written
from)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .folder import COLLECTIONS
from .jsontext import Canonical, canonical_json, load

#: A collection held for diffing: each record's canonical JSON (sorted keys, no spaces), by id.
#: A fraction of the memory of the records as Python objects (what lets a large dataset be
#: diffed), and an unchanged record is known by one comparison of two strings, types exact
#: (1, 1.0 and true differ).
Indexed = dict[str, str]


def index_records(records: Iterable[Any]) -> Indexed:
    """Records (of one collection) indexed for :func:`~dispatchdata.release.diff.diff_indexed`; those
    without a string id are left out, and of two with the same id the last is kept (a valid
    dataset has neither)."""
    return {
        r["id"]: canonical_json(r) for r in records if isinstance(r, dict) and isinstance(r.get("id"), str)
    }


def index_canonical(batch: Canonical) -> Indexed:
    """Records already made canonical, indexed as :func:`index_records` indexes them."""
    return {i: text for i, text in zip(batch.ids, batch.texts, strict=True) if i is not None}


def index_bundle(bundle: dict[str, Any]) -> dict[str, Indexed]:
    """Each collection of a bundle (in memory) indexed for :func:`~dispatchdata.release.diff.diff_indexed`."""
    return {name: index_records(bundle["collections"].get(name, [])) for name in COLLECTIONS}


class CanonicalRecords:
    """A collection's records held as their canonical JSON (a fraction of the memory of the
    records as Python objects), with their ids; iterating gives the records in the order they
    were added, :meth:`in_id_order` sorted by id, each parsed as it comes. What an export can
    be given for a large dataset: every format reads the records in one of these orders."""

    __slots__ = ("_by_json", "_ids", "_texts")

    def __init__(self) -> None:
        self._texts: list[str] = []
        self._ids: list[str] = []
        self._by_json: set[int] = set()  # the texts orjson could not make (rare), read back by json

    def extend(self, records: Iterable[Any] | Canonical) -> None:
        """Add records (kept as canonical JSON), or records already made canonical."""
        batch = records if isinstance(records, Canonical) else Canonical.of(records)
        self._by_json.update(len(self._texts) + number for number in batch.by_json)
        self._texts += batch.texts
        self._ids += [identifier or "" for identifier in batch.ids]

    def __len__(self) -> int:
        return len(self._texts)

    def _record(self, number: int) -> Any:
        return load(self._texts[number], number not in self._by_json)

    def __iter__(self) -> Iterator[Any]:
        return map(self._record, range(len(self._texts)))

    def index(self) -> Indexed:
        """The records by id, as canonical JSON (see :func:`index_records`: those without an id
        left out, the last of two with the same id kept)."""
        return {i: t for i, t in zip(self._ids, self._texts, strict=True) if i}

    def in_id_order(self) -> Iterator[Any]:
        """The records sorted by id (stably: records of one id in the order they were added)."""
        return map(self._record, sorted(range(len(self._ids)), key=self._ids.__getitem__))

    def runs(self, size: int) -> Iterator[tuple[list[str], bool]]:
        """The canonical texts in the order they were added, at most ``size`` at a time, each run
        with whether orjson made all of its texts (see :func:`~.jsontext.canonical`): a text
        json made is a run of its own."""
        start, count = 0, len(self._texts)
        for end in (*sorted(self._by_json), count):
            for first in range(start, end, size):
                yield self._texts[first : min(first + size, end)], True
            if end < count:
                yield [self._texts[end]], False
            start = end + 1
