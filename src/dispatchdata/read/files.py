"""One data file's bytes, read safely: the size limit, a file that is not a regular file or
that became a link refused, and what reading a file that cannot be read gives (a problem, no
data)."""

from __future__ import annotations

import errno
import os
import re
import stat

from ..codes import problem
from ..display import excerpt
from ..errors import DispatchDataError
from .common import Parsed

#: What a pipe, a socket or a device among the data files is said not to be.
NOT_REGULAR = "a regular file (a pipe, a socket or a device)"
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # not on Windows, where opening a pipe does not wait
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows, where links need privileges to make

#: The largest data file read, by default: parsing takes about nine times a YAML file's size in
#: memory, so one huge file would end the run out of memory. Raised (or 0: no limit) by the
#: environment variable below, or by ``validate --max-file-size``.
MAX_FILE_SIZE = 64 * 1024 * 1024
MAX_FILE_SIZE_VARIABLE = "DISPATCHDATA_MAX_FILE_SIZE"
_UNITS = {"": 1, "K": 1 << 10, "KB": 1 << 10, "KIB": 1 << 10, "M": 1 << 20, "MB": 1 << 20, "MIB": 1 << 20}
_UNITS |= {"G": 1 << 30, "GB": 1 << 30, "GIB": 1 << 30}


class FileTooLargeError(OSError):
    """A file larger than the size it may be read at (see :func:`max_file_size`)."""

    def __init__(self, path: str | os.PathLike[str], limit: int) -> None:
        super().__init__(errno.EFBIG, f"larger than the limit of {size_text(limit)}", str(path))
        self.limit = limit


def size_text(size: int) -> str:
    """A size as a user writes it: ``64 MiB``, ``1500 bytes``."""
    for unit, name in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if size >= unit and size % unit == 0:
            return f"{size // unit} {name}"
    return f"{size} bytes"


class SizeError(DispatchDataError, ValueError):
    """A size (``--max-file-size``, ``DISPATCHDATA_MAX_FILE_SIZE``) that is not one."""


def parse_size(text: str) -> int:
    """A size written as bytes or with a unit (``64MiB``, ``64M``, ``1G``; units are powers of
    1024) in ASCII digits; :class:`SizeError` (a ValueError) when it is none."""
    found = re.fullmatch(r"\s*([0-9]{1,15})\s*([KMG]?I?B?)\s*", text.upper())
    if found is None or found[2] not in _UNITS:
        raise SizeError(f"not a size: {excerpt(text)!r} (write bytes, or a number with K, M or G: 64M)")
    return int(found[1]) * _UNITS[found[2]]


def max_file_size() -> int | None:
    """The largest data file read (None: no limit): ``DISPATCHDATA_MAX_FILE_SIZE`` when set (0
    for no limit), else :data:`MAX_FILE_SIZE`. Raises :class:`SizeError` when the variable is not
    a size."""
    value = os.environ.get(MAX_FILE_SIZE_VARIABLE, "").strip()
    if not value:
        return MAX_FILE_SIZE
    return parse_size(value) or None


def _check_place(fd: int, path: str | os.PathLike[str]) -> None:
    """Raise OSError when the file open as ``fd`` is not at ``path`` (a real path, checked to lie
    inside its dataset folder): a folder on the way became a link after the check. Linux says
    where an open file is; elsewhere, O_NOFOLLOW alone guards the last step of the path."""
    try:
        where = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return
    if where != os.path.abspath(path):
        raise OSError(errno.ELOOP, "it was moved behind a symbolic link while being read", str(path))


def read_bytes(path: str | os.PathLike[str], *, follow_links: bool = True, limit: int | None = None) -> bytes:
    """A file's bytes, as :meth:`Path.read_bytes` gives them (and the same errors), through the
    system calls alone: a corpus is hundreds of small files, and the file object ``read_bytes``
    builds for each costs a good part of reading them.
    A pipe, socket or device is an OSError at once, where ``read_bytes`` would wait on it.

    ``follow_links=False`` is for a file of a dataset folder, at the real path its scan checked
    (see :func:`~dispatchdata.read.folder.scan_dataset`): a link put in its place since is not
    followed, nor (where the system says where an open file is) a folder on the way replaced by
    one; either is an OSError, before a byte is read.

    A file of more than ``limit`` bytes is a :class:`FileTooLargeError` (an OSError), before a
    byte is read, or as soon as it has grown past ``limit`` while being read."""
    # Not blocking: opening a pipe would otherwise wait for a writer; it is refused below.
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | (0 if follow_links else _NOFOLLOW))
    try:
        if not follow_links:
            _check_place(fd, path)
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, f"not {NOT_REGULAR}", str(path))
        if limit is not None and status.st_size > limit:
            raise FileTooLargeError(path, limit)
        want = status.st_size + 1  # one more byte than the size: the end is seen at once
        chunks, total = [], 0
        while chunk := os.read(fd, want):
            chunks.append(chunk)
            total += len(chunk)
            if limit is not None and total > limit:  # it grew while read
                raise FileTooLargeError(path, limit)
            want = max(want, 1 << 20)  # the file grew while read: take the rest in large pieces
        return b"".join(chunks)
    finally:
        os.close(fd)


def link_to_nothing(path: str | os.PathLike[str] | None) -> str | None:
    """ "a link to X, which does not exist" when ``path`` is a symbolic link to nothing ("…, a
    loop of links" when following it comes back to it), else None."""
    if path is None or not os.path.islink(path) or os.path.exists(path):
        return None
    try:
        target = os.readlink(path)
    except OSError:
        return "a link to nothing"
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return f"a link to {target}, a loop of links that leads to no file"
    return f"a link to {target}, which does not exist"


def unreadable(rel: str, error: OSError) -> Parsed:
    """What reading a file that cannot be read gives: no data, one DD100 problem (DD118 for a
    file above the size limit)."""
    if isinstance(error, FileTooLargeError):
        message = (
            f"file is larger than the limit of {size_text(error.limit)}: not read (raise the limit "
            f"with --max-file-size or {MAX_FILE_SIZE_VARIABLE})"
        )
        return Parsed(None, problems=[problem("DD118", message, file=rel)])
    # O_NOFOLLOW meets a link to nothing as ELOOP, where following it would be FileNotFoundError.
    to_nothing = isinstance(error, FileNotFoundError) or error.errno == errno.ELOOP
    link = link_to_nothing(error.filename) if to_nothing else None
    reason = f"it is {link}" if link is not None else error.strerror or str(error)
    if link is None and error.strerror == os.strerror(errno.ELOOP):
        reason = "it became a symbolic link after the folder was scanned: not followed"
    message = f"cannot read file: {reason}"
    return Parsed(None, problems=[problem("DD100", message, file=rel)])
