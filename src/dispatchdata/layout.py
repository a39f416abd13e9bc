"""Reading a dataset folder: which files hold which collection.

A dataset folder holds ``dataset.yaml`` (the metadata) and, for each collection, either one file
(``actors.yaml``) or a folder of files (``actors/*.yaml``), or both; each collection file is a list
of records. ``releases/`` holds frozen release bundles. Anything else is reported, never silently
skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataNotFoundError, Problem, Severity
from .parse import Parsed, parse_bytes

COLLECTIONS = ("documents", "actors", "proposals", "statements")
METADATA = "dataset"
SUFFIXES = (".yaml", ".yml", ".json")
ALLOWED_EXTRA = frozenset({"releases", "README.md"})


@dataclass(slots=True)
class SourceFile:
    """One parsed file of a dataset and the collection (or ``dataset``) it belongs to."""

    collection: str
    path: str  # relative to the dataset folder, POSIX
    parsed: Parsed

    @property
    def records(self) -> list[object]:
        """The file's records (empty when the file is unreadable or not a list)."""
        data = self.parsed.data
        return data if isinstance(data, list) else []


@dataclass(slots=True)
class RawDataset:
    """Every file of a dataset folder, parsed, plus the problems of the layout itself."""

    root: Path
    metadata: SourceFile | None
    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def collection(self, name: str) -> list[SourceFile]:
        """The files of one collection, in reading order."""
        return [f for f in self.files if f.collection == name]


def _problem(code: str, message: str, file: str, severity: Severity = Severity.ERROR) -> Problem:
    return Problem(
        code=code,
        severity=severity,
        message=message,
        file=file,
        line=1 if file else 0,
        column=1 if file else 0,
    )


def _read(root: Path, path: Path, collection: str) -> SourceFile:
    rel = path.relative_to(root).as_posix()
    try:
        raw = path.read_bytes()
    except OSError as error:
        message = f"cannot read file: {error.strerror or error}"
        unreadable = Problem(code="DD100", severity=Severity.ERROR, message=message, file=rel)
        parsed = Parsed(None, problems=[unreadable])
        return SourceFile(collection, rel, parsed)
    return SourceFile(collection, rel, parse_bytes(raw, rel))


def _collection_files(root: Path, name: str, problems: list[Problem]) -> list[Path]:
    # exists(), not is_file(): a collection file that cannot be read is reported (DD100), not skipped.
    found = [root / f"{name}{s}" for s in SUFFIXES if (root / f"{name}{s}").exists()]
    folder = root / name
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.name.startswith("."):
                continue
            if path.is_file() and path.suffix in SUFFIXES:
                found.append(path)
            elif path.is_file():
                problems.append(
                    _problem(
                        "DD110",
                        f"not a YAML or JSON file, so not read as part of '{name}'",
                        rel,
                        Severity.WARNING,
                    )
                )
    return found


def read_dataset(root: str | Path) -> RawDataset:
    """Parse every file of the dataset folder ``root``.

    Raises :class:`DataNotFoundError` when ``root`` is not a folder; everything wrong inside it is
    reported as problems.
    """
    root = Path(root)
    if not root.is_dir():
        what = "is a file, not a dataset folder" if root.exists() else "does not exist"
        raise DataNotFoundError(f"{root}: {what}")
    problems: list[Problem] = []
    metadata_path = next(
        (root / f"{METADATA}{s}" for s in SUFFIXES if (root / f"{METADATA}{s}").exists()), None
    )
    metadata = _read(root, metadata_path, METADATA) if metadata_path else None
    if metadata is None:
        problems.append(_problem("DD111", "the dataset folder has no dataset.yaml (its metadata)", ""))
    files: list[SourceFile] = []
    expected = {f"{METADATA}{s}" for s in SUFFIXES} | ALLOWED_EXTRA
    for name in COLLECTIONS:
        expected |= {name} | {f"{name}{s}" for s in SUFFIXES}
        paths = _collection_files(root, name, problems)
        if not paths:
            problems.append(
                _problem(
                    "DD111",
                    f"collection '{name}' is missing: no {name}.yaml and no {name}/ folder",
                    "",
                )
            )
        files.extend(_read(root, path, name) for path in paths)
    for entry in sorted(root.iterdir()):
        if entry.name not in expected and not entry.name.startswith("."):
            kind = "folder" if entry.is_dir() else "file"
            problems.append(
                _problem(
                    "DD110",
                    f"unexpected {kind} in the dataset folder: not read",
                    entry.name,
                    Severity.WARNING,
                )
            )
    return RawDataset(root=root, metadata=metadata, files=files, problems=problems)
