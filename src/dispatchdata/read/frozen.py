"""Frozen releases keep their bytes: each release's SHA-256 is recorded in ``releases/SHA256SUMS``
when it is made, and checked by every reader.

``SHA256SUMS`` is in ``sha256sum`` format (``<sha256>  <file name>``, one line a release, sorted
by name, ``\\n`` endings), so ``sha256sum -c SHA256SUMS`` checks it too. A *release file* is a
``<MAJOR.MINOR.PATCH>.json`` in a folder named ``releases`` (a dataset's, or the installed
package's): it is read only when its line is there and its bytes match it. Only a release whose
SHA-256 the package itself ships (its own ``releases/SHA256SUMS``) is read with the schema it
carries (see :func:`verify_release`): a SHA256SUMS elsewhere was written by whoever wrote the
file. Any other bundle file is checked against the package's schema.

What this detects: an accidental or casual edit of a release file, a file swapped in an installed
package, a file cut short. What it cannot: someone who edits both a release and its line (or the
installed package as a whole); the test comparing ``dataset/releases/`` with the git history, and
signed tags, are the defence there.

Finding the releases of a folder (:func:`released_in`, :func:`release_file`) is here too: every
reader of a release starts there.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..codes import problem
from ..digest import sha256_file
from ..display import excerpt
from ..errors import DataNotFoundError, DispatchDataError, InvalidDatasetError, Problem, Report
from ..resources import dataset_dir
from ..semver import parse_semver
from .files import NOT_REGULAR, read_bytes

RELEASES = "releases"
SUMS = "SHA256SUMS"
#: How long a release waits for another one to finish recording its line (a few milliseconds' work).
LOCK_WAIT = 10.0
# sha256sum's line: the hex digest, a space, a space (text mode) or "*" (binary mode), the name.
_LINE = re.compile(r"([0-9a-f]{64}) [ *]([^/\\\r\n]+)")


@dataclass(frozen=True, slots=True)
class Recorded:
    """A release's line in ``SHA256SUMS``: its file name, SHA-256, the line as written, and its number."""

    name: str
    digest: str
    text: str
    line: int


class ReleaseIntegrityError(InvalidDatasetError):
    """A release file that cannot be trusted: changed since it was released (DD320), not listed
    in its ``SHA256SUMS`` (DD321), or listed in a ``SHA256SUMS`` that cannot be read (DD322).
    ``report`` holds that one problem; the message names the file."""

    def __init__(self, path: Path, problem: Problem) -> None:
        super().__init__(Report(problems=(problem,)))
        self.path = path
        Exception.__init__(self, f"{path}: {problem.code} {problem.message}")


def is_release_file(path: Path) -> bool:
    """Whether ``path`` is where a frozen release lives: ``releases/<MAJOR.MINOR.PATCH>.json``."""
    # absolute(): "1.0.0.json", given in the releases folder itself, is a release file too.
    folder = path.absolute().parent.name
    return folder == RELEASES and path.suffix == ".json" and parse_semver(path.stem) is not None


def _problem(code: str, message: str, file: str, line: int = 1) -> Problem:
    return problem(code, message, file=file, line=line, column=1)


class _LinkRefused(OSError):
    """A release or its SHA256SUMS that is a symbolic link: never followed."""


_LINK_MESSAGE = (
    "a symbolic link: a release and its SHA256SUMS are read only as files of their own, never followed"
)


def _read_own_file(path: Path) -> bytes:
    """The bytes of ``path``, a regular file of its own: a symbolic link (to a secret, say) is
    refused without being followed (O_NOFOLLOW); a pipe, socket or device is an OSError at once,
    never waited on (as a data file, see :func:`~dispatchdata.read.files.read_bytes`)."""
    try:
        return read_bytes(path, follow_links=False)
    except OSError as error:
        if error.errno == errno.ELOOP or path.is_symlink():
            raise _LinkRefused(str(path)) from None
        raise


def trusted_digests() -> frozenset[str]:
    """The SHA-256 of every release the package itself ships (its own releases/SHA256SUMS, part
    of the wheel): only such a release is read with the schema it carries. A SHA256SUMS beside a
    release file elsewhere proves only that the two agree; whoever made the file wrote both."""
    try:
        recorded = read_sums(dataset_dir() / RELEASES)
    except DataNotFoundError:
        return frozenset()
    return frozenset() if isinstance(recorded, Problem) else frozenset(r.digest for r in recorded.values())


def read_sums(folder: Path) -> dict[str, Recorded] | Problem:
    """The lines of ``folder/SHA256SUMS`` by file name (empty when there is none), or the DD322
    problem that makes it unusable: unreadable, not UTF-8, a line not as ``sha256sum`` writes
    it, or a file listed twice."""
    try:
        raw = _read_own_file(folder / SUMS)
    except FileNotFoundError:
        return {}
    except _LinkRefused:
        return _problem("DD116", _LINK_MESSAGE, SUMS)
    except OSError as error:
        return _problem("DD322", f"cannot read: {error.strerror or error}", SUMS)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _problem("DD322", "not UTF-8", SUMS)
    found: dict[str, Recorded] = {}
    lines = text.split("\n")  # only "\n" ends a line: a "\r" (a converted file) is reported
    for number, line in enumerate(lines[:-1] if lines[-1] == "" else lines, 1):
        match = _LINE.fullmatch(line)
        if match is None:
            # The line itself is not shown: SHA256SUMS may be anything (a secret, put there by mistake).
            message = f"line {number} is not '<sha256>  <file name>' as sha256sum writes it"
            return _problem("DD322", message, SUMS, number)
        digest, name = match.groups()
        if name in found:
            message = f"{excerpt(name)} is listed twice (lines {found[name].line} and {number})"
            return _problem("DD322", message, SUMS, number)
        found[name] = Recorded(name, digest, line, number)
    return found


def _not_regular(path: Path) -> str:
    """What an entry that is there but not a regular file is, said as a file that cannot be read."""
    return "it is a folder" if path.is_dir() else f"not {NOT_REGULAR}"


def release_problem(path: Path) -> Problem | None:
    """What makes the release file ``path`` untrustworthy (DD320, DD321, DD322; DD116 for a
    release or SHA256SUMS that is a symbolic link), or None when its bytes are those its
    ``SHA256SUMS`` records. Problems name files relative to its folder. Raises
    DataNotFoundError when the release file cannot be read."""
    if path.is_symlink():
        return _problem("DD116", _LINK_MESSAGE, path.name)
    if path.exists() and not path.is_file():  # a pipe would be waited on, never read to its end
        return _problem("DD100", f"cannot read file: {_not_regular(path)}", path.name)
    recorded = read_sums(path.absolute().parent)
    if isinstance(recorded, Problem):
        return recorded
    entry = recorded.get(path.name)
    if entry is None:
        there = (path.absolute().parent / SUMS).exists()
        where = "not listed in SHA256SUMS" if there else "there is no SHA256SUMS beside it"
        message = (
            f"{where}: a release's SHA-256 is recorded there when it is made, and a release that "
            "cannot be checked is not read (once you know the file is as released, add its line: "
            f"sha256sum {path.name} >> SHA256SUMS)"
        )
        return _problem("DD321", message, path.name)
    try:
        actual = sha256_file(path)
    except OSError as error:
        raise DataNotFoundError(f"{path}: cannot read: {error.strerror or error}") from None
    if actual != entry.digest:
        message = (
            f"changed since it was released: its SHA-256 is not {entry.digest}, which SHA256SUMS "
            f"line {entry.line} records; restore the release as it was made (from git, or by "
            "reinstalling dispatchdata)"
        )
        return _problem("DD320", message, path.name)
    return None


def verify_release(path: Path) -> bool:
    """True when ``path`` is a release file (see :func:`is_release_file`) whose bytes match its
    ``SHA256SUMS`` line: it may be read with the schema it carries. False for any other bundle
    file: it is checked against the package's schema. Raises :class:`ReleaseIntegrityError`
    for a release file that does not match, is not listed, or whose ``SHA256SUMS`` is unusable."""
    if not is_release_file(path):
        return False
    problem = release_problem(path)
    if problem is not None:
        raise ReleaseIntegrityError(path if problem.file != SUMS else path.parent / SUMS, problem)
    # The file's SHA-256 is its line's now (release_problem hashed it): no second reading.
    recorded = read_sums(path.absolute().parent)
    assert not isinstance(recorded, Problem)  # release_problem found it usable
    return recorded[path.name].digest in trusted_digests()


def integrity_problems(path: Path) -> tuple[bool, list[Problem]]:
    """As :func:`verify_release`, for a report: whether ``path`` is a verified release, and the
    problem that makes it untrustworthy (none, or one)."""
    try:
        return verify_release(path), []
    except ReleaseIntegrityError as error:
        return False, list(error.report.problems)


@contextlib.contextmanager
def sums_lock(folder: Path, wait: float | None = None) -> Iterator[None]:
    """Hold ``folder/.SHA256SUMS.lock`` (created with ``O_EXCL``: one holder at a time, on every
    platform) while a release is linked into place and its line recorded, so that two releases
    made at once both keep their lines. Waits up to ``wait`` seconds (:data:`LOCK_WAIT`) for
    another holder; a lock left by a release that was killed is named, to be deleted by hand (as
    git's ``index.lock``)."""
    lock = folder / f".{SUMS}.lock"
    deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
    while True:
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            if time.monotonic() >= deadline:
                raise LockedError(lock) from None
            time.sleep(0.05)
    try:
        os.write(handle, f"{os.getpid()}\n".encode())
        os.close(handle)
        yield
    finally:
        lock.unlink(missing_ok=True)


class FreezeError(DispatchDataError):
    """A release file was not written: the message says why (and that nothing was)."""


class LockedError(FreezeError):
    """Another release holds the lock on ``SHA256SUMS`` (or a killed one left it)."""

    def __init__(self, lock: Path) -> None:
        super().__init__(
            f"{lock} exists: another release is recording its line, or one was killed; "
            "if no dispatchdata release is running, delete it and release again"
        )


def link_new(temporary: Path, path: Path) -> None:
    """Put the complete file ``temporary`` in place as ``path`` only if ``path`` does not exist
    (a hard link, which fails with FileExistsError where a rename would replace the file). Where
    the file system has no hard links, ``path`` is first created empty with ``O_EXCL`` (the same
    refusal) and the temporary renamed over that file of ours."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK):
            raise
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        os.replace(temporary, path)


def record(folder: Path, name: str, digest: str) -> None:
    """Add ``name``'s line to ``folder/SHA256SUMS`` (re-read now: the caller holds
    :func:`sums_lock`), every existing line kept as it is, sorted by name; written through a
    temporary file and a rename, so the file is the old one or the new one, never a mix."""
    recorded = read_sums(folder)
    if isinstance(recorded, Problem):
        raise ReleaseIntegrityError(folder / SUMS, recorded)
    lines = {entry.name: entry.text for entry in recorded.values()}
    lines[name] = f"{digest}  {name}"
    text = "".join(f"{lines[n]}\n" for n in sorted(lines))
    # Deferred: atomic imports tempfile (and with it shutil, random, bz2, lzma), which reading a
    # release does not need.
    from ..atomic import write_atomically

    write_atomically(folder / SUMS, text.encode("utf-8"))


def freeze(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write the release file ``path`` (what ``write`` writes to the open file) and record its
    SHA-256 in ``SHA256SUMS`` beside it; FreezeError if either cannot be done, nothing written.

    The file is written to a temporary file in the same folder and synced, then linked into
    place (:func:`link_new`), which fails if the file exists: of two runs releasing the same
    version at once, one wins and the other is refused, never replacing the first's file. The
    line is added while holding :func:`sums_lock`, so releases of different versions made at
    once keep every line."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    temporary = _write_temporary(path, write)
    try:
        digest = sha256_file(temporary)
        with sums_lock(folder):
            recorded = read_sums(folder)
            if isinstance(recorded, Problem):
                raise FreezeError(f"{folder / SUMS}:{recorded.line}: {recorded.code} {recorded.message}")
            if path.name in recorded and not path.exists():
                raise FreezeError(
                    f"{folder / SUMS} already lists {path.name}, which does not exist; "
                    "releases are immutable: choose a new version"
                )
            try:
                link_new(temporary, path)
            except FileExistsError:
                raise FreezeError(
                    f"release {path.stem} was made by another run while this one ran; "
                    "releases are immutable: this run wrote nothing"
                ) from None
            try:
                record(folder, path.name, digest)
            except BaseException:  # its line not written (disk full, Ctrl-C): no release, not half of one
                path.unlink(missing_ok=True)
                raise
    finally:
        temporary.unlink(missing_ok=True)


def _write_temporary(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """What ``write`` writes, in a new temporary file beside ``path`` (synced, with the
    permissions a new file gets): complete before it is linked into place."""
    # Deferred: atomic imports tempfile, which reading a release does not need.
    from ..atomic import default_mode, temporary_file

    handle, name = temporary_file(path)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, default_mode())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def released_in(folder: Path) -> tuple[str, ...]:
    """The versions released in the releases folder ``folder``, oldest first."""
    found = [p.stem for p in folder.glob("*.json") if parse_semver(p.stem)] if folder.is_dir() else []
    return tuple(sorted(found, key=lambda v: parse_semver(v) or (0, 0, 0)))


def release_file(version: str, folder: Path) -> Path:
    """The bundle file of ``version`` in the releases folder ``folder``; DataNotFoundError
    naming the versions there are."""
    path = folder / f"{version}.json"
    # Only a version names a release: '../../elsewhere/1.0.0' would reach any file.
    if parse_semver(version) is None or not path.is_file():
        known = ", ".join(released_in(folder)) or "none"
        raise DataNotFoundError(f"no release {excerpt(version)!r} (released: {known})")
    return path
