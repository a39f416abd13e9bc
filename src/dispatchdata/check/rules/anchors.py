"""Anchors: into a known document (the statement's own), within range, equal to the source text."""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Iterator
from typing import Any

from ...display import excerpt, first_difference
from ...suggest import Hints
from .characters import nfc, normalisation_note
from .context import Anchors, Finding, as_int, values


class Texts:
    """What anchor checks need to know beyond one record: every document id (its first record)
    with its sha256, and the source texts found, by sha256."""

    __slots__ = ("by_document", "documents", "hints", "texts", "unread")

    def __init__(self, documents: dict[str, str | None], texts: dict[str, str], unread: bool = False) -> None:
        self.documents = documents  # document id -> sha256 (None when it has no string one)
        self.texts = texts  # sha256 -> text
        #: Whether a documents file could not be read: then a document not found may be in it.
        self.unread = unread
        #: document id -> its text (None when it was not found)
        self.by_document = {d: (texts.get(s) if s is not None else None) for d, s in documents.items()}
        self.hints = Hints()  # for anchors into unknown documents, within a budget

    def text_of(self, document: str) -> str | None:
        """The source text of a document, if it was found."""
        return self.by_document.get(document)

    def digest(self) -> str:
        """Identifies everything the anchor checks depend on (for caching their results)."""
        found = sorted((d, s, s in self.texts) for d, s in self.documents.items())
        return hashlib.sha256(marshal.dumps((found, self.unread))).hexdigest()


def add_anchor_findings(
    out: list[Finding], index: int, anchors: Anchors, texts: Texts, skipped: dict[str, int]
) -> None:
    """DD302 (unknown document; DD119 when a documents file could not be read), DD401-DD404:
    every anchor of a record (``anchors``, from :func:`anchors_of`) against its document's text,
    findings appended to ``out`` (this runs for every anchor of a corpus: no generator). Anchors
    into a document whose text was not found are counted in ``skipped``."""
    by_document = texts.by_document
    for pointer, anchor in anchors:
        document = anchor.get("document")
        if type(document) is not str:
            continue
        if document not in by_document:
            if texts.unread:  # perhaps in the file that could not be read: said once (DD119)
                out.append(
                    Finding(index, "DD119", f"document {excerpt(document)!r}", f"{pointer}/document", False)
                )
                continue
            hint = texts.hints(document, texts.documents)
            message = f"unknown document {excerpt(document)!r}{hint}"
            out.append(Finding(index, "DD302", message, f"{pointer}/document", False))
            continue
        text = by_document[document]
        if text is None:
            skipped[document] = skipped.get(document, 0) + 1
            continue
        # The usual case, an anchor that matches exactly, prefix and suffix included, tested
        # inline (this runs for every anchor of a corpus); otherwise _check_anchor says how not.
        start, end, exact = anchor.get("start"), anchor.get("end"), anchor.get("exact")
        if (
            type(start) is int
            and type(end) is int
            and type(exact) is str
            and 0 <= start < end <= len(text)
            and end - start == len(exact)
            and text.startswith(exact, start)
        ):
            prefix, suffix = anchor.get("prefix"), anchor.get("suffix")
            if (type(prefix) is not str or text.endswith(prefix, 0, start)) and (
                type(suffix) is not str or text.startswith(suffix, end)
            ):
                continue
        out.extend(_check_anchor(index, pointer, anchor, text))


def _check_anchor(index: int, pointer: str, anchor: dict[str, Any], text: str) -> Iterator[Finding]:
    start, end, exact = anchor.get("start"), anchor.get("end"), anchor.get("exact")
    if type(start) is not int or type(end) is not int or type(exact) is not str:
        return
    if not 0 <= start < end <= len(text):
        message = f"offsets [{start}:{end}] are outside the text (0 to {len(text)}) or empty"
        yield Finding(index, "DD404", message, f"{pointer}/start", False)
        return
    if text[start:end] != exact:
        found = text.find(exact)
        hint, shown = "", excerpt(text[start:end], first_difference(text[start:end], exact))
        if found != -1 and text.find(exact, found + 1) == -1:
            hint = f"; the exact text is at [{found}:{found + len(exact)}]"
        message = f"exact text differs from the document text at [{start}:{end}], which reads {shown!r}{hint}"
        message += _normalisation(exact, text[start:end])
        yield Finding(index, "DD401", message, f"{pointer}/exact", False)
        return
    prefix, suffix = anchor.get("prefix"), anchor.get("suffix")
    if isinstance(prefix, str) and not text.endswith(prefix, 0, start):
        before = text[max(0, start - len(prefix)) : start]
        shown = excerpt(before, len(before) - first_difference(before[::-1], prefix[::-1]))
        yield Finding(
            index,
            "DD402",
            f"prefix differs from the text before the anchor ({shown!r})"
            + _normalisation(prefix, text[max(0, start - len(nfc(prefix))) : start]),
            f"{pointer}/prefix",
            False,
        )
    if isinstance(suffix, str) and not text.startswith(suffix, end):
        after = text[end : end + len(suffix)]
        shown = excerpt(after, first_difference(after, suffix))
        yield Finding(
            index,
            "DD403",
            f"suffix differs from the text after the anchor ({shown!r})"
            + _normalisation(suffix, text[end : end + len(nfc(suffix))]),
            f"{pointer}/suffix",
            False,
        )


def _normalisation(here: str, there: str) -> str:
    """What a message adds when the anchor's text and the document's differ only by Unicode
    normalisation (a text re-saved by an editor that composes accents, say)."""
    note = normalisation_note(here, there, ("in the anchor", "in the document"))
    return f"; the two {note}" if note else ""


def iter_length_findings(index: int, data: dict[str, Any], texts: Texts) -> Iterator[Finding]:
    """DD406: a document's length is its source text's, in code points."""
    digest, length = data.get("sha256"), as_int(data.get("length"))
    text = texts.texts.get(digest) if isinstance(digest, str) else None
    if text is not None and length is not None and length != len(text):
        message = f"length is {length}, but the source text has {len(text)} code points"
        yield Finding(index, "DD406", message, "/length", False)


def iter_alias_findings(
    index: int, data: dict[str, Any], anchors: Anchors, texts: Texts
) -> Iterator[Finding]:
    """DD409: every alias is printed in at least one source text (when any text is available).

    The texts of the documents the actor is anchored in are searched first (where a name is
    printed, the actor is anchored), so the check stays linear in a large corpus; the others
    only when the name is not found there."""
    if not texts.texts:
        return
    documents = {d for _, a in anchors if isinstance(d := a.get("document"), str)}
    own = [t for t in (texts.text_of(d) for d in documents) if t is not None]
    for pointer, alias in values(data, ["aliases", "*"]):
        name = alias.get("name") if isinstance(alias, dict) else None
        if not isinstance(name, str) or any(name in text for text in own):
            continue
        if not any(name in text for text in texts.texts.values()):
            message = f"alias {excerpt(name)!r} does not occur in any source text found"
            yield Finding(index, "DD409", message, f"{pointer}/name", False)


def iter_anchor_document_findings(index: int, data: dict[str, Any], anchors: Anchors) -> Iterator[Finding]:
    """DD307: a statement's anchors and quotes point into the statement's own document."""
    document = data.get("document")
    if type(document) is not str:
        return
    for pointer, anchor in anchors:
        other = anchor.get("document")
        if other != document and type(other) is str:
            message = f"anchor is into {excerpt(other)!r}, but the statement is in {excerpt(document)!r}"
            yield Finding(index, "DD307", message, f"{pointer}/document", False)


def iter_footnote_text_findings(index: int, data: dict[str, Any]) -> Iterator[Finding]:
    """DD408: a footnote's printed text is the text of its anchor."""
    notes = data.get("footnotes")
    if not isinstance(notes, list):
        return
    for i, note in enumerate(notes):  # as values(data, ["footnotes", "*"]), without its pointers
        if not isinstance(note, dict) or not isinstance(note.get("anchor"), dict):
            continue
        printed, exact = note.get("printed"), note["anchor"].get("exact")
        if isinstance(printed, str) and isinstance(exact, str) and printed != exact:
            yield Finding(
                index,
                "DD408",
                "printed differs from the text of the footnote's anchor",
                f"/footnotes/{i}/printed",
                False,
            )


def _spans(anchors: list[Any]) -> list[tuple[int, int]]:
    spans = []
    for anchor in anchors:
        if type(anchor) is dict:
            start, end = anchor.get("start"), anchor.get("end")
            if type(start) is int and type(end) is int:
                spans.append((start, end))
    return spans


def add_quote_findings(out: list[Finding], index: int, data: dict[str, Any], _anchors: Anchors) -> None:
    """DD407: a statement's quotes lie inside its anchored passage; findings appended to ``out``
    (this runs for every statement: no generator)."""
    anchors, quotes = data.get("anchors"), data.get("quotes")
    if type(anchors) is not list or type(quotes) is not list or not quotes:
        return
    passages = _spans(anchors)
    if not passages:
        return
    for i, quote in enumerate(quotes):
        if type(quote) is not dict:
            continue
        start, end = quote.get("start"), quote.get("end")
        if type(start) is not int or type(end) is not int:
            continue
        for a, b in passages:
            if a <= start and end <= b:
                break
        else:
            message = "quote lies outside the statement's anchored passage"
            out.append(Finding(index, "DD407", message, f"/quotes/{i}", False))
