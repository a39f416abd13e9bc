"""``sqlite``: one database with primary and foreign keys, an index on every reference, full-text
search over statement summaries and quotes, convenience views, and the dataset's metadata in a
``metadata`` table, so that a copied ``.db`` still says what it is. It opens in Datasette.

The file is deterministic: the same release gives the same bytes (fixed page size, no journal, rows
inserted in key order, no timestamps).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from . import ExportError, safe_path
from .json_bundle import file_name
from .tables import TABLES, Row, Table, TableSet

_FTS = "statements_fts"
_TYPES = {"string": "TEXT", "date": "TEXT", "integer": "INTEGER", "boolean": "INTEGER"}

VIEWS = {
    "statements_with_speakers": """
        SELECT s.id, s.document, s.speaker, a.name AS speaker_name, s.kind, s.summary, s.verb,
               s.date, s.medium
        FROM statements AS s JOIN actors AS a ON a.id = s.speaker""",
    # A stance is its holder's where it names one (the statement reports it), else the speaker's;
    # ``reported`` lists the statements that report it (NULL where every one voices it).
    "stance_matrix": """
        SELECT coalesce(t.holder, s.speaker) AS actor, a.name AS actor_name, t.proposal,
               p.title AS proposal_title,
               group_concat(DISTINCT t.stance) AS stances, count(*) AS statement_count,
               group_concat(s.id, ' ') AS statements,
               group_concat(CASE WHEN t.holder <> s.speaker THEN s.id END, ' ') AS reported
        FROM stances AS t
        JOIN statements AS s ON s.id = t.statement
        JOIN actors AS a ON a.id = coalesce(t.holder, s.speaker)
        JOIN proposals AS p ON p.id = t.proposal
        GROUP BY coalesce(t.holder, s.speaker), t.proposal
        ORDER BY coalesce(t.holder, s.speaker), t.proposal""",
}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(table: Table) -> str:
    """The CREATE TABLE statement of a table, with its keys and NOT NULL constraints."""
    lines = []
    for c in table.columns:
        check = f" CHECK ({_quote(c.name)} IN (0, 1))" if c.type == "boolean" else ""
        null = " NOT NULL" if c.required or c.text_may_be_empty else ""
        lines.append(f"  {_quote(c.name)} {_TYPES[c.type]}{null}{check}")
    lines.append(f"  PRIMARY KEY ({', '.join(map(_quote, table.primary_key))})")
    for fk in table.foreign_keys:
        cols, refs = ", ".join(map(_quote, fk.columns)), ", ".join(map(_quote, fk.referenced))
        lines.append(f"  FOREIGN KEY ({cols}) REFERENCES {_quote(fk.table)} ({refs})")
    return f"CREATE TABLE {_quote(table.name)} (\n" + ",\n".join(lines) + "\n)"


def build(bundle: dict[str, Any], path: Path, layout: TableSet = TABLES) -> None:
    """Create the database file at ``path`` (which must not exist), with the tables of the
    model's collections (or of ``layout``)."""
    try:
        _build(bundle, path, layout)
    except sqlite3.Error as error:
        raise ExportError(f"could not build the SQLite database: {error}") from None


# Rows are inserted in batches of about this many, table by table, as records come.
_BATCH = 5000


def _build(bundle: dict[str, Any], path: Path, layout: TableSet) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA page_size = 4096")
        db.execute("PRAGMA journal_mode = OFF")
        # Keys are checked once, by foreign_key_check below, with every index in place: enforced
        # while rows come, each parent row would search the child tables, unindexed until then.
        db.execute("BEGIN")
        for table in layout.schemas:
            db.execute(create_table_sql(table))
        db.execute(f"CREATE VIRTUAL TABLE {_FTS} USING fts5(statement UNINDEXED, summary, quotes)")
        _insert_rows(db, bundle, layout)
        for table in layout.schemas:  # indexes built once the rows are in: faster than kept up to date
            for fk in table.foreign_keys:
                index = _quote(f"{table.name}_{'_'.join(fk.columns)}")
                columns = ", ".join(map(_quote, fk.columns))
                db.execute(f"CREATE INDEX {index} ON {_quote(table.name)} ({columns})")
        for name, sql in VIEWS.items():
            db.execute(f"CREATE VIEW {_quote(name)} AS {sql.strip()}")
        db.execute("COMMIT")
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise ExportError(f"foreign key check failed: {problems[:5]}")
        db.execute("VACUUM")
    finally:
        db.close()


def _insert_rows(db: sqlite3.Connection, bundle: dict[str, Any], layout: TableSet) -> None:
    """Every table's rows, and a full-text entry per statement (its summary and its quotes), in
    key order, in batches, as the records come: no table is held whole."""
    inserts = {
        t.name: f"INSERT INTO {_quote(t.name)} VALUES ({', '.join('?' for _ in t.columns)})"
        for t in layout.schemas
    }
    inserts[_FTS] = f"INSERT INTO {_FTS} (statement, summary, quotes) VALUES (?, ?, ?)"
    pending: dict[str, list[Row]] = {name: [] for name in inserts}
    by_name = {t.name: t for t in layout.schemas}
    # A statement's full-text entry: its id and summary, and its quotes' text.
    entry = by_name["statements"].getter("id", "summary")
    field, exact = by_name["anchors"].getter("field"), by_name["anchors"].getter("exact")

    def add(name: str, rows: list[Row]) -> None:
        batch = pending[name]
        batch += rows
        if len(batch) >= _BATCH:
            db.executemany(inserts[name], batch)
            batch.clear()

    for record in layout.iter_record_rows(bundle):
        for name, rows in record.items():
            if rows:
                add(name, rows)
        if "statements" in record:
            (row,) = record["statements"]
            quotes = [exact(a) for a in record["anchors"] if field(a) == "quotes"]
            add(_FTS, [(*entry(row), "\n".join(quotes))])
    for name, batch in pending.items():
        if batch:
            db.executemany(inserts[name], batch)


def write(bundle: dict[str, Any], folder: Path) -> None:
    """Write ``<name>-<version>.db``."""
    build(bundle, safe_path(folder, file_name(bundle, ".db")))
