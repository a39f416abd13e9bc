"""Exports of a release: a registry of formats, written deterministically and atomically.

Every export writes its files into a fresh temporary folder beside ``--output``, adds a
``SHA256SUMS`` listing them, and only then swaps the folder into place: a failed export leaves the
previous output as it was. File names come from the format, never from the data, so nothing can be
written outside the output folder whatever ids the data holds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DispatchDataError

SUMS = "SHA256SUMS"


class ExportError(DispatchDataError):
    """An export was refused or failed; the previous output is untouched."""


@dataclass(frozen=True, slots=True)
class Exporter:
    """A format: what it writes, and the function that writes it into a folder."""

    name: str
    description: str
    write: Callable[[dict[str, Any], Path], None]


def _exporters() -> dict[str, Exporter]:
    from . import citation, csv_tables, datapackage, json_bundle, sqlite_db

    return {
        e.name: e
        for e in (
            Exporter("json", "the release bundle, one JSON file", json_bundle.write),
            Exporter("csv", "one CSV table per collection and per list (link tables)", csv_tables.write),
            Exporter(
                "sqlite",
                "one SQLite database: keys, indexes, full-text search, views, metadata",
                sqlite_db.write,
            ),
            Exporter(
                "datapackage",
                "a Frictionless Data Package v2: datapackage.json and the CSV tables",
                datapackage.write,
            ),
            Exporter("citation", "CITATION.cff, BibTeX and biblatex", citation.write),
        )
    }


#: The format names, for the CLI's choices (kept here so that listing them imports no writer).
FORMATS = ("citation", "csv", "datapackage", "json", "sqlite")


def safe_path(folder: Path, name: str) -> Path:
    """``folder / name`` for a plain file name; anything that could leave the folder is refused."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name or name.startswith("."):
        raise ExportError(f"refusing to write a file named {name!r}")
    return folder / name


def _sha256(path: Path) -> str:
    """A file's SHA-256, read a megabyte at a time (an export's file may be larger than memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _sums(folder: Path) -> str:
    lines = []
    for path in sorted(folder.iterdir()):
        lines.append(f"{_sha256(path)}  {path.name}\n")
    return "".join(lines)


def _made_by_export(folder: Path) -> bool:
    """True when every file in the folder is listed in its SHA256SUMS (a previous export)."""
    sums = folder / SUMS
    if not sums.is_file():
        return False
    listed = {
        line.split("  ", 1)[1] for line in sums.read_text(encoding="utf-8").splitlines() if "  " in line
    }
    present = {p.name for p in folder.iterdir()} - {SUMS}
    return present <= listed and all((folder / name).is_file() for name in present)


def check_output(output: Path) -> None:
    """Refuse an output that is a file, or a non-empty folder no export made."""
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        raise ExportError(
            f"{output} is not a folder; give --output a folder (new, empty, or a previous export)"
        )
    if output.is_dir() and any(output.iterdir()) and not _made_by_export(output):
        raise ExportError(f"{output} is a non-empty folder that no export made; refusing to overwrite it")


def export(bundle: dict[str, Any], fmt: str, output: str | Path) -> list[Path]:
    """Write ``bundle`` in format ``fmt`` into the folder ``output``; returns the files written."""
    import shutil  # here, with tempfile: every command imports this module for FORMATS
    import tempfile

    exporters = _exporters()
    if fmt not in exporters:
        raise ExportError(f"unknown format {fmt!r} (formats: {', '.join(sorted(exporters))})")
    output = Path(output)
    check_output(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.dispatchdata-"))
    try:
        from ..atomic import default_mode

        staging.chmod(default_mode(0o777))  # mkdtemp makes it private; the export is not
        exporters[fmt].write(bundle, staging)
        safe_path(staging, SUMS).write_text(_sums(staging), encoding="utf-8", newline="\n")
        if output.exists():
            retired_dir = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.old-"))
            retired = retired_dir / output.name
            output.rename(retired)
            try:
                staging.rename(output)
            except BaseException:
                retired.rename(output)  # put the previous export back
                raise
            shutil.rmtree(retired_dir)
        else:
            staging.rename(output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(output.iterdir())
