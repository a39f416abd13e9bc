"""The :class:`Dataset`: every record of a dataset, with lookups and the stance matrix."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .display import excerpt
from .model import (
    Actor,
    ActorStance,
    Document,
    FootnoteDate,
    Info,
    Proposal,
    StanceValue,
    Statement,
)
from .suggest import did_you_mean

_ORDER: dict[str, int] = {"supports": 0, "opposes": 1, "mixed": 2, "neutral": 3}


class StanceMatrix(dict[tuple[str, str], ActorStance]):
    """The stance matrix (see :meth:`Dataset.stance_matrix`): a dict whose missing key raises
    ``KeyError`` saying which of the actor and the proposal has no stance there, with the
    closest id that has."""

    __slots__ = ()

    def __missing__(self, key: tuple[str, str]) -> ActorStance:
        if not (isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, str) for k in key)):
            raise KeyError(key)
        actor, proposal = key
        actors, proposals = {a for a, _ in self}, {p for _, p in self}
        if actor not in actors:
            said = f"no stance of actor {excerpt(actor)!r} in the matrix{did_you_mean(actor, actors)}"
        elif proposal not in proposals:
            hint = did_you_mean(proposal, proposals)
            said = f"no stance on proposal {excerpt(proposal)!r} in the matrix{hint}"
        else:
            said = f"actor {excerpt(actor)!r} takes no stance on proposal {excerpt(proposal)!r}"
        raise KeyError(said)


@dataclass(frozen=True, kw_only=True)
class Dataset:
    """A loaded dataset: metadata and the four collections, in file order.

    Lookups by id raise ``KeyError`` with a "did you mean" hint for an unknown id.
    """

    info: Info
    documents: tuple[Document, ...]
    actors: tuple[Actor, ...]
    proposals: tuple[Proposal, ...]
    statements: tuple[Statement, ...]
    _index: dict[str, dict[str, object]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, dict[str, object]] = {
            "document": {d.id: d for d in self.documents},
            "actor": {a.id: a for a in self.actors},
            "proposal": {p.id: p for p in self.proposals},
            "statement": {s.id: s for s in self.statements},
        }
        object.__setattr__(self, "_index", index)

    def __repr__(self) -> str:
        """One line: what it is, its version (the data's label), and its records counted."""
        label = getattr(self.info, "label", self.info.version)
        counts = (
            ("document", self.documents),
            ("actor", self.actors),
            ("proposal", self.proposals),
            ("statement", self.statements),
        )
        said = ", ".join(
            f"{len(records)} {word}{'' if len(records) == 1 else 's'}" for word, records in counts
        )
        return f"<Dataset {excerpt(self.info.name)} {excerpt(label)}: {said}>"

    @property
    def version(self) -> str:
        """The dataset's version (SemVer)."""
        return self.info.version

    def _get(self, kind: str, id: str) -> object:
        table = self._index[kind]
        try:
            return table[id]
        except KeyError:
            raise KeyError(f"no {kind} {excerpt(id)!r}{did_you_mean(id, table)}") from None

    def document(self, id: str) -> Document:
        """The document with this id."""
        record = self._get("document", id)
        assert isinstance(record, Document)
        return record

    def actor(self, id: str) -> Actor:
        """The actor with this id."""
        record = self._get("actor", id)
        assert isinstance(record, Actor)
        return record

    def proposal(self, id: str) -> Proposal:
        """The proposal with this id."""
        record = self._get("proposal", id)
        assert isinstance(record, Proposal)
        return record

    def statement(self, id: str) -> Statement:
        """The statement with this id."""
        record = self._get("statement", id)
        assert isinstance(record, Statement)
        return record

    def statements_by(self, actor_id: str) -> tuple[Statement, ...]:
        """The statements the actor is the speaker of, in document order."""
        self.actor(actor_id)
        return tuple(s for s in self.statements if s.speaker == actor_id)

    def statements_on(self, proposal_id: str) -> tuple[Statement, ...]:
        """The statements that take a stance on the proposal, in document order: those that
        voice their speaker's and those that report another actor's (``Stance.holder``)."""
        self.proposal(proposal_id)
        return tuple(s for s in self.statements if any(t.proposal == proposal_id for t in s.stances))

    def footnote_dates(self, statement_id: str) -> tuple[FootnoteDate, ...]:
        """The dates given by the footnotes a statement cites (see ``FootnoteDate.effective``)."""
        statement = self.statement(statement_id)
        document = self.document(statement.document)
        return tuple(d for n in statement.footnotes for d in document.footnote(n).dates)

    def stance_matrix(self) -> StanceMatrix:
        """Actor by proposal: each actor's stances on each proposal and the statements behind them.

        Keys are ``(actor_id, proposal_id)``, sorted; only pairs some statement supports appear
        (a missing pair's ``KeyError`` says which id has no stance, with the closest that has).
        A stance is its holder's: the actor its ``holder`` names (the statement reports it, and
        is listed in ``reported`` too), else the statement's speaker (who voices it).
        """
        found: dict[tuple[str, str], list[tuple[StanceValue, str, bool]]] = defaultdict(list)
        for statement in self.statements:
            speaker = statement.speaker
            for stance in statement.stances:
                holder = stance.holder or speaker
                found[(holder, stance.proposal)].append((stance.stance, statement.id, holder != speaker))
        matrix = StanceMatrix()
        for key in sorted(found):
            found_here = found[key]
            stances = tuple(sorted({s for s, _, _ in found_here}, key=_ORDER.__getitem__))
            statements = tuple(dict.fromkeys(sid for _, sid, _ in found_here))
            reported = tuple(dict.fromkeys(sid for _, sid, by_other in found_here if by_other))
            matrix[key] = ActorStance(
                actor=key[0], proposal=key[1], stances=stances, statements=statements, reported=reported
            )
        return matrix
