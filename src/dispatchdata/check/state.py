"""One validation's state: the cross-record join, every problem so far, where time went; and
what the anchor checks need from the documents' facts. Shared by every way of reading a
dataset (a folder file by file, a release bundle whole or in pieces)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace

from ..codes import RULES, Kind
from ..errors import Problem, Report, Severity, sorted_problems
from ..read.folder import SourceFile
from .file import Checked, Timings, locate, new_timings
from .rules.anchors import Texts
from .rules.context import SINGULAR, Finding
from .rules.facts import FileFacts
from .rules.join import Join
from .sources import SourceLookup

#: Problems that say part of the dataset was not read (a file that cannot be read, is not UTF-8,
#: does not parse, lies outside the layout, is a link out of the folder or too large) or that a
#: release changed after it was made: kept whatever ``--select``/``--ignore`` say, so that no
#: filter turns data never checked into a pass.
UNFILTERED = frozenset({"DD100", "DD101", "DD102", "DD110", "DD116", "DD118", "DD320", "DD321", "DD322"})


#: Problems that say checks against the source texts were skipped (a text not found): kept while
#: any check that needs the texts is kept, so that no filter makes a skipped check look passed.
SKIPPED_TEXTS = frozenset({"DD405", "DD411"})


def selected(code: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    """Whether a problem's code is kept: it starts with one of ``select`` (if given) and with
    none of ``ignore``; one of :data:`UNFILTERED` always is, and one of :data:`SKIPPED_TEXTS`
    whenever a code of the checks against the texts is."""
    if code in UNFILTERED:
        return True
    if code in SKIPPED_TEXTS:
        return _chosen(code, select, ignore) or any(_chosen(c, select, ignore) for c in text_codes())
    return _chosen(code, select, ignore)


def _chosen(code: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    if select is not None and not any(code.startswith(s) for s in select):
        return False
    return not (ignore is not None and any(code.startswith(i) for i in ignore))


def text_codes() -> list[str]:
    """The codes of the checks against the source texts: the DD4xx codes of the text rules (which
    also report a few codes of other families, DD302 for an anchor into no document, say). The
    registry is complete once the rules are imported, as they are by this module."""
    return [
        c.code
        for r in RULES
        if r.kind is Kind.TEXT
        for c in r.codes
        if c.code.startswith("DD4") and c.code not in SKIPPED_TEXTS
    ]


def texts_of(facts: Iterable[FileFacts], found: dict[str, str], unread: bool = False) -> Texts:
    """What the anchor checks need: each document id (its first record) with its sha256, the
    texts found, and whether a documents file could not be read (``unread``)."""
    documents: dict[str, str | None] = {}
    for file in facts:
        if file.collection != "documents":
            continue
        for _, identifier, document in file.records:
            if identifier is not None and identifier not in documents:
                documents[identifier] = document.sha256
    return Texts(documents, found, unread)


def is_unread(checked: Checked) -> bool:
    """Whether a file could not be read: none of its records was (a syntax error, not UTF-8, not a
    list, ...), as a reading error (DD1xx) says; an empty file that was read is not."""
    return checked.facts.size == 0 and any(
        p.code.startswith("DD1") and p.severity is Severity.ERROR for p in checked.problems
    )


def gather_unchecked(problems: list[Problem], unread: dict[str, list[str]]) -> list[Problem]:
    """The problems with the DD119s (one per reference not found into a collection a file of
    which could not be read, its message naming the target) made one per collection: at the
    first such reference, saying how many more there are and which file could not be read. The
    parse error is the real error; a DD302 for each reference would bury it, and saying nothing
    would let them pass unchecked."""
    kept = [p for p in problems if p.code != "DD119"]
    groups: dict[str, list[Problem]] = {}
    for problem in sorted_problems([p for p in problems if p.code == "DD119"]):
        groups.setdefault(problem.message.split(" ", 1)[0], []).append(problem)
    for singular, group in groups.items():
        collection = next(c for c, s in SINGULAR.items() if s == singular)
        files = unread.get(collection, ["?"])
        more = f" and {len(group) - 1} more" if len(group) > 1 else ""
        others = len(files) - 1
        which = files[0] + (
            f" and {others} other file{'s' if others > 1 else ''} of {collection}" if others else ""
        )
        message = f"reference to {group[0].message}{more} not checked: {which} could not be read"
        kept.append(replace(group[0], message=message))
    return kept


def digests_of(facts: Iterable[FileFacts]) -> list[str]:
    """The SHA-256s the documents name, in order, once each."""
    return list(
        dict.fromkeys(
            document.sha256
            for f in facts
            if f.collection == "documents"
            for _, _, document in f.records
            if document.sha256 is not None
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
        self.unread: dict[str, list[str]] = {}  # collection -> its files that could not be read

    def add(self, handle: SourceFile, checked: Checked) -> None:
        """Take in one file's results."""
        clock = time.perf_counter()
        self.join.add(len(self.handles), checked.facts, checked.skipped)
        if is_unread(checked):
            self.not_read(checked.facts.collection, handle.path)
        self.handles.append(handle)
        self.problems += checked.problems
        self.problems += checked.anchored
        self.records += checked.facts.size
        self.timings["rules"] += time.perf_counter() - clock

    def not_read(self, collection: str, path: str) -> None:
        """Take in that the file ``path`` of ``collection`` could not be read (or was refused
        unread, a link out of the folder): references into the collection not found are then
        not called unknown, but gathered into one DD119."""
        self.join.unread.add(collection)
        self.unread.setdefault(collection, []).append(path)

    def report(self, files: int, select: list[str] | None, ignore: list[str] | None) -> Report:
        """Every problem (the files' own, then the cross-record ones, placed in their files) that
        ``select`` and ``ignore`` keep."""
        clock = time.perf_counter()
        problems = list(self.problems)
        for found in self.join.finish(self.lookup):
            message = found.message
            if found.first is not None:  # a duplicate: say where the first one is
                first_file, first_index = found.first
                first = self.handles[first_file]
                line, column = first.position(f"/{first_index}")
                message = f"{message} (first defined at {first.path}:{line}:{column})"
            finding = Finding(found.record, found.code, message, found.pointer, found.key)
            problems.append(locate(self.handles[found.file], finding))
        if self.unread:
            problems = gather_unchecked(problems, self.unread)
        kept = [p for p in problems if selected(p.code, select, ignore)]
        self.timings["rules"] += time.perf_counter() - clock
        notes = ("timing: " + " ".join(f"{k}={v:.3f}s" for k, v in self.timings.items()),)
        return Report(problems=sorted_problems(kept), files=files, records=self.records, notes=notes)
