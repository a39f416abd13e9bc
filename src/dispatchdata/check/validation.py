"""Validation, the public entry: a dataset folder, a release bundle file or a dataset already
read, validated by the one pipeline (:mod:`dispatchdata.check.pipeline`) into a :class:`Report`
with notes on how it was read.

A folder is read one file at a time (:mod:`dispatchdata.check.folder`) and a bundle a piece at
a time where it can be (:mod:`dispatchdata.check.pieces`): each part is checked against the schema
and by the record-local rules, reduced to the compact facts the cross-record rules need, and
let go; so validating a large corpus holds its ids and a few facts per record, never all of its
records.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..codes import codes_after, release_version, rules_of_release
from ..display import excerpt
from ..errors import DataNotFoundError, Report, Severity, sorted_problems
from ..read.common import gc_paused
from ..read.folder import COLLECTIONS, METADATA, SUFFIXES, RawDataset, not_found, read_bundle
from ..read.frozen import integrity_problems
from ..resources import dataset_dir
from .cache import cache_outside
from .file import Keep
from .folder import FolderInput, release_problems
from .pieces import InPieces, validate_in_pieces
from .pipeline import Outcome, WholeInput, document_digests
from .pipeline import check as check_units
from .schema import fast_check
from .sources import find_sources
from .state import selected

__all__ = [
    "FilesReport",
    "check",
    "dataset_of",
    "document_texts",
    "is_data_file",
    "read_checked",
    "release_problems",
    "validate",
    "validate_files",
    "warnings_as_errors",
]


def check(
    raw: RawDataset,
    texts: dict[str, str] | None = None,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    own_schema: bool = False,
) -> Report:
    """Validate an already-read dataset (a folder or a release bundle) against the schema and
    every rule.

    ``texts`` maps SHA-256 → source text, for the anchor checks. ``select`` and ``ignore`` filter
    problems by code prefix (``DD4`` means every ``DD4xx``). A bundle is checked against the
    package's schema, or with ``own_schema`` (a release verified by
    :func:`~dispatchdata.read.frozen.verify_release`) against the schema it carries.
    """
    source = WholeInput(raw, own_schema)
    with rules_of_release(release_version(raw.bundle.data) if own_schema and raw.bundle else None):
        return check_units(source, texts=texts or {}, select=_listed(select), ignore=_listed(ignore)).report


def _listed(codes: Iterable[str] | None) -> list[str] | None:
    return list(codes) if codes is not None else None


def document_texts(raw: RawDataset, sources: Iterable[str | Path]) -> tuple[list[str], dict[str, str]]:
    """The SHA-256s the dataset's documents name (in order, once each), and the texts of those
    found in ``sources`` (folders or files), by SHA-256."""
    digests = document_digests(raw)
    return digests, (find_sources(sources, digests) if digests else {})


def validate(
    path: str | Path | None = None,
    *,
    sources: Iterable[str | Path] = (),
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    cache: str | Path | None = None,
    jobs: int | None = 1,
    strict: bool = False,
) -> Report:
    """Validate the dataset folder (or release bundle) at ``path`` (the installed dataset by default).

    ``sources`` are folders (or files) searched for the documents' source texts by SHA-256, after
    the texts the package ships. A document whose text is not found has its anchor checks
    skipped: an error (DD411) when ``sources`` were given or the package ships that text, else a
    DD405 warning. ``strict=True`` makes every warning an error.
    A release file (``releases/<version>.json``) is first checked against its ``SHA256SUMS``
    (DD320-DD322; see :mod:`dispatchdata.read.frozen`): only a verified release is checked against
    the schema it carries, any other bundle against the package's.
    ``cache`` (safe to delete; outside the dataset, else ``CacheFolderError``) is a folder where
    each file's results are kept by content hash, so that re-validating after a few files changed
    reads only those (see :mod:`dispatchdata.check.cache`: its entries are signed with a secret in the user's
    configuration folder, and :class:`~dispatchdata.check.cache.CacheKeyError` is raised when that secret
    cannot be made or is not private). A folder is validated one file at a time, in this process by
    default; ``jobs=N`` lets N worker processes check its files, ``jobs=None`` one per processor
    when the folder holds enough YAML to pay for them (what the command line does).
    Raises :class:`~dispatchdata.errors.DataNotFoundError` when ``path`` does not exist.
    """
    root = Path(path) if path is not None else dataset_dir()
    chosen, dropped = _listed(select), _listed(ignore)
    read_yaml = False  # a bundle is read as JSON, whatever its name
    with gc_paused():
        if root.is_file():
            verified, untrusted = integrity_problems(root)
            report, digests, found = validate_bundle(root, sources, chosen, dropped, verified)
            kept = [p for p in untrusted if selected(p.code, chosen, dropped)]
            report = replace(report, problems=sorted_problems([*report.problems, *kept]))
        elif root.is_dir():
            folder = FolderInput(root, cache_outside(cache, root), jobs)
            report, digests, found = check_units(folder, sources=sources, select=chosen, ignore=dropped)
            read_yaml = folder.read_yaml
        else:
            raise not_found(root)
    notes = []
    if read_yaml:  # else PyYAML is not even imported
        # Deferred: PyYAML (heavy) is imported only when YAML is read.
        from ..read.yaml import reader_name

        notes.append(f"YAML parser: {reader_name()}")
    fast = "jsonschema-rs" if fast_check("dataset") else "off (jsonschema-rs is not installed)"
    notes.append(f"schema fast path: {fast}")
    if root.is_file() and verified:
        notes += _rules_of_its_time_note(root.stem)
    missing = [d for d in digests if d not in found]
    notes.append(_sources_note(len(digests), len(missing)))
    notes += [f"source text not found: sha256 {excerpt(digest)}" for digest in missing[:20]]
    report = replace(report, notes=(*notes, *report.notes))
    return warnings_as_errors(report) if strict else report


def validate_bundle(
    path: Path,
    sources: Iterable[str | Path],
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    own_schema: bool = False,
) -> Outcome:
    """Validate a release bundle file: in pieces where it can be, else read whole (see
    :mod:`dispatchdata.check.pieces`). ``own_schema``: as in :func:`check`."""
    in_pieces = validate_in_pieces(path, sources, select, ignore, own_schema=own_schema)
    if in_pieces is not None:
        return Outcome(in_pieces.report, in_pieces.digests, in_pieces.found)
    return _validate_whole_bundle(path, sources, select, ignore, own_schema)


def _rules_of_its_time_note(version: str) -> list[str]:
    """What the -v note says of the rules a verified release of ``version`` was not held to."""
    later = codes_after(version)
    if not later:
        return []
    return [
        f"release {version} is checked by the rules of its time: {', '.join(later)} came with a later"
        " data version and were not applied (a release cannot change to meet them)"
    ]


def _sources_note(named: int, missing: int) -> str:
    """What the -v note says of the source texts: how many were found, and which anchors were
    checked against a text and which were not."""
    if not named:
        return "source texts: none named by the documents, no anchor checked against a text"
    found = f"source texts: {named - missing} of {named} found"
    if not missing:
        return f"{found}: every anchor checked against its text"
    if missing == named:
        return f"{found}: no anchor checked against a text"
    return f"{found}: anchors into the {missing} not found not checked against a text"


def warnings_as_errors(report: Report) -> Report:
    """The report with every warning made an error (``--strict``): then nothing the checks
    could not vouch for (a source text not found, say) passes."""
    problems = tuple(
        replace(p, severity=Severity.ERROR) if p.severity is Severity.WARNING else p for p in report.problems
    )
    return replace(report, problems=problems)


def _validate_whole_bundle(
    path: Path,
    sources: Iterable[str | Path],
    select: list[str] | None,
    ignore: list[str] | None,
    own_schema: bool = False,
) -> Outcome:
    """Validate a release bundle file read whole (when it cannot be read in pieces)."""
    clock = time.perf_counter()
    raw = read_bundle(path)
    seconds = time.perf_counter() - clock
    whole = WholeInput(raw, own_schema)
    whole.timings["parse"] += seconds
    with rules_of_release(release_version(raw.bundle.data) if own_schema and raw.bundle else None):
        return check_units(whole, sources=sources, select=select, ignore=ignore)


def read_checked(root: Path, keep: Keep, sources: Iterable[str | Path] = (), jobs: int | None = 1) -> Report:
    """Validate the dataset folder ``root`` file by file (as :func:`validate` does, ``jobs`` too),
    handing ``keep`` each file's records as they are read (the metadata as ``[metadata]``), in
    reading order: what a release bundle (or a diff) is made of, from one reading, without the
    texts and positions of every file held at once."""
    with gc_paused():
        return check_units(FolderInput(root, None, jobs, keep), sources=sources).report


def read_checked_bundle(
    path: Path, keep: Keep, sources: Iterable[str | Path] = (), *, own_schema: bool = False
) -> InPieces | None:
    """Validate the release bundle file ``path`` piece by piece, handing ``keep`` each piece's
    records as they are read: the report and the bundle without its collections. None when the
    file cannot be read in pieces (see :mod:`dispatchdata.read.bundle`); what ``keep`` was handed
    until then is to be dropped, and the file read whole. ``own_schema``: as in :func:`check`."""
    with gc_paused():
        return validate_in_pieces(path, sources, None, None, keep, own_schema=own_schema)


def _has_metadata(folder: Path) -> bool:
    return any((folder / f"{METADATA}{suffix}").is_file() for suffix in SUFFIXES)


def dataset_of(path: Path) -> tuple[Path, str] | None:
    """The dataset folder the data file ``path`` is part of (as ``path`` names it, not resolved)
    and the file's name in it (as problems name it), or None when it is none of a dataset's
    files: ``dataset.yaml`` or a collection file (``actors.yaml``; ``.yml`` or ``.json`` too)
    beside a metadata file, or a ``.yaml``/``.yml``/``.json`` file anywhere in a collection's
    folder (``statements/2023/january.yaml``) whose parent holds a metadata file."""
    if path.suffix not in SUFFIXES:
        return None
    candidates = []
    if path.stem in (METADATA, *COLLECTIONS):
        candidates.append(path.parent)
    candidates += [folder.parent for folder in path.parents if folder.name in COLLECTIONS]
    for folder in candidates:
        if _has_metadata(folder):
            try:
                name = path.resolve().relative_to(folder.resolve()).as_posix()
            except ValueError:  # a link out of the folder: the folder's reader refuses it
                name = path.name
            return folder, name
    return None


def in_a_dataset(path: Path) -> bool:
    """Whether the file ``path`` is inside a dataset folder (a folder holding a metadata file is
    one of its parents): ``dataset/README.md``, ``dataset/releases/SHA256SUMS``."""
    return any(_has_metadata(folder) for folder in path.absolute().parents)


def is_data_file(path: Path) -> bool:
    """Whether ``path`` is named as a file of a dataset folder is (``actors.yaml``, a file in an
    ``actors/`` folder, ``dataset.yaml``), wherever it is: one to validate with its folder."""
    if path.suffix not in SUFFIXES:
        return False
    return path.stem in (METADATA, *COLLECTIONS) or any(f.name in COLLECTIONS for f in path.parents)


@dataclass(frozen=True, slots=True)
class FilesReport:
    """Some files validated as part of their dataset folder: the folder (as the files' paths name
    it), the files' names in it, and the whole folder's report."""

    folder: Path
    names: tuple[str, ...]
    report: Report

    @property
    def shown(self) -> Report:
        """What to show of the folder's report: every problem of the files given, and the errors
        of its other files (the folder is invalid with them, and a change to one file often
        breaks a reference in another), not their warnings (see :attr:`warnings_elsewhere`)."""
        problems = tuple(
            p for p in self.report.problems if p.file in self.names or p.severity is Severity.ERROR
        )
        return replace(self.report, problems=problems)

    @property
    def warnings_elsewhere(self) -> int:
        """How many warnings are about the folder's other files (or the folder itself)."""
        return sum(1 for p in self.report.warnings if p.file not in self.names)


def validate_files(
    paths: Sequence[Path],
    *,
    sources: Iterable[str | Path] = (),
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    cache: str | Path | None = None,
    jobs: int | None = 1,
    strict: bool = False,
) -> list[FilesReport]:
    """Validate data files (``dataset/actors.yaml``, as a pre-commit hook passes them) as part
    of their dataset folders: each folder once, by :func:`validate` with these options, so that the
    rules across records and files see the whole folder. DataNotFoundError for a path that is
    not a data file, or not in a dataset folder (no ``dataset.yaml`` where it would be)."""
    folders: dict[Path, tuple[Path, list[str]]] = {}
    for path in paths:
        found = dataset_of(path)
        if found is None:
            if not is_data_file(path):
                raise DataNotFoundError(
                    f"{path}: not a data file of a dataset (dataset.yaml, or a collection's file: "
                    f"{', '.join(COLLECTIONS)}, as .yaml, .yml or .json, or in a folder of that name); "
                    "a dataset folder or a release bundle file is validated alone"
                )
            raise DataNotFoundError(
                f"{path}: not in a dataset folder (no dataset.yaml where it would be): a data file "
                "is validated as part of its dataset folder"
            )
        folder, name = found
        names = folders.setdefault(folder.resolve(), (folder, []))[1]
        if name not in names:
            names.append(name)
    chosen, dropped, sources = _listed(select), _listed(ignore), list(sources)
    return [
        FilesReport(
            folder,
            tuple(names),
            validate(
                folder, sources=sources, select=chosen, ignore=dropped, cache=cache, jobs=jobs, strict=strict
            ),
        )
        for folder, names in folders.values()
    ]
