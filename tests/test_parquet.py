"""``export parquet``: the CSV export's tables as typed Parquet files (int64, bool, date32,
dictionary-encoded enumerations, required columns non-nullable), the dataset's metadata and
citation in each file, byte-identical under the pinned writer and decoded alike across runs,
read by DuckDB as they are with the SQLite export's answers; without pyarrow, a clear refusal."""

from __future__ import annotations

import datetime
import sqlite3
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from dispatchdata.citation import cite_text
from dispatchdata.cli import main
from dispatchdata.export import EXPORTERS, ExportError, export
from dispatchdata.export import parquet as parquet_export
from dispatchdata.export.sqlite_db import VIEWS
from dispatchdata.export.tables import ALL_TABLES, TABLES, Column, Table, tables_of
from dispatchdata.identity import identity_of
from dispatchdata.release.release import open_bundle

from .golden.regenerate import MINIMAL

runner = CliRunner()


@pytest.fixture(scope="module")
def real_parquet(real: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet") / "out"
    export(real, "parquet", out)
    return out


def _decoded(folder: Path) -> dict[str, tuple[str, dict[bytes, bytes], list[dict[str, Any]]]]:
    """Each file's schema (as text), key-value metadata and rows, as pyarrow reads them."""
    decoded = {}
    for path in sorted(folder.glob("*.parquet")):
        table = pq.read_table(path)
        decoded[path.name] = (str(table.schema), dict(table.schema.metadata), table.to_pylist())
    return decoded


def test_the_registry_lists_parquet_and_the_help_names_it() -> None:
    """One entry in EXPORTERS makes the format: `export --help` names it, and the files it may
    replace are its tables' Parquet files (not a CSV table, not a stray Parquet file)."""
    result = runner.invoke(main, ["export", "--help"])
    assert result.exit_code == 0
    assert "parquet" in " ".join(result.output.split()).split("FORMAT is one of: ", 1)[1].split(".")[0]
    writes = EXPORTERS["parquet"].writes
    assert [
        n for n in ("anchors.parquet", "statements.parquet", "actors.csv", "notes.parquet") if writes(n)
    ] == [
        "anchors.parquet",
        "statements.parquet",
    ]


def test_one_file_per_table_of_the_csv_export(real_parquet: Path, tmp_path: Path) -> None:
    """The same tables as the CSV export, one ``<table>.parquet`` each, listed in SHA256SUMS."""
    export(open_bundle(MINIMAL), "csv", tmp_path / "csv")
    csv_tables = sorted(p.stem for p in (tmp_path / "csv").glob("*.csv"))
    names = sorted(p.name for p in real_parquet.iterdir())
    assert names == sorted([*(f"{t}.parquet" for t in csv_tables), "SHA256SUMS", ".dispatchdata-export"])
    assert csv_tables == sorted(t.name for t in ALL_TABLES)
    listed = [line.split("  ")[1] for line in (real_parquet / "SHA256SUMS").read_text().splitlines()]
    assert listed == sorted(f"{t}.parquet" for t in csv_tables)


def test_columns_are_typed_and_required_ones_not_nullable(real_parquet: Path) -> None:
    """int64, bool, date32 and string by the column's type, non-nullable where it is required
    (an anchor's prefix too: an empty string is its value there, never a missing one)."""
    dates = {
        f.name: (str(f.type), f.nullable) for f in pq.read_schema(real_parquet / "footnote_dates.parquet")
    }
    expected_dates = {
        "document": ("string", False),
        "footnote": ("int64", False),
        "item": ("int64", False),
        "printed": ("string", False),
        "date": ("date32[day]", False),
        "corrected": ("date32[day]", True),
        "correction_note": ("string", True),
    }
    assert {name: dates[name] for name in expected_dates} == expected_dates
    aliases = {f.name: (str(f.type), f.nullable) for f in pq.read_schema(real_parquet / "aliases.parquet")}
    assert (aliases["item"], aliases["misspelling"], aliases["note"]) == (
        ("int64", False),
        ("bool", False),
        ("string", True),
    )
    anchors = pq.read_schema(real_parquet / "anchors.parquet")
    assert [(f.name, f.nullable) for f in anchors][-2:] == [("prefix", False), ("suffix", False)]
    types = {"string": "string", "integer": "int64", "boolean": "bool", "date": "date32[day]"}
    dictionary = "dictionary<values=string, indices=int32, ordered=0>"
    for table in ALL_TABLES:
        schema = pq.read_schema(real_parquet / f"{table.name}.parquet")
        expected = [
            (c.name, dictionary if c.enum else types[c.type], not (c.required or c.text_may_be_empty))
            for c in table.columns
        ]
        assert [(f.name, str(f.type), f.nullable) for f in schema] == expected, table.name
        assert [f.metadata[b"description"].decode() for f in schema] == [c.description for c in table.columns]


def test_the_printed_3033_stays_text_and_its_date_stays_as_normalised(real_parquet: Path) -> None:
    """The footnote dated 3033: the printed text as printed, its normalised date as the data
    holds it (3033-12-25, a date), the correction beside it; nothing moved or coerced."""
    rows = pq.read_table(real_parquet / "footnote_dates.parquet").to_pylist()
    (row,) = [r for r in rows if r["footnote"] == 8]
    expected = {
        "document": "memri-special-dispatch-10423",
        "footnote": 8,
        "item": 0,
        "printed": "December 25, 3033",
        "date": datetime.date(3033, 12, 25),
        "corrected": datetime.date(2022, 12, 25),
    }
    assert {name: row[name] for name in expected} == expected
    assert row["correction_note"].startswith("The year 3033 is impossible: the dispatch is dated")


def test_every_row_decodes_to_the_tables_rows(real: dict[str, Any], real_parquet: Path) -> None:
    """Each file holds its table's rows, in key order, each value as the table holds it (a date
    as the ISO date its text names)."""
    for table in tables_of(real):
        decoded = pq.read_table(real_parquet / f"{table.name}.parquet").to_pylist()
        rows = [
            tuple(v.isoformat() if isinstance(v, datetime.date) else v for v in row.values())
            for row in decoded
        ]
        assert rows == list(table.rows), table.name


def test_row_groups_hold_a_fixed_number_of_rows(
    real: dict[str, Any], real_parquet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every row group but a table's last holds ROW_GROUP_ROWS rows, whatever the records hold
    (rows are made arrays BATCH_ROWS at a time): the same rows as in one group, in order."""
    monkeypatch.setattr(parquet_export, "ROW_GROUP_ROWS", 4)
    monkeypatch.setattr(parquet_export, "BATCH_ROWS", 2)
    parquet_export.write(real, tmp_path)
    for table in tables_of(real):
        meta = pq.ParquetFile(tmp_path / f"{table.name}.parquet").metadata
        sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        rows = len(table.rows)
        assert sizes == [4] * (rows // 4) + ([rows % 4] if rows % 4 else []), table.name
        small = pq.read_table(tmp_path / f"{table.name}.parquet")
        assert small.to_pylist() == pq.read_table(real_parquet / f"{table.name}.parquet").to_pylist()


def test_each_file_carries_the_metadata_and_citation(real: dict[str, Any], real_parquet: Path) -> None:
    """The dataset's metadata (the rows of its metadata table, the citation among them) and the
    table's own name, description and key, in every file's key-value metadata."""
    metadata = {r[0]: r[1] for r in tables_of(real)[0].rows}
    assert metadata["citation"] == cite_text(real)
    assert metadata["version"] == identity_of(real).label
    for table in ALL_TABLES:
        found = pq.read_schema(real_parquet / f"{table.name}.parquet").metadata
        own = {k.decode(): v.decode() for k, v in found.items() if k != b"ARROW:schema"}
        assert own == {
            **metadata,
            "table": table.name,
            "table_description": table.description,
            "primary_key": ",".join(table.primary_key),
        }


def test_the_pinned_writer_and_its_options(real_parquet: Path) -> None:
    """The files say which writer made them (pyarrow writes its version: byte identity holds
    under this one), zstd-compressed, with statistics."""
    meta = pq.ParquetFile(real_parquet / "statements.parquet").metadata
    assert meta.created_by == f"parquet-cpp-arrow version {pa.__version__}"
    assert pa.__version__ == "26.0.1"  # the test extra's pin: the golden SHA256SUMS are this writer's
    column = meta.row_group(0).column(0)
    assert (column.compression, column.is_stats_set) == ("ZSTD", True)


def test_decoded_contents_are_identical_across_runs(real: dict[str, Any], tmp_path: Path) -> None:
    """Whatever the writer's version, two exports decode to the same schema, metadata and rows
    (byte identity, under the pinned writer, is test_export's)."""
    export(real, "parquet", tmp_path / "a")
    export(real, "parquet", tmp_path / "b")
    assert _decoded(tmp_path / "a") == _decoded(tmp_path / "b")
    assert len(_decoded(tmp_path / "a")) == len(ALL_TABLES)


def test_without_pyarrow_the_export_is_refused_in_a_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No pyarrow (the extra not installed): exit 2 (an operational error), one line saying what
    to install, no traceback, and no output folder made."""
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    monkeypatch.delitem(sys.modules, "dispatchdata.export.parquet")
    result = runner.invoke(
        main, ["export", "parquet", "--release", str(MINIMAL), "--output", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "dispatchdata: error: the parquet format needs pyarrow, which is not installed: "
        "pip install 'dispatchdata[parquet]'\n"
    )
    assert not (tmp_path / "o").exists()


def test_without_pyarrow_nothing_is_read_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The missing extra is said before the data is read (a folder that is not a dataset is
    never looked at), and ``export()`` in Python refuses the same way."""
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    nowhere = str(tmp_path / "nowhere")
    result = runner.invoke(main, ["export", "parquet", "--release", nowhere, "--output", "o"])
    assert (result.exit_code, result.stderr) == (
        2,
        "dispatchdata: error: the parquet format needs pyarrow, which is not installed: "
        "pip install 'dispatchdata[parquet]'\n",
    )
    with pytest.raises(ExportError, match=r"^the parquet format needs pyarrow, which is not installed"):
        export({}, "parquet", tmp_path / "o")
    assert not (tmp_path / "o").exists()


def test_the_command_writes_a_file_per_table(tmp_path: Path) -> None:
    """Through the command line: exit 0 and the line every export prints."""
    out = tmp_path / "out"
    result = runner.invoke(main, ["export", "parquet", "--release", str(MINIMAL), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"exported minimal 1.0.0+unreleased.500650d4 as parquet to {out} ({len(ALL_TABLES) + 1} files)\n"
    )


def _with_enum(table: str, column: str, values: tuple[str, ...]) -> Any:
    """The model's tables with one column given an enumeration."""

    def enum(t: Table) -> Table:
        if t.name != table:
            return t
        columns = tuple(replace(c, enum=values) if c.name == column else c for c in t.columns)
        return replace(t, columns=columns)

    return replace(TABLES, schemas=tuple(map(enum, TABLES.schemas)))


def test_an_enumeration_is_dictionary_encoded_by_its_values(tmp_path: Path) -> None:
    """A column with an enumeration is a dictionary of its values, in their order, whichever
    occur: readers see its categories; the rows read back as the strings."""
    bundle = open_bundle(MINIMAL)
    kinds = ("direct-quote", "partial-quote", "paraphrase", "editorial")
    parquet_export.write(bundle, tmp_path, _with_enum("statements", "kind", kinds))
    field = pq.read_schema(tmp_path / "statements.parquet").field("kind")
    assert (str(field.type), field.nullable) == ("dictionary<values=string, indices=int32, ordered=0>", False)
    column = pq.read_table(tmp_path / "statements.parquet").column("kind").combine_chunks()
    assert column.dictionary.to_pylist() == list(kinds)
    (statements,) = [t for t in tables_of(bundle) if t.name == "statements"]
    assert column.to_pylist() == [statements.getter("kind")(row) for row in statements.rows]


def test_a_value_outside_its_enumeration_is_refused(tmp_path: Path) -> None:
    """Never written as another value, nor as a missing one: the export fails, naming it."""
    layout = _with_enum("statements", "kind", ("direct-quote", "editorial"))
    with pytest.raises(ExportError) as caught:
        parquet_export.write(open_bundle(MINIMAL), tmp_path, layout)
    assert str(caught.value) == (
        "statements.kind: 'paraphrase' is not one of its values (direct-quote, editorial)"
    )


@pytest.mark.parametrize("text", ["2023-02-30", "2023-W01-1", "20230101", "2023-01-1\u0661"])
def test_a_date_that_is_no_calendar_date_is_refused(text: str, tmp_path: Path) -> None:
    """A date column's text that is not a YYYY-MM-DD calendar date (valid data has none) is an
    error, never a null or a nearby date: not an ISO week date nor the basic form, which Python
    reads as dates, nor digits of another script."""
    bundle = open_bundle(MINIMAL)
    statement = dict(bundle["collections"]["statements"][0], date=text)
    collections = dict(
        bundle["collections"], statements=[statement, *bundle["collections"]["statements"][1:]]
    )
    with pytest.raises(ExportError) as caught:
        parquet_export.write(dict(bundle, collections=collections), tmp_path)
    assert str(caught.value) == f"statements.date: {text!r} is not a calendar date (YYYY-MM-DD)"


@pytest.mark.parametrize(("value", "kind"), [(7, "int"), (True, "bool")])
def test_a_value_of_another_type_is_refused(value: Any, kind: str, tmp_path: Path) -> None:
    """A number where text goes, or a flag (valid data has none): the export fails, naming the
    column; nothing is written as its text."""
    bundle = open_bundle(MINIMAL)
    statement = dict(bundle["collections"]["statements"][0], document=value)
    collections = dict(
        bundle["collections"], statements=[statement, *bundle["collections"]["statements"][1:]]
    )
    with pytest.raises(ExportError) as caught:
        parquet_export.write(dict(bundle, collections=collections), tmp_path)
    assert (
        str(caught.value)
        == f"statements.document: a value it cannot hold: Expected bytes, got a '{kind}' object"
    )


def test_a_missing_required_value_is_refused(tmp_path: Path) -> None:
    """A required column's missing value (valid data has none) fails the export, not a null in a
    non-nullable column."""
    bundle = open_bundle(MINIMAL)
    statement = dict(bundle["collections"]["statements"][0], summary=None)
    collections = dict(
        bundle["collections"], statements=[statement, *bundle["collections"]["statements"][1:]]
    )
    with pytest.raises(ExportError) as caught:
        parquet_export.write(dict(bundle, collections=collections), tmp_path)
    assert str(caught.value) == "statements.summary: a required value is missing"


@given(
    st.lists(st.text(st.characters(exclude_categories=["Cs"]))),
    st.lists(st.integers(-(2**63), 2**63 - 1)),
    st.lists(st.dates()),
)
def test_values_come_back_as_they_went(
    texts: list[str], numbers: list[int], dates: list[datetime.date]
) -> None:
    """Any text, any 64-bit integer and any ISO date (as its text) are read back exactly."""
    for column, values, back in (
        (Column("t", "string", ""), texts, texts),
        (Column("n", "integer", ""), numbers, numbers),
        (Column("d", "date", ""), [d.isoformat() for d in dates], dates),
    ):
        assert parquet_export.arrow_array("x", column, values).to_pylist() == back


# -- DuckDB reads the files as they are ------------------------------------------------------------


def _duckdb_over(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with a view per table over its Parquet file, nothing converted."""
    db = duckdb.connect()
    for table in ALL_TABLES:
        path = str(folder / f"{table.name}.parquet").replace("'", "''")
        db.execute(f"CREATE VIEW \"{table.name}\" AS SELECT * FROM read_parquet('{path}')")
    return db


def _sqlite_of(bundle: dict[str, Any], tmp_path: Path) -> sqlite3.Connection:
    export(bundle, "sqlite", tmp_path / "sqlite")
    (path,) = (tmp_path / "sqlite").glob("*.db")
    return sqlite3.connect(path)


def test_duckdb_reads_the_types(real_parquet: Path) -> None:
    """DuckDB sees dates as DATE, integers as BIGINT, flags as BOOLEAN, with no cast."""
    db = _duckdb_over(real_parquet)
    described = dict(r[:2] for r in db.execute("DESCRIBE footnote_dates").fetchall())
    expected = {
        "document": "VARCHAR",
        "footnote": "BIGINT",
        "item": "BIGINT",
        "printed": "VARCHAR",
        "date": "DATE",
        "corrected": "DATE",
        "correction_note": "VARCHAR",
    }
    assert {name: described[name] for name in expected} == expected
    assert db.execute("SELECT count(*) FROM aliases WHERE misspelling").fetchone() == (1,)


def test_duckdb_joins_statements_and_actors_as_sqlite_does(
    real: dict[str, Any], real_parquet: Path, tmp_path: Path
) -> None:
    """The statements–actors join (the SQLite export's statements_with_speakers view, its SQL
    run over the Parquet files) gives the same rows."""
    sql = VIEWS["statements_with_speakers"] + " ORDER BY s.id"
    expected = _sqlite_of(real, tmp_path).execute(sql).fetchall()
    found = _duckdb_over(real_parquet).execute(sql).fetchall()
    assert len(expected) == len(real["collections"]["statements"])
    assert any(isinstance(v, datetime.date) for row in found for v in row)  # a DATE in DuckDB
    # SQLite holds a date as its ISO text: the same date
    assert [
        tuple(v.isoformat() if isinstance(v, datetime.date) else v for v in row) for row in found
    ] == expected


#: The stance matrix's columns that list several values: group_concat's order is not defined by
#: SQL (DuckDB's varies with its threads), so these are compared as the sets they are.
_LISTS = {"stances": ",", "statements": " ", "reported": " "}


def _stance_rows(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [
        {
            n: sorted(v.split(_LISTS[n])) if n in _LISTS and v is not None else v
            for n, v in zip(names, row, strict=True)
        }
        for row in cursor.fetchall()
    ]


def _stance_matrix_in_duckdb(db: duckdb.DuckDBPyConnection) -> Any:
    """The stance_matrix view's SQL run by DuckDB. Where it selects an actor's name and a
    proposal's title beside their GROUP BY (SQLite's bare columns, which DuckDB refuses: issue
    23 asks for plain SQL), they are grouped by too: the same groups, since each is a function of
    the id grouped by."""
    sql = VIEWS["stance_matrix"]
    try:
        return db.execute(sql)
    except duckdb.BinderException:
        group = "GROUP BY coalesce(t.holder, s.speaker), t.proposal"
        assert group in sql
        return db.execute(sql.replace(group, f"{group}, a.name, p.title"))


def test_duckdb_gives_the_stance_matrix_sqlite_gives(
    real: dict[str, Any], real_parquet: Path, tmp_path: Path
) -> None:
    """The SQL of the SQLite export's stance_matrix view, run by DuckDB over the Parquet files,
    gives the rows the view gives (its lists compared as sets: see _LISTS)."""
    expected = _stance_rows(_sqlite_of(real, tmp_path).execute("SELECT * FROM stance_matrix"))
    found = _stance_rows(_stance_matrix_in_duckdb(_duckdb_over(real_parquet)))
    assert len(expected) == 23
    assert any(row["reported"] for row in expected)  # a reported stance among them
    assert found == expected
