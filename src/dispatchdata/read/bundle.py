"""A release bundle file read in pieces instead of whole, and its records indexed for a diff
so, without checking them.

A bundle as dispatchdata writes it (:func:`~dispatchdata.release.release.write_bundle`: ``json.dumps``
with ``indent=2``) has each collection's list on lines of its own, one record after another::

    "statements": [
      {
        ...
      },
      {
        ...
      }
    ]

:func:`slice_bundle` finds these lists by a few byte searches, without parsing anything, and cuts
each into pieces of about :data:`PIECE_BYTES` between two records. What is left, the *frame*
(every line outside those lists, the lists' own lines kept as empty lines, so that a position in
the frame is the position in the file), is parsed as any file is, and so is each piece, as
``[`` + piece + ``]``.

No search decides what the data is. A cut is made only inside ``}``, newline, spaces, ``,``,
newline, spaces, ``{``, and no JSON string holds a newline, so no cut is inside a string. A piece
whose cut is not between two items of the list has brackets that do not balance, and does not
parse. So when the frame and every piece parse, the file is exactly the frame with each list
holding its pieces' items, in order; when anything does not (another layout, a syntax error), the
caller reads the file whole, as it would have, which also explains every problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from .common import Index, Parsed
from .files import max_file_size
from .folder import COLLECTIONS, bundle_parse_name
from .parse import parse_bytes
from .records import Indexed, index_records

#: About how much of a list each piece holds: some two hundred statements. Smaller pieces cost
#: more calls, larger ones more than they save (measured: see benchmarks/README.md).
PIECE_BYTES = 1 << 18

_BLOCK = 1 << 23  # read this much at a time when looking for the lists
_OPEN = re.compile(rb'\n    "(actors|documents|proposals|statements)": \[\n')
_BETWEEN = b"\n      },\n      {"  # between two records; a cut is at its comma
_COMMA = len(b"\n      }")  # where the cut is in _BETWEEN, where the list's end is in _CLOSE
_CLOSE = b"\n      }\n    ]"  # a record, then the list's end (longer: found twice as fast)
_OVERLAP = 32  # longer than any of these: what is kept of a block to find one across two


@dataclass(frozen=True, slots=True)
class Piece:
    """Some consecutive records of one collection's list: bytes ``start`` to ``stop`` of the file
    (from just after the list's ``[`` or a ``,``, to just before a ``,`` or the list's ``]``),
    starting on line ``line``."""

    collection: str
    start: int
    stop: int
    line: int


@dataclass(frozen=True, slots=True)
class Span:
    """One collection's list in the file: its ``[`` at ``line``:``column``, its items in bytes
    ``start`` to ``stop``, which hold ``newlines`` newlines."""

    collection: str
    line: int
    column: int
    start: int
    stop: int
    newlines: int


@dataclass(frozen=True, slots=True)
class Sliced:
    """A bundle file cut up: the lists found, their pieces (in file order), and the frame."""

    spans: tuple[Span, ...]
    pieces: tuple[Piece, ...]
    frame: bytes


class _Cutting(NamedTuple):
    """The list :func:`slice_bundle` is cutting, and the piece it is in."""

    collection: str
    line: int  # of the list's "["
    column: int
    first: int  # the list's first byte
    start: int  # the piece's first byte
    start_line: int  # the piece's first line


def slice_bundle(path: Path, piece_bytes: int | None = None) -> Sliced | None:
    """The bundle file at ``path`` cut into the frame and pieces of about ``piece_bytes`` (by
    default :data:`PIECE_BYTES`; see the module's description); None when it has no list laid
    out to be cut. Raises OSError. The search is one loop: every step shares its state (the bytes
    in hand, the list being cut, the newlines counted so far), and each byte is searched once."""
    piece_bytes = PIECE_BYTES if piece_bytes is None else piece_bytes
    spans: list[Span] = []
    pieces: list[Piece] = []
    with path.open("rb") as f:
        buf, base = b"", 0  # the bytes in hand, and the file offset of the first
        counted, newlines = 0, 0  # an offset, and how many newlines come before it

        def line_at(offset: int) -> int:  # asked for in increasing order, within buf
            nonlocal counted, newlines
            newlines += buf.count(b"\n", counted - base, offset - base)
            counted = offset
            return newlines + 1

        pos = 0  # where to look on from
        current: _Cutting | None = None  # in a list, what is being cut
        while block := f.read(_BLOCK):
            line_at(pos)
            buf, base = buf[pos - base :] + block, pos
            while True:
                if current is None:
                    found = _OPEN.search(buf, pos - base)
                    if found is None:
                        break
                    opening = base + found.end() - 2  # the "["
                    line = line_at(opening)
                    column = found.end() - 2 - found.start()  # the line starts after the "\n"
                    current = _Cutting(found.group(1).decode(), line, column, opening + 1, opening + 1, line)
                    pos = opening + 1
                    continue
                name, line, column, first, start, start_line = current
                # The next cut, unless the list ends before it (looked for only that far, so
                # that no byte is searched twice).
                cut = buf.find(_BETWEEN, max(start + piece_bytes, pos) - base)
                close = buf.find(_CLOSE, pos - base, cut if cut >= 0 else len(buf))
                if close >= 0:
                    stop = base + close + _COMMA  # the newline before the list's "]"
                    pieces.append(Piece(name, start, stop, start_line))
                    spans.append(Span(name, line, column, first, stop, line_at(stop) - line))
                    current = None
                    pos = stop
                elif cut >= 0:
                    comma = base + cut + _COMMA
                    pieces.append(Piece(name, start, comma, start_line))
                    current = current._replace(start=comma + 1, start_line=line_at(comma))
                    pos = comma + 1
                else:
                    break
            pos = max(pos, base + len(buf) - _OVERLAP)
        if current is not None or not spans:  # a list that does not end, or none at all
            return None
        frame = _frame(f, spans, pieces)
    return None if frame is None else Sliced(tuple(spans), tuple(pieces), frame)


def _frame(f: BinaryIO, spans: list[Span], pieces: list[Piece]) -> bytes | None:
    """The frame of the bundle file ``f`` cut at ``spans``: its bytes with each list's content
    replaced by the newlines it held; None when it or a piece is above the size limit."""
    # The bundle as a whole may be larger than a data file may be, but no piece read: a piece or
    # frame above the limit (one huge record, say) has the file read whole, and refused (DD118;
    # see dispatchdata.read.files.max_file_size).
    limit = max_file_size()
    frame_bytes = f.seek(0, 2) - sum(s.stop - s.start for s in spans)
    if limit is not None and (frame_bytes > limit or any(p.stop - p.start > limit for p in pieces)):
        return None
    parts, at = [], 0
    for span in spans:
        f.seek(at)
        parts += [f.read(span.start - at), b"\n" * span.newlines]
        at = span.stop
    f.seek(at)
    parts.append(f.read())
    return b"".join(parts)


def read_piece(f: BinaryIO, piece: Piece) -> bytes:
    """A piece's bytes as a JSON list of its records, read from the open bundle file ``f``."""
    f.seek(piece.start)
    return b"[" + f.read(piece.stop - piece.start) + b"]"


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
            return Index({}, {})


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
