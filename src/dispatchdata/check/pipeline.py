"""The one validation pipeline: units of a dataset → schema → record rules → join → report.

Every way of reading a dataset is an :class:`Input` that produces :class:`Unit`\\ s: a folder
file by file (:mod:`dispatchdata.check.folder`, where workers and the cache produce units
already checked), a release bundle read whole (:class:`WholeInput`) or in pieces
(:mod:`dispatchdata.check.pieces`). :func:`check` takes the documents' units first, since which
source text each anchor is checked against depends on every document; then the texts; then the
other units, checked against them; then the cross-record join, in reading order.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import Problem, Report
from ..progress import stepper
from ..read.folder import COLLECTIONS, RawDataset, SourceFile
from .file import Checked, Timings, check_against_texts, check_parsed, iter_file_problems, new_timings
from .rules.anchors import Texts
from .rules.bundle import check_frame
from .sources import look_up_sources
from .state import Run, digests_of, is_unread, texts_of


class Unit(NamedTuple):
    """One part of a dataset as it reaches the pipeline: a file of a folder, a collection of a
    bundle, or a piece of one. ``handle`` names its collection and places its problems once its
    records are let go (see :func:`~dispatchdata.read.folder.located_later`); ``file`` holds its
    records parsed, with their positions, to be checked by the pipeline; or ``checked`` holds
    what checking them gave already (a folder's files are checked as they are read, in this
    process or a worker, or taken from the cache)."""

    handle: SourceFile
    file: SourceFile | None
    checked: Checked | None = None


class Outcome(NamedTuple):
    """What one validation gave: its report, the SHA-256s the documents name (in order, once
    each), and the texts of those found, by SHA-256."""

    report: Report
    digests: list[str]
    found: dict[str, str]


class Input:
    """A producer of units (this class: the parts every input shares). ``problems`` are the
    input's own (its layout, its frame, its metadata); ``schema_files`` the schema its records
    are checked against (None: the package's); ``count`` how many files the report says were
    read."""

    def __init__(self) -> None:
        self.timings: Timings = new_timings()
        self.problems: list[Problem] = []
        #: The files refused unread (links out of the dataset, DD116), by collection: references
        #: into their collections are then not all checkable, nor the documents all known.
        self.refused: dict[str, list[str]] = {}
        self.schema_files: dict[str, Any] | None = None
        self.count = 0

    def documents(self) -> Iterable[Unit]:
        """The documents' units, in reading order."""
        raise NotImplementedError

    def digests(self, firsts: list[Checked]) -> list[str]:
        """The SHA-256s the documents name, in order, once each (``firsts``: their units checked)."""
        return digests_of(c.facts for c in firsts)

    def complete(self, number: int, unit: Unit, first: Checked, texts: Texts, digest: str) -> Checked:
        """Documents unit ``number`` (``first``: it checked) checked against the texts too."""
        assert unit.file is not None
        anchored, skipped = check_against_texts(unit.file, texts, self.timings)
        return Checked(first.facts, first.problems, anchored, skipped)

    def rest(self, texts: Texts, digest: str) -> Iterator[Unit]:
        """The other units (actors, proposals, statements), in reading order; those checked
        already were checked against ``texts`` (whose digest is ``digest``)."""
        raise NotImplementedError


def check(
    source: Input,
    *,
    sources: Iterable[str | Path] = (),
    texts: dict[str, str] | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
) -> Outcome:
    """Check every unit ``source`` produces, join them, and report. The source texts are
    ``texts`` (by SHA-256) when given, else looked for in ``sources`` (and among the package's
    texts: what the anchor checks then say of a text not found depends on where it was looked
    for). ``select`` and ``ignore`` filter problems by code prefix."""
    run = Run()
    run.timings = source.timings
    run.problems += source.problems
    units = list(source.documents())
    firsts = [_checked(source, u) for u in units]
    clock = time.perf_counter()
    digests = source.digests(firsts)
    if texts is None:
        run.lookup = look_up_sources(sources, digests)
        texts = run.lookup.texts
    for collection, paths in source.refused.items():
        for path in paths:
            run.not_read(collection, path)
    unread = "documents" in source.refused or any(is_unread(c) for c in firsts)
    known = texts_of((c.facts for c in firsts), texts, unread)
    digest = known.digest()
    source.timings["sources"] += time.perf_counter() - clock
    step = stepper() or _no_step  # a caller showing progress counts the units checked
    for number, (unit, first) in enumerate(zip(units, firsts, strict=True)):
        run.add(unit.handle, source.complete(number, unit, first, known, digest))
        step(1)
    del units, firsts  # the documents' records are let go before the others are read
    for unit in source.rest(known, digest):
        run.add(unit.handle, _checked(source, unit, known))
        step(1)
    return Outcome(run.report(source.count, select, ignore), digests, texts)


def _no_step(_done: int) -> None:
    """Nobody is counting."""


def _checked(source: Input, unit: Unit, texts: Texts | None = None) -> Checked:
    """What checking a unit gave: checked already, or its records checked now (schema, record
    rules and, with ``texts``, the checks against the source texts)."""
    if unit.checked is not None:
        return unit.checked
    assert unit.file is not None
    return check_parsed(unit.file, source.timings, source.schema_files, texts)


class WholeInput(Input):
    """The files of a dataset read whole (:class:`~dispatchdata.read.folder.RawDataset`): a release
    bundle file (each collection one unit), or every file of a folder already parsed. A
    bundle's frame is checked first, and its records against the schema it carries when
    ``own_schema`` (a verified release; see :func:`~dispatchdata.check.rules.bundle.check_frame`)."""

    def __init__(self, raw: RawDataset, own_schema: bool = False) -> None:
        super().__init__()
        self.raw = raw
        self.problems += raw.problems
        self.refused = raw.refused
        files = [f for f in raw.files if f.collection in COLLECTIONS]
        if raw.bundle is not None:
            bundle_problems, self.schema_files = check_frame(raw.bundle, own_schema)
            self.problems += bundle_problems
            files = [f for f in files if f.data is not None]
        if raw.metadata is not None and (raw.bundle is None or raw.metadata.data is not None):
            self.problems += iter_file_problems(raw.metadata, self.schema_files)
        self.files = files
        self.count = 1 if raw.bundle else len(raw.files) + (raw.metadata is not None)

    def documents(self) -> Iterator[Unit]:
        return (Unit(f, f) for f in self.files if f.collection == "documents")

    def digests(self, firsts: list[Checked]) -> list[str]:
        return document_digests(self.raw)

    def rest(self, texts: Texts, digest: str) -> Iterator[Unit]:
        return (Unit(f, f) for f in self.files if f.collection != "documents")


def document_digests(raw: RawDataset) -> list[str]:
    """The SHA-256s the documents of ``raw`` name (in order, once each): every string their
    records give as their sha256, as read (not as checked)."""
    return list(
        dict.fromkeys(
            r["sha256"]
            for f in raw.files
            if f.collection == "documents"
            for r in f.records
            if isinstance(r, dict) and isinstance(r.get("sha256"), str)
        )
    )
