"""Moving every anchor of a document into a new version of its text (``dispatchdata reanchor``).

An anchor is moved to the one occurrence of its exact text in the new text that has its prefix
before it and its suffix after it, or, where no occurrence has both, to the one that has either
(its prefix and suffix then taken from the new text): an exact text that occurs once is moved
only where at least one side of its context is still around it, never onto a look-alike passage
whose context differs on both sides (hypothesis/client #7571). Any other is orphaned: left as it
is and reported, never guessed; the one occurrence (or else the passage of the new text closest
to it) is offered as a suggestion only. The document's ``sha256`` and ``length`` are set
to the new text's. Each file is edited in place (:func:`~dispatchdata.snippets.edit_values`: the
numbers and strings rewritten where they are, read back to check) and written atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .anchoring import Place, anchor_at, closest, place
from .atomic import written_beside
from .documents import dataset_root, only_document, refuse_unread, scanned
from .errors import DataNotFoundError, DispatchDataError
from .read.common import decode
from .read.folder import SourceFile, max_file_size, read_bytes, read_file
from .resources import package_dir
from .snippets import edit_values


@dataclass(frozen=True, slots=True, kw_only=True)
class Relocated:
    """What became of one anchor: ``moved`` (``start``/``end`` its new offsets), ``context
    updated`` (same offsets, its prefix or suffix rewritten), ``unchanged`` or ``orphaned``
    (``why``, and its one occurrence or the closest passage of the new text as a
    ``suggestion``)."""

    file: str
    line: int
    pointer: str
    status: str
    old: tuple[object, object]
    new: tuple[int, int] | None = None
    why: str = ""
    suggestion: Place | None = None


@dataclass(slots=True)
class Outcome:
    """Every anchor of the document, what became of it, and the files changed (or that would be,
    with ``write=False``); ``digest`` and ``length`` are the new text's."""

    document: str
    digest: str
    length: int
    anchors: list[Relocated] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many anchors are ``status``."""
        return sum(1 for a in self.anchors if a.status == status)


def relocate(text: str, anchor: dict[str, Any]) -> tuple[tuple[int, int] | None, str]:
    """Where ``anchor`` (its exact text, prefix and suffix) is in ``text``: the one occurrence
    of its exact text with its prefix before it and its suffix after it; or, when none has both,
    the one with either; else None and why not. An exact text that occurs once is moved only
    with one side of its context still around it there: never onto a look-alike passage."""
    exact, prefix, suffix = anchor["exact"], anchor.get("prefix", ""), anchor.get("suffix", "")
    spans = _spans(text, exact)
    if not spans:
        return None, "its exact text is not in the new text"
    before = {s for s in spans if _prefix_fits(text, prefix, s[0])}
    after = {s for s in spans if _suffix_fits(text, suffix, s[1])}
    both = sorted(before & after)
    if len(both) == 1:
        return both[0], ""
    if not both:  # the text changed on one side of it: the other side must still say which
        either = sorted(before | after)
        if len(either) == 1:
            return either[0], ""
    if len(spans) == 1:
        why = "its exact text occurs once in the new text, but neither its prefix nor its suffix is there"
        return None, why
    return None, f"its exact text occurs {len(spans)} times, {len(both)} of them with its prefix and suffix"


def _spans(text: str, exact: str) -> list[tuple[int, int]]:
    """Every span of ``text`` that ``exact`` occurs at (overlapping ones included)."""
    spans = []
    at = text.find(exact)
    while at != -1:
        spans.append((at, at + len(exact)))
        at = text.find(exact, at + 1)
    return spans


def _prefix_fits(text: str, prefix: str, start: int) -> bool:
    """Whether ``prefix`` is the text before ``start``; an empty one only at the text's start
    (it says the anchor was there, and is no evidence anywhere else)."""
    return text.endswith(prefix, 0, start) if prefix else start == 0


def _suffix_fits(text: str, suffix: str, end: int) -> bool:
    """Whether ``suffix`` is the text after ``end``; an empty one only at the text's end."""
    return text.startswith(suffix, end) if suffix else end == len(text)


def _anchors(value: Any, pointer: str, document: str) -> list[tuple[str, dict[str, Any]]]:
    """The anchors into ``document`` in ``value`` (a file's data), with their pointers."""
    if isinstance(value, dict):
        found = []
        if value.get("document") == document and isinstance(value.get("exact"), str) and "start" in value:
            found.append((pointer, value))
        for key, item in value.items():
            found += _anchors(item, f"{pointer}/{key}", document)
        return found
    if isinstance(value, list):
        return [a for i, item in enumerate(value) for a in _anchors(item, f"{pointer}/{i}", document)]
    return []


def _new_text(source: str | Path) -> tuple[str, str]:
    """The new text (UTF-8) and the SHA-256 of its bytes; an empty one, or one of white space
    only, is refused (every anchor would be orphaned and the document given its hash)."""
    try:
        raw = read_bytes(Path(source), limit=max_file_size())  # (a text beyond it: an OSError)
    except OSError as error:
        raise DataNotFoundError(f"--source {str(source)!r}: cannot read: {error.strerror or error}") from None
    text, problem = decode(raw, str(source))
    if text is None:
        raise DataNotFoundError(f"--source {str(source)!r}: {problem.message if problem else 'not UTF-8'}")
    if not text.strip():
        said = "is empty" if not text else "holds only white space"
        raise DataNotFoundError(f"--source {str(source)!r}: the new text {said}; nothing written")
    return text, hashlib.sha256(raw).hexdigest()


def reanchor(
    source: str | Path, dataset: str | Path | None = None, *, document: str | None = None, write: bool = True
) -> Outcome:
    """Move every anchor into ``document`` (the dataset's only one by default) of the dataset
    folder ``dataset`` (by default the installed one, when that is a checkout's, never a
    wheel's) into the new text in the file ``source`` (see the module); with
    ``write=False`` only say what would change. Raises
    :class:`~dispatchdata.errors.DataNotFoundError` for a dataset, file or document that cannot
    be found or read, and :class:`~dispatchdata.errors.DispatchDataError` when a file cannot be
    edited in place exactly (nothing is written then)."""
    root = dataset_root(dataset)
    if dataset is None and root.resolve().is_relative_to(package_dir().resolve()):
        raise DataNotFoundError(
            "the installed dataset is part of the installed package: give PATH, a dataset folder"
        )
    if root.is_file():
        raise DataNotFoundError(f"{root}: reanchor edits a dataset folder, not a release bundle")
    text, digest = _new_text(source)
    chosen = only_document(root, document)
    outcome = Outcome(document=chosen, digest=digest, length=len(text))
    layout = scanned(root)  # a file left unread would keep anchors into the old text, unreported
    edits: list[tuple[Path, bytes, str]] = []
    for collection, path in layout.files:
        file = read_file(layout.root, path, collection)
        refuse_unread(file)  # its anchors would be left behind unreported
        changes = _relocate_file(file, text, chosen, outcome)
        if collection == "documents":
            changes |= _document_changes(file, chosen, digest, len(text))
        if changes:
            old = path.read_bytes()
            edits.append((path, old, edit_values(old.decode("utf-8"), file.data, changes, file.path)))
            outcome.changed.append(file.path)
    if write:  # every file edited and checked first: a file that cannot be edited stops them all
        _write_all(edits)
    return outcome


def _write_all(edits: list[tuple[Path, bytes, str]]) -> None:
    """Each edited file (its path, the bytes it was read as, its new text) written to a temporary
    file beside it, all of them, then each moved into place: a file that cannot be written (a
    folder without write permission, a full disk) stops them all before any is replaced, and so
    does a file saved by something else since it was read (checked just before the moves, which
    a Ctrl-C waits for). Raises :class:`~dispatchdata.errors.DispatchDataError`."""
    prepared: list[tuple[str, Path]] = []
    moved, current = 0, None
    try:
        for path, _, edited in edits:
            current = path
            prepared.append((written_beside(path, edited.encode("utf-8")), path))
        with _interrupts_held():
            for path, old, _ in edits:
                current = path
                if path.read_bytes() != old:  # an edit saved meanwhile would be lost
                    raise DispatchDataError(
                        f"{path}: changed since reanchor read it; nothing written (run reanchor again)"
                    )
            for temporary, path in prepared:
                current = path
                os.replace(temporary, path)
                moved += 1
    except OSError as error:
        where = current if current is not None else error.filename
        written = "nothing written" if not moved else f"{moved} of {len(edits)} files written"
        reason = error.strerror or str(error)
        raise DispatchDataError(f"{where}: cannot write: {reason}; {written} (run reanchor again)") from None
    finally:
        for temporary, _ in prepared[moved:]:
            Path(temporary).unlink(missing_ok=True)


def _relocate_file(file: SourceFile, text: str, document: str, outcome: Outcome) -> dict[str, str | int]:
    """The changes to ``file`` that move its anchors into ``text``, each anchor's fate added to
    ``outcome``."""
    changes: dict[str, str | int] = {}
    for pointer, anchor in _anchors(file.data, "", document):
        line = file.position(pointer)[0]
        old = (anchor.get("start"), anchor.get("end"))
        span, why = relocate(text, anchor)
        if span is None:
            spans = _spans(text, anchor["exact"])
            once = [place(text, *spans[0])] if len(spans) == 1 else closest(text, anchor["exact"], limit=1)
            suggestion = next(iter(once), None)
            orphan = Relocated(
                file=file.path, line=line, pointer=pointer, status="orphaned", old=old, why=why
            )
            outcome.anchors.append(replace(orphan, suggestion=suggestion))
            continue
        new = anchor_at(text, document, *span)
        fields: dict[str, str | int] = {
            "start": new.start,
            "end": new.end,
            "prefix": new.prefix,
            "suffix": new.suffix,
        }
        moved = {k: v for k, v in fields.items() if k in anchor and anchor[k] != v}
        changes |= {f"{pointer}/{k}": v for k, v in moved.items()}
        status = "moved" if span != old else "context updated" if moved else "unchanged"
        outcome.anchors.append(
            Relocated(file=file.path, line=line, pointer=pointer, status=status, old=old, new=span)
        )
    return changes


def _document_changes(file: SourceFile, document: str, digest: str, length: int) -> dict[str, str | int]:
    """The changes to a documents file that give ``document`` the new text's sha256 and length."""
    for index, record in enumerate(file.records):
        if isinstance(record, dict) and record.get("id") == document:
            wanted: dict[str, str | int] = {"sha256": digest, "length": length}
            return {f"/{index}/{k}": v for k, v in wanted.items() if k in record and record[k] != v}
    return {}


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C (SIGINT) and SIGTERM held until the block ends, then acted on as they would have
    been (the first of them sent again, its handler back): files written one after the other in
    the block (each atomically) are then all written or none, unless the process is killed
    outright. Handlers, not a signal mask: a mask holds a signal for one thread only, and the
    system may hand it to another. Outside the main thread, the block runs as it is."""
    caught: list[int] = []

    def hold(number: int, _frame: object) -> None:
        caught.append(number)

    numbers = (signal.SIGINT, signal.SIGTERM)
    before = {number: signal.getsignal(number) for number in numbers}
    if any(handler is None for handler in before.values()):  # set outside Python: not ours to swap
        yield
        return
    try:
        for number in numbers:
            signal.signal(number, hold)
    except ValueError:  # (not the main thread, where handlers cannot be set; none was)
        yield
        return
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
        if caught:
            os.kill(os.getpid(), caught[0])
