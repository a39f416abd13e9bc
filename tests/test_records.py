"""One declaration per record type: the model's classes match the JSON Schema field for field, and
a field declared once in the model reaches the loader, the CSV and SQLite tables and their
inverse with nothing else to change."""

from __future__ import annotations

import csv
import dataclasses
import sqlite3
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin, get_type_hints

import pytest

from dispatchdata import model
from dispatchdata.check.schema import schemas
from dispatchdata.export import csv_tables, sqlite_db
from dispatchdata.export.tables import ALL_TABLES, BY_NAME, COLLECTIONS, NamedRow, derive_tables
from dispatchdata.fields import Col, Declared, declared
from dispatchdata.loader import reader
from dispatchdata.release.release import open_bundle

from .golden.regenerate import MINIMAL

_DOCS = schemas()
_BY_ID = {doc["$id"]: doc for doc in _DOCS.values()}


def _resolve(node: dict[str, Any], doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A schema node with its ``$ref`` chain merged in, and the document it was found in."""
    merged = dict(node)
    while "$ref" in merged:
        ref = merged.pop("$ref")
        base, _, pointer = ref.partition("#")
        doc = _BY_ID[base] if base else doc
        target: Any = doc
        for part in pointer.strip("/").split("/"):
            target = target[part]
        merged = {**target, **merged}
    return merged, doc


def _literal(cls: type, name: str) -> set[str] | None:
    """The values of a field typed as a ``Literal`` (``None`` where it is not one)."""
    hint = get_type_hints(cls, include_extras=True)[name]
    while get_origin(hint) is Annotated or (get_origin(hint) is not Literal and get_args(hint)):
        hint = get_args(hint)[0]
    return set(get_args(hint)) if get_origin(hint) is Literal else None


def _check_value(cls: type, f: Declared, node: dict[str, Any], doc: dict[str, Any], where: str) -> None:
    """The schema's type of a value agrees with the model's."""
    node, doc = _resolve(node, doc)
    if f.many:
        assert node.get("type") == "array", where
        node, doc = _resolve(node["items"], doc)
    if f.record:
        assert node.get("type") == "object", where
        _check_record(f.type, node, doc, where)
    elif f.type is int or f.type is bool:
        assert node.get("type") == {int: "integer", bool: "boolean"}[f.type], where
    else:
        assert f.type is str, where
        if "enum" in node:
            assert _literal(cls, f.name) in (None, set(node["enum"])), where
        else:
            assert node.get("type") == "string", where
            assert _literal(cls, f.name) is None, where


def _check_record(cls: type, node: dict[str, Any], doc: dict[str, Any], where: str) -> None:
    """Every property the schema gives a record is a field of its class (or, for an object of
    the record such as a footnote date's erratum, of its properties) and the other way round,
    required alike, with agreeing types."""
    fields = {f.path: f for f in declared(cls)}
    covered: set[tuple[str, ...]] = set()
    for name, prop in node["properties"].items():
        prop, prop_doc = _resolve(prop, doc)
        required = name in node.get("required", ())
        if (name,) in fields:
            f = fields[(name,)]
            assert f.required == required, f"{where}.{name}: required in one, not the other"
            _check_value(cls, f, prop, prop_doc, f"{where}.{name}")
            covered.add((name,))
            continue
        assert any(path[0] == name for path in fields), (
            f"{where}.{name}: in the schema, not in {cls.__name__}"
        )
        for inner, inner_prop in prop.get("properties", {}).items():
            assert (name, inner) in fields, f"{where}.{name}.{inner}: in the schema, not in {cls.__name__}"
            f = fields[(name, inner)]
            inner_required = required and inner in prop.get("required", ())
            assert f.required == inner_required, f"{where}.{name}.{inner}: required in one, not the other"
            _check_value(cls, f, inner_prop, prop_doc, f"{where}.{name}.{inner}")
            covered.add((name, inner))
    assert set(fields) == covered, f"{where}: in {cls.__name__}, not in the schema: {set(fields) - covered}"


@pytest.mark.parametrize(
    ("cls", "schema", "definition"),
    [
        (model.Document, "documents.schema.json", "document"),
        (model.Actor, "actors.schema.json", "actor"),
        (model.Proposal, "proposals.schema.json", "proposal"),
        (model.Statement, "statements.schema.json", "statement"),
        (model.Info, "dataset.schema.json", None),
    ],
)
def test_the_model_and_the_schema_declare_the_same_fields(
    cls: type, schema: str, definition: str | None
) -> None:
    """Every property of each record type (its nested records' too: footnotes, anchors, aliases,
    stances…) is a field of its model class and the other way round, required alike, with
    compatible types (integers, flags, texts, lists, enums as Literals): they cannot drift."""
    doc = _DOCS[schema]
    node = doc["$defs"][definition] if definition else doc
    _check_record(cls, node, doc, cls.__name__)


def test_the_drift_check_notices_a_field_missing_from_the_model() -> None:
    """A schema property the model lacks fails the check (and so does a field the schema lacks)."""
    doc = _DOCS["statements.schema.json"]
    node = doc["$defs"]["statement"]
    grown = {**node, "properties": {**node["properties"], "mood": {"type": "string"}}}
    with pytest.raises(AssertionError, match="mood: in the schema, not in Statement"):
        _check_record(model.Statement, grown, doc, "Statement")
    shrunk = {**node, "properties": {k: v for k, v in node["properties"].items() if k != "verb"}}
    with pytest.raises(AssertionError, match=r"not in the schema: {\('verb',\)}"):
        _check_record(model.Statement, shrunk, doc, "Statement")


# -- "schema + one line" -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class MoodStatement(model.Statement):
    """A statement with one more field, declared in one line as the model declares its own."""

    mood: Annotated[str | None, Col("The speaker's mood, where the text gives it.")] = None


def _with_mood() -> tuple[Any, dict[str, Any]]:
    layout = derive_tables(
        tuple((name, MoodStatement if cls is model.Statement else cls, d) for name, cls, d in COLLECTIONS)
    )
    bundle = open_bundle(MINIMAL)
    statements = [dict(s) for s in bundle["collections"]["statements"]]
    statements[0]["mood"] = "exasperated"
    return layout, {**bundle, "collections": {**bundle["collections"], "statements": statements}}


def test_a_field_declared_in_one_line_reaches_the_loader_and_the_tables(tmp_path: Path) -> None:
    """Declared once, the field is read by the loader, is a column of the CSV table and of the
    SQLite table, and its value is in both; nothing else about the tables changes."""
    layout, bundle = _with_mood()
    first = bundle["collections"]["statements"][0]
    assert reader(MoodStatement)(first).mood == "exasperated"
    assert reader(MoodStatement)(bundle["collections"]["statements"][1]).mood is None
    statements = next(t for t in layout.schemas if t.name == "statements")
    assert statements.column_names == (*BY_NAME["statements"].column_names, "mood")
    assert [t.name for t in layout.schemas] == [t.name for t in ALL_TABLES]
    (tmp_path / "csv").mkdir()
    csv_tables.write_tables(bundle, tmp_path / "csv", layout)
    with (tmp_path / "csv" / "statements.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert {r["id"]: r["mood"] for r in rows}[first["id"]] == "exasperated"
    sqlite_db.build(bundle, tmp_path / "x.db", layout)
    db = sqlite3.connect(tmp_path / "x.db")
    assert db.execute("SELECT mood FROM statements WHERE id = ?", (first["id"],)).fetchone() == (
        "exasperated",
    )
    assert db.execute("SELECT count(mood) FROM statements").fetchone() == (1,)
    db.close()


def test_a_field_declared_in_one_line_round_trips_through_the_tables(tmp_path: Path) -> None:
    """The CSV tables read back rebuild the records, the new field included."""
    layout, bundle = _with_mood()
    (tmp_path / "csv").mkdir()
    csv_tables.write_tables(bundle, tmp_path / "csv", layout)
    tables = {
        t.name: csv_tables.read_table(t, (tmp_path / "csv" / f"{t.name}.csv").read_text(encoding="utf-8"))
        for t in layout.schemas
    }
    back = layout.collections_from_tables(tables)
    by_id = {name: sorted(records, key=lambda r: r["id"]) for name, records in bundle["collections"].items()}
    assert {name: sorted(records, key=lambda r: r["id"]) for name, records in back.items()} == by_id
    assert any(s.get("mood") == "exasperated" for s in back["statements"])


def test_rows_read_back_are_named() -> None:
    """A table read back gives rows whose columns are read by name."""
    table = next(t for t in ALL_TABLES if t.name == "targets")
    (row,) = csv_tables.read_table(table, "statement,actor\ns-1,a-1\n").rows
    assert isinstance(row, NamedRow)
    assert (row.statement, row.actor) == ("s-1", "a-1")
    assert repr(row) == "targets(statement='s-1', actor='a-1')"
