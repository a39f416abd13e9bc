"""Releases: freezing the dataset as ``releases/<version>.json`` and finding frozen releases.

A release bundle is one JSON file holding the metadata, every collection (records in dataset order)
and the JSON Schema it was validated against, written deterministically (sorted keys, UTF-8, ``\\n``
line endings), so the same data always gives the same bytes.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from ..atomic import remove_stale_temporaries
from ..check import open as opening
from ..check.open import BUNDLE_FORMAT as BUNDLE_FORMAT
from ..check.open import bundle_with
from ..check.sources import find_sources
from ..display import excerpt
from ..errors import DataNotFoundError, DispatchDataError, InvalidDatasetError, Report
from ..read.bundle import index_in_pieces
from ..read.common import gc_paused
from ..read.folder import COLLECTIONS, METADATA, SUFFIXES, RawDataset
from ..read.frozen import (
    RELEASES,
    FreezeError,
    ReleaseIntegrityError,
    freeze,
    release_file,
    released_in,
    verify_release,
)
from ..read.jsontext import indented_items, indented_json
from ..read.records import CanonicalRecords as CanonicalRecords
from ..read.records import Indexed, index_bundle
from ..resources import dataset_dir
from ..semver import bump_level, parse_semver, shortfall
from .diff import diff_indexed


class ReleaseError(DispatchDataError):
    """A release was refused; the message says why. ``report`` is set when the data is invalid."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


class ReleaseWriteError(DispatchDataError):
    """The release file could not be written (disk full, file too large, a read-only folder): an
    operational error, not a refusal; nothing was written."""


def bundle_of(raw: RawDataset) -> dict[str, Any]:
    """The release bundle of a (valid) dataset: metadata, collections and the package's schema."""
    assert raw.metadata is not None
    collections = {name: [r for f in raw.collection(name) for r in f.records] for name in COLLECTIONS}
    return bundle_with(raw.metadata.data, collections)


#: The entry of a bundle that says when it was released: what distinguishes a release's bytes
#: from those of the same data not released (see :mod:`dispatchdata.identity`).
RELEASED = "released"

#: The rest of a bundle's text, given one entry: ``()`` for none, ``(value,)`` for the value.
Rest = Callable[[tuple[Any, ...]], str]


def dump_bundle(bundle: dict[str, Any]) -> bytes:
    """The bundle's canonical bytes: sorted keys, two-space indent, UTF-8, a final newline."""
    out = io.StringIO()
    write_bundle(bundle, out)
    return out.getvalue().encode("utf-8")


def write_bundle(bundle: dict[str, Any], out: TextIO) -> None:
    """Write the bundle's canonical text (see :func:`dump_bundle`) to ``out`` record by record,
    so that a large bundle is never held as one string too. Its collections may be any lists of
    records or :class:`CanonicalRecords` (each read once, in order).

    The text is exactly ``json.dumps(bundle, indent=2, sort_keys=True, ensure_ascii=False)`` and
    a newline (``tests/test_release.py`` proves it): each value is encoded on its own and
    indented to its depth (JSON strings hold no raw newline, so every newline in the text is the
    encoder's)."""
    rest = write_bundle_until(bundle, out, RELEASED)
    out.write(rest((bundle[RELEASED],) if RELEASED in bundle else ()))


def write_bundle_until(bundle: dict[str, Any], out: TextIO, key: str) -> Rest:
    """Write the canonical text of ``bundle`` without ``key`` (see :func:`write_bundle`) to
    ``out`` as far as the place of ``key``'s entry (the entries whose keys sort before it,
    ``collections`` among them for ``released``), and return the rest of the text as a function
    of that entry: ``rest(())`` without it, ``rest((value,))`` with ``key`` set to ``value``.
    What lets one pass over the records give the bytes of a bundle with and without its release
    date, each what :func:`write_bundle` writes (``tests/test_release.py``)."""
    keys = sorted(k for k in bundle if k != key)
    before = [k for k in keys if k < key]
    for number, name in enumerate(before):
        out.write("," if number else "{")
        _write_entry(name, bundle[name], out)
    after = []
    for name in keys[len(before) :]:
        text = io.StringIO()
        _write_entry(name, bundle[name], text)
        after.append(text.getvalue())

    def rest(entry: tuple[Any, ...]) -> str:
        if entry:
            text = io.StringIO()
            _write_entry(key, entry[0], text)
            entries = [text.getvalue(), *after]
        else:
            entries = after
        separated = "".join(("," if len(before) + n else "{") + e for n, e in enumerate(entries))
        return separated + ("\n}\n" if before or entries else "{}\n")

    return rest


def _write_entry(key: str, value: Any, out: TextIO) -> None:
    """One entry of a bundle, without what separates it from the one before."""
    out.write(f"\n  {indented_json(key)}: ")
    if key == "collections" and isinstance(value, dict) and value:
        for index, name in enumerate(sorted(value)):
            out.write(f"{',' if index else '{'}\n    {indented_json(name)}: ")
            _write_records(value[name], out)
        out.write("\n  }")
    else:
        out.write(_indented(indented_json(value), 1))


def _write_records(records: Any, out: TextIO) -> None:
    """A collection's value (two levels deep), some records (three deep) at a time when it is a
    list of them: those held as canonical JSON in runs (:func:`indented_items`), others one by one."""
    if not isinstance(records, list | tuple | CanonicalRecords):
        out.write(_indented(indented_json(records), 2))
        return
    if not records:
        out.write("[]")
        return
    if isinstance(records, CanonicalRecords):
        pieces = (_indented(indented_items(texts, made), 2) for texts, made in records.runs(_RUN))
    else:
        pieces = ("\n      " + _indented(indented_json(record), 3) for record in records)
    for count, piece in enumerate(pieces):
        out.write(("," if count else "[") + piece)
    out.write("\n    ]")


#: How many records held as canonical JSON are indented at once: few enough to hold, enough to
#: make the work per record orjson's.
_RUN = 256


def _indented(text: str, depth: int) -> str:
    return text.replace("\n", "\n" + "  " * depth)


def releases_dir(dataset: str | Path | None = None) -> Path:
    """The folder of frozen releases of a dataset folder (the installed dataset by default)."""
    return Path(dataset if dataset is not None else dataset_dir()) / RELEASES


def releases(dataset: str | Path | None = None) -> tuple[str, ...]:
    """The versions released, oldest first (of the installed dataset by default)."""
    return released_in(releases_dir(dataset))


def release_path(version: str, dataset: str | Path | None = None) -> Path:
    """The bundle file of a released version; DataNotFoundError naming the versions there are."""
    return release_file(version, releases_dir(dataset))


def changelog_date(changelog: Path, version: str) -> str | None:
    """The date of the CHANGELOG section '## [version] - YYYY-MM-DD', or None if there is none."""
    try:
        text = changelog.read_text(encoding="utf-8")
    except OSError:
        return None
    match = re.search(rf"(?m)^## \[{re.escape(version)}\] - (\d{{4}}-\d{{2}}-\d{{2}})\s*$", text)
    return match.group(1) if match else None


def prepare_release(
    version: str,
    dataset: str | Path = "dataset",
    changelog: str | Path = "CHANGELOG.md",
    sources: Iterable[str | Path] = (),
    *,
    jobs: int | None = 1,
) -> dict[str, Any]:
    """Check everything a release requires and return the bundle, its collections as
    :class:`CanonicalRecords` (write it with :func:`write_bundle`). The dataset is read once,
    file by file (by ``jobs`` processes, as :func:`~dispatchdata.check.validation.validate` does), and
    the last release in pieces: neither is held as Python objects.

    Raises :class:`ReleaseError` with a message saying what to do when the release is refused.
    """
    if parse_semver(version) is None:
        raise ReleaseError(f"{excerpt(version)!r} is not a MAJOR.MINOR.PATCH version")
    dataset = Path(dataset)
    existing = releases(dataset)
    if version in existing:
        raise ReleaseError(f"release {version} exists already; releases are immutable, choose a new version")
    previous = existing[-1] if existing else None
    # Said first, before the dataset is read: what else the release needs is moot for this version.
    if previous is not None and bump_level(previous, version) is None:
        raise ReleaseError(f"version {version} is not greater than the last release, {previous}")
    changelog = Path(changelog)
    if not changelog.is_file():
        missing = "does not exist" if not changelog.exists() else "is not a file"
        raise DataNotFoundError(
            f"the changelog {changelog} {missing}; give --changelog the file that describes the release"
        )
    try:
        bundle = open_bundle(dataset, sources, jobs=jobs, compact=True)
    except InvalidDatasetError as error:
        report = error.report
        raise ReleaseError(
            f"the dataset is invalid ({len(report.errors)} error(s)); run dispatchdata validate", report
        ) from None
    _require_texts(bundle["collections"]["documents"], sources)
    _require_declared(bundle, dataset, version)
    released = changelog_date(changelog, version)
    if released is None:
        raise ReleaseError(
            f"{changelog} has no section '## [{version}] - YYYY-MM-DD'; describe the release there first"
        )
    bundle[RELEASED] = released
    if previous is not None:
        _require_step(bundle, dataset, previous, version)
    return bundle


def _require_declared(bundle: dict[str, Any], dataset: Path, version: str) -> None:
    """Refuse a release of a dataset whose metadata declares another version."""
    declared = bundle["metadata"].get("version")
    if declared != version:
        # The metadata file validation read (dataset.yaml, or .yml, or .json).
        name = next(f"{METADATA}{s}" for s in SUFFIXES if (dataset / f"{METADATA}{s}").is_file())
        setting = f'"version": "{version}"' if name.endswith(".json") else f"'version: {version}'"
        raise ReleaseError(f"{name} declares version {declared}; set {setting} there first")


def _require_step(bundle: dict[str, Any], dataset: Path, previous: str, version: str) -> None:
    """Refuse a version a smaller step above the last release than the changes since it require."""
    old, before = _indexed_release(previous, dataset)
    after = {name: bundle["collections"][name].index() for name in COLLECTIONS}
    verdict = diff_indexed(old, bundle, before, after)
    short = shortfall(previous, version, verdict.required)
    if short is not None:
        why = "; ".join(itertools.islice(verdict.reasons(), 5))
        raise ReleaseError(
            f"{previous} -> {version} is a {short.step} release, "
            f"but the changes require {short.required}: {why}"
        )


def _require_texts(documents: Iterable[Any], sources: Iterable[str | Path]) -> None:
    """Refuse a release unless every document's source text was found (the packaged texts and
    ``sources``), so that every anchor was checked: a release is immutable, and one frozen with
    its anchors unchecked could hold a falsified quote for good."""
    named = {record["id"]: record["sha256"] for record in documents}
    found = find_sources(sources, set(named.values())) if named else {}
    missing = [f"{name!r} (sha256 {digest})" for name, digest in named.items() if digest not in found]
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        texts = "text of 1 document was" if len(missing) == 1 else f"texts of {len(missing)} documents were"
        raise ReleaseError(
            f"the source {texts} not found, so not every anchor could be checked: {shown}; a release "
            "requires every anchor checked: put the text in sources/ or pass its folder with --sources"
        )


def _indexed_release(version: str, dataset: Path) -> tuple[dict[str, Any], dict[str, Indexed]]:
    """A release of ``dataset`` without its records, and its records indexed for a diff; read in
    pieces where it can be, and not validated again (it was when it was made), once its bytes
    are checked against its ``SHA256SUMS`` line."""
    path = release_path(version, dataset)
    try:
        verify_release(path)
    except ReleaseIntegrityError as error:
        raise ReleaseError(f"the last release, {version}, is refused: {error}") from None
    try:
        in_pieces = index_in_pieces(path)
        if in_pieces is not None:
            return in_pieces
        with gc_paused():
            old = json.loads(path.read_text(encoding="utf-8"))
        if not (isinstance(old, dict) and isinstance(old.get("collections"), dict)):
            raise ValueError("not a release bundle: no collections")
        return {k: v for k, v in old.items() if k != "collections"}, index_bundle(old)
    except (OSError, ValueError) as error:
        raise ReleaseError(f"the last release, {version}, cannot be read ({path}): {error}") from None


def make_release(
    version: str,
    dataset: str | Path = "dataset",
    changelog: str | Path = "CHANGELOG.md",
    sources: Iterable[str | Path] = (),
    *,
    jobs: int | None = 1,
) -> Path:
    """Freeze the dataset as ``<dataset>/releases/<version>.json`` (see :func:`prepare_release`),
    written record by record, and record its SHA-256 in ``releases/SHA256SUMS``.

    The release is written to a temporary file and linked into place, which fails if the file
    exists: of two runs releasing the same version at once, one wins and the other is refused
    (ReleaseError), never replacing the first's file. The line is added while holding
    :func:`~dispatchdata.read.frozen.sums_lock`, so releases of different versions made at once keep
    every line."""
    bundle = prepare_release(version, dataset, changelog, sources, jobs=jobs)
    path = releases_dir(dataset) / f"{version}.json"

    def write(out: BinaryIO) -> None:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        write_bundle(bundle, text)
        text.flush()
        text.detach()  # the file stays open: freeze syncs and closes it

    try:
        remove_stale_temporaries(path.parent)  # what killed releases left: ours, of processes gone
        freeze(path, write)
    except FreezeError as error:
        raise ReleaseError(str(error)) from None
    except OSError as error:  # disk full, file too large, a read-only folder: the machine, not the data
        reason = error.strerror or (os.strerror(error.errno) if error.errno else str(error))
        raise ReleaseWriteError(
            f"cannot write release {version} in {path.parent}: {reason}; nothing was written"
        ) from None
    return path


def open_bundle(
    spec: str | Path, sources: Iterable[str | Path] = (), *, jobs: int | None = 1, compact: bool = False
) -> dict[str, Any]:
    """The bundle of a released version of the installed dataset (``"1.0.0"``), a dataset
    folder or a bundle file, after validating it (see :func:`dispatchdata.check.open.open_bundle`)."""
    return opening.open_bundle(spec, sources, jobs=jobs, compact=compact, releases=releases_dir())


def open_indexed(
    spec: str | Path, sources: Iterable[str | Path] = (), *, jobs: int | None = 1
) -> tuple[dict[str, Any], dict[str, Indexed]]:
    """As :func:`open_bundle`, each collection's records indexed for a diff (see
    :func:`dispatchdata.check.open.open_indexed`)."""
    return opening.open_indexed(spec, sources, jobs=jobs, releases=releases_dir())
