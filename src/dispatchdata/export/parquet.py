"""``parquet``: every table of the CSV export as a typed Parquet file, ``<table>.parquet``,
written by pyarrow (the optional ``parquet`` extra).

Types come from the table definitions: integers as int64, booleans as bool, dates as date32 (a
date column holds the ISO date the data holds; a date as printed, such as a footnote's
"December 25, 3033", is a text column and stays text), other columns as UTF-8 strings, and a
column with an enumeration as a dictionary of its values, in their order. A required column is
not nullable (an anchor's empty prefix is a value, not a missing one). Nothing is coerced: a value
its column cannot hold as it is fails the export, naming the table and column. Each file's
key-value metadata holds the dataset's metadata (the rows of the ``metadata`` table, the
citation among them) and the table's name, description and primary key; each column's
description is in its field's metadata.

Deterministic: rows in key order, row groups of a fixed number of rows, and every writer option
set here (:data:`WRITER_OPTIONS`), none left to defaults that change between versions. pyarrow
writes its own version into each file (``created_by``), so byte identity holds under one writer
version (the tests pin it); the decoded contents are the same under any.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from ..display import excerpt
from . import EXPORTERS, ExportError, safe_path
from .tables import TABLES, Column, Row, Table, TableSet, metadata_rows

try:
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]
except ImportError:  # the parquet extra is not installed: write() says so
    pa = pq = None

MISSING = EXPORTERS["parquet"].install_message()

#: Every writer option that shapes the bytes, explicit: zstd at a fixed level, format 2.6 with
#: version 1 data pages (what every reader reads), dictionary encoding and statistics (both
#: functions of the values alone), the Arrow schema stored (readers see the dictionaries and the
#: descriptions), no page index.
WRITER_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "version": "2.6",
    "data_page_version": "1.0",
    "use_dictionary": True,
    "write_statistics": True,
    "write_page_index": False,
    "store_schema": True,
}

#: Rows a row group holds (the last of a table holds the rest): a function of the data alone.
ROW_GROUP_ROWS = 65536
#: Rows of a table held as Python values at once, before they are made Arrow arrays (a divisor
#: of ROW_GROUP_ROWS, so that every row group but the last is full).
BATCH_ROWS = 8192


def _type(column: Column) -> Any:
    """The Arrow type of a column."""
    if column.enum:
        return pa.dictionary(pa.int32(), pa.string())
    return {"integer": pa.int64(), "boolean": pa.bool_(), "date": pa.date32()}.get(column.type, pa.string())


def arrow_schema(table: Table, metadata: dict[str, str]) -> Any:
    """A table's Arrow schema: its typed fields (nullable only where not required), with their
    descriptions, and the dataset's ``metadata`` with the table's name, description and key."""
    fields = [
        pa.field(
            c.name,
            _type(c),
            nullable=not (c.required or c.text_may_be_empty),
            metadata={"description": c.description},
        )
        for c in table.columns
    ]
    own = {
        "table": table.name,
        "table_description": table.description,
        "primary_key": ",".join(table.primary_key),
    }
    return pa.schema(fields, metadata={**metadata, **own})


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch


def _date(where: str, text: Any) -> datetime.date | None:
    if text is None:
        return None
    try:
        # Python reads more than YYYY-MM-DD as a date (2023-W01-1, 20230101): only that form is one
        if not isinstance(text, str) or _ISO_DATE(text) is None:
            raise ValueError(text)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ExportError(f"{where}: {excerpt(repr(text))} is not a calendar date (YYYY-MM-DD)") from None


def _enumerated(where: str, column: Column, values: Iterable[Any]) -> Any:
    """A dictionary array of ``values`` over the column's enumeration, in its order."""
    index = {value: i for i, value in enumerate(column.enum)}
    indices = []
    for value in values:
        if value is not None and (not isinstance(value, str) or value not in index):
            values_are = excerpt(", ".join(column.enum))
            raise ExportError(f"{where}: {excerpt(repr(value))} is not one of its values ({values_are})")
        indices.append(None if value is None else index[value])
    return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), pa.array(column.enum, pa.string()))


def arrow_array(table: str, column: Column, values: Iterable[Any]) -> Any:
    """A column's values as an Arrow array of its type; a value it cannot hold as it is (a
    date that names no date, a text where a number goes, a missing required value) raises
    ExportError naming ``table`` and the column."""
    where = f"{table}.{column.name}"
    if column.enum:
        array = _enumerated(where, column, values)
    else:
        if column.type == "date":
            values = [_date(where, v) for v in values]
        try:
            array = pa.array(values if isinstance(values, list) else list(values), _type(column))
        except (pa.ArrowException, OverflowError, TypeError, ValueError) as error:
            raise ExportError(f"{where}: a value it cannot hold: {excerpt(str(error))}") from None
    if array.null_count and (column.required or column.text_may_be_empty):
        raise ExportError(f"{where}: a required value is missing")
    return array


class _TableWriter:
    """One table's file, written a row group at a time: rows are made Arrow arrays every
    :data:`BATCH_ROWS` (compact, where a row as Python values takes several times its text) and
    a row group written every :data:`ROW_GROUP_ROWS`."""

    def __init__(self, table: Table, schema: Any, writer: Any) -> None:
        self.table, self.schema, self.writer = table, schema, writer
        self.rows: list[Row] = []
        self.batches: list[Any] = []
        self.batched = 0

    def add(self, rows: list[Row]) -> None:
        """Take a record's rows (in key order)."""
        self.rows += rows
        while len(self.rows) >= BATCH_ROWS:
            self._batch(self.rows[:BATCH_ROWS])
            del self.rows[:BATCH_ROWS]

    def close(self) -> None:
        """Write what is left: the last row group, smaller than the others."""
        if self.rows:
            self._batch(self.rows)
            self.rows = []
        if self.batches:
            self._write()

    def _batch(self, rows: list[Row]) -> None:
        columns = zip(*rows, strict=True)
        arrays = [
            arrow_array(self.table.name, c, list(v)) for c, v in zip(self.table.columns, columns, strict=True)
        ]
        self.batches.append(pa.RecordBatch.from_arrays(arrays, schema=self.schema))
        self.batched += len(rows)
        if self.batched >= ROW_GROUP_ROWS:
            self._write()

    def _write(self) -> None:
        table = pa.Table.from_batches(self.batches, schema=self.schema)
        self.writer.write_table(table, row_group_size=self.batched)
        self.batches, self.batched = [], 0


def write(bundle: dict[str, Any], folder: Path, layout: TableSet = TABLES) -> None:
    """Write ``<table>.parquet`` for every table (of the model's collections, or of ``layout``),
    all at once, row group by row group as the records come: no table is ever held whole."""
    if pa is None:
        raise ExportError(MISSING)
    metadata: dict[str, str] = dict(metadata_rows(bundle))  # every file carries them
    with ExitStack() as files:
        writers: dict[str, _TableWriter] = {}
        for table in layout.schemas:
            path = safe_path(folder, f"{table.name}.parquet")
            schema = arrow_schema(table, metadata)
            writer = files.enter_context(pq.ParquetWriter(path, schema, **WRITER_OPTIONS))
            writers[table.name] = _TableWriter(table, schema, writer)
        for record in layout.iter_record_rows(bundle):
            for name, rows in record.items():
                if rows:
                    writers[name].add(rows)
        for table_writer in writers.values():
            table_writer.close()
