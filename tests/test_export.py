"""Exports: exact golden output, determinism, round trips, atomicity and refusals, and the
validators of the formats themselves (frictionless, the CFF schema, SQLite's own checks)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import dispatchdata
from dispatchdata.cli import main
from dispatchdata.errors import InvalidDatasetError
from dispatchdata.export import FORMATS, MARKER, ExportError, export, safe_path
from dispatchdata.export.csv_tables import read_table
from dispatchdata.export.tables import (
    ALL_TABLES,
    BY_NAME,
    Table,
    collections_from_tables,
    iter_record_rows,
    tables_of,
)
from dispatchdata.identity import IdentifiedBundle, identity_of
from dispatchdata.release.release import CanonicalRecords, open_bundle

from .conftest import DATASET
from .golden.regenerate import HERE as GOLDEN
from .golden.regenerate import MINIMAL, golden_files
from .helpers import examples

runner = CliRunner()


@pytest.fixture(scope="module")
def minimal() -> dict[str, Any]:
    return open_bundle(MINIMAL)


def _sorted(collections: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return {name: sorted(records, key=lambda r: r["id"]) for name, records in collections.items()}


@pytest.mark.parametrize("compact", [False, True], ids=["lists", "canonical"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_export_matches_its_golden_files(
    fmt: str, compact: bool, minimal: dict[str, Any], tmp_path: Path
) -> None:
    """Byte for byte (a database as its SQL dump), from records in lists or held as canonical
    JSON (what the command gives the formats that only iterate); regenerate with
    tests/golden/regenerate.py."""
    export(open_bundle(MINIMAL, compact=True) if compact else minimal, fmt, tmp_path / "out")
    expected = {p.name: p.read_bytes() for p in sorted((GOLDEN / fmt).iterdir())}
    assert golden_files(tmp_path / "out") == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_exports_are_byte_identical(fmt: str, real: dict[str, Any], tmp_path: Path) -> None:
    """Deterministic: same release, same bytes, SQLite and the marker included; SHA256SUMS lists
    every file but the marker, which names the format and release and holds no time."""
    export(real, fmt, tmp_path / "a")
    export(real, fmt, tmp_path / "b")
    files_a = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    files_b = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert files_a == files_b
    listed = [line.split("  ")[1] for line in files_a["SHA256SUMS"].decode().splitlines()]
    assert listed == sorted(set(files_a) - {"SHA256SUMS", MARKER})
    expected = {"format": fmt, "marker": 1, "tool": "dispatchdata", "version": real["version"]}
    assert files_a[MARKER] == (json.dumps(expected, sort_keys=True) + "\n").encode()


def test_csv_round_trip_gives_back_the_records(real: dict[str, Any], tmp_path: Path) -> None:
    """Every CSV table read back rebuilds the same records (multi-line text and quotes included)."""
    export(real, "csv", tmp_path / "csv")
    tables = {
        t.name: read_table(t, (tmp_path / "csv" / f"{t.name}.csv").read_text(encoding="utf-8"))
        for t in ALL_TABLES
    }
    assert _sorted(collections_from_tables(tables)) == _sorted(real["collections"])


def test_sqlite_round_trip_gives_back_the_records(real: dict[str, Any], tmp_path: Path) -> None:
    """The database's tables rebuild the same records."""
    export(real, "sqlite", tmp_path / "db")
    (path,) = (tmp_path / "db").glob("*.db")
    db = sqlite3.connect(path)
    tables = {}
    for schema in ALL_TABLES:
        columns = ", ".join(f'"{c}"' for c in schema.column_names)
        rows = db.execute(f'SELECT {columns} FROM "{schema.name}"').fetchall()
        typed = tuple(
            tuple(bool(v) if c.type == "boolean" else v for c, v in zip(schema.columns, row, strict=True))
            for row in rows
        )
        tables[schema.name] = Table(
            schema.name, schema.description, schema.columns, schema.primary_key, schema.foreign_keys, typed
        )
    db.close()
    assert _sorted(collections_from_tables(tables)) == _sorted(real["collections"])


def test_json_bundle_loads_to_the_same_dataset(real: dict[str, Any], tmp_path: Path) -> None:
    """The exported bundle is a loadable dataset equal to the source."""
    export(real, "json", tmp_path / "json")
    (path,) = (tmp_path / "json").glob("*.json")
    assert dispatchdata.load(path) == dispatchdata.load(DATASET)


def test_sqlite_database_describes_itself(real: dict[str, Any], tmp_path: Path) -> None:
    """Metadata inside the file; foreign keys clean; full-text search; the two views."""
    export(real, "sqlite", tmp_path / "db")
    (path,) = (tmp_path / "db").glob("*.db")
    db = sqlite3.connect(path)
    metadata = dict(db.execute("SELECT key, value FROM metadata").fetchall())
    assert (metadata["version"], metadata["license"]) == (real["version"], "CC-BY-4.0")
    assert metadata["schema_sha256"] == real["schema"]["sha256"]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    hits = db.execute(
        "SELECT s.id FROM statements AS s JOIN statements_fts AS f ON f.rowid = s.rowid "
        "WHERE statements_fts MATCH 'hostis' ORDER BY s.id"
    ).fetchall()
    assert hits == [("medvedev-traitors-hostis-publicus",)]
    row = db.execute(
        "SELECT stances, statement_count FROM stance_matrix WHERE actor = ? AND proposal = ?",
        ("andrey-klishas", "cancel-passports"),
    ).fetchone()
    assert row == ("opposes", 1)
    speaker = db.execute(
        "SELECT speaker_name FROM statements_with_speakers WHERE id = 'tax-expert-boomerang'"
    ).fetchone()
    assert speaker == ("[unnamed tax expert]",)
    indexed = {
        r[0]
        for r in db.execute(
            "SELECT tbl_name || '.' || sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    }
    for table in ALL_TABLES:
        for fk in table.foreign_keys:
            assert any(
                i.startswith(f"{table.name}.") and "(" + ", ".join(f'"{c}"' for c in fk.columns) + ")" in i
                for i in indexed
            )
    db.close()


def test_sqlite_refuses_a_reference_to_nothing(minimal: dict[str, Any], tmp_path: Path) -> None:
    """Data that skipped validation, with a statement by an unknown speaker: the database's own
    foreign key check refuses it, and nothing is left behind."""
    statements = [dict(s) for s in minimal["collections"]["statements"]]
    statements[0]["speaker"] = "nobody"
    broken = {**minimal, "collections": {**minimal["collections"], "statements": statements}}
    with pytest.raises(ExportError, match=r"^foreign key check failed: \[\('statements', "):
        export(broken, "sqlite", tmp_path / "db")
    assert list(tmp_path.iterdir()) == []


def test_datapackage_passes_frictionless_validate(real: dict[str, Any], tmp_path: Path) -> None:
    """`frictionless validate datapackage.json` (types, keys, foreign keys) passes."""
    frictionless = pytest.importorskip("frictionless")
    export(real, "datapackage", tmp_path / "dp")
    report = frictionless.validate(str(tmp_path / "dp" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]
    descriptor = json.loads((tmp_path / "dp" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == real["version"]
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    statements = next(r for r in descriptor["resources"] if r["name"] == "statements")
    assert statements["schema"]["primaryKey"] == ["id"]
    assert {"fields": ["speaker"], "reference": {"resource": "actors", "fields": ["id"]}} in statements[
        "schema"
    ]["foreignKeys"]


def test_frictionless_catches_a_broken_foreign_key(real: dict[str, Any], tmp_path: Path) -> None:
    """The data package's foreign keys are real: break one and frictionless says so."""
    frictionless = pytest.importorskip("frictionless")
    export(real, "datapackage", tmp_path / "dp")
    path = tmp_path / "dp" / "statements.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",andrey-klishas,", ",nobody,", 1), encoding="utf-8"
    )
    report = frictionless.validate(str(tmp_path / "dp" / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {row[0] for row in report.flatten(["type"])}


def test_citation_cff_is_valid_cff_1_2_0(real: dict[str, Any], tmp_path: Path) -> None:
    """CITATION.cff validates against the Citation File Format 1.2.0 schema."""
    import jsonschema

    export(real, "citation", tmp_path / "cite")
    schema = json.loads(
        (Path(__file__).parent / "data" / "cff-1.2.0.schema.json").read_text(encoding="utf-8")
    )
    cff = yaml.safe_load((tmp_path / "cite" / "CITATION.cff").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(cff)] == []
    assert cff["version"] == real["version"]


def test_failed_export_leaves_the_previous_output_intact(
    minimal: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure midway through writing: the old export is still there, unchanged, and no
    temporary folder is left behind."""
    out = tmp_path / "out"
    export(minimal, "csv", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def explode(bundle: dict[str, Any]) -> Any:  # the disk fills up once the statements' rows come
        for record in iter_record_rows(bundle):
            if "statements" in record:
                raise OSError(28, "No space left on device")
            yield record

    monkeypatch.setattr("dispatchdata.export.csv_tables.iter_record_rows", explode)
    with pytest.raises(OSError, match="No space left"):
        export(minimal, "csv", out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_output_that_is_a_file_is_refused(minimal: dict[str, Any], tmp_path: Path) -> None:
    """--output must be a folder."""
    target = tmp_path / "file.txt"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="is not a folder"):
        export(minimal, "json", target)
    assert target.read_text(encoding="utf-8") == "keep me"


def test_non_empty_folder_not_made_by_an_export_is_refused(minimal: dict[str, Any], tmp_path: Path) -> None:
    """A folder of someone's files is never overwritten; a previous export in the same format
    is, whole; one in another format is refused."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match=r"holds 'notes\.txt' and no \.dispatchdata-export marker"):
        export(minimal, "json", tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "mine"
    export(minimal, "csv", tmp_path / "again")
    before = sorted(p.name for p in (tmp_path / "again").iterdir())
    export(minimal, "csv", tmp_path / "again")  # a previous export: replaced whole
    assert sorted(p.name for p in (tmp_path / "again").iterdir()) == before
    with pytest.raises(ExportError, match="it is a csv export, not json"):
        export(minimal, "json", tmp_path / "again")
    assert sorted(p.name for p in (tmp_path / "again").iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again", "mine"]


def test_hostile_ids_never_reach_the_file_system(tmp_path: Path) -> None:
    """An id like '../../x' is invalid data: refused before anything is written; and the writer
    itself refuses any file name that could leave the folder."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data)
    path = data / "dataset.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("name: minimal", "name: ../../x"), encoding="utf-8"
    )
    with pytest.raises(InvalidDatasetError):
        open_bundle(data)
    for name in ("../x", "a/b", "..", ".hidden", "", "a\\b"):
        with pytest.raises(ExportError):
            safe_path(tmp_path, name)
    result = runner.invoke(
        main, ["export", "json", "--release", str(data), "--output", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_cli_export_refusal_exits_2_with_a_message(tmp_path: Path) -> None:
    """A refused --output: exit 2, one line on stderr, no traceback."""
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["export", "csv", "--output", str(target)])
    assert result.exit_code == 2
    expected = "is not a folder; give --output a folder (new, empty, or a previous export)"
    assert result.stderr == f"dispatchdata: error: {target} {expected}\n"


def test_every_table_has_a_primary_key_and_known_references() -> None:
    """Link tables key every list; foreign keys point at real tables and columns."""
    for table in ALL_TABLES:
        assert set(table.primary_key) <= set(table.column_names)
        for fk in table.foreign_keys:
            assert set(fk.columns) <= set(table.column_names)
            assert set(fk.referenced) == set(BY_NAME[fk.table].primary_key)


_KEYED_BY_VALUE = {"documents": ("footnotes",), "statements": ("footnotes", "responds_to", "targets")}


@settings(max_examples=examples(40), deadline=None)
@given(data=st.data())
def test_table_rows_come_in_key_order_whatever_the_record_order(
    real: dict[str, Any], data: st.DataObject
) -> None:
    """Each table's rows come strictly increasing by primary key, all of them, from records in
    any order, in lists or held as canonical JSON, and with the lists that key a table by value
    (footnote numbers, answered statements, targets) in any order: what lets the table formats
    write every row as it comes."""
    collections: dict[str, Any] = {}
    for name, records in real["collections"].items():
        shuffled = []
        for record in data.draw(st.permutations(records)):
            lists = {k: data.draw(st.permutations(record[k])) for k in _KEYED_BY_VALUE.get(name, ())}
            shuffled.append({**record, **lists})
        if data.draw(st.booleans()):
            collections[name] = CanonicalRecords()
            collections[name].extend(shuffled)
        else:
            collections[name] = shuffled
    rows: dict[str, list[Any]] = {t.name: [] for t in ALL_TABLES}
    # The same data, whatever the order: its identity is the real one's (its own canonical bundle
    # would name the records in their new order, unreleased).
    reordered = IdentifiedBundle({**real, "collections": collections})
    reordered.identity = identity_of(real)
    for record in iter_record_rows(reordered):
        for name, some in record.items():
            rows[name] += some
    for table in ALL_TABLES:
        positions = [table.column_names.index(k) for k in table.primary_key]
        keys = [tuple(row[i] for i in positions) for row in rows[table.name]]
        assert keys == sorted(set(keys)), table.name
    assert rows == {t.name: sorted(t.rows) for t in tables_of(real)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_file_an_export_writes_is_its_formats_own(
    fmt: str, minimal: dict[str, Any], tmp_path: Path
) -> None:
    """The registry says which file names a format writes (what a later export in it may
    replace): every file an export writes is one of them."""
    from dispatchdata.export import EXPORTERS

    export(minimal, fmt, tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out").iterdir() if p.name not in (MARKER, "SHA256SUMS"))
    assert names
    assert [n for n in names if not EXPORTERS[fmt].writes(n)] == []


def test_the_readme_lists_every_export_format() -> None:
    """The README's table of formats names each registered format once: a format added to (or
    dropped from) the registry fails here until the README says so."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("| format | what it writes |", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"^\| `([a-z]+)` \|", table, flags=re.M)
    assert sorted(listed) == sorted(FORMATS)
    assert len(listed) == len(set(listed))
