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
)
from .context import Anchors, Finding, Reference, anchors_of, references_of, values
from .dates import document_facts, iter_footnote_findings, iter_self_responses, statement_facts


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
    for index, data in enumerate(records):
        if type(data) is not dict:
            continue  # the schema reports it
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
