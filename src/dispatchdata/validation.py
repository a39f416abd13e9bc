"""Validation: parse → schema → rules → :class:`Report`, one file at a time.

Each file is read, checked against the schema and by the record-local rules, reduced to the
compact facts the cross-record rules need, and let go (:mod:`dispatchdata.filecheck`); so
validating a large corpus holds its ids and a few facts per record, never all of its records.
With a cache, a file whose bytes are unchanged is not even parsed: its problems and facts come
from the cache. The facts are joined here, in reading order.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .codes import problem
from .display import excerpt
from .errors import DataNotFoundError, Problem, Report, Severity, sorted_problems
from .filecheck import (
    Checked,
    Document,
    FolderFiles,
    Keep,
    check_against_texts,
    check_parsed,
    iter_file_problems,
)
from .jsontext import Canonical
from .layout import (
    COLLECTIONS,
    METADATA,
    RELEASES,
    RawDataset,
    located_later,
    not_found,
    read_bundle,
    read_file,
    scan_dataset,
)
from .parse_common import gc_paused
from .resources import dataset_dir
from .rules.anchors import Texts
from .rules.bundle import check_frame
from .run import Run, digests_of, is_unread, selected, texts_of
from .schema import fast_check
from .sources import find_sources, look_up_sources
from .workers import check_folder


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
    :func:`~dispatchdata.frozen.verify_release`) against the schema it carries.
    """
    return _check(raw, texts, Run(), select, ignore, own_schema)


def _check(
    raw: RawDataset, texts: dict[str, str] | None, run: Run, select: Any, ignore: Any, own_schema: bool
) -> Report:
    run.problems += raw.problems
    files = [f for f in raw.files if f.collection in COLLECTIONS]
    schema_files = None
    if raw.bundle is not None:
        bundle_problems, schema_files = check_frame(raw.bundle, own_schema)
        run.problems += bundle_problems
        files = [f for f in files if f.data is not None]
    if raw.metadata is not None and (raw.bundle is None or raw.metadata.data is not None):
        run.problems += iter_file_problems(raw.metadata, schema_files)
    checked = [check_parsed(f, run.timings, schema_files) for f in files]
    found = texts_of((c.facts for c in checked), texts or {})
    for file, local in zip(files, checked, strict=True):
        anchored, skipped = check_against_texts(file, found, run.timings)
        run.add(file, Checked(local.facts, local.problems, anchored, skipped))
    count = 1 if raw.bundle else len(raw.files) + (raw.metadata is not None)
    return run.report(count, _listed(select), _listed(ignore))


def _listed(codes: Iterable[str] | None) -> list[str] | None:
    return list(codes) if codes is not None else None


def document_texts(raw: RawDataset, sources: Iterable[str | Path]) -> tuple[list[str], dict[str, str]]:
    """The SHA-256s the dataset's documents name (in order, once each), and the texts of those
    found in ``sources`` (folders or files), by SHA-256."""
    digests = _document_digests(raw)
    return digests, (find_sources(sources, digests) if digests else {})


def _document_digests(raw: RawDataset) -> list[str]:
    return list(
        dict.fromkeys(
            r["sha256"]
            for f in raw.files
            if f.collection == "documents"
            for r in f.records
            if isinstance(r, dict) and isinstance(r.get("sha256"), str)
        )
    )


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
    (DD320-DD322; see :mod:`dispatchdata.frozen`): only a verified release is checked against
    the schema it carries, any other bundle against the package's.
    ``cache`` is a folder where each file's results are kept by content hash, so that
    re-validating after a few files changed reads only those (safe to delete; see
    :mod:`dispatchdata.cache`: its entries are signed with a secret in the user's configuration
    folder, and :class:`~dispatchdata.cache.CacheKeyError` is raised when that secret cannot be
    made or is not private). A folder is validated one file at a time, in this process by
    default; ``jobs=N`` lets N worker processes check its files, ``jobs=None`` one per processor
    when the folder holds enough YAML to pay for them (what the command line does).
    Raises :class:`~dispatchdata.errors.DataNotFoundError` when ``path`` does not exist.
    """
    root = Path(path) if path is not None else dataset_dir()
    with gc_paused():
        if root.is_file():
            from .frozen import integrity_problems
            from .piecewise import validate_in_pieces

            read_yaml = False  # a bundle is read as JSON, whatever its name
            verified, untrusted = integrity_problems(root)
            in_pieces = validate_in_pieces(
                root, sources, _listed(select), _listed(ignore), own_schema=verified
            )
            if in_pieces is not None:
                report, digests, found, _ = in_pieces
            else:
                report, digests, found = _validate_whole_bundle(root, sources, select, ignore, verified)
            kept = [p for p in untrusted if selected(p.code, _listed(select), _listed(ignore))]
            report = replace(report, problems=sorted_problems([*report.problems, *kept]))
        elif root.is_dir():
            report, digests, found, read_yaml = _validate_folder(
                root, sources, _listed(select), _listed(ignore), cache, jobs
            )
        else:
            raise not_found(root)
    notes = []
    if read_yaml:  # else PyYAML is not even imported
        from .parse import HAVE_LIBYAML

        parser = "libyaml" if HAVE_LIBYAML else "pure Python (libyaml is not installed)"
        notes.append(f"YAML parser: {parser}")
    fast = "jsonschema-rs" if fast_check("dataset") else "off (jsonschema-rs is not installed)"
    notes.append(f"schema fast path: {fast}")
    missing = [d for d in digests if d not in found]
    notes.append(_sources_note(len(digests), len(missing)))
    notes += [f"source text not found: sha256 {excerpt(digest)}" for digest in missing[:20]]
    report = replace(report, notes=(*notes, *report.notes))
    return warnings_as_errors(report) if strict else report


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
    path: Path, sources: Iterable[str | Path], select: Any, ignore: Any, own_schema: bool = False
) -> tuple[Report, list[str], dict[str, str]]:
    """Validate a release bundle file read whole (when it cannot be read in pieces)."""
    run = Run()
    clock = time.perf_counter()
    raw = read_bundle(path)
    run.timings["parse"] += time.perf_counter() - clock
    clock = time.perf_counter()
    digests = _document_digests(raw)
    run.lookup = look_up_sources(sources, digests)
    run.timings["sources"] += time.perf_counter() - clock
    return _check(raw, run.lookup.texts, run, select, ignore, own_schema), digests, run.lookup.texts


def read_checked(root: Path, keep: Keep, sources: Iterable[str | Path] = (), jobs: int | None = 1) -> Report:
    """Validate the dataset folder ``root`` file by file (as :func:`validate` does, ``jobs`` too),
    handing ``keep`` each file's records as they are read (the metadata as ``[metadata]``), in
    reading order: what a release bundle (or a diff) is made of, from one reading, without the
    texts and positions of every file held at once."""
    with gc_paused():
        report, _, _, _ = _validate_folder(root, sources, None, None, None, jobs, keep)
    return report


def read_checked_bundle(
    path: Path, keep: Keep, sources: Iterable[str | Path] = (), *, own_schema: bool = False
) -> tuple[Report, dict[str, Any]] | None:
    """Validate the release bundle file ``path`` piece by piece, handing ``keep`` each piece's
    records as they are read: the report and the bundle without its collections. None when the
    file cannot be read in pieces (see :mod:`dispatchdata.slices`); what ``keep`` was handed
    until then is to be dropped, and the file read whole. ``own_schema``: as in :func:`check`."""
    from .piecewise import validate_in_pieces

    with gc_paused():
        checked = validate_in_pieces(path, sources, None, None, keep, own_schema=own_schema)
    return None if checked is None else (checked[0], checked[3])


def _validate_folder(
    root: Path,
    sources: Iterable[str | Path],
    select: list[str] | None,
    ignore: list[str] | None,
    cache: str | Path | None,
    jobs: int | None,
    keep: Keep | None = None,
) -> tuple[Report, list[str], dict[str, str], bool]:
    """Validate a folder; also says whether any YAML file was read. With ``keep``, each file's
    records are handed to it as they are read (the metadata as ``[metadata]``)."""
    layout = scan_dataset(root)
    root = layout.root  # resolved: the paths of the layout are real paths under it
    run = Run()
    run.problems += layout.problems
    run.problems += release_problems(root)
    files = FolderFiles(root, cache, run.timings, keep)
    if layout.metadata is not None:
        clock = time.perf_counter()
        metadata = read_file(root, layout.metadata, METADATA)
        if keep is not None:
            keep(METADATA, Canonical.of([metadata.parsed.data]))
        run.timings["parse"] += time.perf_counter() - clock
        clock = time.perf_counter()
        run.problems += iter_file_problems(metadata)
        run.timings["schema"] += time.perf_counter() - clock
    digests: list[str] = []
    found: dict[str, str] = {}

    def texts_for(documents: list[Document]) -> tuple[Texts, str]:
        # The documents come first: which texts the anchors are checked against depends on them.
        nonlocal digests, found
        clock = time.perf_counter()
        digests = digests_of(d.checked.facts for d in documents)
        run.lookup = look_up_sources(sources, digests)
        found = run.lookup.texts
        unread = any(is_unread(d.checked) for d in documents)
        texts = texts_of((d.checked.facts for d in documents), found, unread)
        digest = texts.digest()
        run.timings["sources"] += time.perf_counter() - clock
        for document in documents:
            run.add(
                located_later(document.path, document.rel, "documents"),
                files.document_texts(document, texts, digest),
            )
        return texts, digest

    documents = [p for c, p in layout.files if c == "documents"]
    others = [(c, p) for c, p in layout.files if c != "documents"]
    for (collection, path), checked in zip(
        others, check_folder(files, documents, others, jobs, texts_for), strict=True
    ):
        run.add(located_later(path, path.relative_to(root).as_posix(), collection), checked)
    count = len(layout.files) + (layout.metadata is not None)
    paths = [p for _, p in layout.files] + ([layout.metadata] if layout.metadata is not None else [])
    read_yaml = any(p.suffix != ".json" for p in paths)
    return run.report(count, select, ignore), digests, found, read_yaml


def release_problems(root: Path) -> list[Problem]:
    """DD320-DD322 for each release file in ``root/releases/`` whose bytes are not those its
    ``SHA256SUMS`` records: a dataset folder's releases are checked whenever it is validated, as
    every reader of one checks it. Links are left to the layout (DD116), never followed here."""
    from .frozen import is_release_file, release_problem

    folder = root / RELEASES
    if folder.is_symlink() or not folder.is_dir():
        return []
    problems: list[Problem] = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        path = Path(entry.path)
        if not entry.is_file(follow_symlinks=False) or not is_release_file(path):
            continue
        try:
            found = release_problem(path)
        except DataNotFoundError as error:  # unreadable: said as the layout says it
            found = problem("DD100", str(error), file=entry.name)
        if found is not None:
            problems.append(replace(found, file=f"{RELEASES}/{found.file}"))
    return problems
