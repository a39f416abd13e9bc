"""``csv``: every table as RFC 4180 CSV (UTF-8, a header row, ``\\n`` line endings).

Empty cells are missing values, except in anchor prefix/suffix columns, where an empty string is the
value (an anchor at the very start or end of a text). Booleans are ``true``/``false``.
"""

from __future__ import annotations

import csv
import io
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from . import safe_path
from .tables import ALL_TABLES, Column, Row, Table, TableSet, iter_record_rows, row_type


def cell(value: Any) -> str:
    """A value as CSV text (what the writer makes of every cell: ``None`` empty, numbers and
    strings as they are, booleans as ``true``/``false``, the one type it writes otherwise)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _booleans_written(rows: list[Row], columns: tuple[int, ...]) -> list[list[Any]]:
    """Rows with the cells of these (boolean) columns as :func:`cell` writes them."""
    written = []
    for row in rows:
        cells = list(row)
        for i in columns:
            cells[i] = cell(cells[i])
        written.append(cells)
    return written


def write_tables(bundle: dict[str, Any], folder: Path, layout: TableSet | None = None) -> None:
    """Write ``<table>.csv`` for every table (of the model's collections, or of ``layout``), all
    at once, each row as it comes (see :func:`~dispatchdata.export.tables.iter_record_rows`): no table
    is ever held whole.

    The csv writer writes ``None`` as an empty cell and numbers and strings as :func:`cell`
    does; only the boolean columns (two of the sixteen tables have one) go through it, which
    took a function call for each of millions of cells."""
    with ExitStack() as files:
        writers = {}
        for table in ALL_TABLES if layout is None else layout.schemas:
            out = files.enter_context(
                safe_path(folder, f"{table.name}.csv").open("w", encoding="utf-8", newline="")
            )
            writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(table.column_names)
            booleans = tuple(i for i, column in enumerate(table.columns) if column.type == "boolean")
            writers[table.name] = (writer.writerows, booleans)
        records = iter_record_rows(bundle) if layout is None else layout.iter_record_rows(bundle)
        for record in records:
            for name, rows in record.items():
                if rows:
                    write, booleans = writers[name]
                    write(_booleans_written(rows, booleans) if booleans else rows)


def write(bundle: dict[str, Any], folder: Path) -> None:
    """Write every table as CSV."""
    write_tables(bundle, folder)


def parse_cell(column: Column, text: str) -> Any:
    """A CSV cell back to its value (the inverse of :func:`cell`)."""
    if text == "" and not column.text_may_be_empty:
        return None
    if column.type == "integer":
        return int(text)
    if column.type == "boolean":
        return text == "true"
    return text


def read_table(schema: Table, text: str) -> Table:
    """Read one exported CSV table back, typed by its schema, as rows of the table's own class."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    if tuple(header) != schema.column_names:
        raise ValueError(f"{schema.name}.csv: unexpected header {header}")
    named = row_type(schema)._make
    typed = tuple(named(parse_cell(c, v) for c, v in zip(schema.columns, row, strict=True)) for row in body)
    return Table(
        schema.name, schema.description, schema.columns, schema.primary_key, schema.foreign_keys, typed
    )
