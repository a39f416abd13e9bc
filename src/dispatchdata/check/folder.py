"""A dataset folder as an input of the pipeline: one unit per file, read one at a time (in this
process or by workers, through an optional cache), each let go once checked; and the problems of
the folder itself (its layout, its releases, its metadata)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ..codes import problem
from ..errors import DataNotFoundError, Problem
from ..read.files import NOT_REGULAR
from ..read.folder import METADATA, RELEASES, located_later, read_file, scan_dataset
from ..read.frozen import is_release_file, read_sums, release_problem
from ..read.jsontext import Canonical
from .file import Checked, DocumentsFile, FolderFiles, Keep, iter_file_problems
from .pipeline import Input, Unit
from .rules.anchors import Texts
from .workers import check_others, read_documents


class FolderInput(Input):
    """The files of the dataset folder ``root``, each a unit. With ``cache`` (a folder), a file
    whose bytes are unchanged is not parsed: what checking it gave comes from the cache. ``jobs``
    worker processes check the files (``None``: one per processor when that pays; see
    :mod:`dispatchdata.check.workers`). With ``keep``, each file's records are handed to it as they
    are read (the metadata as ``[metadata]``), in reading order."""

    def __init__(
        self, root: Path, cache: str | Path | None, jobs: int | None, keep: Keep | None = None
    ) -> None:
        super().__init__()
        layout = scan_dataset(root)
        self.root = root = layout.root  # resolved: the paths of the layout are real paths under it
        self.jobs = jobs
        self.problems += layout.problems
        self.refused = layout.refused
        # A release the layout already refused (a link leading outside, a folder) is said once.
        said = {p.file for p in layout.problems}
        self.problems += [p for p in release_problems(root) if p.file not in said]
        self.files = FolderFiles(root, cache, self.timings, keep)
        if layout.metadata is not None:
            clock = time.perf_counter()
            metadata = read_file(root, layout.metadata, METADATA)
            if keep is not None:
                keep(METADATA, Canonical.of([metadata.parsed.data]))
            self.timings["parse"] += time.perf_counter() - clock
            clock = time.perf_counter()
            self.problems += iter_file_problems(metadata)
            self.timings["schema"] += time.perf_counter() - clock
        self._paths = [p for c, p in layout.files if c == "documents"]
        self._others = [(c, p) for c, p in layout.files if c != "documents"]
        self._documents: list[DocumentsFile] = []
        self.count = len(layout.files) + (layout.metadata is not None)
        paths = [p for _, p in layout.files] + ([layout.metadata] if layout.metadata is not None else [])
        #: Whether any YAML file is read (else PyYAML is not even imported).
        self.read_yaml = any(p.suffix != ".json" for p in paths)

    def documents(self) -> Iterator[Unit]:
        self._documents = read_documents(self.files, self._paths, self.jobs, self._others)
        for document in self._documents:
            handle = located_later(document.path, document.rel, "documents")
            yield Unit(handle, None, document.checked)

    def complete(self, number: int, unit: Unit, first: Checked, texts: Texts, digest: str) -> Checked:
        # From the cache, or checked here (its file parsed again if it came from the cache).
        return self.files.document_texts(self._documents[number], texts, digest)

    def rest(self, texts: Texts, digest: str) -> Iterator[Unit]:
        self._documents = []  # their files parsed in this process are let go
        checked = check_others(self.files, self._others, texts, digest, self.jobs)
        for (collection, path), done in zip(self._others, checked, strict=True):
            yield Unit(located_later(path, path.relative_to(self.root).as_posix(), collection), None, done)


def release_problems(root: Path) -> list[Problem]:
    """DD320-DD322 for each release file in ``root/releases/`` whose bytes are not those its
    ``SHA256SUMS`` records: a dataset folder's releases are checked whenever it is validated, as
    every reader of one checks it. An entry named as a release (or listed in ``SHA256SUMS``) that
    is not a regular file is a problem too, never followed nor read: DD116 for a link, DD100 for
    anything else; so is a release listed whose file is gone (DD320: not as it was released). A
    folder that cannot be listed is left to the layout, which says so (DD100)."""
    folder = root / RELEASES
    if folder.is_symlink() or not folder.is_dir():
        return []
    try:
        with os.scandir(folder) as listing:
            entries = {entry.name: entry for entry in listing}
    except OSError:
        return []
    recorded = read_sums(folder)
    listed = {} if isinstance(recorded, Problem) else recorded
    problems: list[Problem] = []
    for name in sorted({*entries, *listed}):
        found: Problem | None
        path, entry = folder / name, entries.get(name)
        if entry is None:
            message = (
                f"listed in SHA256SUMS (line {listed[name].line}) but gone: a release is never "
                "removed; restore it as it was made (from git, or by reinstalling dispatchdata)"
            )
            found = problem("DD320", message, file=name)
        elif not (name in listed or is_release_file(path)):
            continue
        elif entry.is_file(follow_symlinks=False) or entry.is_symlink():
            found = _checked(path) if is_release_file(path) or entry.is_symlink() else None
        else:
            what = "it is a folder" if entry.is_dir(follow_symlinks=False) else f"not {NOT_REGULAR}"
            found = problem("DD100", f"cannot read file: {what}", file=name)
        if found is not None:
            problems.append(replace(found, file=f"{RELEASES}/{found.file}"))
    return problems


def _checked(path: Path) -> Problem | None:
    """What makes the release file (or link: DD116, not followed) ``path`` untrustworthy."""
    try:
        return release_problem(path)
    except DataNotFoundError as error:  # unreadable: said as the layout says it
        return problem("DD100", str(error), file=path.name)
