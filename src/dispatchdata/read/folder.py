"""Reading a dataset folder: which files hold which collection.

A dataset folder holds ``dataset.yaml`` (the metadata) and, for each collection, either one file
(``actors.yaml``) or a folder of files (``actors/*.yaml``), or both; each collection file is a list
of records. ``releases/`` holds frozen release bundles and their ``SHA256SUMS``; a ``README.md``
file may explain the folder. Anything else is an error (DD110), never silently skipped; names
starting with "." (``.gitkeep``, ``.DS_Store``, ``.git``) are passed over. A link that leads
outside the folder, or to a folder, is refused unread (DD116, see :mod:`dispatchdata.read.links`).
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from ..codes import problem
from ..errors import DataNotFoundError, Problem
from ..suggest import did_you_mean
from . import parse
from .common import Index, Parsed
from .files import MAX_FILE_SIZE as MAX_FILE_SIZE
from .files import MAX_FILE_SIZE_VARIABLE as MAX_FILE_SIZE_VARIABLE
from .files import NOT_REGULAR, link_to_nothing
from .files import FileTooLargeError as FileTooLargeError
from .files import max_file_size as max_file_size
from .files import parse_size as parse_size
from .files import read_bytes as read_bytes
from .files import size_text as size_text
from .files import unreadable as unreadable
from .links import Links
from .parse import parse_bytes

COLLECTIONS = ("documents", "actors", "proposals", "statements")
METADATA = "dataset"
SUFFIXES = (".yaml", ".yml", ".json")
#: The folder of frozen release bundles, and what it may hold besides them (``VERSION.json``).
RELEASES = "releases"
RELEASE_SUMS = "SHA256SUMS"
#: What else a dataset folder may hold.
README = "README.md"


@dataclass(slots=True)
class SourceFile:
    """One parsed file of a dataset and the collection (or ``dataset``) it belongs to.

    A release bundle holds every collection in one file: ``prefix`` is then the JSON pointer of
    this collection inside it (``/collections/actors``); for a plain collection file it is empty.
    """

    collection: str
    path: str  # relative to the dataset folder, POSIX
    parsed: Parsed
    prefix: str = ""

    @property
    def data(self) -> Any:
        """The collection's data (``None`` when the file is unreadable or the prefix is absent)."""
        data = self.parsed.data
        for token in self.prefix.split("/")[1:]:
            data = data.get(token) if isinstance(data, dict) else None
        return data

    @property
    def records(self) -> list[Any]:
        """The collection's records (empty when unreadable or not a list)."""
        data = self.data
        return data if isinstance(data, list) else []

    def position(self, pointer: str, *, key: bool = False) -> tuple[int, int]:
        """Line and column of ``pointer`` (relative to the collection) in the file."""
        return self.parsed.position(self.prefix + pointer, key=key)

    def pointer(self, pointer: str) -> str:
        """The JSON pointer in the file of ``pointer`` (relative to the collection)."""
        return self.prefix + pointer

    def problem(self, code: str, message: str, pointer: str, *, key: bool = False) -> Problem:
        """A problem with ``code`` (and its severity) at ``pointer`` (relative to the collection),
        placed in the file (at the key of a mapping member with ``key=True``)."""
        line, column = self.position(pointer, key=key)
        return problem(code, message, file=self.path, line=line, column=column, pointer=self.pointer(pointer))


@dataclass(slots=True)
class Slice(SourceFile):
    """Some consecutive records of a release bundle's collection, parsed from their own piece of
    the file (see :mod:`dispatchdata.read.bundle`): ``parsed`` is the piece's, a list whose record 0
    is record ``first`` of the collection (at ``prefix`` in the bundle), and the piece's line 1
    is line ``lines + 1`` of the file. Pointers given to it are relative to the piece, as for a
    file of a folder; the problems it places name the bundle's pointers and lines."""

    first: int = 0
    lines: int = 0

    @property
    def data(self) -> Any:
        return self.parsed.data

    def position(self, pointer: str, *, key: bool = False) -> tuple[int, int]:
        line, column = self.parsed.position(pointer, key=key)
        return line + self.lines, column

    def pointer(self, pointer: str) -> str:
        if not pointer:
            return self.prefix
        index, slash, rest = pointer[1:].partition("/")
        return f"{self.prefix}/{int(index) + self.first}{slash}{rest}"


@dataclass(slots=True)
class RawDataset:
    """Every file of a dataset folder, parsed, plus the problems of the layout itself."""

    root: Path
    metadata: SourceFile | None
    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    bundle: SourceFile | None = None  # the whole file, when the dataset is a release bundle
    #: collection -> its links refused (DD116), never read: references into it cannot be checked.
    refused: dict[str, list[str]] = field(default_factory=dict)

    def collection(self, name: str) -> list[SourceFile]:
        """The files of one collection, in reading order."""
        return [f for f in self.files if f.collection == name]


def _problem(code: str, message: str, file: str) -> Problem:
    return problem(code, message, file=file, line=1 if file else 0, column=1 if file else 0)


def read_file(root: Path, path: Path, collection: str) -> SourceFile:
    """Read and parse one file of a dataset folder (unreadable: a DD100 problem, no data)."""
    rel = path.relative_to(root).as_posix()
    try:
        raw = read_bytes(path, follow_links=False, limit=max_file_size())
    except OSError as error:
        return SourceFile(collection, rel, unreadable(rel, error))
    return SourceFile(collection, rel, parse_bytes(raw, rel))


def located_later(path: Path, rel: str, collection: str, data: Any = None) -> SourceFile:
    """A file whose data is no longer held (or is ``data``, handed over without its positions):
    positions, when a message needs one, come from reading it again, once, for its positions
    only, and only as far as the messages need: a warning near the top of each of thousands of
    files (DD405, without ``--sources``) costs no full reading of any."""
    again = _ReadAgain(path, rel)
    return SourceFile(collection, rel, Parsed(data, indexer=again.index, seek=again.seek))


class _ReadAgain:
    """The positions of a file read again when first asked for (see :func:`located_later`). One
    is held for every file of a dataset until its report is made: a small object, not closures.

    A reading that stopped before the end of its file holds what goes on from there (libyaml's
    parser and the text, for YAML): only the most recently opened stay open, the others are
    closed and read again from the start if asked again (messages come mostly a file at a
    time). Unbounded, the documents files of a large corpus without ``--sources`` (a DD405
    each) held every one of their parsers."""

    __slots__ = ("found", "path", "rel")
    OPEN_AT_MOST = 16
    _open: ClassVar[deque[_ReadAgain]] = deque()

    def __init__(self, path: Path, rel: str) -> None:
        self.path, self.rel = path, rel
        self.found: Parsed | None = None

    def _positions(self) -> Parsed:
        if self.found is None:
            try:
                raw = read_bytes(self.path, follow_links=False, limit=max_file_size())
                self.found = parse.positions_of(raw, self.rel)  # looked up here: a test counts the calls
            except OSError:
                self.found = Parsed(None)
            opened = _ReadAgain._open
            opened.append(self)
            while len(opened) > self.OPEN_AT_MOST:
                opened.popleft().found = None
        return self.found

    def index(self) -> Index:
        return self._positions().index()

    def seek(self, pointer: str) -> Index:
        found = self._positions()
        return found.seek(pointer) if found.seek is not None else found.index()


def bundle_parse_name(path: Path) -> str:
    """The name a release bundle file is parsed under: as JSON, whatever its own name."""
    return path.name if path.name.endswith(".json") else f"{path.name}.json"


def read_bundle(path: str | Path) -> RawDataset:
    """Parse a release bundle (one JSON file holding the metadata and every collection)."""
    path = Path(path)
    name = path.name
    try:
        raw = read_bytes(path, limit=max_file_size())
    except FileTooLargeError as error:  # as a folder's file is: a problem of the data (DD118)
        raw, parsed = None, unreadable(name, error)
    except OSError as error:
        raise DataNotFoundError(f"{path}: cannot read: {error.strerror or error}") from None
    if raw is not None:
        parsed = parse_bytes(raw, bundle_parse_name(path))
        # The name it was parsed under only chose the reader: its problems name the file as given.
        parsed.problems = [replace(p, file=name) if p.file != name else p for p in parsed.problems]
    return RawDataset(
        root=path.parent,
        metadata=SourceFile(METADATA, name, parsed, "/metadata"),
        files=[SourceFile(c, name, parsed, f"/collections/{c}") for c in COLLECTIONS],
        bundle=SourceFile("release", name, parsed),
    )


@dataclass(slots=True)
class Layout:
    """Which files of a dataset folder hold what, before any is read."""

    root: Path
    metadata: Path | None
    files: list[tuple[str, Path]]  # (collection, path), collection by collection
    problems: list[Problem]
    #: collection -> its links refused (DD116), never read: references into it cannot be checked.
    refused: dict[str, list[str]] = field(default_factory=dict)


def scan_dataset(root: Path) -> Layout:
    """Find the files of the dataset folder ``root`` (which must exist), and what is wrong with the
    layout itself: a missing collection or metadata file; anything that is not part of the layout
    (DD110, with "did you mean"); a link that leads outside the folder, or to a folder (DD116:
    nothing read from it; see :mod:`dispatchdata.read.links`). Names starting with "." are passed over.

    The layout's root is ``root`` resolved, and its paths are real paths under it."""
    links = Links(root)
    root, problems = links.root, list[Problem]()
    names = {e.name: e for e in _entries(root, root, problems) if not e.name.startswith(".")}
    metadata_names = [f"{METADATA}{s}" for s in SUFFIXES if f"{METADATA}{s}" in names]
    metadata = links.follow(root / metadata_names[0]) if metadata_names else None
    for other in metadata_names[1:]:
        message = f"a second metadata file: not read ({metadata_names[0]} is)"
        problems.append(_problem("DD110", message, other))
    if not metadata_names:
        problems.append(_problem("DD111", "the dataset folder has no dataset.yaml (its metadata)", ""))
    files: list[tuple[str, Path]] = []
    refused: dict[str, list[str]] = {}
    for name in COLLECTIONS:
        before = len(links.refused)
        files_named = [f"{name}{s}" for s in SUFFIXES if f"{name}{s}" in names]
        # Two files of one collection (actors.yaml and a converted actors.json): one is read, the
        # other is one layout error, not a duplicate id for each of its records.
        for other in files_named[1:]:
            message = f"a second file of collection '{name}': not read ({files_named[0]} is)"
            problems.append(_problem("DD110", message, other))
        paths = [links.follow(root / file) for file in files_named[:1]]
        if name in names:
            paths += _collection_folder(links, root / name, name, problems)
        found = [path for path in paths if path is not None]
        if len(links.refused) > before:  # the collection as unread as a file that cannot be parsed
            refused[name] = [p.file for p in links.refused[before:]]
        elif not found:  # (a link refused has said why already)
            message = f"collection '{name}' is missing: no {name}.yaml and no {name}/ folder"
            problems.append(_problem("DD111", message, ""))
        files.extend((name, path) for path in found)
    if RELEASES in names:
        _releases(links, root / RELEASES, problems)
    if README in names:
        _readme(links, root / README, problems)
    layout = {*metadata_names, *COLLECTIONS, *_FILES, RELEASES}
    for name, entry in sorted(names.items()):
        if name not in layout:
            kind = "folder" if entry.is_dir() else "file"
            hint = did_you_mean(f"{name}/", _FOLDERS) if kind == "folder" else did_you_mean(name, _FILES)
            message = f"unexpected {kind} in the dataset folder: not read{hint}"
            problems.append(_problem("DD110", message, name))
    return Layout(root, metadata, files, [*problems, *links.refused], refused)


def _readme(links: Links, path: Path, problems: list[Problem]) -> None:
    """``README.md`` is passed over unread, but only as what the layout allows: a file. A link
    leading outside the folder, or to a folder, is refused like any (DD116); a folder so named
    (records put there would go nowhere) or a link to nothing is DD110."""
    target = links.follow(path)
    if target is None or target.is_file():
        return
    if target.is_dir():
        what = f"a folder, not a file: not read ('{README}' may only be a file explaining the folder)"
    else:
        what = ("a link to nothing" if not target.exists() else f"not {NOT_REGULAR}") + ": not read"
    problems.append(_problem("DD110", what, README))


#: What a dataset folder's entries may be named, to suggest for a misspelt one.
_FOLDERS = [f"{name}/" for name in (*COLLECTIONS, RELEASES)]
_FILES = [f"{name}{s}" for name in (METADATA, *COLLECTIONS) for s in SUFFIXES] + [README]


def _entries(folder: Path, root: Path, problems: list[Problem]) -> list[os.DirEntry[str]]:
    """The entries of ``folder`` by name; a folder that cannot be listed is a DD100 problem, never
    passed over in silence."""
    try:
        with os.scandir(folder) as found:
            return sorted(found, key=lambda e: e.name)
    except OSError as error:
        rel = folder.relative_to(root).as_posix()
        message = f"cannot read folder: {error.strerror or error}"
        problems.append(problem("DD100", message, file=rel))
        return []


def _collection_folder(links: Links, folder: Path, name: str, problems: list[Problem]) -> list[Path]:
    """The data files of a collection's folder and its subfolders, in order (a link to a file
    inside the dataset folder as the file it leads to); anything else is a DD110 problem."""
    target = links.follow(folder)
    if target is None:
        return []
    if not target.is_dir():
        message = f"'{name}' is not a folder, so not read (did you mean '{name}.yaml'?)"
        problems.append(_problem("DD110", message, name))
        return []
    found: list[Path] = []
    for entry in _entries(folder, links.root, problems):
        path = folder / entry.name
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            found += _collection_folder(links, path, name, problems)
            continue
        target = links.follow(path) if entry.is_symlink() else path
        if target is None:
            continue
        if path.suffix in SUFFIXES:
            found.append(target)  # whatever it is: one that cannot be read is DD100 when it is read
            continue
        if target.is_file():
            stem = entry.name.partition(".")[0]
            hint = did_you_mean(entry.name, [f"{stem}{s}" for s in SUFFIXES]) if "." in entry.name else ""
            what = f"not a YAML or JSON file{hint}"
        else:
            what = "a link to nothing" if not target.exists() else f"not {NOT_REGULAR}"
        message = f"{what}, so not read as part of '{name}'"
        problems.append(_problem("DD110", message, path.relative_to(links.root).as_posix()))
    return found


def _releases(links: Links, folder: Path, problems: list[Problem]) -> None:
    """``releases/`` holds release bundles (``VERSION.json``) and their ``SHA256SUMS``, nothing
    else; a link there that leads outside the dataset folder is refused as anywhere."""
    target = links.follow(folder)
    if target is None:
        return
    if not target.is_dir():
        message = f"'{RELEASES}' is not a folder of release bundles: not read"
        problems.append(_problem("DD110", message, RELEASES))
        return
    for entry in _entries(folder, links.root, problems):
        path = folder / entry.name
        if entry.name.startswith(".") or (entry.is_symlink() and links.follow(path) is None):
            continue
        if entry.is_dir() or not (entry.name.endswith(".json") or entry.name == RELEASE_SUMS):
            rel = path.relative_to(links.root).as_posix()
            kind = "folder" if entry.is_dir() else "file"
            message = (
                f"unexpected {kind} in {RELEASES}/: only release bundles (VERSION.json) and {RELEASE_SUMS}"
            )
            problems.append(_problem("DD110", message, rel))


def not_found(root: Path) -> DataNotFoundError:
    """The error for a dataset path that is neither a folder nor a file: what is there instead."""
    link = link_to_nothing(root)
    if link is not None:
        return DataNotFoundError(f"{root}: is {link}")
    if root.exists():
        return DataNotFoundError(f"{root}: is not a folder or {NOT_REGULAR}")
    return DataNotFoundError(f"{root}: does not exist")


def read_dataset(root: str | Path) -> RawDataset:
    """Parse a dataset: every file of the dataset folder ``root``, or a release bundle file.

    Raises :class:`DataNotFoundError` when ``root`` does not exist; everything wrong inside it is
    reported as problems.
    """
    root = Path(root)
    if root.is_file():
        return read_bundle(root)
    if not root.is_dir():
        raise not_found(root)
    layout = scan_dataset(root)
    metadata = read_file(layout.root, layout.metadata, METADATA) if layout.metadata else None
    files = [read_file(layout.root, path, name) for name, path in layout.files]
    return RawDataset(
        root=root, metadata=metadata, files=files, problems=layout.problems, refused=layout.refused
    )
