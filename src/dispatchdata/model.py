"""The records of a dataset as frozen, typed values (standard library only).

Field names follow the schema (``schema/*.schema.json``), which documents each of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ActorType = Literal["person", "organisation"]
StatementKind = Literal["direct-quote", "partial-quote", "paraphrase", "editorial"]
StanceValue = Literal["supports", "opposes", "mixed", "neutral"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Anchor:
    """A span of a document's text: ``exact == text[start:end]``, in Unicode code points."""

    document: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Erratum:
    """What the source printed, and the correction, side by side."""

    printed: str
    corrected: str
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FootnoteDate:
    """A date a footnote gives: as printed, as ISO 8601, and its correction where it is wrong."""

    printed: str
    date: str
    corrected: str | None = None
    correction_note: str | None = None

    @property
    def effective(self) -> str:
        """The date to use: the correction where there is one, else the printed date."""
        return self.corrected or self.date


@dataclass(frozen=True, slots=True, kw_only=True)
class Footnote:
    """A footnote of a document."""

    number: int
    printed: str
    dates: tuple[FootnoteDate, ...]
    anchor: Anchor


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A source text, identified by the SHA-256 of its exact text."""

    id: str
    title: str
    publisher: str
    series: str
    number: str
    published: str
    language: str
    sha256: str
    length: int
    footnotes: tuple[Footnote, ...]
    anchors: tuple[Anchor, ...]

    def footnote(self, number: int) -> Footnote:
        """The footnote with this number; ``KeyError`` if the document has none."""
        for footnote in self.footnotes:
            if footnote.number == number:
                return footnote
        raise KeyError(f"document {self.id!r} has no footnote {number}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Alias:
    """A form of an actor's name as printed; misspellings are kept and marked."""

    name: str
    misspelling: bool = False
    corrected: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Position:
    """A position, membership or occupation of a person, as the text states it."""

    title: str
    anchor: Anchor
    organisation: str | None = None
    represents: str | None = None
    former: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """A person or an organisation."""

    id: str
    type: ActorType
    name: str
    aliases: tuple[Alias, ...]
    anchors: tuple[Anchor, ...]
    kind: str | None = None
    parent: str | None = None
    description: str | None = None
    positions: tuple[Position, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Proposal:
    """A measure put forward, floated, or argued for or against."""

    id: str
    title: str
    description: str
    category: str
    proposed_by: tuple[str, ...]
    status: str
    anchors: tuple[Anchor, ...]
    status_note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Stance:
    """The stance one statement takes toward one proposal."""

    proposal: str
    stance: StanceValue
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """One attributed statement."""

    id: str
    document: str
    speaker: str
    kind: StatementKind
    summary: str
    quotes: tuple[Anchor, ...]
    footnotes: tuple[int, ...]
    stances: tuple[Stance, ...]
    responds_to: tuple[str, ...]
    targets: tuple[str, ...]
    anchors: tuple[Anchor, ...]
    verb: str | None = None
    date: str | None = None
    medium: str | None = None
    errata: tuple[Erratum, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Creator:
    """A person or group credited with making the dataset."""

    name: str
    orcid: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Info:
    """The dataset's metadata: what it is, its version and licence, and how to cite it."""

    name: str
    title: str
    version: str
    license: str
    description: str
    keywords: tuple[str, ...]
    creators: tuple[Creator, ...]
    citation_title: str
    citation_note: str | None = None

    @property
    def citation(self) -> str:
        """A plain-text citation of this version of the dataset."""
        authors = "; ".join(creator.name for creator in self.creators)
        text = f"{authors}. {self.citation_title}. Version {self.version}. License {self.license}."
        return f"{text} {self.citation_note}" if self.citation_note else text


@dataclass(frozen=True, slots=True, kw_only=True)
class ActorStance:
    """Where one actor stands on one proposal, with the statements that back it."""

    actor: str
    proposal: str
    stances: tuple[StanceValue, ...]
    statements: tuple[str, ...]

    @property
    def overall(self) -> StanceValue:
        """The single stance if every statement agrees, else ``mixed``."""
        return self.stances[0] if len(self.stances) == 1 else "mixed"
