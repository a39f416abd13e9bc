"""What the pages of ``export site`` show, taken from a bundle: its records as the model's
values, each document with its annotated text (or why there is none), the stance matrix, the
diagram of who answers whom and the footnotes' dates. Nothing here makes HTML: the templates do,
escaping every value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..citation import cite_bibtex, cite_text
from ..dataset import Dataset
from ..identity import identity_of
from ..loader import reader
from ..model import Actor, ActorStance, Document, FootnoteDate, Info, Proposal, Statement
from . import site_paths as paths
from .site_graph import Edge, Node, layout
from .site_text import Piece, iter_marks, pieces

#: The stances in the order the pages list them, each with its symbol (never colour alone).
STANCES = (("supports", "▲"), ("opposes", "▼"), ("mixed", "◆"), ("neutral", "○"))
#: Speakers' colours: the palette's size (site.css has a class for each).
COLOURS = 8
KINDS = {
    "direct-quote": "direct quote",
    "partial-quote": "partial quote",
    "paraphrase": "paraphrase",
    "editorial": "the publisher's own claim",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentView:
    """A document's page: its record, page name, its statements (in text order), and either its
    annotated text (``pieces``) or why it has none (``missing``)."""

    document: Document
    page: str
    statements: list[Statement]
    pieces: list[Piece]
    missing: str | None
    #: The footnotes whose marker is in the text (as text: the marks' keys).
    markers: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class DateView:
    """A footnote's date on the timeline, with the statements citing the footnote."""

    document: Document
    number: int
    date: FootnoteDate
    statements: list[Statement]


@dataclass(frozen=True, slots=True, kw_only=True)
class Site:
    """Everything the templates are given (see :func:`site_of`)."""

    ds: Dataset
    label: str
    released: str | None
    citation: str
    bibtex: str
    schema: dict[str, Any]
    data_json: str
    data_csv: list[str]
    base: str | None
    documents: list[DocumentView]
    groups: list[tuple[str, list[Actor]]]
    matrix: dict[tuple[str, str], ActorStance]
    matrix_actors: list[Actor]
    matrix_proposals: list[Proposal]
    nodes: list[Node]
    edges: list[Edge]
    timeline: list[DateView]
    colours: dict[str, int]
    #: Each actor's statements, in the order of the data.
    by_speaker: dict[str, list[Statement]]


def dataset_of(bundle: dict[str, Any]) -> Dataset:
    """The bundle's records as the model's values (the loader's own readers)."""
    collections = bundle["collections"]
    return Dataset(
        info=reader(Info)(bundle["metadata"]),
        documents=tuple(map(reader(Document), collections["documents"])),
        actors=tuple(map(reader(Actor), collections["actors"])),
        proposals=tuple(map(reader(Proposal), collections["proposals"])),
        statements=tuple(map(reader(Statement), collections["statements"])),
    )


def _document(
    document: Document,
    own: list[Statement],
    ids: list[str],
    texts: dict[str, str],
    colours: dict[str, int],
    proposals: tuple[Proposal, ...] = (),
) -> DocumentView:
    """A document's page, ``own`` its statements (put in the order of the text here)."""
    own = sorted(own, key=lambda s: (min((a.start for a in s.anchors), default=0), s.id))
    text = texts.get(document.sha256)
    page = paths.document_page(ids, document.id)
    if text is None:
        why = (
            f"The text of this document (SHA-256 {document.sha256}) is not shipped with dispatchdata and "
            "was not found in the folders given to --sources, so its records are listed without it."
        )
        return DocumentView(document=document, page=page, statements=own, pieces=[], missing=why)
    marks = list(iter_marks(text, document, own, colours, proposals))
    markers = frozenset(m.key for m in marks if m.kind == "marker")
    cut = pieces(text, marks)
    return DocumentView(
        document=document, page=page, statements=own, pieces=cut, missing=None, markers=markers
    )


def _groups(actors: Iterable[Actor]) -> list[tuple[str, list[Actor]]]:
    """Actors grouped by type: persons first, then organisations by kind (names sorted)."""
    groups: dict[str, list[Actor]] = {}
    for a in actors:
        key = "persons" if a.type == "person" else (a.kind or "other organisation").replace("-", " ")
        groups.setdefault(key, []).append(a)
    order = sorted(groups, key=lambda k: (k != "persons", k))
    return [(k, sorted(groups[k], key=lambda a: (a.name.casefold(), a.id))) for k in order]


def _timeline(ds: Dataset, by_document: dict[str, list[Statement]]) -> list[DateView]:
    """Every footnote's dates, by the date to use (the correction, where there is one)."""
    entries = []
    for d in ds.documents:
        citing_each: dict[int, list[Statement]] = {}
        for s in by_document.get(d.id, []):
            for number in dict.fromkeys(s.footnotes):
                citing_each.setdefault(number, []).append(s)
        for f in d.footnotes:
            citing = citing_each.get(f.number, [])
            for date in f.dates:
                entries.append(DateView(document=d, number=f.number, date=date, statements=citing))
    return sorted(entries, key=lambda e: (e.date.effective, e.document.id, e.number, e.date.printed))


def site_of(bundle: dict[str, Any], texts: dict[str, str], base: str | None) -> Site:
    """What the pages show of ``bundle``, the documents' texts found (``texts``: by SHA-256)."""
    ds = dataset_of(bundle)
    for collection in (ds.documents, ds.actors, ds.proposals, ds.statements):
        for record in collection:
            paths.slug(record.id)  # every id names a page or an anchor
    speakers = {a: i for i, a in enumerate(sorted({s.speaker for s in ds.statements}))}
    colours = {a.id: speakers.get(a.id, 0) % COLOURS for a in ds.actors}
    ids = sorted(d.id for d in ds.documents)
    by_document: dict[str, list[Statement]] = {}
    by_speaker: dict[str, list[Statement]] = {}
    for s in ds.statements:
        by_document.setdefault(s.document, []).append(s)
        by_speaker.setdefault(s.speaker, []).append(s)
    documents = [
        _document(d, by_document.get(d.id, []), ids, texts, colours, ds.proposals)
        for d in sorted(ds.documents, key=lambda d: d.id)
    ]
    matrix = dict(ds.stance_matrix())
    nodes, edges = layout(ds.actors, ds.statements)
    from .json_bundle import file_name  # deferred: beside the writers it names the files of
    from .tables import ALL_TABLES  # deferred: the tables, for the CSV files' names

    return Site(
        ds=ds,
        label=identity_of(bundle).label,
        released=identity_of(bundle).released,
        citation=cite_text(bundle),
        bibtex=cite_bibtex(bundle),
        schema=bundle["schema"],
        data_json=file_name(bundle, ".json"),
        data_csv=[f"{t.name}.csv" for t in ALL_TABLES],
        base=base,
        documents=documents,
        groups=_groups(ds.actors),
        matrix=matrix,
        matrix_actors=sorted((ds.actor(a) for a in {a for a, _ in matrix}), key=lambda a: a.id),
        matrix_proposals=sorted((ds.proposal(p) for p in {p for _, p in matrix}), key=lambda p: p.id),
        nodes=nodes,
        edges=edges,
        timeline=_timeline(ds, by_document),
        by_speaker=by_speaker,
        colours=colours,
    )


def find_texts(bundle: dict[str, Any], sources: Iterable[str | Path]) -> dict[str, str]:
    """The documents' texts found among the package's and in ``sources``, by SHA-256."""
    from ..check.sources import find_sources  # deferred: reads and hashes the source folders

    wanted = [d["sha256"] for d in bundle["collections"]["documents"]]
    return find_sources(sources, wanted) if wanted else {}
