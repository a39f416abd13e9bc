"""What one file gives the rules: the problems its records show on their own, and the compact
facts the cross-record rules need (ids, references, dates, footnotes, names) — never the records.

This is what lets validation work file by file in bounded memory, and what the cache keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter
from typing import Any, NamedTuple, cast

from .anchors import (
    Texts,
    add_anchor_findings,
    add_quote_findings,
    iter_alias_findings,
    iter_anchor_document_findings,
    iter_footnote_text_findings,
    iter_length_findings,
)
from .characters import character_check, quote_space_findings
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

#: What a record gives the cross-record rules: (index, record, the file's references so far,
#: appended to) -> its facts.
Reader = Callable[[int, dict[str, Any], list[Reference]], Any]


def _reader(collection: str) -> Reader:
    facts_of = FACTS[collection]

    def read(index: int, data: dict[str, Any], refs: list[Reference]) -> Any:
        refs += references_of(data, collection, index)
        return facts_of(data)

    return read


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


def _read_statement(index: int, data: dict[str, Any], refs: list[Reference]) -> Any:
    """A statement's facts and references, exactly as :func:`statement_facts` and
    :func:`references_of` give them, in one pass over its fields: a corpus is mostly statements.
    This reads; it checks nothing (the rules run on every record, whatever it holds), and
    ``tests/test_fused.py`` proves it gives what the general functions give."""
    get = data.get
    document = get("document")
    if type(document) is str:
        refs.append((index, _DOCUMENT, -1, document))
    else:
        document = None
    speaker = get("speaker")
    if type(speaker) is str:
        refs.append((index, _SPEAKER, -1, speaker))
    stances = get("stances")
    if type(stances) is list and stances:
        for i, stance in enumerate(stances):
            proposal = stance.get("proposal") if type(stance) is dict else None
            if type(proposal) is str:
                refs.append((index, _PROPOSAL, i, proposal))
    for slot, field in ((_RESPONDS_TO, "responds_to"), (_TARGETS, "targets")):
        items = get(field)
        if type(items) is list and items:
            for i, item in enumerate(items):
                if type(item) is str:
                    refs.append((index, slot, i, item))
    notes = get("footnotes")
    cited = [(i, n) for i, n in enumerate(notes) if isinstance(n, int)] if type(notes) is list else []
    date = get("date")
    return (None if date is None else iso_date(date)), document, cited


READERS: dict[str, Reader] = {name: _reader(name) for name in FACTS}
READERS["statements"] = _read_statement


#: A check of one record on its own: (findings so far, index, record, its anchors), appending.
LocalCheck = Callable[[list[Finding], int, dict[str, Any], Anchors], None]
#: A check of one record against the source texts: (findings so far, index, record, its
#: anchors, the texts, anchors skipped by document), appending.
TextCheck = Callable[[list[Finding], int, dict[str, Any], Anchors, Texts, dict[str, int]], None]


class RecordRule(NamedTuple):
    """A rule of one record on its own: the codes it reports, the collections whose every
    record it checks."""

    codes: tuple[str, ...]
    collections: tuple[str, ...]
    check: LocalCheck


class TextRule(NamedTuple):
    """A rule of one record against the source texts (run whenever the texts are looked for)."""

    codes: tuple[str, ...]
    collections: tuple[str, ...]
    check: TextCheck


#: Every per-record rule. Each runs on every record of its collections — there is no other path
#: through a record — so a rule registered here cannot be skipped (see :func:`register`).
RECORD_RULES: list[RecordRule] = []
TEXT_RULES: list[TextRule] = []


def register(rule: RecordRule | TextRule) -> None:
    """Add a per-record rule: from then on it runs on every record of its collections."""
    if isinstance(rule, RecordRule):
        RECORD_RULES.append(rule)
    else:
        TEXT_RULES.append(rule)


def _record_rules(collection: str) -> tuple[LocalCheck, ...]:
    return tuple(r.check for r in RECORD_RULES if collection in r.collections)


def _text_rules(collection: str) -> tuple[TextCheck, ...]:
    return tuple(r.check for r in TEXT_RULES if collection in r.collections)


def _footnotes(out: list[Finding], index: int, data: dict[str, Any], _anchors: Anchors) -> None:
    if data.get("footnotes"):
        out.extend(iter_footnote_findings(index, data))
        out.extend(iter_footnote_text_findings(index, data))


def _self_responses(out: list[Finding], index: int, data: dict[str, Any], _anchors: Anchors) -> None:
    responds = data.get("responds_to")
    # Most statements answer none, or others: no generator for them.
    if type(responds) is list and responds and data.get("id") in responds:
        out.extend(iter_self_responses(index, data))


def _anchor_documents(out: list[Finding], index: int, data: dict[str, Any], anchors: Anchors) -> None:
    document = data.get("document")
    for _, anchor in anchors:
        if anchor.get("document") != document:
            out.extend(iter_anchor_document_findings(index, data, anchors))
            return


def _quotes(out: list[Finding], index: int, data: dict[str, Any], anchors: Anchors) -> None:
    # The two rules of a statement's quotes, in one call: half of the statements quote nothing.
    if data.get("quotes"):
        add_quote_findings(out, index, data)
        quote_space_findings(out, index, data, anchors)


def _anchors(
    out: list[Finding],
    index: int,
    _data: dict[str, Any],
    anchors: Anchors,
    texts: Texts,
    skipped: dict[str, int],
) -> None:
    if anchors:
        add_anchor_findings(out, index, anchors, texts, skipped)


def _length(
    out: list[Finding],
    index: int,
    data: dict[str, Any],
    _anchors: Anchors,
    texts: Texts,
    _skipped: dict[str, int],
) -> None:
    out.extend(iter_length_findings(index, data, texts))


def _aliases(
    out: list[Finding],
    index: int,
    data: dict[str, Any],
    anchors: Anchors,
    texts: Texts,
    _skipped: dict[str, int],
) -> None:
    out.extend(iter_alias_findings(index, data, anchors, texts))


_ALL = tuple(FACTS)
_BUILT_IN: tuple[RecordRule | TextRule, ...] = (
    RecordRule(codes=("DD310", "DD311", "DD408"), collections=("documents",), check=_footnotes),
    RecordRule(codes=("DD304",), collections=("statements",), check=_self_responses),
    RecordRule(codes=("DD307",), collections=("statements",), check=_anchor_documents),
    RecordRule(codes=("DD407", "DD410"), collections=("statements",), check=_quotes),
    *(RecordRule(codes=("DD317",), collections=(c,), check=character_check(c)) for c in _ALL),
    TextRule(codes=("DD302", "DD401", "DD402", "DD403", "DD404"), collections=_ALL, check=_anchors),
    TextRule(codes=("DD406",), collections=("documents",), check=_length),
    TextRule(codes=("DD409",), collections=("actors",), check=_aliases),
)
for _rule in _BUILT_IN:
    register(_rule)


class Checked(NamedTuple):
    """What checking one file's records gave."""

    facts: FileFacts
    findings: list[Finding]  # what the records show on their own
    text_findings: list[Finding]  # what they show against the source texts (when given)
    skipped: dict[str, int]  # anchors not checked, by document, for want of its text
    text_seconds: float  # time spent on the checks against the texts


def extract(collection: str, records: list[Any], texts: Texts | None = None) -> Checked:
    """The facts of one file's records and what they show on their own (every rule of
    ``RECORD_RULES``, on every record); with ``texts``, also what they show against the source
    texts (every rule of ``TEXT_RULES``, see :func:`check_texts`), in the same pass."""
    read = READERS[collection]
    local, against = _record_rules(collection), (_text_rules(collection) if texts is not None else ())
    kept: list[tuple[int, str | None, Any]] = []
    keep = kept.append
    refs: list[Reference] = []
    findings: list[Finding] = []
    text_findings: list[Finding] = []
    skipped: dict[str, int] = {}
    seconds = 0.0
    given = cast(Texts, texts)  # used only when given: ``against`` is empty otherwise
    # One pass: each record's anchors are found once, for both kinds of rule.
    for index, data in enumerate(records):
        if type(data) is not dict:
            continue  # the schema reports it
        identifier = data.get("id")
        keep((index, identifier if type(identifier) is str else None, read(index, data, refs)))
        anchors = anchors_of(data)
        for check in local:
            check(findings, index, data, anchors)
        if against:
            started = perf_counter()
            for against_texts in against:
                against_texts(text_findings, index, data, anchors, given, skipped)
            seconds += perf_counter() - started
    return Checked(FileFacts(collection, len(records), kept, refs), findings, text_findings, skipped, seconds)


def check_texts(collection: str, records: list[Any], texts: Texts) -> tuple[list[Finding], dict[str, int]]:
    """Findings of the checks against the source texts (anchors, lengths, aliases), and how many
    anchors into each document were skipped because its text was not found."""
    findings: list[Finding] = []
    skipped: dict[str, int] = {}
    against = _text_rules(collection)
    for index, data in enumerate(records):
        if type(data) is dict:
            anchors = anchors_of(data)
            for check in against:
                check(findings, index, data, anchors, texts, skipped)
    return findings, skipped
