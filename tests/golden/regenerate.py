"""Regenerate the golden export files from tests/cases/minimal.

    python tests/golden/regenerate.py

Run it only when an export format changes on purpose, and review the diff of tests/golden/ like
any other change: these files are what the tests hold every export to.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "src"))

from dispatchdata.export import FORMATS, export  # noqa: E402
from dispatchdata.release.release import open_bundle  # noqa: E402

MINIMAL = HERE.parent / "cases" / "minimal"


def sqlite_dump(path: Path) -> str:
    """A database as SQL text: comparable across SQLite builds, unlike its bytes."""
    db = sqlite3.connect(path)
    try:
        return "\n".join(db.iterdump()) + "\n"
    finally:
        db.close()


def parquet_dump(path: Path) -> str:
    """A Parquet file as text to review: its writer, each column's type and nullability, its
    key-value metadata (but pyarrow's own copy of the schema), then each row as JSON. Its bytes
    are held by the SHA256SUMS beside it (the pinned writer's)."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]  # deferred: the parquet golden only

    table = pq.read_table(path)
    lines = [f"created_by: {pq.ParquetFile(path).metadata.created_by}"]
    lines += [f"column {f.name}: {f.type}{'' if f.nullable else ' not null'}" for f in table.schema]
    metadata = sorted(table.schema.metadata.items())
    lines += [f"metadata {k.decode()}: {json.dumps(v.decode())}" for k, v in metadata if k != b"ARROW:schema"]
    lines += [json.dumps(row, default=str, ensure_ascii=False) for row in table.to_pylist()]
    return "\n".join(lines) + "\n"


def golden_files(output: Path) -> dict[str, bytes]:
    """What the golden folder of one export holds: files as written, a database as its dump, a
    Parquet file as its dump (and its bytes in SHA256SUMS)."""
    files: dict[str, bytes] = {}
    for path in sorted(output.iterdir()):
        if path.suffix == ".db":
            files[path.name + ".sql"] = sqlite_dump(path).encode("utf-8")
        elif path.suffix == ".parquet":
            files[path.name + ".txt"] = parquet_dump(path).encode("utf-8")
        elif path.name != "SHA256SUMS" or not any(p.suffix == ".db" for p in output.iterdir()):
            files[path.name] = path.read_bytes()
    return files


def main() -> None:
    bundle = open_bundle(MINIMAL)
    for fmt in FORMATS:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / fmt
            export(bundle, fmt, out)
            target = HERE / fmt
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            for name, data in golden_files(out).items():
                (target / name).write_bytes(data)
    print(f"regenerated {', '.join(FORMATS)} in {HERE}")


if __name__ == "__main__":
    main()
