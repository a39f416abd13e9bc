"""What one file gives the rules: the problems its records show on their own, and the compact
facts the cross-record rules need (ids, references, dates, footnotes, names) — never the records.

This is what lets validation work file by file in bounded memory, and what the cache keeps.
The rules of one record on its own, and of one record against the source texts, are written
here and registered with their codes (``@rule``, see :mod:`dispatchdata.codes`); :func:`extract`
runs every one registered for a file's collection on each of its records.
"""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter
from typing import Any, NamedTuple, cast

from ... import codes
from ...codes import Kind, Rule, error, register, rule, rules_for, warning
from . import errata_quotes, first_mention, footnotes, kinds, media
from .anchors import (
    Texts,
    add_anchor_findings,
    add_quote_findings,
    iter_alias_findings,
    iter_anchor_document_findings,
    iter_length_findings,
)
from .characters import character_check, quote_space_findings
from .context import REFERENCES, Anchors, Finding, Reference, anchors_of, references_of, values
from .dates import document_facts, iso_date, iter_self_responses, statement_facts
from .stances import holder_references  # (the module registers the stance rules too)

#: One record's facts: (index in its file, id, the facts of its kind: :class:`ActorFacts`,
#: :class:`~.dates.DocumentFacts`, :data:`~.dates.StatementFacts`, None for a proposal). A bare
#: tuple, made for every record and always unpacked into these names: a NamedTuple would cost the
#: hot loop (and the cache's decoding) a constructor call per record, and unpack more slowly.
Record = tuple[int, str | None, Any]


class FileFacts(NamedTuple):
    """One file's (or one bundle collection's) contribution to the cross-record rules."""

    collection: str
    size: int  # records in the file, mappings or not
    records: list[Record]  # of each mapping record
    refs: list[Reference]  # every reference of every record


class ActorFacts(NamedTuple):
    """What the rules need of an actor."""

    type: str | None
    parent: str | None
    names: list[tuple[str, str]]  # its name and aliases: (pointer, name)


def _actor_facts(data: dict[str, Any]) -> ActorFacts:
    kind, parent, name = data.get("type"), data.get("parent"), data.get("name")
    names = [("/name", name)] if isinstance(name, str) else []
    names += [
        (f"{p}/name", a["name"])
        for p, a in values(data, ["aliases", "*"])
        if isinstance(a, dict) and isinstance(a.get("name"), str)
    ]
    return ActorFacts(
        (kind if isinstance(kind, str) else None), (parent if isinstance(parent, str) else None), names
    )


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
_LISTED = ((_RESPONDS_TO, "responds_to"), (_TARGETS, "targets"))  # the lists of plain references


def _read_statement(index: int, data: dict[str, Any], refs: list[Reference]) -> Any:
    """A statement's facts and references, exactly as :func:`statement_facts` and
    :func:`references_of` give them, in one pass over its fields: a corpus is mostly statements.
    This reads; it checks nothing (the rules run on every record, whatever it holds), and
    ``tests/test_fused.py`` proves it gives what the general functions give."""
    document = data.get("document")
    if type(document) is str:
        refs.append((index, _DOCUMENT, -1, document))
    else:
        document = None
    speaker = data.get("speaker")
    if type(speaker) is str:
        refs.append((index, _SPEAKER, -1, speaker))
    stances = data.get("stances")
    if type(stances) is list and stances:
        held = False  # whether some stance names a holder: most name none
        i = 0  # counted by hand, here and below: enumerate's pairs cost more, for one item or two
        for stance in stances:
            if type(stance) is dict:
                proposal = stance.get("proposal")
                if type(proposal) is str:
                    refs.append((index, _PROPOSAL, i, proposal))
                held = held or "holder" in stance
            i += 1  # noqa: SIM113 - see above
        if held:
            refs += holder_references(index, stances)
    for slot, field in _LISTED:
        items = data.get(field)
        if type(items) is list and items:
            i = 0
            for item in items:
                if type(item) is str:
                    refs.append((index, slot, i, item))
                i += 1  # noqa: SIM113 - see above
    notes = data.get("footnotes")
    cited: list[tuple[int, int]] = []
    if type(notes) is list:
        i = 0
        for number in notes:
            if isinstance(number, int):
                cited.append((i, number))
            i += 1  # noqa: SIM113 - see above
    date = data.get("date")
    return (None if date is None else iso_date(date)), document, cited


READERS: dict[str, Reader] = {name: _reader(name) for name in FACTS}
READERS["statements"] = _read_statement


#: A check of one record on its own: (findings so far, index, record, its anchors), appending.
LocalCheck = Callable[[list[Finding], int, dict[str, Any], Anchors], None]
#: A check of one record against the source texts: (findings so far, index, record, its
#: anchors, the texts, anchors skipped by document), appending.
TextCheck = Callable[[list[Finding], int, dict[str, Any], Anchors, Texts, dict[str, int]], None]

CODEBOOK = (errata_quotes, first_mention, kinds, media)  #: imported to register (so run here)
FOOTNOTES = footnotes  #: the documents' footnote rules, imported to register
_ALL = tuple(FACTS)
#: Codes the join reports too (a reference to a record that does not exist, or may be in a file
#: that could not be read), declared here with the anchor rule that reports them first.
UNKNOWN = error("DD302", "a reference to an id that does not exist")
UNCHECKED = warning("DD119", "references into a collection a file of which could not be read: not checked")


@rule(
    Kind.RECORD,
    ("statements",),
    error("DD304", "a statement that responds to itself"),
    when="responds_to",
)
def _self_responses(out: list[Finding], index: int, data: dict[str, Any], _anchors: Anchors) -> None:
    responds = data.get("responds_to")
    # Most statements answer none, or others: no generator for them.
    if type(responds) is list and data.get("id") in responds:
        out.extend(iter_self_responses(index, data))


@rule(Kind.RECORD, ("statements",), error("DD307", "an anchor into another document than its record's"))
def _anchor_documents(out: list[Finding], index: int, data: dict[str, Any], anchors: Anchors) -> None:
    document = data.get("document")
    for _, anchor in anchors:
        if anchor.get("document") != document:
            out.extend(iter_anchor_document_findings(index, data, anchors))
            return


rule(
    Kind.RECORD,
    ("statements",),
    warning("DD407", "a quote lies outside the passage its statement is anchored to"),
    when="quotes",
)(add_quote_findings)
rule(
    Kind.RECORD,
    ("statements",),
    warning("DD410", "a quote whose exact text starts or ends with white space"),
    when="quotes",
)(quote_space_findings)

_CHARACTERS = error(
    "DD317",
    "a control or invisible formatting character (NUL, ESC, U+202E, a zero-width space, ...) "
    "outside anchor text",
)
# One rule per collection: each checks the free-text fields of its collection's records.
for _collection in _ALL:
    register(
        Rule(
            kind=Kind.RECORD,
            codes=(_CHARACTERS,),
            collections=(_collection,),
            check=character_check(_collection),
        )
    )


@rule(
    Kind.TEXT,
    _ALL,
    UNKNOWN,
    UNCHECKED,
    error("DD401", "an anchor's exact text is not the document text at [start:end]"),
    error("DD402", "an anchor's prefix is not the text just before it"),
    error("DD403", "an anchor's suffix is not the text just after it"),
    error("DD404", "an anchor's offsets are out of range (start >= end, or end past the text)"),
)
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


@rule(Kind.TEXT, ("documents",), error("DD406", "a document's recorded length differs from its source text"))
def _length(
    out: list[Finding],
    index: int,
    data: dict[str, Any],
    _anchors: Anchors,
    texts: Texts,
    _skipped: dict[str, int],
) -> None:
    out.extend(iter_length_findings(index, data, texts))


@rule(
    Kind.TEXT,
    ("actors",),
    warning("DD409", "an alias that does not occur in any available source text"),
    when="aliases",
)
def _aliases(
    out: list[Finding],
    index: int,
    data: dict[str, Any],
    anchors: Anchors,
    texts: Texts,
    _skipped: dict[str, int],
) -> None:
    out.extend(iter_alias_findings(index, data, anchors, texts))


class _Runner(NamedTuple):
    """The rules of one collection, as :func:`extract` calls them: those for every record, and
    those pre-filtered by the field they read, grouped by field (one look-up for the group)."""

    always: tuple[Callable[..., None], ...]
    when: tuple[tuple[str, tuple[Callable[..., None], ...]], ...]


#: Runners by kind, collection and verified release (``codes.rules_of_release``), with their registry.
_RUNNERS: dict[tuple[Kind, str, Any], tuple[list[Rule], int, _Runner]] = {}


def _runner(kind: Kind, collection: str) -> _Runner:
    """The registered rules of ``kind`` for ``collection``: every one of them, built from the
    registry once, and again whenever a rule is registered (or the registry replaced)."""
    registry = codes.RULES
    key = (kind, collection, codes.RELEASE.get())
    built = _RUNNERS.get(key)
    if built is not None and built[0] is registry and built[1] == len(registry):
        return built[2]
    runner = _build_runner(kind, collection)
    _RUNNERS[key] = (registry, len(registry), runner)
    return runner


def _build_runner(kind: Kind, collection: str) -> _Runner:
    found = rules_for(kind, collection)
    groups: dict[str, list[Callable[..., None]]] = {}
    for r in found:
        if r.when is not None:
            groups.setdefault(r.when, []).append(r.check)
    always = tuple(r.check for r in found if r.when is None)
    return _Runner(always, tuple((field, tuple(checks)) for field, checks in groups.items()))


class Extracted(NamedTuple):
    """What checking one file's records gave."""

    facts: FileFacts
    findings: list[Finding]  # what the records show on their own
    text_findings: list[Finding]  # what they show against the source texts (when given)
    skipped: dict[str, int]  # anchors not checked, by document, for want of its text
    text_seconds: float  # time spent on the checks against the texts


def extract(collection: str, records: list[Any], texts: Texts | None = None) -> Extracted:
    """The facts of one file's records and what they show on their own (every record rule
    registered for the collection, on every record); with ``texts``, also what they show against
    the source texts (every text rule, see :func:`check_texts`), in the same pass."""
    read = READERS[collection]
    local = _runner(Kind.RECORD, collection)
    against = _runner(Kind.TEXT, collection) if texts is not None else None
    kept: list[Record] = []
    refs: list[Reference] = []
    findings: list[Finding] = []
    text_findings: list[Finding] = []
    skipped: dict[str, int] = {}
    seconds = 0.0
    given = cast(Texts, texts)  # used only when given: ``against`` is None otherwise
    always, when = local
    text_always, text_when = against if against is not None else ((), ())
    # One pass: each record's anchors are found once, for both kinds of rule.
    for index, data in enumerate(records):
        if type(data) is not dict:
            continue  # the schema reports it
        identifier = data.get("id")
        kept.append((index, identifier if type(identifier) is str else None, read(index, data, refs)))
        anchors = anchors_of(data)
        for check in always:
            check(findings, index, data, anchors)
        for field, checks in when:
            if data.get(field):
                for check in checks:
                    check(findings, index, data, anchors)
        if against is not None:
            started = perf_counter()
            for check in text_always:
                check(text_findings, index, data, anchors, given, skipped)
            for field, checks in text_when:
                if data.get(field):
                    for check in checks:
                        check(text_findings, index, data, anchors, given, skipped)
            seconds += perf_counter() - started
    return Extracted(
        FileFacts(collection, len(records), kept, refs), findings, text_findings, skipped, seconds
    )


def _run_texts(
    runner: _Runner,
    out: list[Finding],
    index: int,
    data: dict[str, Any],
    anchors: Anchors,
    texts: Texts,
    skipped: dict[str, int],
) -> None:
    for check in runner.always:
        check(out, index, data, anchors, texts, skipped)
    for field, checks in runner.when:
        if data.get(field):
            for check in checks:
                check(out, index, data, anchors, texts, skipped)


def check_texts(collection: str, records: list[Any], texts: Texts) -> tuple[list[Finding], dict[str, int]]:
    """Findings of the checks against the source texts (anchors, lengths, aliases), and how many
    anchors into each document were skipped because its text was not found."""
    findings: list[Finding] = []
    skipped: dict[str, int] = {}
    against = _runner(Kind.TEXT, collection)
    for index, data in enumerate(records):
        if type(data) is dict:
            _run_texts(against, findings, index, data, anchors_of(data), texts, skipped)
    return findings, skipped
