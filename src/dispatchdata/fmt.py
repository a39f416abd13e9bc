"""Formatting dataset YAML files (``dispatchdata fmt``): which files, each formatted and checked,
and written atomically.

A path is a dataset folder (its ``dataset.yaml`` and every YAML file of its collections, found
as ``validate`` finds them; JSON files and ``releases/`` are left alone) or one data file of a
dataset folder. Each file is read by the project's reader (the one ``validate`` uses): a file it
finds errors in (malformed YAML, a duplicate key) is not formatted, and its problems are given as
``validate`` gives them. Each file's canonical text (:func:`~dispatchdata.fmt_layout.canonical`) is
read back by the same reader before anything is written: it must read without a problem, as
exactly the same data (types included: ``1`` is not ``true``), with the same comments, or the
file is refused (:class:`FormatRefusedError`).
"""

from __future__ import annotations

import errno
import os
import stat
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import write_atomically
from .codes import problem
from .documents import UNREAD
from .errors import DataNotFoundError, DispatchDataError, Problem, Severity
from .fmt_layout import MissingExtraError, ShapeError, canonical, line_feeds
from .read.common import decode
from .read.folder import COLLECTIONS, METADATA, max_file_size, not_found, read_bytes, scan_dataset, unreadable
from .read.parse import parse_text
from .read.yaml_loaders import yaml_loader

__all__ = [
    "FormatRefusedError",
    "Formatted",
    "InvalidFileError",
    "MissingExtraError",
    "format_paths",
    "format_text",
    "write",
]

#: The suffixes of the YAML files formatted.
YAML_SUFFIXES = (".yaml", ".yml")


class FormatRefusedError(DispatchDataError):
    """The canonical text of a file would not read back as the same data, or would lose a
    comment: the file is left as it is."""


@dataclass(frozen=True, slots=True)
class Formatted:
    """One file: its path, its name as shown (the path as given), its text and its canonical text
    (``None``, with ``problems``, where it cannot be formatted)."""

    path: Path
    name: str
    before: str
    after: str | None
    problems: tuple[Problem, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether formatting changes the file."""
        return self.after is not None and self.after != self.before


def format_text(text: str, file: str, collection: str) -> str:
    """The canonical text of a dataset YAML file of ``collection`` (``dataset`` for the
    metadata), checked to read back as the same data with the same comments.

    Raises :class:`FormatRefusedError` when it would not, :class:`MissingExtraError` without
    ruamel.yaml, and :class:`InvalidFileError` when the reader finds errors in ``text``."""
    parsed = parse_text(text, file)
    errors = [p for p in parsed.problems if p.severity is Severity.ERROR]
    if errors:
        raise InvalidFileError(errors)
    if parsed.data is None:  # empty, or comments only: nothing to lay out but the line breaks
        return line_feeds(text)
    try:
        after = canonical(text, parsed.data, collection)
    except ShapeError as error:
        raise FormatRefusedError(
            f"{file}: the YAML writer reads another shape at {error.pointer or '/'} than dispatchdata's"
            " reader does (a merge key '<<'?): not formatted"
        ) from None
    except Exception as error:  # ruamel.yaml's own errors: a text it cannot read as the reader does
        if isinstance(error, DispatchDataError) or not type(error).__module__.startswith("ruamel"):
            raise
        raise FormatRefusedError(
            f"{file}: the YAML writer cannot read it ({_first_line(error)}): not formatted"
        ) from None
    _check_same(text, after, parsed.data, file)
    return after


class InvalidFileError(DispatchDataError):
    """The reader found errors in a file: ``problems``, as ``validate`` reports them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} error(s)")
        self.problems = tuple(problems)


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _check_same(before: str, after: str, data: Any, file: str) -> None:
    """Refuse ``after`` unless the reader reads it without a problem as ``data`` exactly, and it
    holds the comments of ``before``, every line ending with a LF alone."""
    if "\r" in after:  # the reader takes a CR for a line break: only the text shows it is left
        line = after.count("\n", 0, after.index("\r")) + 1
        raise FormatRefusedError(f"{file}: formatted, line {line} would end with a CR: not written")
    again = parse_text(after, file)
    if again.problems:
        first = again.problems[0]
        raise FormatRefusedError(
            f"{file}: formatted, it would read with a problem ({first.code} {first.message}): not written"
        )
    where = difference(data, again.data)
    if where is not None:
        raise FormatRefusedError(
            f"{file}: formatted, it would read as other data (at {where or '/'}): not written"
        )
    lost = Counter(comments(before)) - Counter(comments(after))
    if lost:
        raise FormatRefusedError(
            f"{file}: formatted, it would lose the comment {next(iter(lost))!r}: not written"
        )


def difference(a: Any, b: Any, pointer: str = "") -> str | None:
    """The JSON pointer of the first place where ``a`` and ``b`` differ in value or in type
    (``True`` is not ``1``, ``1`` not ``1.0``), or None where they are the same."""
    if type(a) is not type(b):
        return pointer
    if isinstance(a, dict):
        if a.keys() != b.keys():
            return pointer
        for key in a:
            found = difference(a[key], b[key], f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}")
            if found is not None:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return pointer
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found = difference(x, y, f"{pointer}/{index}")
            if found is not None:
                return found
        return None
    return None if a == b else pointer


def comments(text: str) -> list[str]:
    """The comments of a YAML text (each from its ``#``, trailing spaces dropped), found between
    the tokens of its scanner: a ``#`` there starts a comment, never inside a token."""
    loader = yaml_loader(text, pure=False)
    found, end = [], 0
    try:
        while loader.check_token():
            token = loader.get_token()
            found += _comments_in(text[end : token.start_mark.index])
            end = max(end, token.end_mark.index)
    finally:
        loader.dispose()
    return found + _comments_in(text[end:])


def _comments_in(gap: str) -> list[str]:
    """The comments in text between two tokens (whitespace and comments only)."""
    return [line[line.index("#") :].rstrip() for line in gap.splitlines() if "#" in line]


def format_paths(paths: Sequence[Path]) -> list[Formatted]:
    """Every YAML file the ``paths`` name (dataset folders, data files), formatted: a file that
    cannot be read, or that the reader finds errors in, with its ``problems`` (and a folder's
    part that cannot be listed or is a link refused, as ``validate`` says it, in an entry of
    its own, with no text). Raises :class:`~dispatchdata.errors.DataNotFoundError` for a path
    that is neither a dataset folder nor one of a dataset's data files,
    :class:`FormatRefusedError` and :class:`MissingExtraError`."""
    found: list[Formatted] = []
    for path, name, collection in data_files(paths, found):
        found.append(_format_file(path, name, collection))
    return found


def data_files(paths: Sequence[Path], unread: list[Formatted]) -> list[tuple[Path, str, str]]:
    """The YAML files the ``paths`` name: each file's path, its name as shown, and its collection
    (``dataset`` for the metadata); what a folder's layout leaves unread is added to ``unread``."""
    # deferred: the validator's view of a data file (it imports the validation pipeline)
    from .check.validation import dataset_of

    found: list[tuple[Path, str, str]] = []
    for path in paths:
        if path.is_dir():
            layout = scan_dataset(path)
            if layout.metadata is None:
                raise DataNotFoundError(f"{path}: not a dataset folder (no dataset.yaml)")
            for problem in layout.problems:
                if problem.code in UNREAD:  # (the others, a layout's, are validate's to say)
                    name = (path / problem.file).as_posix()
                    unread.append(Formatted(path, name, "", None, (problem,)))
            for collection, file in [(METADATA, layout.metadata), *layout.files]:
                if file.suffix in YAML_SUFFIXES:
                    found.append((file, (path / file.relative_to(layout.root)).as_posix(), collection))
            continue
        if not path.is_file():
            raise not_found(path)
        if path.is_symlink():  # it would be replaced by a file, not written through
            raise DataNotFoundError(f"{path}: is a symbolic link: give the file it leads to")
        in_dataset = dataset_of(path)
        if in_dataset is None or path.suffix not in YAML_SUFFIXES:
            raise DataNotFoundError(
                f"{path}: not a YAML data file of a dataset (dataset.yaml, or a collection's file: "
                f"{', '.join(COLLECTIONS)}, as .yaml or .yml, or in a folder of that name, beside "
                "dataset.yaml); give the file or its dataset folder"
            )
        found.append((path, path.as_posix(), _collection(in_dataset[1])))
    return found


def _collection(name: str) -> str:
    """The collection of a data file by its name in its dataset folder (``statements/a.yaml``)."""
    first = name.split("/")[0]
    return first if first in COLLECTIONS else first.rsplit(".", 1)[0]


def _format_file(path: Path, name: str, collection: str) -> Formatted:
    """One file read and formatted (with its problems, where it cannot be)."""
    try:
        raw = read_bytes(path, follow_links=False, limit=max_file_size())
    except OSError as error:
        return Formatted(path, name, "", None, tuple(unreadable(name, error).problems))
    text, undecoded = decode(raw, name)
    if text is None:
        assert undecoded is not None
        return Formatted(path, name, "", None, (undecoded,))
    try:
        return Formatted(path, name, text, format_text(text, name, collection))
    except InvalidFileError as error:
        return Formatted(path, name, text, None, error.problems)


def write(formatted: Formatted) -> Problem | None:
    """Write a file's canonical text in its place, atomically (a file that does not change is not
    written); a DD100 problem where it cannot be written, or where it has changed since it was
    read (an edit saved meanwhile would be lost)."""
    if not formatted.changed or formatted.after is None:
        return None
    try:
        if not os.access(formatted.path, os.W_OK):  # a rename would replace it all the same
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        mode = stat.S_IMODE(os.stat(formatted.path).st_mode)
        write_atomically(formatted.path, formatted.after.encode("utf-8"), lambda: _unchanged(formatted))
        os.chmod(formatted.path, mode)  # the file's own permissions, not a new file's
    except _ChangedError:
        message = "changed since fmt read it: not written (run fmt again)"
        return problem("DD100", message, file=formatted.name, line=0, column=0)
    except OSError as error:
        reason = error.strerror or str(error)
        return problem("DD100", f"cannot write file: {reason}", file=formatted.name, line=0, column=0)
    return None


class _ChangedError(Exception):
    """A file changed since fmt read it."""


def _unchanged(formatted: Formatted) -> None:
    """Raise :class:`_ChangedError` when the file no longer holds the text it was formatted from
    (an edit saved meanwhile, which writing would lose): checked just before the rename."""
    now = read_bytes(formatted.path, follow_links=False, limit=max_file_size())
    if decode(now, formatted.name)[0] != formatted.before:
        raise _ChangedError
