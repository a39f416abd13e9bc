"""Exports of a release: a registry of formats, written deterministically and atomically.

Every export writes its files into a fresh temporary folder beside ``--output``, adds a
``SHA256SUMS`` listing them and the marker that says dispatchdata wrote them, and only then
exchanges the folder with the output (:func:`~dispatchdata.atomic.replace_folder`): a failed
export leaves the previous output as it was. An output is replaced only when it is empty or an
unchanged export of ours in the same format (:func:`previous_export`): no file the export did
not write is ever deleted. File names come from the format, never from the data, so nothing can
be written outside the output folder whatever ids the data holds.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..digest import sha256_file
from ..errors import DispatchDataError
from ..identity import IdentifiedBundle, identified

SUMS = "SHA256SUMS"

#: The file that marks a folder as an export dispatchdata wrote (see :func:`marker_text`); not
#: listed in SHA256SUMS, but checked to be exactly what an export writes.
MARKER = ".dispatchdata-export"

_SUMS_LINE = re.compile(rb"([0-9a-f]{64})  ([^\n/\\]+)")


class ExportError(DispatchDataError):
    """An export was refused or failed; the previous output is untouched."""


@dataclass(frozen=True, slots=True)
class Exporter:
    """A format: its name, the module here whose ``write(bundle, folder)`` writes it, what it
    writes, which file names are its own (what an export in it may replace), and the options
    its writer takes (keyword arguments; none for most formats)."""

    name: str
    module: str
    description: str
    writes: Callable[[str], bool]
    #: Written record by record as tables (the records exported are counted for a progress bar).
    tables: bool = False
    #: The module it needs that the package does not depend on, and the extra that installs it.
    needs: tuple[str, str] | None = None
    #: The options of its own that ``write`` takes (the site's ``base_url``); none for most.
    options: tuple[str, ...] = ()

    def missing(self) -> str | None:
        """What to say when the module this format needs is not installed; None when it is."""
        if self.needs is None or importlib.util.find_spec(self.needs[0]) is not None:
            return None
        return self.install_message()

    def install_message(self) -> str:
        """What to say of the module this format needs, when it cannot be imported."""
        module, extra = self.needs or ("", "")
        return (
            f"the {self.name} format needs {module}, which is not installed:"
            f" pip install 'dispatchdata[{extra}]'"
        )

    def write(self, bundle: dict[str, Any], folder: Path, **options: Any) -> None:
        """Write ``bundle`` into ``folder`` in this format (``options``: the format's own, such as
        the site's ``base_url``; none for most formats)."""
        # Imported only when the format is written: the CLI lists the formats on every command, and
        # the writers import sqlite3, csv and the release writer.
        importlib.import_module(f"{__name__}.{self.module}").write(bundle, folder, **options)


def _is_table(name: str) -> bool:
    from .tables import BY_NAME  # deferred: the model and tables; the CLI imports this module to start

    return name.endswith(".csv") and name[:-4] in BY_NAME


#: Every format, by name. Adding one: its module here, with ``write(bundle, folder)``, and a line.
EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("json", "json_bundle", "the release bundle, one JSON file", lambda n: n.endswith(".json")),
        Exporter(
            "csv",
            "csv_tables",
            "one CSV table per collection and per list (link tables)",
            _is_table,
            tables=True,
        ),
        Exporter(
            "sqlite",
            "sqlite_db",
            "one SQLite database (keys, indexes, full-text search, views, metadata), Datasette metadata",
            lambda n: n.endswith(".db") or n == "metadata.json",
            tables=True,
        ),
        Exporter(
            "datapackage",
            "datapackage",
            "a Frictionless Data Package v2: datapackage.json and the CSV tables",
            lambda n: n == "datapackage.json" or _is_table(n),
            tables=True,
        ),
        Exporter(
            "parquet",
            "parquet",
            "one typed Parquet file per table of the csv format (needs the parquet extra: pyarrow)",
            lambda n: n.endswith(".parquet") and _is_table(n.removesuffix(".parquet") + ".csv"),
            tables=True,
            needs=("pyarrow", "parquet"),
        ),
        Exporter(
            "citation",
            "citation",
            "CITATION.cff, BibTeX and biblatex",
            lambda n: n == "CITATION.cff" or n.endswith(".bib"),
        ),
        Exporter(
            "site",
            "site",
            "a static site to read: the text annotated, actors, proposals, stances, who answers whom",
            lambda n: n.endswith((".html", ".json")) or n in ("site.css", "site.js") or _is_table(n),
            needs=("jinja2", "site"),
            options=("sources", "base_url"),
        ),
    )
}

#: The format names, sorted: the CLI's choices.
FORMATS = tuple(sorted(EXPORTERS))


def safe_path(folder: Path, name: str) -> Path:
    """``folder / name`` for a plain file name; anything that could leave the folder is refused."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name or name.startswith("."):
        raise ExportError(f"refusing to write a file named {name!r}")
    return folder / name


def _sums(folder: Path) -> str:
    lines = []
    for path in sorted(folder.iterdir()):
        if path.name != MARKER:
            lines.append(f"{sha256_file(path)}  {path.name}\n")
    return "".join(lines)


def marker_text(fmt: str, version: str) -> str:
    """The marker an export of release ``version`` in format ``fmt`` carries: what says a folder
    is one dispatchdata wrote. No time in it, so exports stay byte-identical."""
    fields = {"format": fmt, "marker": 1, "tool": "dispatchdata", "version": version}
    return json.dumps(fields, sort_keys=True) + "\n"


def _marked_format(folder: Path) -> str:
    """The format named by ``folder``'s marker, when it is exactly one dispatchdata writes."""
    refusal = f"refusing to replace {folder}: its {MARKER} is not a marker dispatchdata wrote"
    path = folder / MARKER
    try:
        if path.is_symlink():
            raise ExportError(refusal)
        text = path.read_text(encoding="utf-8")
        fields = json.loads(text)
    except (OSError, ValueError):
        raise ExportError(refusal) from None
    if not isinstance(fields, dict):
        raise ExportError(refusal)
    fmt, version = fields.get("format"), fields.get("version")
    if fmt not in FORMATS or not isinstance(version, str) or text != marker_text(fmt, version):
        raise ExportError(refusal)
    return str(fmt)


def _listed(folder: Path) -> dict[str, str]:
    """The files ``folder``'s SHA256SUMS lists, with their SHA-256, as an export writes it."""
    path = folder / SUMS
    if path.is_symlink() or not path.is_file():
        raise ExportError(f"refusing to replace {folder}: it has no {SUMS}")
    listed: dict[str, str] = {}
    for number, line in enumerate(path.read_bytes().split(b"\n")[:-1], 1):
        found = _SUMS_LINE.fullmatch(line)
        if found is None or found[2].decode("utf-8", "replace") in listed:
            raise ExportError(
                f"refusing to replace {folder}: {SUMS} line {number} is not one an export writes"
            )
        listed[found[2].decode("utf-8", "replace")] = found[1].decode("ascii")
    return listed


def previous_export(folder: Path, fmt: str | None = None, *, complete: bool = True) -> list[str]:
    """The names of the files in ``folder``, in the order to remove them (the marker last), when
    it is empty or an unchanged export by dispatchdata (in format ``fmt``, if given): it carries
    our marker, and its SHA256SUMS lists every other file in it with its SHA-256. Anything else
    raises ExportError naming the first file that is not as the export wrote it: that folder is
    not ours to replace. With ``complete`` False, an export partly removed (files, then
    SHA256SUMS, then the marker) is one too: what a run killed while removing one leaves."""
    names = sorted(os.listdir(folder))
    if not names:
        return []
    if MARKER not in names:
        first = next((n for n in names if n != SUMS), names[0])
        raise ExportError(
            f"refusing to replace {folder}: it holds {first!r} and no {MARKER} marker "
            "(no export made it); choose a new or empty folder"
        )
    marked = _marked_format(folder)
    if fmt is not None and marked != fmt:
        raise ExportError(
            f"refusing to replace {folder}: it is a {marked} export, not {fmt}; "
            "remove it or choose another folder"
        )
    if names == [MARKER] and not complete:
        return names
    listed = _listed(folder)
    for name in names:
        if name in (MARKER, SUMS):
            continue
        path = folder / name
        if name not in listed:
            raise ExportError(
                f"refusing to replace {folder}: {name!r} is not listed in {SUMS} (no export wrote it)"
            )
        if not EXPORTERS[marked].writes(name):  # a marker copied beside files of one's own, say
            raise ExportError(
                f"refusing to replace {folder}: {name!r} is not a file a {marked} export writes"
            )
        if path.is_symlink() or not path.is_file():
            raise ExportError(f"refusing to replace {folder}: {name!r} is not a regular file")
        if sha256_file(path) != listed[name]:
            raise ExportError(
                f"refusing to replace {folder}: {name!r} does not match its SHA-256 in {SUMS} "
                "(changed since the export)"
            )
    for name in listed:
        if name not in names and complete:
            raise ExportError(f"refusing to replace {folder}: {name!r}, listed in {SUMS}, is missing")
    return [n for n in names if n not in (MARKER, SUMS)] + [SUMS, MARKER]


def _partial_export(folder: Path) -> list[str]:
    return previous_export(folder, complete=False)


def _check_place(output: Path, protected: Iterable[Path]) -> None:
    """Refuse an output that is a file, a folder that is or holds the current folder or one of
    ``protected``, or a folder inside a protected folder (an export there would be a stray
    folder in the dataset, making it invalid)."""
    if output.is_symlink():  # never followed: the export would go where the link leads
        raise ExportError(
            f"{output} is a symbolic link, refused; give --output a folder itself (new, empty, or a "
            "previous export)"
        )
    if output.exists() and not output.is_dir():
        raise ExportError(
            f"{output} is not a folder; give --output a folder (new, empty, or a previous export)"
        )
    for parent in output.parents:  # the nearest that exists must be a folder to make it in
        if parent.is_dir():
            break
        if parent.exists() or parent.is_symlink():
            raise ExportError(f"{output} cannot be made: {parent} is a file, not a folder")
    place = output.resolve()
    places = [(Path.cwd(), "the current folder", False), *((p, str(p), True) for p in protected)]
    for inside, what, is_data in places:
        resolved = inside.resolve()
        if resolved.is_relative_to(place):
            relation = "it is" if resolved == place else "it holds"
            raise ExportError(
                f"refusing to export into {output}: {relation} {what}; give --output a folder of its own"
            )
        if is_data and resolved.is_dir() and place.is_relative_to(resolved):
            raise ExportError(
                f"refusing to export into {output}: it is inside the dataset folder {what}; "
                "give --output a folder outside it"
            )


def check_output(output: Path, fmt: str | None = None, protected: Iterable[Path] = ()) -> None:
    """Refuse an output that is a file, a folder that holds the current folder or one of
    ``protected`` (the dataset read), or a non-empty folder that is not an unchanged export
    in format ``fmt`` (see :func:`previous_export`)."""
    _check_place(output, protected)
    if output.is_dir():
        previous_export(output, fmt)


@dataclass(frozen=True, slots=True)
class Exported:
    """What an export wrote (the files in the output folder, its marker aside), and where the
    folder's previous content was kept, if files were created in it while the export ran (else
    None)."""

    files: list[Path]
    kept: Path | None


def export(
    bundle: dict[str, Any],
    fmt: str,
    output: str | Path,
    *,
    protected: Iterable[Path] = (),
    releases: Iterable[Path] = (),
    options: dict[str, Any] | None = None,
) -> Exported:
    """Write ``bundle`` in format ``fmt`` into the folder ``output``: new, empty, or an unchanged
    previous export in that format (see :func:`check_output`; ``protected``: folders the output
    must not hold, such as the dataset read). The folder is written beside ``output`` and
    exchanged with it in one step (:func:`~dispatchdata.atomic.replace_folder`).

    The export is of the release the data is, byte for byte, or of unreleased data labelled so
    (:func:`~dispatchdata.identity.identified`; ``releases``: the releases folders of the
    dataset read, looked in before the installed dataset's). ``options``: the format's own
    options (the site's ``sources`` and ``base_url``), passed to its writer."""
    from .. import atomic  # deferred: tempfile (shutil, bz2, lzma), not at the CLI's start-up

    if fmt not in EXPORTERS:
        raise ExportError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    if (missing := EXPORTERS[fmt].missing()) is not None:
        raise ExportError(missing)
    unknown = sorted(set(options or {}) - set(EXPORTERS[fmt].options))
    if unknown:
        raise ExportError(f"the {fmt} format takes no option {', '.join(map(repr, unknown))}")
    output = Path(output)
    if not isinstance(bundle, IdentifiedBundle):
        bundle = identified(bundle, releases)
    _check_place(output, protected)
    output.parent.mkdir(parents=True, exist_ok=True)
    atomic.remove_stale_temporaries(output.parent, _partial_export)
    check_output(output, fmt, protected)
    staging = atomic.make_staging(output)
    if EXPORTERS[fmt].tables:
        bundle.decide_aside()  # its label is written last (the metadata rows): decided meanwhile
    try:
        EXPORTERS[fmt].write(bundle, staging.new, **(options or {}))
        safe_path(staging.new, SUMS).write_text(_sums(staging.new), encoding="utf-8", newline="\n")
        # The marker last: a folder that has it is complete.
        (staging.new / MARKER).write_text(
            marker_text(fmt, bundle.identity.label), encoding="utf-8", newline="\n"
        )
        _before_swap(output)
        kept = atomic.replace_folder(staging, output, lambda folder: previous_export(folder, fmt))
    except BaseException:
        bundle.abandon_aside()
        atomic.discard_staging(staging)
        raise
    atomic.finish_staging(staging)
    return Exported(sorted(p for p in output.iterdir() if p.name != MARKER), kept)


def _before_swap(output: Path) -> None:
    """Nothing: the point where tests stand in for another process writing to ``output``
    while the export runs."""
