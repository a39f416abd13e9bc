"""The cross-record rules, run over the facts of each file in reading order.

Files come collection by collection (documents, actors, proposals, statements). A reference is
resolved as soon as its target has been read; one to a record not read yet waits, and is
resolved (or reported) at the end. So only ids and a few facts per record are ever held.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ...codes import Kind, declare, error, rule, rules_for, warning
from ...display import excerpt
from ...read.folder import COLLECTIONS
from ...suggest import Hints
from ..sources import SourceLookup
from .characters import name_key, normalisation_note
from .context import REFERENCE_TARGETS, SINGULAR, reference_field, reference_pointer
from .dates import DocumentFacts, StatementFacts, iter_citation_findings, later_response
from .facts import ActorFacts, FileFacts
from .identity import describe_lookalike, is_plain, parent_cycles, skeleton

#: A record's place: (number of its file, index in the file). A bare pair, like a (line, column):
#: one is made for every record, and a NamedTuple's constructor would cost the hot loop a call each.
Place = tuple[int, int]


class JoinFinding(NamedTuple):
    """A cross-record problem before it is placed in its file."""

    file: int  # the number of the record's file
    record: int  # the index of the record in its file
    code: str
    message: str
    pointer: str  # JSON pointer inside the record
    key: bool  # whether the position is the key's (else the value's)
    first: Place | None  # where the record it concerns too is (a duplicate's first definition)


class NameOwner(NamedTuple):
    """The first actor using a name (DD312)."""

    place: Place
    identifier: str | None
    spelling: str  # the name as that actor spells it


#: The reference slots that point at statements (answers).
_STATEMENT_SLOTS = frozenset(i for i, target in enumerate(REFERENCE_TARGETS) if target == "statements")


class Join:
    """The state of the cross-record rules: ids, and the few facts other records may ask for."""

    def __init__(self) -> None:
        self.ids: dict[str, dict[str, Place]] = {name: {} for name in COLLECTIONS}
        self.findings: list[JoinFinding] = []
        self.documents: dict[str, DocumentFacts] = {}
        self.actor_types: dict[str, str | None] = {}
        self.parents: dict[str, str | None] = {}
        self.actors: list[tuple[Place, str]] = []
        self.owners: dict[str, NameOwner] = {}  # casefolded NFC name -> its first actor
        self.dates: dict[str, str] = {}  # statement id -> its date (first record of each id)
        self.odd_ids: dict[str, set[str]] = {name: set() for name in COLLECTIONS}
        self.odd: list[tuple[Place, str, str, str]] = []  # (place, pointer, value, collection)
        # references to records not read yet: (collection, place, slot, position, value, the
        # referring statement's id and date)
        self.waiting: list[tuple[str, Place, int, int, str, str | None, str | None]] = []
        self.skipped: dict[str, int] = {}
        self.hints = Hints()  # for the unknown references, within a budget
        #: The collections a file of which could not be read: a reference not found into one of
        #: them may be to a record of that file, so it is not called unknown (DD119, said once).
        self.unread: set[str] = set()

    def add(self, file_no: int, facts: FileFacts, skipped: dict[str, int] | None = None) -> None:
        """Take in one file's facts (files in collection order)."""
        self._records(file_no, facts)
        self._references(file_no, facts)
        for document_id, count in (skipped or {}).items():
            self.skipped[document_id] = self.skipped.get(document_id, 0) + count

    def _records(self, file_no: int, facts: FileFacts) -> None:
        """Every record's id (DD301), then every join rule registered for its collection:
        one loop for every collection, so no record passes a rule by."""
        name = facts.collection
        ids, rules = self.ids[name], tuple(r.check for r in rules_for(Kind.JOIN, name))
        statements, dates = name == "statements", self.dates
        for index, identifier, extra in facts.records:
            place = (file_no, index)
            if identifier is not None:
                # The usual case of _identify (a new, plain id), inlined: this runs for every record.
                if identifier in ids or not (identifier.isascii() and identifier.isprintable()):
                    self._identify(name, ids, place, identifier, extra)
                else:
                    ids[identifier] = place
                    if not statements:
                        self._first(name, identifier, extra)
                    else:  # _first for a statement, inlined
                        date, _, _ = extra
                        if date is not None:
                            dates[identifier] = date
            for check in rules:
                check(self, place, identifier, extra)

    def _identify(self, name: str, ids: dict[str, Place], place: Place, identifier: str, extra: Any) -> None:
        """DD301: ids are unique within a collection; note the first record of each id."""
        first = ids.get(identifier)
        if first is None:
            ids[identifier] = place
            self._first(name, identifier, extra)
        else:
            message = f"duplicate {SINGULAR[name]} id {excerpt(identifier)!r}"
            self.findings.append(JoinFinding(*place, "DD301", message, "/id", False, first))
        if not is_plain(identifier):
            self.odd_ids[name].add(identifier)
            self.odd.append((place, "/id", identifier, name))

    def _references(self, file_no: int, facts: FileFacts) -> None:
        """Resolve a file's references to records already read; the others wait."""
        name = facts.collection
        # Only these references need more than a lookup: actors' (to organisations), statements'
        # answers (dates), and any reference when some id is not plain ASCII.
        more = name == "actors" or any(self.odd_ids.values())
        own: dict[int, tuple[str | None, str | None]] = {}
        if name == "statements":
            own = {index: (identifier, date) for index, identifier, (date, _, _) in facts.records}
        tables = [self.ids[target] for target in REFERENCE_TARGETS]  # by slot
        for index, slot, position, value in facts.refs:
            if value in tables[slot]:
                # An answer to an existing statement is checked for dates (DD305) when it has one.
                if more or (slot in _STATEMENT_SLOTS and own[index][1] is not None):
                    identifier, date = own.get(index, (None, None))
                    self._resolved(name, (file_no, index), slot, position, value, identifier, date)
            else:  # not read yet, or unknown: decided at the end
                identifier, date = own.get(index, (None, None))
                self.waiting.append((name, (file_no, index), slot, position, value, identifier, date))

    def _first(self, name: str, identifier: str, extra: Any) -> None:
        if name == "documents":
            self.documents[identifier] = extra
        elif name == "actors":
            self.actor_types[identifier], self.parents[identifier] = extra.type, extra.parent
        elif name == "statements":
            date, _, _ = extra
            if date is not None:
                self.dates[identifier] = date

    def _actor(self, place: Place, identifier: str | None, names: list[tuple[str, str]]) -> None:
        """DD312: two actors sharing a name or alias is worth a look (a duplicate actor?); names
        equal after NFC normalisation are the same name."""
        if identifier is not None:
            self.actors.append((place, identifier))
        for pointer, actor_name in names:
            key = name_key(actor_name)
            first = self.owners.get(key)
            if first is None:
                self.owners[key] = NameOwner(place, identifier, actor_name)
            elif first.place != place and first.identifier != identifier:
                message = (
                    f"name {excerpt(actor_name)!r} is also used by actor {excerpt(str(first.identifier))!r}"
                )
                note = normalisation_note(actor_name, first.spelling)
                if note:
                    message += f" (as {excerpt(first.spelling)!r}: the two {note})"
                self.findings.append(JoinFinding(*place, "DD312", message, pointer, False, None))

    def _resolved(
        self,
        source: str,
        place: Place,
        slot: int,
        position: int,
        value: str,
        identifier: str | None,
        date: str | None,
    ) -> None:
        """Checks of a reference to an existing record: DD305, DD308, DD313."""
        target = REFERENCE_TARGETS[slot]
        if value in self.odd_ids[target]:
            self.odd.append((place, reference_pointer(slot, position), value, target))
        if source == "actors":  # an actor's references are to organisations: parent, positions
            if self.actor_types.get(value) == "person":
                message = f"{reference_field(slot)} {excerpt(value)!r} is a person, not an organisation"
                self.findings.append(
                    JoinFinding(*place, "DD308", message, reference_pointer(slot, position), False, None)
                )
        elif target == "statements" and value != identifier:
            later = later_response(date, value, self.dates.get(value))
            if later is not None:
                self.findings.append(
                    JoinFinding(*place, "DD305", later, reference_pointer(slot, position), False, None)
                )

    def finish(self, lookup: SourceLookup | None = None) -> list[JoinFinding]:
        """Resolve what waited, run the whole-dataset rules, and return every finding; ``lookup``
        says which source texts were found and which had to be."""
        unresolved: list[tuple[str, str]] = []
        for source, place, slot, position, value, identifier, date in self.waiting:
            target = REFERENCE_TARGETS[slot]
            table = self.ids[target]
            if value in table:
                self._resolved(source, place, slot, position, value, identifier, date)
                continue
            pointer = reference_pointer(slot, position)
            if target in self.unread:
                unchecked = f"{SINGULAR[target]} {excerpt(value)!r}"  # gathered into one (Run.report)
                self.findings.append(JoinFinding(*place, "DD119", unchecked, pointer, False, None))
                continue
            unresolved.append((target, value))
            message = f"unknown {SINGULAR[target]} {excerpt(value)!r}{self.hints(value, table)}"
            self.findings.append(JoinFinding(*place, "DD302", message, pointer, False, None))
            if not is_plain(value):
                self.odd.append((place, pointer, value, target))
        for place, message in parent_cycles(self.actors, self.parents):
            self.findings.append(JoinFinding(*place, "DD309", message, "/parent", False, None))
        self._lookalikes(unresolved)
        self._missing_texts(lookup)
        return self.findings

    def _missing_texts(self, lookup: SourceLookup | None) -> None:
        """DD405 or DD411 for each document whose text was not found (see
        :meth:`SourceLookup.missing`). Without a lookup (texts handed in), a document whose
        anchors were skipped gets a DD405."""
        if lookup is None:
            lookup = SourceLookup(texts={})
            documents: list[str] = sorted(self.skipped)
        else:
            documents = sorted(d for d, facts in self.documents.items() if facts.sha256 not in lookup.texts)
        for document in documents:
            digest = self.documents[document].sha256
            found = lookup.missing(document, digest, self.skipped.get(document, 0)) if digest else None
            if found is not None:
                code, message = found
                place = self.ids["documents"][document]
                self.findings.append(JoinFinding(*place, code, message, "/sha256", False, None))

    def _lookalikes(self, unresolved: list[tuple[str, str]]) -> None:
        """DD313: ids (and references) are plain ASCII; a look-alike of another id is named as such."""
        if not self.odd:
            return  # the usual case: nothing to compare, no skeletons to compute
        # The plain spellings in use for each collection: its ids, and the references made to it.
        spellings = {name: {i for i in table if i.isascii()} for name, table in self.ids.items()}
        for target, value in unresolved:
            if value.isascii():
                spellings[target].add(value)
        skeletons = {name: {skeleton(i): i for i in sorted(found)} for name, found in spellings.items()}
        for place, pointer, value, target in self.odd:
            message = describe_lookalike(value, skeletons[target])
            self.findings.append(JoinFinding(*place, "DD313", message, pointer, False, None))


#: A cross-record rule of one record: (the join, its place, its id, its facts).
JoinRule = Callable[[Join, Place, "str | None", Any], None]

# The codes the join reports itself, as it reads ids and resolves references (DD302 and DD119
# are declared with the anchor rule, which reports them too).
declare(
    error("DD301", "duplicate id within a collection (across all its files)"),
    error("DD305", "a statement that responds to one dated later"),
    error("DD308", "a reference to the wrong kind of actor (a person where an organisation is needed)"),
    error("DD309", "organisations whose parents form a cycle"),
    error("DD313", "an id with look-alike, zero-width or bidi characters (perhaps a twin of another id)"),
    warning("DD405", "a document's source text was not found: its anchor checks were skipped"),
    error("DD411", "a source text that must be found was not (--sources given, or a text the package ships)"),
)


@rule(Kind.JOIN, ("actors",), warning("DD312", "two actors share a name or alias"), needs=("owners",))
def _actor_names(join: Join, place: Place, identifier: str | None, extra: ActorFacts) -> None:
    join._actor(place, identifier, extra.names)


@rule(
    Kind.JOIN,
    ("statements",),
    error("DD303", "a footnote number the document does not have"),
    error("DD306", "a statement dated after the sources that report it"),
    needs=("documents",),
)
def _citations(join: Join, place: Place, _identifier: str | None, extra: StatementFacts) -> None:
    """DD303, DD306: a statement's footnotes exist in its document; it postdates no source."""
    date, document_id, cited = extra
    # (None for a statement without a document)
    document = None if document_id is None else join.documents.get(document_id)
    if document is None:
        return
    # The usual case, decided without a generator: undated, every cited footnote exists.
    if date is None:
        notes = document.footnotes
        for _, number in cited:
            if number not in notes:
                break
        else:
            return
    file_no, index = place
    for finding in iter_citation_findings(index, extra, document):
        join.findings.append(JoinFinding(file_no, *finding, None))
