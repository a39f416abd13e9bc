"""A dataset opened for reading its records: validated, its records kept as they are read (as
lists, as :class:`~dispatchdata.read.records.CanonicalRecords`, or indexed by id for a diff),
without the texts and positions of every file held at once."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from ..errors import InvalidDatasetError
from ..read.common import gc_paused
from ..read.folder import COLLECTIONS, METADATA, read_dataset
from ..read.frozen import RELEASES, release_file, verify_release
from ..read.jsontext import Canonical
from ..read.records import CanonicalRecords, Indexed, index_bundle, index_canonical
from ..resources import dataset_dir
from ..semver import parse_semver
from .schema import schema_digest, schemas
from .validation import check, document_texts, read_checked, read_checked_bundle

BUNDLE_FORMAT = 1

#: How a collection's records are kept: as a list of records, as their canonical JSON, or indexed by id.
Holding = Literal["list", "canonical", "indexed"]


class Collected:
    """The records handed over as a dataset is read (see :data:`~dispatchdata.check.file.Keep`),
    each collection's held as ``holding`` says, and the metadata."""

    __slots__ = ("collections", "holding", "metadata")

    def __init__(self, holding: Holding) -> None:
        self.holding = holding
        self.collections: dict[str, Any] = {}
        self.metadata: list[Any] = []
        self.clear()

    def clear(self) -> None:
        """Drop what was kept (a bundle that turned out not to read in pieces is read whole)."""
        empty = {"list": list, "canonical": CanonicalRecords, "indexed": dict}[self.holding]
        self.collections = {name: empty() for name in COLLECTIONS}
        self.metadata = []

    def __call__(self, collection: str, batch: Canonical) -> None:
        if collection == METADATA:
            self.metadata.extend(batch.records())
        elif self.holding == "indexed":
            self.collections[collection].update(index_canonical(batch))
        elif self.holding == "canonical":
            self.collections[collection].extend(batch)
        else:
            self.collections[collection].extend(batch.records())


def bundle_with(metadata: dict[str, Any], collections: dict[str, Any]) -> dict[str, Any]:
    """A release bundle of ``metadata`` and ``collections``, with the package's schema."""
    files = copy.deepcopy(schemas())  # the bundle's own: editing it must not edit the package's
    return {
        "format": BUNDLE_FORMAT,
        "version": metadata["version"],
        "metadata": metadata,
        "schema": {"sha256": schema_digest(files), "files": files},
        "collections": collections,
    }


def open_bundle(
    spec: str | Path,
    sources: Iterable[str | Path] = (),
    *,
    jobs: int | None = 1,
    compact: bool = False,
    releases: Path | None = None,
) -> dict[str, Any]:
    """The bundle of a released version (``"1.0.0"``), a dataset folder or a bundle file, after
    validating it. Raises DataNotFoundError if there is no such thing, InvalidDatasetError (with
    the report) if it is invalid. A folder is read by ``jobs`` processes, as in
    :func:`~dispatchdata.check.validation.validate` (``None``: as many as pay). With ``compact``, a
    folder's collections are :class:`~dispatchdata.read.records.CanonicalRecords` (for a reader
    that iterates over them: a fraction of the memory) instead of lists. A version names a
    release in the folder ``releases`` (by default the installed dataset's)."""
    return _open(_located(spec, releases), sources, jobs, Collected("canonical" if compact else "list"))


def open_indexed(
    spec: str | Path,
    sources: Iterable[str | Path] = (),
    *,
    jobs: int | None = 1,
    releases: Path | None = None,
) -> tuple[dict[str, Any], dict[str, Indexed]]:
    """As :func:`open_bundle`, but each collection's records are held as an index for
    :func:`~dispatchdata.release.diff.diff_indexed` (id -> canonical JSON): a fraction of the memory
    of the records themselves (what lets a large dataset be diffed). Returns the bundle without
    its collections, and the indexes."""
    collected = Collected("indexed")
    bundle = _open(_located(spec, releases), sources, jobs, collected)
    indexes: dict[str, Indexed] = bundle.pop("collections")
    if indexes is not collected.collections:  # a bundle file read whole: index it, let its records go
        indexes = index_bundle({"collections": indexes})
    return bundle, indexes


def _located(spec: str | Path, releases: Path | None) -> Path:
    """The path ``spec`` names: a version's release file in ``releases`` (see :func:`open_bundle`)."""
    path = Path(spec)
    if not path.exists() and parse_semver(str(spec)) is not None:
        path = release_file(str(spec), releases if releases is not None else dataset_dir() / RELEASES)
    return path


def _open(
    path: Path, sources: Iterable[str | Path], jobs: int | None, collected: Collected
) -> dict[str, Any]:
    """Validate the dataset folder or bundle file at ``path`` (see :func:`open_bundle`). The
    records of a folder, or of a bundle file read in pieces, are handed to ``collected`` as they
    are read, and the bundle holds what it collected; a bundle file that cannot be read in
    pieces is returned whole."""
    # A release file is read only when it matches its SHA256SUMS line (ReleaseIntegrityError),
    # and then with the schema it carries; any other bundle with the package's.
    verified = path.is_file() and verify_release(path)
    if path.is_file():  # piece by piece, as a folder is read file by file
        in_pieces = read_checked_bundle(path, collected, sources, own_schema=verified)
        if in_pieces is not None:
            if not in_pieces.report.valid:
                raise InvalidDatasetError(in_pieces.report)
            return {**in_pieces.bundle, "collections": collected.collections}
        collected.clear()  # drop what was kept: the file is read whole below
    if path.is_dir():  # file by file: only the records are held, not every file's text and positions
        report = read_checked(path, collected, sources, jobs)
        if not report.valid:
            raise InvalidDatasetError(report)
        return bundle_with(collected.metadata[0], collected.collections)
    with gc_paused():
        raw = read_dataset(path)
        _, texts = document_texts(raw, sources)
        report = check(raw, texts, own_schema=verified)
        if not report.valid:
            raise InvalidDatasetError(report)
        assert raw.bundle is not None  # a folder was read above: this is a bundle file
        return dict(raw.bundle.data)
