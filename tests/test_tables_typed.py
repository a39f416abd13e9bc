"""Typed, constrained tables: every Table Schema field carries the type and constraints the JSON
Schema implies (Frictionless enforces them), footnote dates carry their effective date as
``load()`` gives it, the SQLite views run in DuckDB's SQLite reader with the same rows, and DuckDB
reads the CSV tables with the types the data package gives them."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import dispatchdata
from dispatchdata.export import export
from dispatchdata.export.constraints import constraints_of, pattern, resolve
from dispatchdata.export.sqlite_db import VIEWS, sqlite_tables
from dispatchdata.export.tables import ALL_TABLES, BY_NAME

from .conftest import DATASET, SCHEMA


@pytest.fixture(scope="module")
def package(real: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data package export of the repository's dataset (read only: copy it to change it)."""
    out = tmp_path_factory.mktemp("typed") / "dp"
    export(real, "datapackage", out)
    return out


@pytest.fixture(scope="module")
def database(real: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("typed") / "db"
    export(real, "sqlite", out)
    return out / "dispatchdata.db"


def _schema_enum(file: str, *pointer: str) -> list[str]:
    node: Any = json.loads((SCHEMA / file).read_text(encoding="utf-8"))
    for part in pointer:
        node = node[part]
    return list(node["enum"])


def _fields(package: Path) -> dict[tuple[str, str], dict[str, Any]]:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    return {
        (resource["name"], field["name"]): field
        for resource in descriptor["resources"]
        for field in resource["schema"]["fields"]
    }


def test_every_enumeration_of_the_schema_is_a_field_enum(package: Path) -> None:
    """Statement kind, stance, proposal status and category, actor type and kind, medium: each
    Table Schema field lists exactly the schema's values; the anchors table's collection and
    field columns list theirs; no other field is enumerated."""
    statement = ("statements.schema.json", "$defs", "statement", "properties")
    expected = {
        ("statements", "kind"): _schema_enum(*statement, "kind"),
        ("statements", "medium"): _schema_enum(*statement, "medium"),
        ("stances", "stance"): _schema_enum(
            "statements.schema.json", "$defs", "stance", "properties", "stance"
        ),
        ("proposals", "status"): _schema_enum(
            "proposals.schema.json", "$defs", "proposal", "properties", "status"
        ),
        ("proposals", "category"): _schema_enum(
            "proposals.schema.json", "$defs", "proposal", "properties", "category"
        ),
        ("actors", "type"): _schema_enum("actors.schema.json", "$defs", "actor", "properties", "type"),
        ("actors", "kind"): _schema_enum("actors.schema.json", "$defs", "actor", "properties", "kind"),
        ("anchors", "collection"): ["actors", "documents", "proposals", "statements"],
        ("anchors", "field"): ["anchors", "footnotes", "positions", "quotes"],
    }
    enumerated = {
        key: field["constraints"]["enum"]
        for key, field in _fields(package).items()
        if "enum" in field.get("constraints", {})
    }
    assert enumerated == expected
    assert {(t.name, c.name): list(c.enum) for t in ALL_TABLES for c in t.columns if c.enum} == expected


def test_fields_carry_the_schemas_patterns_lengths_and_minimums(package: Path) -> None:
    """What the JSON Schema says of a value, said in Table Schema (patterns matched whole)."""
    fields = _fields(package)
    slug = {"maxLength": 120, "pattern": "[a-z0-9]+(-[a-z0-9]+)*", "required": True}
    assert fields["documents", "number"] == {
        "name": "number",
        "type": "string",
        "description": "Number in the series.",
        "constraints": {"pattern": "[0-9A-Za-z][0-9A-Za-z.-]*", "required": True},
    }
    assert fields["statements", "id"]["constraints"] == slug
    assert fields["stances", "statement"]["constraints"] == slug  # an owner's key, as its table has it
    assert fields["statements", "summary"]["constraints"] == {
        "minLength": 1, "maxLength": 300, "pattern": r"\S(.*\S)?", "required": True,
    }  # fmt: skip
    assert fields["footnotes", "number"]["constraints"] == {"minimum": 1, "required": True}
    assert fields["footnote_dates", "footnote"]["constraints"] == {"minimum": 1, "required": True}
    assert fields["statement_footnotes", "footnote"]["constraints"] == {"minimum": 1, "required": True}
    assert fields["anchors", "start"]["constraints"] == {"minimum": 0, "required": True}
    assert fields["anchors", "prefix"]["constraints"] == {"maxLength": 64}  # empty is a value: not required
    published = fields["documents", "published"]
    assert (published["type"], published["constraints"]) == ("date", {"required": True})


def test_a_json_schema_pattern_becomes_a_table_schema_pattern() -> None:
    """Anchored at both ends: the anchors go (Table Schema matches whole); an alternation is
    grouped; a pattern that is searched for, not matched whole, is refused, never dropped."""
    assert pattern("^[a-z]+$") == "[a-z]+"
    assert pattern("^a|b$") == "(a|b)"
    with pytest.raises(ValueError, match="not anchored at both ends"):
        pattern("[a-z]+")
    place = resolve({"$ref": "urn:dispatchdata:schema:defs#/$defs/text", "maxLength": 300}, {})
    assert constraints_of(place, "string") == (
        (("minLength", 1), ("maxLength", 300), ("pattern", r"\S(.*\S)?")),
        (),
    )
    assert constraints_of(place, "date") == ((), ())


_SLUGS = st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True)


@given(a=st.tuples(_SLUGS, st.integers(min_value=1)), b=st.tuples(_SLUGS, st.integers(min_value=1)))
@example(a=("doc", 12), b=("doc1", 2))  # what joining without a separator would merge
@example(a=("doc-1", 2), b=("doc", 12))
def test_a_footnotes_one_column_key_is_as_unique_as_its_two(a: tuple[str, int], b: tuple[str, int]) -> None:
    """Two footnotes (document id, number) differ exactly when their stand-in ``id``s do, in
    the footnotes table and in the tables referencing them (``footnote_id``)."""
    tables = sqlite_tables(ALL_TABLES)
    footnotes, dates = tables["footnotes"], tables["footnote_dates"]
    (footnote_id,) = footnotes.added
    (date_footnote_id,) = dates.added
    assert footnotes.table.primary_key == ("id",)
    assert footnotes.unique == ("document", "number")
    row_a, row_b = (*a, "[1]"), (*b, "[1]")
    assert (footnote_id(row_a) == footnote_id(row_b)) == (a == b)
    assert date_footnote_id((*a, 0, "x", "y", "z", None, None)) == footnote_id(row_a)


def _validate(folder: Path) -> Any:
    frictionless = pytest.importorskip("frictionless")
    return frictionless.validate(str(folder / "datapackage.json"))


@pytest.mark.parametrize(
    ("table", "old", "new", "error"),
    [
        ("stances", ",opposes,", ",maybe,", "constraint-error"),  # enum
        ("statements", ",direct-quote,", ",quote,", "constraint-error"),  # enum
        ("documents", ",Special Dispatch,10423,", ",Special Dispatch,10 423,", "constraint-error"),  # pattern
        (
            "footnotes",
            "memri-special-dispatch-10423,1,",
            "memri-special-dispatch-10423,0,",
            "constraint-error",
        ),
    ],
    ids=["stance", "kind", "number-pattern", "footnote-minimum"],
)
def test_frictionless_refuses_a_row_breaking_a_constraint(
    package: Path, tmp_path: Path, table: str, old: str, new: str, error: str
) -> None:
    """The package as exported passes `frictionless validate` with every constraint; one cell
    changed to a value the schema refuses (a stance that is no stance, a number with a space, a
    footnote 0) fails it with a constraint error."""
    report = _validate(package)
    assert report.valid, report.flatten(["type", "note"])[:5]
    changed = tmp_path / "dp"
    changed.mkdir()
    for path in package.iterdir():
        (changed / path.name).write_bytes(path.read_bytes())
    path = changed / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")
    report = _validate(changed)
    assert not report.valid
    assert error in {row[0] for row in report.flatten(["type"])}


def _footnote_dates_csv(folder: Path) -> list[dict[str, str]]:
    with (folder / "footnote_dates.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_footnote_dates_carry_the_effective_date_load_gives(package: Path, database: Path) -> None:
    """In the CSV (the data package's tables) and in SQLite, each footnote date's ``effective``
    is ``load()``'s: the correction where there is one (the 3033 erratum), else the date."""
    loaded = dispatchdata.load(DATASET)
    expected = {
        (d.id, f.number, i): (fd.date, fd.effective)
        for d in loaded.documents
        for f in d.footnotes
        for i, fd in enumerate(f.dates)
    }
    assert expected[("memri-special-dispatch-10423", 8, 0)] == ("3033-12-25", "2022-12-25")
    rows = _footnote_dates_csv(package)
    assert list(rows[0])[:6] == ["document", "footnote", "item", "printed", "date", "effective"]
    assert {
        (r["document"], int(r["footnote"]), int(r["item"])): (r["date"], r["effective"]) for r in rows
    } == expected
    db = sqlite3.connect(database)
    try:
        got = db.execute("SELECT document, footnote, item, date, effective FROM footnote_dates").fetchall()
    finally:
        db.close()
    assert {(d, f, i): (date, effective) for d, f, i, date, effective in got} == expected
    effective = _fields(package)["footnote_dates", "effective"]
    assert (effective["type"], effective["constraints"]) == ("date", {"required": True})
    assert (
        effective["description"]
        == "The date to use: the correction where there is one, else the printed date."
    )


def test_sqlite_refuses_a_value_outside_an_enumeration(database: Path, tmp_path: Path) -> None:
    """The database checks enumerations as the schema does: a stance that is no stance is refused."""
    copy = tmp_path / "copy.db"
    copy.write_bytes(database.read_bytes())
    db = sqlite3.connect(copy)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            db.execute("UPDATE stances SET stance = 'maybe' WHERE rowid = 1")
    finally:
        db.close()


def _duckdb() -> Any:
    """A DuckDB connection that reads SQLite files: the SQLite extension from its Python package
    (the test extra installs both), loaded from the file, offline."""
    duckdb = pytest.importorskip("duckdb")
    extension = pytest.importorskip("duckdb_extension_sqlite_scanner")
    (path,) = Path(extension.__file__).parent.glob("extensions/*/sqlite_scanner.duckdb_extension")
    connection = duckdb.connect()
    connection.execute(f"LOAD '{path}'")
    return connection


def _text(rows: list[tuple[Any, ...]]) -> list[tuple[str | None, ...]]:
    return [tuple(None if v is None else str(v) for v in row) for row in rows]


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_every_view_gives_the_same_rows_in_duckdb(database: Path, view: str) -> None:
    """DuckDB's SQLite reader runs each view (plain SQL: no ``count(*)``, which it hands SQLite
    as ``count_star()``) and gives sqlite3's rows, in order. It reads a computed column with no
    declared type as text (``statement_count``), so values are compared as text."""
    db = sqlite3.connect(database)
    try:
        expected = db.execute(f'SELECT * FROM "{view}"').fetchall()
    finally:
        db.close()
    assert expected
    duck = _duckdb()
    duck.execute(f"ATTACH '{database}' AS d (TYPE sqlite, READ_ONLY)")
    assert _text(duck.execute(f'SELECT * FROM d."{view}"').fetchall()) == _text(expected)


_DUCKDB_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "boolean": "BOOLEAN", "date": "DATE"}


def test_duckdb_reads_the_csv_tables_with_their_types(package: Path) -> None:
    """DuckDB's own detection gives every column of the dataset's tables its Table Schema type
    but one: a string of digits, ``documents.number``, is read as a number unless its type is
    given, as the README shows (``types={'number': 'VARCHAR'}``); given the data package's
    types, every column is right and the number reads back as printed."""
    duck = _duckdb()
    wrong = set()
    for table in ALL_TABLES:
        path = package / f"{table.name}.csv"
        detected = duck.sql(f"SELECT * FROM read_csv('{path}')")
        types = dict(zip(detected.columns, map(str, detected.types), strict=True))
        wrong |= {(table.name, c.name) for c in table.columns if types[c.name] != _DUCKDB_TYPES[c.type]}
        given = {c.name: _DUCKDB_TYPES[c.type] for c in table.columns}
        typed = duck.sql(f"SELECT * FROM read_csv('{path}', types = {given!r})")
        assert list(map(str, typed.types)) == [_DUCKDB_TYPES[c.type] for c in table.columns], table.name
    assert wrong == {("documents", "number")}
    path = package / "documents.csv"
    number = duck.sql(f"SELECT number FROM read_csv('{path}', types = {{'number': 'VARCHAR'}})").fetchall()
    assert number == [("10423",)]
    assert BY_NAME["documents"].columns[BY_NAME["documents"].column_names.index("number")].type == "string"
