"""A release bundle file read in pieces: cut up (see :mod:`dispatchdata.slices`), its frame
parsed, each piece's records parsed on their own; and its records indexed for a diff so, without
checking them. A bundle that cannot be read so is read whole by the caller."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from ..layout import COLLECTIONS, bundle_parse_name
from ..parse import parse_bytes
from ..parse_common import Index, Parsed
from ..slices import Piece, Sliced, Span, read_piece, slice_bundle
from .records import Indexed, index_records


class Cut(NamedTuple):
    """A bundle file cut up, and its frame (the file without the lists cut out) parsed."""

    sliced: Sliced
    frame: Parsed


class PieceIndex:
    """The positions in a piece of a bundle, read and parsed again when first asked for (the
    indexer of a piece whose records are no longer held)."""

    __slots__ = ("file_name", "path", "piece")

    def __init__(self, path: Path, piece: Piece, file_name: str) -> None:
        self.path, self.piece, self.file_name = path, piece, file_name

    def __call__(self) -> Index:
        try:
            with self.path.open("rb") as f:
                return parse_bytes(read_piece(f, self.piece), self.file_name).index()
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


def cut_bundle(path: Path) -> Cut | None:
    """The bundle file cut up, and its frame parsed; None when it cannot be read in pieces (no
    list laid out to be cut, a frame that does not parse or does not hold the lists where they
    were cut). Raises OSError."""
    sliced = slice_bundle(path)
    if sliced is None:
        return None
    frame = parse_bytes(sliced.frame, bundle_parse_name(path))
    if frame.problems or not _frames(frame, sliced.spans):
        return None
    return Cut(sliced, frame)


def parse_piece(f: BinaryIO, piece: Piece, file_name: str) -> Parsed | None:
    """A piece's records parsed (a list), or None when they do not parse cleanly."""
    parsed = parse_bytes(read_piece(f, piece), file_name)
    return parsed if not parsed.problems and type(parsed.data) is list else None


def without_collections(frame: Parsed) -> dict[str, Any]:
    """A bundle's data without its collections (what its frame holds besides the lists)."""
    return {key: value for key, value in frame.data.items() if key != "collections"}


def index_in_pieces(path: Path) -> tuple[dict[str, Any], dict[str, Indexed]] | None:
    """A release bundle file's data without its records, and its records indexed for a diff
    (see :func:`~dispatchdata.read.records.index_records`), read a piece at a time and not
    checked; None when it cannot be read in pieces (see :func:`cut_bundle`). Raises OSError."""
    cut = cut_bundle(path)
    if cut is None:
        return None
    collections = cut.frame.data["collections"]
    indexes = {name: index_records(collections.get(name) or []) for name in COLLECTIONS}
    with path.open("rb") as f:
        for piece in cut.sliced.pieces:
            parsed = parse_piece(f, piece, bundle_parse_name(path))
            if parsed is None:
                return None
            indexes[piece.collection].update(index_records(parsed.data))
    return without_collections(cut.frame), indexes
