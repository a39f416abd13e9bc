"""The records of a dataset as frozen, typed values (standard library only).

Each record type is declared once, here: the loader, the CSV/SQLite tables and their inverse are
derived from these classes (see :mod:`~dispatchdata.fields` for the markers). Field names follow the
schema (``schema/*.schema.json``), which documents each of them (a test keeps the two in step);
each marker says what the field becomes in the exports: its column (:class:`Col`), the table of
its list (:class:`Rows`, :class:`Values`) or the anchors table (``ANCHORS``). Adding a field is
one line here, beside the schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Literal

from .display import printable_line
from .fields import ANCHORS, At, Col, Rows, Values

ActorType = Literal["person", "organisation"]
StatementKind = Literal["direct-quote", "partial-quote", "paraphrase", "editorial"]
StanceValue = Literal["supports", "opposes", "mixed", "neutral"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Anchor:
    """A span of a document's text: ``exact == text[start:end]``, in Unicode code points."""

    document: Annotated[str, Col("Document the offsets count into.", references="documents")]
    start: Annotated[int, Col("Offset of the first code point.")]
    end: Annotated[int, Col("Offset just past the last code point.")]
    exact: Annotated[str, Col("The text at [start:end], as printed.")]
    prefix: Annotated[str, Col("Text just before the span.", may_be_empty=True)]
    suffix: Annotated[str, Col("Text just after the span.", may_be_empty=True)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Erratum:
    """What the source printed, and the correction, side by side."""

    printed: Annotated[str, Col("As printed.")]
    corrected: Annotated[str, Col("Corrected.")]
    note: Annotated[str, Col("Why.")]


@dataclass(frozen=True, slots=True, kw_only=True)
class FootnoteDate:
    """A date a footnote gives: as printed, as ISO 8601, and its correction where it is wrong."""

    printed: Annotated[str, Col("Date as printed.")]
    date: Annotated[str, Col("Printed date as ISO 8601.", date=True)]
    corrected: Annotated[
        str | None,
        Col("Corrected date, where the printed one is wrong.", date=True),
        At(("erratum", "corrected")),
    ] = None
    correction_note: Annotated[str | None, Col("Why the printed date is wrong."), At(("erratum", "note"))] = (
        None
    )

    @property
    def effective(self) -> str:
        """The date to use: the correction where there is one, else the printed date."""
        return self.corrected or self.date


@dataclass(frozen=True, slots=True, kw_only=True)
class Footnote:
    """A footnote of a document."""

    number: Annotated[int, Col("Footnote number.")]
    printed: Annotated[str, Col("Footnote text as printed.")]
    dates: Annotated[
        tuple[FootnoteDate, ...],
        Rows(
            table="footnote_dates",
            description="Dates the footnotes give, as printed, as ISO dates, and corrected where wrong.",
            owner=("Document.", "Footnote number."),
            item="Position in the footnote.",
        ),
    ]
    anchor: Annotated[Anchor, ANCHORS]


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A source text, identified by the SHA-256 of its exact text."""

    id: Annotated[str, Col("Document id.")]
    title: Annotated[str, Col("Title as printed.")]
    publisher: Annotated[str, Col("Publishing actor.", references="actors")]
    series: Annotated[str, Col("Series.")]
    number: Annotated[str, Col("Number in the series.")]
    published: Annotated[str, Col("Publication date.", date=True)]
    language: Annotated[str, Col("BCP 47 language tag.")]
    sha256: Annotated[str, Col("SHA-256 of the exact text.")]
    length: Annotated[int, Col("Length of the text in code points.")]
    footnotes: Annotated[
        tuple[Footnote, ...],
        Rows(table="footnotes", description="The documents' footnotes.", owner=("Document.",), key="number"),
    ]
    anchors: Annotated[tuple[Anchor, ...], ANCHORS]

    def footnote(self, number: int) -> Footnote:
        """The footnote with this number; ``KeyError`` if the document has none."""
        for footnote in self.footnotes:
            if footnote.number == number:
                return footnote
        raise KeyError(f"document {self.id!r} has no footnote {number}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Alias:
    """A form of an actor's name as printed; misspellings are kept and marked."""

    name: Annotated[str, Col("The name as printed.")]
    misspelling: Annotated[bool, Col("Whether this form is a misspelling.")] = False
    corrected: Annotated[str | None, Col("Correct spelling of a misspelling.")] = None
    note: Annotated[str | None, Col("Why the form is listed.")] = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Position:
    """A position, membership or occupation of a person, as the text states it."""

    title: Annotated[str, Col("Title or role.")]
    anchor: Annotated[Anchor, ANCHORS]
    organisation: Annotated[str | None, Col("Organisation.", references="actors")] = None
    represents: Annotated[str | None, Col("Region or state represented.", references="actors")] = None
    former: Annotated[bool, Col("Whether the position was held in the past.")] = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """A person or an organisation."""

    id: Annotated[str, Col("Actor id.")]
    type: Annotated[ActorType, Col("person or organisation.")]
    name: Annotated[str, Col("Name used by the dataset.")]
    aliases: Annotated[
        tuple[Alias, ...],
        Rows(
            table="aliases", description="Every form of an actor's name the text prints.", owner=("Actor.",)
        ),
    ]
    anchors: Annotated[tuple[Anchor, ...], ANCHORS]
    kind: Annotated[str | None, Col("Kind of organisation.")] = None
    parent: Annotated[str | None, Col("Parent organisation.", references="actors")] = None
    description: Annotated[str | None, Col("Who or what the actor is.")] = None
    positions: Annotated[
        tuple[Position, ...],
        Rows(
            table="positions",
            description="Positions, memberships and occupations of persons, as the text states them.",
            owner=("Person.",),
        ),
    ] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Proposal:
    """A measure put forward, floated, or argued for or against."""

    id: Annotated[str, Col("Proposal id.")]
    title: Annotated[str, Col("Short neutral name.")]
    description: Annotated[str, Col("What it would do.")]
    category: Annotated[str, Col("Kind of measure.")]
    proposed_by: Annotated[
        tuple[str, ...],
        Values(
            table="proposers",
            description="Who put each proposal forward.",
            owner=("Proposal.",),
            item="Order of mention.",
            column=("actor", "Proposer."),
            references="actors",
        ),
    ]
    status: Annotated[str, Col("Status as the text reports it.")]
    anchors: Annotated[tuple[Anchor, ...], ANCHORS]
    status_note: Annotated[str | None, Col("What the text says of the status.")] = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Stance:
    """The stance one statement takes toward one proposal: its speaker's, or, where ``holder``
    names an actor, that actor's, which the statement reports (the publisher reporting that a
    ministry opposes a measure it does not quote the ministry on)."""

    proposal: Annotated[str, Col("Proposal.", references="proposals")]
    stance: Annotated[StanceValue, Col("supports, opposes, mixed or neutral.")]
    holder: Annotated[str | None, Col("Who holds it, where not the speaker.", references="actors")] = None
    note: Annotated[str | None, Col("What the stance rests on.")] = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """One attributed statement."""

    id: Annotated[str, Col("Statement id.")]
    document: Annotated[str, Col("Document reporting it.", references="documents")]
    speaker: Annotated[str, Col("Actor it is attributed to.", references="actors")]
    kind: Annotated[StatementKind, Col("direct-quote, partial-quote, paraphrase or editorial.")]
    summary: Annotated[str, Col("Neutral one-line summary.")]
    quotes: Annotated[tuple[Anchor, ...], ANCHORS]
    footnotes: Annotated[
        tuple[int, ...],
        Values(
            table="statement_footnotes",
            description="Footnotes that source each statement.",
            owner=("Statement.",),
            column=("footnote", "Footnote number."),
            copy=("document", "The statement's document."),
            foreign_key=("document,footnote", "footnotes", "document,number"),
        ),
    ]
    stances: Annotated[
        tuple[Stance, ...],
        Rows(table="stances", description="Stances statements take toward proposals.", owner=("Statement.",)),
    ]
    responds_to: Annotated[
        tuple[str, ...],
        Values(
            table="responses",
            description="Statements answering earlier statements.",
            owner=("The answer.",),
            column=("responds_to", "The statement answered."),
            references="statements",
        ),
    ]
    targets: Annotated[
        tuple[str, ...],
        Values(
            table="targets",
            description="Actors a statement is aimed at or about.",
            owner=("Statement.",),
            column=("actor", "Actor."),
            references="actors",
        ),
    ]
    anchors: Annotated[tuple[Anchor, ...], ANCHORS]
    verb: Annotated[str | None, Col("Reporting verb as printed.")] = None
    date: Annotated[str | None, Col("Date the text gives for it.", date=True)] = None
    medium: Annotated[str | None, Col("Where it was made, where stated.")] = None
    errata: Annotated[
        tuple[Erratum, ...],
        Rows(
            table="errata",
            description="Evident errors in quoted words: printed and corrected side by side.",
            owner=("Statement.",),
        ),
    ] = ()
    note: Annotated[str | None, Col("Notes.")] = None


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
    citation_title: Annotated[str, At(("citation", "title"))]
    citation_note: Annotated[str | None, At(("citation", "note"))] = None

    @property
    def citation(self) -> str:
        """A plain-text citation of the data these metadata came with (see
        :func:`citation_text`): of the version they declare, with no year (metadata alone do
        not say whether the data is that release; a loaded dataset's are :class:`CitedInfo`)."""
        return _cited(self, self.version, None)


@dataclass(frozen=True, slots=True, kw_only=True)
class CitedInfo(Info):
    """The metadata of loaded data, with the data's identity (see :mod:`dispatchdata.identity`):
    :attr:`label`, the version that names the data (the version when it is the release, else
    ``<version>+unreleased.<hash>``), and :attr:`released`, the release date when it is the
    release. ``identity`` gives both, as ``(label, released)``: decided when first asked for
    (it hashes the whole data), so that loading data pays nothing for it."""

    identity: Callable[[], tuple[str, str | None]] = field(repr=False, compare=False)

    @property
    def label(self) -> str:
        """The version that names the data."""
        return self.identity()[0]

    @property
    def released(self) -> str | None:
        """The release's date when the data is that release, else None."""
        return self.identity()[1]

    @property
    def citation(self) -> str:
        """The plain-text citation of the data: the one ``cite()`` and the exports give."""
        return _cited(self, *self.identity())


def _cited(info: Info, label: str, released: str | None) -> str:
    authors = [creator.name for creator in info.creators]
    return citation_text(
        authors=authors,
        title=info.citation_title,
        label=label,
        released=released,
        license=info.license,
        note=info.citation_note,
    )


def citation_text(
    *,
    authors: list[str],
    title: str,
    label: str,
    released: str | None,
    license: str,
    note: str | None,
    record: str | None = None,
) -> str:
    """The one plain-text citation: ``Authors (year). Title (Version label) [Data set]. License
    x.``, the citation note on a line of its own, prefixed ``Record 'kind id' in:`` for a
    ``record``; the year only of a release's date. Every character printable (see
    :func:`~dispatchdata.display.printable_line`); no final line end."""
    head = f"{'; '.join(authors)}{f' ({released[:4]})' if released else ''}."
    text = f"{head} {title} (Version {label}) [Data set]. License {license}."
    if record:
        text = f"Record '{record}' in: {text}"
    return "\n".join(printable_line(line) for line in ([text, note] if note else [text]))


@dataclass(frozen=True, slots=True, kw_only=True)
class ActorStance:
    """Where one actor stands on one proposal, with the statements that back it.

    The actor is the holder of each stance: a stance's ``holder`` where it names one, else the
    statement's speaker. ``reported`` are those of ``statements`` that report the actor's stance
    (their stance names the actor as its holder) rather than voice it (the actor speaking).
    """

    actor: str
    proposal: str
    stances: tuple[StanceValue, ...]
    statements: tuple[str, ...]
    reported: tuple[str, ...] = ()

    @property
    def overall(self) -> StanceValue:
        """The single stance if every statement agrees, else ``mixed``."""
        return self.stances[0] if len(self.stances) == 1 else "mixed"
