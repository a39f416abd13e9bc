"""The documents of a dataset, read as ``validate`` reads them (a folder's layout, or a release
bundle), for the editing tools (``anchor``, ``reanchor``) that need a document's record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .display import excerpt
from .errors import DataNotFoundError, Severity
from .read.folder import Layout, SourceFile, read_bundle, read_file, scan_dataset
from .resources import dataset_dir


def dataset_root(dataset: str | Path | None) -> Path:
    """The dataset folder or bundle ``dataset`` (the installed dataset when None), which must
    exist (else :class:`~dispatchdata.errors.DataNotFoundError`)."""
    root = Path(dataset) if dataset is not None else dataset_dir()
    if not root.exists():
        raise DataNotFoundError(f"{root}: no such dataset folder or file")
    return root


def read_collection(dataset: str | Path | None, collection: str) -> list[SourceFile]:
    """The files of one collection of ``dataset`` (see :func:`dataset_root`), read; a folder
    that is not a dataset folder (no metadata file, ``dataset.yaml``, as ``fmt`` says) or a file
    that cannot be read or parsed (its first error, with its place) raises
    :class:`~dispatchdata.errors.DataNotFoundError`."""
    root = dataset_root(dataset)
    if root.is_file():
        files = read_bundle(root).collection(collection)
    else:
        layout = scanned(root)
        files = [read_file(layout.root, path, c) for c, path in layout.files if c == collection]
    for file in files:
        refuse_unread(file)
    return files


#: The problems of a folder's layout that leave part of its data unread: a file or folder that
#: cannot be listed or read (DD100), a link refused (DD116).
UNREAD = frozenset({"DD100", "DD116"})


def scanned(root: Path) -> Layout:
    """The layout of the dataset folder ``root``; raises
    :class:`~dispatchdata.errors.DataNotFoundError` for a folder that is not a dataset's (no
    ``dataset.yaml``) or whose layout leaves part of its data unread (:data:`UNREAD`): a tool
    that edits or looks up the data must see all of it."""
    layout = scan_dataset(root)
    unread = [p for p in layout.problems if p.code in UNREAD]
    if unread:
        first = unread[0]
        raise DataNotFoundError(f"cannot read the dataset: {root / first.file}: {first.code} {first.message}")
    if layout.metadata is None:
        raise DataNotFoundError(f"{root}: not a dataset folder (no dataset.yaml)")
    return layout


def refuse_unread(file: SourceFile) -> None:
    """Raise :class:`~dispatchdata.errors.DataNotFoundError`, naming its first reading error and
    where it is, when ``file`` could not be read or parsed."""
    errors = [p for p in file.parsed.problems if p.severity is Severity.ERROR and p.code.startswith("DD1")]
    if errors or file.data is None:
        first = errors[0] if errors else None
        where = (
            f"{first.file}:{first.line}:{first.column}: {first.code} {first.message}" if first else file.path
        )
        raise DataNotFoundError(f"cannot read the {file.collection} of the dataset: {where}")


def documents_of(dataset: str | Path | None) -> dict[str, dict[str, Any]]:
    """The document records of ``dataset`` by id (the first record of each id), read as
    :func:`read_collection` reads them."""
    found: dict[str, dict[str, Any]] = {}
    for file in read_collection(dataset, "documents"):
        for record in file.records:
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                found.setdefault(record["id"], record)
    return found


def only_document(dataset: str | Path | None, document: str | None) -> str:
    """``document``, checked to be a document of ``dataset``; or, when None, the dataset's only
    document (:class:`~dispatchdata.errors.DataNotFoundError` when it has several or none)."""
    records = documents_of(dataset)
    if document is None:
        if len(records) != 1:
            raise DataNotFoundError(f"the dataset has {len(records)} documents: name one with --document")
        return next(iter(records))
    if document not in records:
        # deferred: the suggestions, only for an unknown document
        from .suggest import did_you_mean

        raise DataNotFoundError(f"unknown document {excerpt(document)!r}{did_you_mean(document, records)}")
    return document
