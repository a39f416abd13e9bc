"""One validation's state: the cross-record join, every problem so far, where time went; and
what the anchor checks need from the documents' facts. Shared by every way of reading a
dataset (a folder file by file, a release bundle whole or in pieces)."""

from __future__ import annotations

import time
from collections.abc import Iterable

from .errors import Problem, Report, sorted_problems
from .filecheck import Checked, Timings, locate, new_timings
from .layout import SourceFile
from .rules.anchors import Texts
from .rules.facts import FileFacts
from .rules.join import Join
from .sources import SourceLookup


def selected(code: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    """Whether a problem's code is kept: it starts with one of ``select`` (if given) and with
    none of ``ignore``."""
    if select is not None and not any(code.startswith(s) for s in select):
        return False
    return not (ignore is not None and any(code.startswith(i) for i in ignore))


def texts_of(facts: Iterable[FileFacts], found: dict[str, str]) -> Texts:
    """What the anchor checks need: each document id (its first record) with its sha256, and the
    texts found."""
    documents: dict[str, str | None] = {}
    for file in facts:
        if file.collection != "documents":
            continue
        for _, identifier, (sha, _, _) in file.records:
            if identifier is not None and identifier not in documents:
                documents[identifier] = sha
    return Texts(documents, found)


def digests_of(facts: Iterable[FileFacts]) -> list[str]:
    """The SHA-256s the documents name, in order, once each."""
    return list(
        dict.fromkeys(
            sha
            for f in facts
            if f.collection == "documents"
            for _, _, (sha, _, _) in f.records
            if sha is not None
        )
    )


class Run:
    """One validation: the cross-record state, every problem so far, and where time went."""

    def __init__(self) -> None:
        self.join = Join()
        self.handles: list[SourceFile] = []  # by file number, to place cross-record findings
        self.problems: list[Problem] = []
        self.records = 0
        self.timings: Timings = new_timings()
        #: Which source texts were found and which had to be, once looked for (None: texts
        #: handed in, nothing known of what was looked for).
        self.lookup: SourceLookup | None = None

    def add(self, handle: SourceFile, checked: Checked) -> None:
        """Take in one file's results."""
        clock = time.perf_counter()
        self.join.add(len(self.handles), checked.facts, checked.skipped)
        self.handles.append(handle)
        self.problems += checked.problems
        self.problems += checked.anchored
        self.records += checked.facts.size
        self.timings["rules"] += time.perf_counter() - clock

    def report(self, files: int, select: list[str] | None, ignore: list[str] | None) -> Report:
        """Every problem (the files' own, then the cross-record ones, placed in their files) that
        ``select`` and ``ignore`` keep."""
        clock = time.perf_counter()
        problems = list(self.problems)
        for file_no, index, code, message, pointer, key, other in self.join.finish(self.lookup):
            if other is not None:  # a duplicate: say where the first one is
                first = self.handles[other[0]]
                line, column = first.position(f"/{other[1]}")
                message = f"{message} (first defined at {first.path}:{line}:{column})"
            problems.append(locate(self.handles[file_no], (index, code, message, pointer, key)))
        kept = [p for p in problems if selected(p.code, select, ignore)]
        self.timings["rules"] += time.perf_counter() - clock
        notes = ("timing: " + " ".join(f"{k}={v:.3f}s" for k, v in self.timings.items()),)
        return Report(problems=sorted_problems(kept), files=files, records=self.records, notes=notes)
