"""What one file gives the rules: the problems its records show on their own, and the compact
facts the cross-record rules need (ids, references, dates, footnotes, names) — never the records.

This is what lets validation work file by file in bounded memory, and what the cache keeps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from .anchors import (
    Texts,
    iter_alias_findings,
    iter_anchor_document_findings,
    iter_anchor_findings,
    iter_footnote_text_findings,
    iter_length_findings,
    iter_quote_findings,
)
from .context import Finding, iter_references, values
from .dates import document_facts, iter_footnote_findings, iter_self_responses, statement_facts


class FileFacts(NamedTuple):
    """One file's (or one bundle collection's) contribution to the cross-record rules."""

    collection: str
    size: int  # records in the file, mappings or not
    records: list[tuple[int, str | None, Any]]  # (index, id, facts of its kind) of each mapping record
    refs: list[tuple[int, str, str, str]]  # (index, pointer, value, target collection) of each reference


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

LocalCheck = Callable[[int, dict[str, Any]], Iterator[Finding]]

#: Checks of one record on its own, by collection.
LOCAL_CHECKS: dict[str, tuple[LocalCheck, ...]] = {
    "documents": (iter_footnote_findings, iter_footnote_text_findings),
    "actors": (),
    "proposals": (),
    "statements": (iter_self_responses, iter_anchor_document_findings, iter_quote_findings),
}


def extract(collection: str, records: list[Any]) -> tuple[FileFacts, list[Finding]]:
    """The facts of one file's records, and what the records show on their own."""
    facts_of = FACTS[collection]
    checks = LOCAL_CHECKS[collection]
    kept: list[tuple[int, str | None, Any]] = []
    refs: list[tuple[int, str, str, str]] = []
    findings: list[Finding] = []
    for index, data in enumerate(records):
        if not isinstance(data, dict):
            continue  # the schema reports it
        identifier = data.get("id")
        kept.append((index, identifier if isinstance(identifier, str) else None, facts_of(data)))
        refs.extend((index, *reference) for reference in iter_references(data, collection))
        for check in checks:
            findings.extend(check(index, data))
    return FileFacts(collection, len(records), kept, refs), findings


def check_texts(collection: str, records: list[Any], texts: Texts) -> tuple[list[Finding], dict[str, int]]:
    """Findings of the checks against the source texts (anchors, lengths, aliases), and how many
    anchors into each document were skipped because its text was not found."""
    findings: list[Finding] = []
    skipped: dict[str, int] = {}
    for index, data in enumerate(records):
        if not isinstance(data, dict):
            continue
        findings.extend(iter_anchor_findings(index, data, texts, skipped))
        if collection == "documents":
            findings.extend(iter_length_findings(index, data, texts))
        elif collection == "actors":
            findings.extend(iter_alias_findings(index, data, texts))
    return findings, skipped
