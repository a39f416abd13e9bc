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
from ..read.folder import METADATA, RELEASES, located_later, read_file, scan_dataset
from ..read.frozen import is_release_file, release_problem
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
        self.problems += release_problems(root)
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
    every reader of one checks it. Links are left to the layout (DD116), never followed here."""
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
