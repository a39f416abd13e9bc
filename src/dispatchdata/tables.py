"""The dataset as relational tables: one per collection, plus link tables for every list.

Shared by the CSV, SQLite and Data Package exports, and reversible (:func:`collections_from_tables`)
so that exports can be checked by round trip. No cell holds JSON: every list becomes rows of its own
table, keyed by the owning record and the item's position (or its own natural key).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import Any

Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Column:
    """A column: name, Table Schema type, whether it may be empty, and what it holds."""

    name: str
    type: str  # string | integer | boolean | date
    description: str
    required: bool = True
    text_may_be_empty: bool = False  # an empty string is a value here (anchor prefix/suffix)


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """Columns of this table that reference the primary key of another (or the same) table."""

    columns: tuple[str, ...]
    table: str
    referenced: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table: its columns, keys and rows (rows sorted by primary key)."""

    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    rows: tuple[Row, ...] = field(default=(), compare=False)

    @property
    def column_names(self) -> tuple[str, ...]:
        """The column names, in order."""
        return tuple(c.name for c in self.columns)


def C(
    name: str, description: str, type: str = "string", required: bool = True, empty: bool = False
) -> Column:
    """Shorthand for a column definition."""
    return Column(name, type, description, required, empty)


def FK(columns: str, table: str, referenced: str = "id") -> ForeignKey:
    """Shorthand for a foreign key: comma-separated column names."""
    return ForeignKey(tuple(columns.split(",")), table, tuple(referenced.split(",")))


_ANCHOR_COLUMNS = (
    C("document", "Document the offsets count into."),
    C("start", "Offset of the first code point.", "integer"),
    C("end", "Offset just past the last code point.", "integer"),
    C("exact", "The text at [start:end], as printed."),
    C("prefix", "Text just before the span.", empty=True),
    C("suffix", "Text just after the span.", empty=True),
)

SCHEMAS: tuple[Table, ...] = (
    Table("metadata", "The dataset's metadata, one property a row.", (C("key", "Property."), C("value", "Its value.")), ("key",)),
    Table(
        "documents", "The source texts.",
        (C("id", "Document id."), C("title", "Title as printed."), C("publisher", "Publishing actor."),
         C("series", "Series."), C("number", "Number in the series."), C("published", "Publication date.", "date"),
         C("language", "BCP 47 language tag."), C("sha256", "SHA-256 of the exact text."),
         C("length", "Length of the text in code points.", "integer")),
        ("id",), (FK("publisher", "actors"),),
    ),
    Table(
        "footnotes", "The documents' footnotes.",
        (C("document", "Document."), C("number", "Footnote number.", "integer"), C("printed", "Footnote text as printed.")),
        ("document", "number"), (FK("document", "documents"),),
    ),
    Table(
        "footnote_dates", "Dates the footnotes give, as printed, as ISO dates, and corrected where wrong.",
        (C("document", "Document."), C("footnote", "Footnote number.", "integer"), C("item", "Position in the footnote.", "integer"),
         C("printed", "Date as printed."), C("date", "Printed date as ISO 8601.", "date"),
         C("corrected", "Corrected date, where the printed one is wrong.", "date", False),
         C("correction_note", "Why the printed date is wrong.", required=False)),
        ("document", "footnote", "item"), (FK("document,footnote", "footnotes", "document,number"),),
    ),
    Table(
        "actors", "Persons and organisations.",
        (C("id", "Actor id."), C("type", "person or organisation."), C("name", "Name used by the dataset."),
         C("kind", "Kind of organisation.", required=False), C("parent", "Parent organisation.", required=False),
         C("description", "Who or what the actor is.", required=False)),
        ("id",), (FK("parent", "actors"),),
    ),
    Table(
        "aliases", "Every form of an actor's name the text prints.",
        (C("actor", "Actor."), C("item", "Position in the list.", "integer"), C("name", "The name as printed."),
         C("misspelling", "Whether this form is a misspelling.", "boolean"),
         C("corrected", "Correct spelling of a misspelling.", required=False), C("note", "Why the form is listed.", required=False)),
        ("actor", "item"), (FK("actor", "actors"),),
    ),
    Table(
        "positions", "Positions, memberships and occupations of persons, as the text states them.",
        (C("actor", "Person."), C("item", "Position in the list.", "integer"), C("title", "Title or role."),
         C("organisation", "Organisation.", required=False), C("represents", "Region or state represented.", required=False),
         C("former", "Whether the position was held in the past.", "boolean")),
        ("actor", "item"), (FK("actor", "actors"), FK("organisation", "actors"), FK("represents", "actors")),
    ),
    Table(
        "proposals", "Measures put forward, floated, or argued for or against.",
        (C("id", "Proposal id."), C("title", "Short neutral name."), C("description", "What it would do."),
         C("category", "Kind of measure."), C("status", "Status as the text reports it."),
         C("status_note", "What the text says of the status.", required=False)),
        ("id",),
    ),
    Table(
        "proposers", "Who put each proposal forward.",
        (C("proposal", "Proposal."), C("item", "Order of mention.", "integer"), C("actor", "Proposer.")),
        ("proposal", "item"), (FK("proposal", "proposals"), FK("actor", "actors")),
    ),
    Table(
        "statements", "Attributed statements.",
        (C("id", "Statement id."), C("document", "Document reporting it."), C("speaker", "Actor it is attributed to."),
         C("kind", "direct-quote, partial-quote, paraphrase or editorial."), C("summary", "Neutral one-line summary."),
         C("verb", "Reporting verb as printed.", required=False), C("date", "Date the text gives for it.", "date", False),
         C("medium", "Where it was made, where stated.", required=False), C("note", "Notes.", required=False)),
        ("id",), (FK("document", "documents"), FK("speaker", "actors")),
    ),
    Table(
        "statement_footnotes", "Footnotes that source each statement.",
        (C("statement", "Statement."), C("footnote", "Footnote number.", "integer"), C("document", "The statement's document.")),
        ("statement", "footnote"), (FK("statement", "statements"), FK("document,footnote", "footnotes", "document,number")),
    ),
    Table(
        "stances", "Stances statements take toward proposals.",
        (C("statement", "Statement."), C("item", "Position in the list.", "integer"), C("proposal", "Proposal."),
         C("stance", "supports, opposes, mixed or neutral."), C("note", "What the stance rests on.", required=False)),
        ("statement", "item"), (FK("statement", "statements"), FK("proposal", "proposals")),
    ),
    Table(
        "responses", "Statements answering earlier statements.",
        (C("statement", "The answer."), C("responds_to", "The statement answered.")),
        ("statement", "responds_to"), (FK("statement", "statements"), FK("responds_to", "statements")),
    ),
    Table(
        "targets", "Actors a statement is aimed at or about.",
        (C("statement", "Statement."), C("actor", "Actor.")),
        ("statement", "actor"), (FK("statement", "statements"), FK("actor", "actors")),
    ),
    Table(
        "errata", "Evident errors in quoted words: printed and corrected side by side.",
        (C("statement", "Statement."), C("item", "Position in the list.", "integer"), C("printed", "As printed."),
         C("corrected", "Corrected."), C("note", "Why.")),
        ("statement", "item"), (FK("statement", "statements"),),
    ),
    Table(
        "anchors", "Every anchor into the texts: a record's passages, a statement's quotes, where positions and footnotes are printed.",
        (C("collection", "Collection of the record."), C("record", "Record id."),
         C("field", "anchors, quotes, positions or footnotes."), C("item", "Position in the list (footnote number for footnotes).", "integer"),
         *_ANCHOR_COLUMNS),
        ("collection", "record", "field", "item"), (FK("document", "documents"),),
    ),
)  # fmt: skip

BY_NAME = {t.name: t for t in SCHEMAS}


def _anchor(a: dict[str, Any]) -> Row:
    return (a["document"], a["start"], a["end"], a["exact"], a["prefix"], a["suffix"])


#: One record's rows: table name -> its rows from that record.
RecordRows = dict[str, list[Row]]


def _document_rows(d: dict[str, Any]) -> RecordRows:
    did = d["id"]
    footnotes = d["footnotes"]
    dates = []
    for f in footnotes:
        for i, x in enumerate(f["dates"]):
            err = x.get("erratum") or {}
            dates.append(
                (did, f["number"], i, x["printed"], x["date"], err.get("corrected"), err.get("note"))
            )
    return {
        "documents": [
            (
                did,
                d["title"],
                d["publisher"],
                d["series"],
                d["number"],
                d["published"],
                d["language"],
                d["sha256"],
                d["length"],
            )
        ],
        "footnotes": [(did, f["number"], f["printed"]) for f in footnotes],
        "footnote_dates": dates,
        "anchors": [("documents", did, "anchors", i, *_anchor(a)) for i, a in enumerate(d["anchors"])]
        + [("documents", did, "footnotes", f["number"], *_anchor(f["anchor"])) for f in footnotes],
    }


def _actor_rows(a: dict[str, Any]) -> RecordRows:
    aid = a["id"]
    positions = a.get("positions", [])
    return {
        "actors": [(aid, a["type"], a["name"], a.get("kind"), a.get("parent"), a.get("description"))],
        "aliases": [
            (aid, i, x["name"], x.get("misspelling", False), x.get("corrected"), x.get("note"))
            for i, x in enumerate(a["aliases"])
        ],
        "positions": [
            (aid, i, p["title"], p.get("organisation"), p.get("represents"), p.get("former", False))
            for i, p in enumerate(positions)
        ],
        "anchors": [("actors", aid, "anchors", i, *_anchor(x)) for i, x in enumerate(a["anchors"])]
        + [("actors", aid, "positions", i, *_anchor(p["anchor"])) for i, p in enumerate(positions)],
    }


def _proposal_rows(p: dict[str, Any]) -> RecordRows:
    pid = p["id"]
    return {
        "proposals": [(pid, p["title"], p["description"], p["category"], p["status"], p.get("status_note"))],
        "proposers": [(pid, i, actor) for i, actor in enumerate(p["proposed_by"])],
        "anchors": [("proposals", pid, "anchors", i, *_anchor(x)) for i, x in enumerate(p["anchors"])],
    }


def _statement_rows(s: dict[str, Any]) -> RecordRows:
    sid, document = s["id"], s["document"]
    return {
        "statements": [
            (
                sid,
                document,
                s["speaker"],
                s["kind"],
                s["summary"],
                s.get("verb"),
                s.get("date"),
                s.get("medium"),
                s.get("note"),
            )
        ],
        "statement_footnotes": [(sid, n, document) for n in s["footnotes"]],
        "stances": [(sid, i, x["proposal"], x["stance"], x.get("note")) for i, x in enumerate(s["stances"])],
        "responses": [(sid, other) for other in s["responds_to"]],
        "targets": [(sid, actor) for actor in s["targets"]],
        "errata": [
            (sid, i, e["printed"], e["corrected"], e["note"]) for i, e in enumerate(s.get("errata", []))
        ],
        "anchors": [("statements", sid, "anchors", i, *_anchor(x)) for i, x in enumerate(s["anchors"])]
        + [("statements", sid, "quotes", i, *_anchor(x)) for i, x in enumerate(s["quotes"])],
    }


# Collections in the order their names sort, which is the order of the anchors table's first column.
_RECORD_ROWS: dict[str, Callable[[dict[str, Any]], RecordRows]] = {
    "actors": _actor_rows,
    "documents": _document_rows,
    "proposals": _proposal_rows,
    "statements": _statement_rows,
}


def _in_id_order(records: Iterable[Any]) -> Iterable[dict[str, Any]]:
    """A collection's records in id order: sorted, or as a holder that knows their ids gives them
    (``in_id_order()``, as :class:`~dispatchdata.release.CanonicalRecords` does)."""
    in_order = getattr(records, "in_id_order", None)
    if in_order is not None:
        return in_order()  # type: ignore[no-any-return]
    return sorted(records, key=itemgetter("id"))


def iter_record_rows(bundle: dict[str, Any]) -> Iterator[RecordRows]:
    """Every table's rows, one record at a time (the metadata first), in an order where each
    table's rows come sorted by its primary key: collections as their names sort (the anchors
    table's first column), records by id (the first column of every other table's key), and
    each record's rows sorted. So a table can be written as its rows come, whatever the size of
    the dataset. (Ids are unique in valid data: rows of two records with one id would be
    adjacent, not merged.)"""
    yield {"metadata": sorted(_metadata_rows(bundle))}
    collections = bundle["collections"]
    for collection, rows_of in _RECORD_ROWS.items():
        for record in _in_id_order(collections[collection]):
            rows = rows_of(record)
            for name, some in rows.items():
                if len(some) > 1:
                    some.sort(key=_KEYS[name])
            yield rows


def _metadata_rows(bundle: dict[str, Any]) -> Iterator[Row]:
    from .citation import cite_text

    m = bundle["metadata"]
    yield ("name", m["name"])
    yield ("title", m["title"])
    yield ("version", bundle["version"])
    yield ("license", m["license"])
    yield ("description", m["description"])
    yield ("keywords", "; ".join(m.get("keywords", [])))
    yield ("creators", "; ".join(c["name"] for c in m.get("creators", [])))
    yield ("citation", cite_text(bundle).strip())
    yield ("schema_sha256", bundle["schema"]["sha256"])
    if bundle.get("released"):
        yield ("released", bundle["released"])


_KEYS = {t.name: itemgetter(*(t.column_names.index(k) for k in t.primary_key)) for t in SCHEMAS}


def tables_of(bundle: dict[str, Any]) -> list[Table]:
    """Every table of a release bundle, rows sorted by primary key (see :func:`iter_record_rows`)."""
    rows: dict[str, list[Row]] = {t.name: [] for t in SCHEMAS}
    for record in iter_record_rows(bundle):
        for name, some in record.items():
            rows[name] += some
    return [replace(t, rows=tuple(rows[t.name])) for t in SCHEMAS]


# -- back from tables (for round-trip checks and for readers of the exports) --------------------


def _pick(table: Table, row: Row, *names: str) -> dict[str, Any]:
    index = {n: i for i, n in enumerate(table.column_names)}
    return {n: row[index[n]] for n in names if row[index[n]] is not None}


def _grouped(table: Table, key: str) -> dict[Any, list[Row]]:
    index = table.column_names.index(key)
    groups: dict[Any, list[Row]] = {}
    for row in table.rows:
        groups.setdefault(row[index], []).append(row)
    return groups


def collections_from_tables(tables: dict[str, Table]) -> dict[str, list[dict[str, Any]]]:
    """Rebuild the collections (records sorted by id) from tables; optional values that are
    empty, and flags that are false, are left out, as in the YAML."""
    anchors: dict[tuple[str, str, str], list[tuple[int, dict[str, Any]]]] = {}
    at = tables["anchors"]
    for row in at.rows:
        item = _pick(at, row, "document", "start", "end", "exact", "prefix", "suffix")
        anchors.setdefault((row[0], row[1], row[2]), []).append((row[3], item))

    def anchor_list(collection: str, record: str, field_name: str) -> list[dict[str, Any]]:
        return [a for _, a in sorted(anchors.get((collection, record, field_name), []), key=lambda x: x[0])]

    def anchor_at(collection: str, record: str, field_name: str, item: int) -> dict[str, Any]:
        return next(a for i, a in anchors.get((collection, record, field_name), []) if i == item)

    out: dict[str, list[dict[str, Any]]] = {}
    dates = _grouped(tables["footnote_dates"], "document")
    notes = _grouped(tables["footnotes"], "document")
    out["documents"] = []
    for row in tables["documents"].rows:
        d = _pick(
            tables["documents"],
            row,
            "id",
            "title",
            "publisher",
            "series",
            "number",
            "published",
            "language",
            "sha256",
            "length",
        )
        footnotes = []
        for f in notes.get(d["id"], []):
            fd = []
            for x in (r for r in dates.get(d["id"], []) if r[1] == f[1]):
                entry = {"printed": x[3], "date": x[4]}
                if x[5] is not None:
                    entry["erratum"] = {"corrected": x[5], "note": x[6]}
                fd.append(entry)
            footnotes.append(
                {
                    "number": f[1],
                    "printed": f[2],
                    "dates": fd,
                    "anchor": anchor_at("documents", d["id"], "footnotes", f[1]),
                }
            )
        d["footnotes"] = footnotes
        d["anchors"] = anchor_list("documents", d["id"], "anchors")
        out["documents"].append(d)
    aliases, positions = _grouped(tables["aliases"], "actor"), _grouped(tables["positions"], "actor")
    out["actors"] = []
    for row in tables["actors"].rows:
        a = _pick(tables["actors"], row, "id", "type", "name", "kind", "parent", "description")
        a["aliases"] = []
        for x in aliases.get(a["id"], []):
            alias = _pick(tables["aliases"], x, "name", "corrected", "note")
            if x[3]:
                alias["misspelling"] = True
            a["aliases"].append(alias)
        if a["type"] == "person":
            a["positions"] = []
            for x in positions.get(a["id"], []):
                p = _pick(tables["positions"], x, "title", "organisation", "represents")
                if x[5]:
                    p["former"] = True
                p["anchor"] = anchor_at("actors", a["id"], "positions", x[1])
                a["positions"].append(p)
        a["anchors"] = anchor_list("actors", a["id"], "anchors")
        out["actors"].append(a)
    proposers = _grouped(tables["proposers"], "proposal")
    out["proposals"] = []
    for row in tables["proposals"].rows:
        p = _pick(tables["proposals"], row, "id", "title", "description", "category", "status", "status_note")
        p["proposed_by"] = [x[2] for x in proposers.get(p["id"], [])]
        p["anchors"] = anchor_list("proposals", p["id"], "anchors")
        out["proposals"].append(p)
    groups = {
        n: _grouped(tables[n], "statement")
        for n in ("statement_footnotes", "stances", "responses", "targets", "errata")
    }
    out["statements"] = []
    for row in tables["statements"].rows:
        s = _pick(
            tables["statements"],
            row,
            "id",
            "document",
            "speaker",
            "kind",
            "summary",
            "verb",
            "date",
            "medium",
            "note",
        )
        sid = s["id"]
        s["quotes"] = anchor_list("statements", sid, "quotes")
        s["footnotes"] = [x[1] for x in groups["statement_footnotes"].get(sid, [])]
        s["stances"] = [
            _pick(tables["stances"], x, "proposal", "stance", "note") for x in groups["stances"].get(sid, [])
        ]
        s["responds_to"] = [x[1] for x in groups["responses"].get(sid, [])]
        s["targets"] = [x[1] for x in groups["targets"].get(sid, [])]
        errata = [
            _pick(tables["errata"], x, "printed", "corrected", "note") for x in groups["errata"].get(sid, [])
        ]
        if errata:
            s["errata"] = errata
        s["anchors"] = anchor_list("statements", sid, "anchors")
        out["statements"].append(s)
    return out
