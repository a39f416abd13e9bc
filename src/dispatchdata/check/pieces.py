"""A release bundle file as an input of the pipeline, read in pieces as a folder is read file by
file.

The file is cut up (:func:`dispatchdata.read.bundle.cut_bundle`); its frame (metadata, schema)
is checked as any file is, then each collection's pieces in turn, documents first, each a unit
whose records are let go once checked. A piece that places a problem later (a duplicate's first
definition, say) is read and parsed again. What a bundle holds that cannot be read so (see
:mod:`dispatchdata.read.bundle`) is read whole by the caller, which then also explains every problem
exactly as before.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from ..codes import release_version, rules_of_release
from ..errors import DataNotFoundError, Report
from ..read.bundle import Cut, PieceIndex, cut_bundle, parse_piece, without_collections
from ..read.common import Parsed
from ..read.folder import COLLECTIONS, METADATA, Slice, SourceFile, bundle_parse_name
from ..read.jsontext import Canonical
from .file import Keep, iter_file_problems
from .pipeline import Input, Unit
from .pipeline import check as check_units
from .rules.anchors import Texts
from .rules.bundle import check_frame
from .schema import per_record


class InPieces(NamedTuple):
    """What validating a bundle in pieces gave: the report, the SHA-256s the documents name and
    the texts of those found (as :class:`~dispatchdata.check.pipeline.Outcome`), and the bundle's
    data without its records."""

    report: Report
    digests: list[str]
    found: dict[str, str]
    bundle: dict[str, Any]


class _NotInPieces(Exception):
    """A piece of a bundle did not parse: the bundle is read whole instead."""


class PiecesInput(Input):
    """The units of a bundle file cut up (``cut``): each collection a piece at a time (or whole,
    when the frame holds it). With ``keep``, each piece's records are handed to it as they are
    read."""

    def __init__(self, path: Path, cut: Cut, schema_files: dict[str, Any] | None, keep: Keep | None) -> None:
        super().__init__()
        self.path, self.cut, self.keep = path, cut, keep
        self.schema_files = schema_files
        self.count = 1

    def documents(self) -> Iterator[Unit]:
        return self._units(("documents",))

    def rest(self, texts: Texts, digest: str) -> Iterator[Unit]:
        return self._units(COLLECTIONS[1:])

    def _units(self, collections: Iterable[str]) -> Iterator[Unit]:
        try:
            with self.path.open("rb") as f:
                for collection in collections:
                    yield from self._parts(f, collection)
        except OSError as error:
            raise DataNotFoundError(f"{self.path}: cannot read: {error.strerror or error}") from None

    def _parts(self, f: Any, collection: str) -> Iterator[Unit]:
        """The collection's records a piece at a time (or whole, when the frame holds them), each
        with the handle that places its problems later without holding it."""
        name, file_name, frame = self.path.name, bundle_parse_name(self.path), self.cut.frame
        whole = SourceFile(collection, name, frame, f"/collections/{collection}")
        if not any(s.collection == collection for s in self.cut.sliced.spans):
            if whole.data is not None:
                if self.keep is not None:
                    self.keep(collection, Canonical.of(whole.records))
                yield Unit(whole, whole)
            return
        first = 0
        for piece in self.cut.sliced.pieces:
            if piece.collection != collection:
                continue
            clock = time.perf_counter()
            parsed = parse_piece(f, piece, file_name)
            self.timings["parse"] += time.perf_counter() - clock
            if parsed is None:
                raise _NotInPieces
            if self.keep is not None:
                self.keep(collection, Canonical.of(parsed.data))
            part = Slice(collection, name, parsed, whole.prefix, first, piece.line - 1)
            later = Parsed(None, indexer=PieceIndex(self.path, piece, file_name))
            yield Unit(Slice(collection, name, later, whole.prefix, first, piece.line - 1), part)
            first += len(parsed.data)


def validate_in_pieces(
    path: Path,
    sources: Iterable[str | Path],
    select: list[str] | None,
    ignore: list[str] | None,
    keep: Keep | None = None,
    *,
    own_schema: bool = False,
) -> InPieces | None:
    """Validate a release bundle file piece by piece, as a folder is validated file by file: the
    records of one piece at a time are held (each collection's are handed to ``keep`` as they
    are read). None when the file cannot be read so (laid out otherwise, or something in it does
    not parse): it is then to be read whole. ``own_schema``: the records are checked against the
    schema the bundle carries (a verified release; see
    :func:`~dispatchdata.check.rules.bundle.check_frame`), else against the package's."""
    clock = time.perf_counter()
    try:
        cut = cut_bundle(path)
    except OSError as error:
        raise DataNotFoundError(f"{path}: cannot read: {error.strerror or error}") from None
    seconds = time.perf_counter() - clock
    if cut is None:
        return None
    name = path.name
    clock = time.perf_counter()
    frame = SourceFile("release", name, cut.frame)
    bundle_problems, schema_files = check_frame(frame, own_schema)
    if not all(per_record(s.collection, schema_files) for s in cut.sliced.spans):
        return None
    pieces = PiecesInput(path, cut, schema_files, keep)
    pieces.timings["parse"] += seconds
    pieces.problems += bundle_problems
    metadata = SourceFile(METADATA, name, cut.frame, "/metadata")
    if metadata.data is not None:
        pieces.problems += iter_file_problems(metadata, schema_files)
    pieces.timings["schema"] += time.perf_counter() - clock
    try:
        with rules_of_release(release_version(frame.data) if own_schema else None):
            outcome = check_units(pieces, sources=sources, select=select, ignore=ignore)
    except _NotInPieces:
        return None
    return InPieces(outcome.report, outcome.digests, outcome.found, without_collections(cut.frame))
