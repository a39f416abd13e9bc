"""Validating a release bundle file in pieces, as a folder is validated file by file.

The file is cut up by :func:`dispatchdata.slices.slice_bundle`; its frame (metadata, schema) is
checked as any file is, then each collection's pieces in turn, documents first, each reduced to
the facts the cross-record rules need and let go. A piece that places a problem later (a
duplicate's first definition, say) is read and parsed again. What a bundle holds that cannot be
read so (see :mod:`dispatchdata.slices`) is read whole by the caller, which then also explains
every problem exactly as before.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .errors import DataNotFoundError, Report
from .filecheck import Checked, Keep, check_against_texts, check_parsed, iter_file_problems
from .jsontext import Canonical
from .layout import COLLECTIONS, METADATA, Slice, SourceFile, bundle_parse_name
from .parse import parse_bytes
from .parse_common import Index, Parsed
from .rules.bundle import check_frame
from .run import Run, digests_of, texts_of
from .schema import per_record
from .slices import Piece, Sliced, Span, read_piece, slice_bundle
from .sources import look_up_sources

if TYPE_CHECKING:
    from .compare import Indexed


def _piece_index(path: Path, piece: Piece, file_name: str) -> Index:
    """The positions in a piece of a bundle, read and parsed again."""
    try:
        with path.open("rb") as f:
            return parse_bytes(read_piece(f, piece), file_name).index()
    except OSError:
        return {}, {}


def _frames(frame: Parsed, spans: tuple[Span, ...]) -> bool:
    """Whether each list cut out of a bundle is one of its collections (each once): in the
    frame, an empty list at ``/collections/<name>``, where the list began in the file."""
    data = frame.data
    collections = data.get("collections") if type(data) is dict else None
    if type(collections) is not dict or len({s.collection for s in spans}) != len(spans):
        return False
    return all(
        collections.get(s.collection) == []
        and frame.position(f"/collections/{s.collection}") == (s.line, s.column)
        for s in spans
    )


def _cut(path: Path) -> tuple[Sliced, Parsed] | None:
    """The bundle file cut up, and its frame parsed; None when it cannot be read in pieces (no
    list laid out to be cut, a frame that does not parse or does not hold the lists where they
    were cut). Raises OSError."""
    sliced = slice_bundle(path)
    if sliced is None:
        return None
    frame = parse_bytes(sliced.frame, bundle_parse_name(path))
    if frame.problems or not _frames(frame, sliced.spans):
        return None
    return sliced, frame


def _piece(f: BinaryIO, piece: Piece, file_name: str) -> Parsed | None:
    """A piece's records parsed (a list), or None when they do not parse cleanly."""
    parsed = parse_bytes(read_piece(f, piece), file_name)
    return parsed if not parsed.problems and type(parsed.data) is list else None


class _NotInPieces(Exception):
    """A piece of a bundle did not parse: the bundle is read whole instead."""


def validate_in_pieces(
    path: Path,
    sources: Iterable[str | Path],
    select: list[str] | None,
    ignore: list[str] | None,
    keep: Keep | None = None,
    *,
    own_schema: bool = False,
) -> tuple[Report, list[str], dict[str, str], dict[str, Any]] | None:
    """Validate a release bundle file piece by piece (see :mod:`dispatchdata.slices`), as a
    folder is validated file by file: the records of one piece at a time are held. Gives the
    report, the digests and texts found, and the bundle's data without its records (each
    collection's are handed to ``keep`` as they are read); None when the file cannot be read so
    (laid out otherwise, or something in it does not parse): it is then to be read whole.
    ``own_schema``: the records are checked against the schema the bundle carries (a verified
    release; see :func:`~dispatchdata.rules.bundle.check_frame`), else against the package's."""
    run = Run()
    clock = time.perf_counter()
    try:
        cut = _cut(path)
    except OSError as error:
        raise DataNotFoundError(f"{path}: cannot read: {error.strerror or error}") from None
    run.timings["parse"] += time.perf_counter() - clock
    if cut is None:
        return None
    sliced, frame = cut
    name, file_name = path.name, bundle_parse_name(path)
    clock = time.perf_counter()
    bundle_problems, schema_files = check_frame(SourceFile("release", name, frame), own_schema)
    if not all(per_record(s.collection, schema_files) for s in sliced.spans):
        return None
    run.problems += bundle_problems
    metadata = SourceFile(METADATA, name, frame, "/metadata")
    if metadata.data is not None:
        run.problems += iter_file_problems(metadata, schema_files)
    run.timings["schema"] += time.perf_counter() - clock

    def parts(f: BinaryIO, collection: str) -> Iterator[tuple[SourceFile, SourceFile]]:
        """The collection's records a piece at a time (or whole, when the frame holds them), each
        with the handle that places its problems later without holding it."""
        whole = SourceFile(collection, name, frame, f"/collections/{collection}")
        if not any(s.collection == collection for s in sliced.spans):
            if whole.data is not None:
                if keep is not None:
                    keep(collection, Canonical.of(whole.records))
                yield whole, whole
            return
        first = 0
        for piece in sliced.pieces:
            if piece.collection != collection:
                continue
            clock = time.perf_counter()
            parsed = _piece(f, piece, file_name)
            run.timings["parse"] += time.perf_counter() - clock
            if parsed is None:
                raise _NotInPieces
            if keep is not None:
                keep(collection, Canonical.of(parsed.data))
            part = Slice(collection, name, parsed, whole.prefix, first, piece.line - 1)
            later = Parsed(None, indexer=partial(_piece_index, path, piece, file_name))
            yield part, Slice(collection, name, later, whole.prefix, first, piece.line - 1)
            first += len(parsed.data)

    try:
        with path.open("rb") as f:
            documents = [
                (part, handle, check_parsed(part, run.timings, schema_files))
                for part, handle in parts(f, "documents")
            ]
            clock = time.perf_counter()
            digests = digests_of(local.facts for _, _, local in documents)
            run.lookup = look_up_sources(sources, digests)
            found = run.lookup.texts
            texts = texts_of((local.facts for _, _, local in documents), found)
            run.timings["sources"] += time.perf_counter() - clock
            for part, handle, local in documents:
                anchored, skipped = check_against_texts(part, texts, run.timings)
                run.add(handle, Checked(local.facts, local.problems, anchored, skipped))
            del documents
            for collection in COLLECTIONS[1:]:
                for part, handle in parts(f, collection):
                    run.add(handle, check_parsed(part, run.timings, schema_files, texts))
    except _NotInPieces:
        return None
    except OSError as error:
        raise DataNotFoundError(f"{path}: cannot read: {error.strerror or error}") from None
    data = {key: value for key, value in frame.data.items() if key != "collections"}
    return run.report(1, select, ignore), digests, found, data


def index_in_pieces(path: Path) -> tuple[dict[str, Any], dict[str, Indexed]] | None:
    """A release bundle file's data without its records, and its records indexed for a diff
    (see :func:`~dispatchdata.compare.index_records`), read a piece at a time and not checked;
    None when it cannot be read in pieces (see :func:`validate_in_pieces`). Raises OSError."""
    from .compare import index_records

    cut = _cut(path)
    if cut is None:
        return None
    sliced, frame = cut
    collections = frame.data["collections"]
    indexes = {name: index_records(collections.get(name) or []) for name in COLLECTIONS}
    with path.open("rb") as f:
        for piece in sliced.pieces:
            parsed = _piece(f, piece, bundle_parse_name(path))
            if parsed is None:
                return None
            indexes[piece.collection].update(index_records(parsed.data))
    return {key: value for key, value in frame.data.items() if key != "collections"}, indexes
