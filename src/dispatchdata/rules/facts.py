"""What one file gives the rules: the problems its records show on their own, and the compact
facts the cross-record rules need (ids, references, dates, footnotes, names) — never the records.

This is what lets validation work file by file in bounded memory, and what the cache keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter
from typing import Any, NamedTuple

from .anchors import (
    Texts,
    add_anchor_findings,
    iter_alias_findings,
    iter_anchor_document_findings,
    iter_footnote_text_findings,
    iter_length_findings,
    iter_quote_findings,
    matches,
)
from .context import REFERENCES, Anchors, Finding, Reference, anchors_of, references_of, values
from .dates import document_facts, iso_date, iter_footnote_findings, iter_self_responses, statement_facts


class FileFacts(NamedTuple):
    """One file's (or one bundle collection's) contribution to the cross-record rules."""

    collection: str
    size: int  # records in the file, mappings or not
    records: list[tuple[int, str | None, Any]]  # (index, id, facts of its kind) of each mapping record
    refs: list[Reference]  # every reference of every record


def _actor_facts(data: dict[str, Any]) -> tuple[str | None, str | None, list[tuple[str, str]]]:
    kind, parent, name = data.get("type"), data.get("parent"), data.get("name")
    names = [("/name", name)] if isinstance(name, str) else []
    names += [
        (f"{p}/name", a["name"])
        for p, a in values(data, ["aliases", "*"])
        if isinstance(a, dict) and isinstance(a.get("name"), str)
    ]
    return (kind if isinstance(kind, str) else None), (parent if isinstance(parent, str) else None), names


def _no_facts(_data: dict[str, Any]) -> None:
    return None


FACTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "documents": document_facts,
    "actors": _actor_facts,
    "proposals": _no_facts,
    "statements": statement_facts,
}

#: Checks of one record on its own: (findings so far, index, record, its anchors), appending.
LocalCheck = Callable[[list[Finding], int, dict[str, Any], Anchors], None]


def _footnotes(out: list[Finding], index: int, data: dict[str, Any], _anchors: Anchors) -> None:
    out.extend(iter_footnote_findings(index, data))
    out.extend(iter_footnote_text_findings(index, data))


def _statement(out: list[Finding], index: int, data: dict[str, Any], anchors: Anchors) -> None:
    # Runs for every statement of a corpus: the usual case costs no generator.
    if data.get("responds_to"):
        out.extend(iter_self_responses(index, data))
    document = data.get("document")
    for _, anchor in anchors:
        if anchor.get("document") != document:
            out.extend(iter_anchor_document_findings(index, data, anchors))
            break
    if data.get("quotes"):
        out.extend(iter_quote_findings(index, data))


LOCAL_CHECKS: dict[str, LocalCheck | None] = {
    "documents": _footnotes,
    "actors": None,
    "proposals": None,
    "statements": _statement,
}


class Checked(NamedTuple):
    """What checking one file's records gave."""

    facts: FileFacts
    findings: list[Finding]  # what the records show on their own
    text_findings: list[Finding]  # what they show against the source texts (when given)
    skipped: dict[str, int]  # anchors not checked, by document, for want of its text
    text_seconds: float  # time spent on the checks against the texts


def extract(collection: str, records: list[Any], texts: Texts | None = None) -> Checked:
    """The facts of one file's records and what they show on their own; with ``texts``, also
    what they show against the source texts (see :func:`check_texts`), in the same pass."""
    facts_of, check = FACTS[collection], LOCAL_CHECKS[collection]
    kept: list[tuple[int, str | None, Any]] = []
    refs: list[Reference] = []
    findings: list[Finding] = []
    text_findings: list[Finding] = []
    skipped: dict[str, int] = {}
    seconds = 0.0
    usual = _usual_statement if collection == "statements" else None
    by_document = texts.by_document if texts is not None else None
    for index, data in enumerate(records):
        if type(data) is not dict:
            continue  # the schema reports it
        if usual is not None and usual(index, data, by_document, kept, refs, skipped):
            continue
        identifier = data.get("id")
        kept.append((index, identifier if type(identifier) is str else None, facts_of(data)))
        refs += references_of(data, collection, index)
        anchors = anchors_of(data)
        if check is not None:
            check(findings, index, data, anchors)
        if texts is not None:
            started = perf_counter()
            _against(text_findings, collection, index, data, anchors, texts, skipped)
            seconds += perf_counter() - started
    return Checked(FileFacts(collection, len(records), kept, refs), findings, text_findings, skipped, seconds)


# The reference slots of a statement, in the order references_of gives them.
_DOCUMENT, _SPEAKER, _PROPOSAL, _RESPONDS_TO, _TARGETS = (
    REFERENCES.index(("statements", path, target))
    for path, target in (
        ("document", "documents"),
        ("speaker", "actors"),
        ("stances/*/proposal", "proposals"),
        ("responds_to/*", "statements"),
        ("targets/*", "actors"),
    )
)


def _usual_statement(
    index: int,
    data: dict[str, Any],
    by_document: dict[str, str | None] | None,
    kept: list[tuple[int, str | None, Any]],
    refs: list[Reference],
    skipped: dict[str, int],
) -> bool:
    """A statement of the usual shape in one pass, when it shows no problem on its own: its facts
    and references appended (as the general path gives them), its anchors checked against the
    text, and True. Anything else (an unusual type, a finding to report) leaves the lists as
    they were and returns False, for the general path, which explains it.

    A corpus is mostly statements, and most of them are fine: this is the hot loop of
    validation. ``tests/test_fused.py`` proves it agrees with the general path."""
    get = data.get
    identifier, document = get("id"), get("document")
    if type(identifier) is not str or type(document) is not str or "positions" in data:
        return False
    notes = get("footnotes")
    cited: list[tuple[int, int]] = []
    if notes is not None:
        if type(notes) is not list:
            return False
        for number in notes:
            if type(number) is not int:
                return False  # a footnote of another shape (an anchor in it, a bool): the general path
        cited = list(enumerate(notes))
    # References go to a list of their own, added to the file's only when all is well.
    mine: list[Reference] = [(index, _DOCUMENT, -1, document)]
    add = mine.append
    speaker = get("speaker")
    if type(speaker) is str:
        add((index, _SPEAKER, -1, speaker))
    elif speaker is not None:
        return False
    stances = get("stances")
    if stances:
        if type(stances) is not list:
            return False
        for i, stance in enumerate(stances):
            proposal = stance.get("proposal") if type(stance) is dict else None
            if type(proposal) is not str:
                return False
            add((index, _PROPOSAL, i, proposal))
    # Lists of ids; a statement answering itself is DD304 (no id is None: targets are not checked).
    for slot, field, own in ((_RESPONDS_TO, "responds_to", identifier), (_TARGETS, "targets", None)):
        items = get(field)
        if items:
            if type(items) is not list:
                return False
            for i, item in enumerate(items):
                if type(item) is not str or item == own:
                    return False  # DD304, or a value of another type
                add((index, slot, i, item))
    anchors, quotes = get("anchors"), get("quotes")
    if not (anchors is None or type(anchors) is list) or not (quotes is None or type(quotes) is list):
        return False
    if by_document is None:
        text = None
    elif document in by_document:
        text = by_document[document]
    else:
        return False  # DD302: an unknown document
    passages: list[tuple[int, int]] = []
    count = 0
    if anchors:
        for anchor in anchors:
            span = _usual_span(anchor, document, text)
            if span is None:
                return False
            passages.append(span)
        count = len(anchors)
    if quotes:
        for quote in quotes:
            span = _usual_span(quote, document, text)
            if span is None:
                return False
            for a, b in passages:
                if a <= span[0] and span[1] <= b:
                    break
            else:
                return False  # DD407: a quote outside the anchored passage
        count += len(quotes)
    if text is None and count and by_document is not None:
        skipped[document] = skipped.get(document, 0) + count
    refs += mine
    date = get("date")
    kept.append((index, identifier, (None if date is None else iso_date(date), document, cited)))
    return True


def _usual_span(anchor: Any, document: str, text: str | None) -> tuple[int, int] | None:
    """The offsets of an anchor into ``document`` that matches ``text`` exactly (when the text is
    known); None for anything else (DD307, a wrong type, a mismatch): the general path says what."""
    if type(anchor) is not dict or anchor.get("document") != document:
        return None
    start, end = anchor.get("start"), anchor.get("end")
    if type(start) is not int or type(end) is not int:
        return None
    if text is None or matches(text, anchor, start, end):
        return start, end
    return None


def _against(
    out: list[Finding],
    collection: str,
    index: int,
    data: dict[str, Any],
    anchors: Anchors,
    texts: Texts,
    skipped: dict[str, int],
) -> None:
    if anchors:
        add_anchor_findings(out, index, anchors, texts, skipped)
    if collection == "documents":
        out.extend(iter_length_findings(index, data, texts))
    elif collection == "actors":
        out.extend(iter_alias_findings(index, data, anchors, texts))


def check_texts(collection: str, records: list[Any], texts: Texts) -> tuple[list[Finding], dict[str, int]]:
    """Findings of the checks against the source texts (anchors, lengths, aliases), and how many
    anchors into each document were skipped because its text was not found."""
    findings: list[Finding] = []
    skipped: dict[str, int] = {}
    for index, data in enumerate(records):
        if type(data) is dict:
            _against(findings, collection, index, data, anchors_of(data), texts, skipped)
    return findings, skipped
