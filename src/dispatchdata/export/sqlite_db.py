"""``sqlite``: one database, ``<name>.db``, with primary and foreign keys, an index on every
reference, full-text search over statement summaries and quotes, convenience views, and the
dataset's metadata (its version among them) in a ``metadata`` table, so that a copied ``.db``
still says what it is; beside it, ``metadata.json`` for Datasette
(:mod:`~dispatchdata.export.datasette`).

What Datasette needs is built in: the file name is the dataset's name alone (a version in it,
``dispatchdata-1.0.0``, turns every link into an error: Datasette reads the dots as a format);
``statements_fts`` is an external-content FTS5 table (``content="statements"``, its rowids the
statements'), which Datasette's table search finds, over the statements' ``summary`` and a
``quotes`` column the database adds to ``statements`` (their quotes' text, one a line), so that
the index and its content agree; and a table referenced by a key of several
columns (``footnotes``, by ``footnote_dates`` and ``statement_footnotes``) gets a one-column key,
``id``, that the tables referencing it hold too (``footnote_id``): Datasette links single-column
keys only. Its views are plain SQL that DuckDB's SQLite reader runs too.

The file is deterministic: the same release gives the same bytes (fixed page size, no journal, rows
inserted in key order, no timestamps).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import ExportError, datasette, safe_path
from .tables import TABLES, Column, ForeignKey, Row, Table, TableSet

_FTS = "statements_fts"
_QUOTES = (
    "The statement's quotes, one a line (empty for none): what full-text search indexes with the summary."
)
_TYPES = {"string": "TEXT", "date": "TEXT", "integer": "INTEGER", "boolean": "INTEGER"}
#: What joins the values of a composite key into its one-column stand-in: no id (a slug) and no
#: number holds it, so the stand-in is unique as the key is.
LINK_SEPARATOR = ":"

VIEWS = {
    "statements_with_speakers": """
        SELECT s.id, s.document, s.speaker, a.name AS speaker_name, s.kind, s.summary, s.verb,
               s.date, s.medium
        FROM statements AS s JOIN actors AS a ON a.id = s.speaker""",
    # A stance is its holder's where it names one (the statement reports it), else the speaker's;
    # ``reported`` lists the statements that report it (NULL where every one voices it). Counted
    # by a column, not ``count(*)``: DuckDB's SQLite reader hands SQLite its own ``count_star()``.
    "stance_matrix": """
        SELECT coalesce(t.holder, s.speaker) AS actor, a.name AS actor_name, t.proposal,
               p.title AS proposal_title,
               group_concat(DISTINCT t.stance) AS stances,
               CAST(count(t.statement) AS INTEGER) AS statement_count,
               group_concat(s.id, ' ') AS statements,
               group_concat(CASE WHEN t.holder <> s.speaker THEN s.id END, ' ') AS reported
        FROM stances AS t
        JOIN statements AS s ON s.id = t.statement
        JOIN actors AS a ON a.id = coalesce(t.holder, s.speaker)
        JOIN proposals AS p ON p.id = t.proposal
        GROUP BY coalesce(t.holder, s.speaker), t.proposal
        ORDER BY coalesce(t.holder, s.speaker), t.proposal""",
}


#: What each view shows, and each of its columns that is not a statement's own column (those are
#: described as in ``statements``): Datasette shows them on the view's page.
VIEW_DESCRIPTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "statements_with_speakers": (
        "Every statement with its speaker's name beside the speaker's id.",
        {"speaker_name": "The speaker's name (actors.name)."},
    ),
    "stance_matrix": (
        "Each actor's stances on each proposal, one row a pair, with the statements behind them: the"
        " stance's holder where a statement reports someone else's stance, else the speaker."
        " The order of the stances and statements within a row is not specified.",
        {
            "actor": "The actor holding the stances (stances.holder, else the statement's speaker).",
            "actor_name": "The actor's name (actors.name).",
            "proposal": "The proposal the stances are on.",
            "proposal_title": "The proposal's title (proposals.title).",
            "stances": "The distinct stances taken, comma-separated (supports, opposes, mixed, neutral).",
            "statement_count": "How many stances of the statements make up the row.",
            "statements": "The ids of the statements behind the stances, space-separated.",
            "reported": "The ids of the statements that report the stance rather than voice it"
            " (empty where every one voices it), space-separated.",
        },
    ),
}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class SqliteTable:
    """A table as the database has it: the table, the columns a key of several columns must be
    unique by (where a one-column stand-in is the primary key), and what computes the values of
    the columns added to each row (the stand-ins)."""

    table: Table
    unique: tuple[str, ...] = ()
    added: tuple[Callable[[Row], Any], ...] = ()


def _stand_in(table: Table, columns: tuple[str, ...]) -> Callable[[Row], str]:
    """What gives a row's one-column stand-in for its key of ``columns`` (several)."""
    indexes = tuple(map(table.column_names.index, columns))
    if len(indexes) == 2:  # every composite key of the model: one f-string, for each of its rows
        a, b = indexes
        return lambda row: f"{row[a]}{LINK_SEPARATOR}{row[b]}"
    values = table.getter(*columns)
    return lambda row: LINK_SEPARATOR.join(map(str, values(row)))


def sqlite_tables(schemas: tuple[Table, ...]) -> dict[str, SqliteTable]:
    """The tables as the database has them: a table referenced by a key of several columns gets
    an ``id`` column (its key's values joined by :data:`LINK_SEPARATOR`) as its primary key, the
    key staying unique; each table referencing it gets ``<table, singular>_id`` with a foreign
    key to that ``id``, beside the composite one; ``statements`` gets ``quotes``."""
    by_name = {t.name: t for t in schemas}
    linked = {fk.table for t in schemas for fk in t.foreign_keys if len(fk.columns) > 1}
    out = {}
    for table in schemas:
        columns, keys, added = table.columns, table.foreign_keys, []
        if table.name == "statements":  # filled by _insert_rows, from the statement's anchors
            columns += (Column("quotes", "string", _QUOTES, text_may_be_empty=True),)
        for fk in table.foreign_keys:
            if len(fk.columns) > 1:
                referenced = by_name[fk.table]
                if fk.referenced != referenced.primary_key:
                    raise ExportError(
                        f"{table.name}: a composite key must reference {fk.table}'s primary key"
                    )
                name = f"{fk.table.removesuffix('s')}_id"
                columns += (
                    Column(name, "string", f"The {fk.table.removesuffix('s')}'s id (see {fk.table}.id)."),
                )
                keys += (ForeignKey((name,), fk.table, ("id",)),)
                added.append(_stand_in(table, fk.columns))
        if table.name in linked:
            described = f"{', '.join(table.primary_key)}, joined by '{LINK_SEPARATOR}': a key of one column."
            columns += (Column("id", "string", described),)
            added.append(_stand_in(table, table.primary_key))
            changed = replace(table, columns=columns, foreign_keys=keys, primary_key=("id",))
            out[table.name] = SqliteTable(changed, table.primary_key, tuple(added))
        else:
            out[table.name] = SqliteTable(
                replace(table, columns=columns, foreign_keys=keys), (), tuple(added)
            )
    return out


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_table_sql(table: Table, unique: tuple[str, ...] = ()) -> str:
    """The CREATE TABLE statement of a table, with its keys, NOT NULL constraints, and checks of
    flags and enumerations."""
    lines = []
    for c in table.columns:
        check = ""
        if c.type == "boolean":
            check = f" CHECK ({_quote(c.name)} IN (0, 1))"
        elif c.enum:  # comparisons, not IN (…), which builds a lookup table for every row inserted
            check = f" CHECK ({' OR '.join(f'{_quote(c.name)} = {_sql_text(v)}' for v in c.enum)})"
        null = " NOT NULL" if c.required or c.text_may_be_empty else ""
        lines.append(f"  {_quote(c.name)} {_TYPES[c.type]}{null}{check}")
    lines.append(f"  PRIMARY KEY ({', '.join(map(_quote, table.primary_key))})")
    if unique:
        lines.append(f"  UNIQUE ({', '.join(map(_quote, unique))})")
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
        tables = sqlite_tables(layout.schemas)
        for t in tables.values():
            db.execute(create_table_sql(t.table, t.unique))
        # External content: the index only; its rowids are the statements' (see _insert_rows).
        db.execute(f'CREATE VIRTUAL TABLE {_FTS} USING fts5(summary, quotes, content="statements")')
        _insert_rows(db, bundle, layout, tables)
        for t in tables.values():  # indexes built once the rows are in: faster than kept up to date
            for fk in t.table.foreign_keys:
                index = _quote(f"{t.table.name}_{'_'.join(fk.columns)}")
                columns = ", ".join(map(_quote, fk.columns))
                db.execute(f"CREATE INDEX {index} ON {_quote(t.table.name)} ({columns})")
        for name, sql in VIEWS.items():
            db.execute(f"CREATE VIEW {_quote(name)} AS {sql.strip()}")
        db.execute("COMMIT")
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise ExportError(f"foreign key check failed: {problems[:5]}")
        db.execute("VACUUM")
    finally:
        db.close()


def _insert_rows(
    db: sqlite3.Connection, bundle: dict[str, Any], layout: TableSet, tables: dict[str, SqliteTable]
) -> None:
    """Every table's rows (with the columns :func:`sqlite_tables` adds: a statement's quotes from
    its record's anchors), and a full-text entry per statement (its summary and its quotes,
    under the statement's rowid: statements are inserted in key order into an empty table, so
    the n-th has rowid n), in key order, in batches, as the records come: no table is held
    whole."""
    inserts = {
        name: f"INSERT INTO {_quote(name)} VALUES ({', '.join('?' for _ in t.table.columns)})"
        for name, t in tables.items()
    }
    inserts[_FTS] = f"INSERT INTO {_FTS} (rowid, summary, quotes) VALUES (?, ?, ?)"
    pending: dict[str, list[Row]] = {name: [] for name in inserts}
    added = {name: t.added for name, t in tables.items() if t.added}
    by_name = {t.name: t for t in layout.schemas}
    # A statement's full-text entry: its summary, and its quotes' text.
    summary = by_name["statements"].getter("summary")
    field, exact = by_name["anchors"].getter("field"), by_name["anchors"].getter("exact")

    def add(name: str, rows: list[Row]) -> None:
        batch = pending[name]
        more = added.get(name)
        batch += [(*row, *(f(row) for f in more)) for row in rows] if more else rows
        if len(batch) >= _BATCH:
            db.executemany(inserts[name], batch)
            batch.clear()

    rowid = 0
    for record in layout.iter_record_rows(bundle):
        for name, rows in record.items():
            if rows and name != "statements":
                add(name, rows)
        if "statements" in record:
            (row,) = record["statements"]
            rowid += 1
            quotes = "\n".join([exact(a) for a in record["anchors"] if field(a) == "quotes"])
            add("statements", [(*row, quotes)])
            add(_FTS, [(rowid, summary(row), quotes)])
    for name, batch in pending.items():
        if batch:
            db.executemany(inserts[name], batch)


def file_name(bundle: dict[str, Any]) -> str:
    """``<name>.db``: the dataset's name alone (its version is in the ``metadata`` table)."""
    return f"{bundle['metadata']['name']}.db"


def write(bundle: dict[str, Any], folder: Path) -> None:
    """Write ``<name>.db`` and Datasette's ``metadata.json`` beside it."""
    path = safe_path(folder, file_name(bundle))
    build(bundle, path)
    tables = [t.table for t in sqlite_tables(TABLES.schemas).values()]
    datasette.write(bundle, folder, bundle["metadata"]["name"], tables, _views_described(path, tables))


def _views_described(path: Path, tables: list[Table]) -> dict[str, tuple[str, dict[str, str]]]:
    """Each view's description and its columns' (in the view's order): its own, else the
    statements table's column of that name."""
    own = {c.name: c.description for t in tables if t.name == "statements" for c in t.columns}
    db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        described = {}
        for name, (description, columns) in VIEW_DESCRIPTIONS.items():
            names = [row[1] for row in db.execute(f"PRAGMA table_info({_quote(name)})")]
            described[name] = (description, {n: columns.get(n) or own[n] for n in names})
        return described
    finally:
        db.close()
