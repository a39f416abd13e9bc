"""Writing files and folders so that a failure, or a kill, loses nothing and leaves no litter.

A file is written through a temporary file in the same folder, synced, given the permissions a
new file would have, and renamed into place. A folder (an export) is written in a temporary
folder beside its place and exchanged with what is there in one step (:func:`replace_folder`).
Every temporary thing is named, or marked, as this process's, so that a later run can remove
what a killed one left behind, and nothing else (:func:`remove_stale_temporaries`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .errors import DispatchDataError

#: The file inside a temporary folder of ours that says whose it is (see :class:`Owner`).
OWNER_MARKER = ".dispatchdata-temporary"

#: A temporary file of ours: ``.<name>.dispatchdata-<host>-<pid>-<started>-<random>.tmp``.
_TEMPORARY_FILE = re.compile(
    r"\.(?P<name>.+)\.dispatchdata-(?P<host>[0-9a-f]{8})-(?P<pid>[0-9]+)-(?P<started>[0-9]+)-[^.]+\.tmp"
)

#: A staging folder of ours, as :func:`make_staging` names it (``tempfile.mkdtemp``'s eight
#: characters at the end).
_STAGING_FOLDER = re.compile(r"\.(?P<target>.+)\.dispatchdata-[a-z0-9_]{8}")

#: What a folder's check gives: the names of the files in it that we wrote, all of them, in the
#: order to remove them (the one that says the folder is ours last, so that a run killed while
#: removing them leaves a folder still known as ours); it raises a DispatchDataError (saying
#: why) when the folder holds anything else.
Verify = Callable[[Path], Sequence[str]]

#: When this run started: an empty folder named as our staging folders, last changed before
#: then, is one a killed run was removing (see :func:`remove_stale_temporaries`).
_RUN_STARTED = time.time()


def default_mode(base: int = 0o666) -> int:
    """The permissions a new file (``0o666``) or folder (``0o777``) gets under the current umask;
    temporary files are created private, and must be given these before they are moved into place."""
    umask = os.umask(0)
    os.umask(umask)
    return base & ~umask


@dataclass(frozen=True, slots=True)
class Owner:
    """A process that made temporary files: its host (a digest of the name), its pid, and when it
    started (clock ticks since boot, 0 where that cannot be read), which tells a live process
    from a later one given the same pid."""

    host: str
    pid: int
    started: int

    def alive(self) -> bool:
        """False only when this process is certainly gone: on this host, and its pid free or
        given to a process that started at another time."""
        if self.host != _host():
            return True  # another machine's (a shared folder): we cannot tell
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # another user's process holds the pid
        return not (self.started and _started(self.pid) not in (0, self.started))


def _host() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "surrogateescape")).hexdigest()[:8]


def _started(pid: int) -> int:
    """When process ``pid`` started, in clock ticks since boot (Linux); 0 where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
        # The command name (field 2) may hold spaces and parentheses: count after the last ")".
        return int(stat.rsplit(b")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return 0


def this_process() -> Owner:
    """The current process, as the owner of the temporary files it makes."""
    return Owner(_host(), os.getpid(), _started(os.getpid()))


def temporary_file(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path`` (an open descriptor and its name), named for the
    process that made it, so that a later run removes it if this one is killed
    (:func:`remove_stale_temporaries`)."""
    owner = this_process()
    prefix = f".{path.name}.dispatchdata-{owner.host}-{owner.pid}-{owner.started}-"
    return tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")


def write_atomically(
    path: Path, data: bytes | Callable[[BinaryIO], None], check: Callable[[], None] | None = None
) -> None:
    """Write ``data`` (bytes, or what a function writes to the open file) to ``path`` through a
    temporary file in the same folder and a rename, so the file is either the old one or the
    complete new one, never a partial one; ``check``, if given, is called just before the rename
    (what it raises stops it). The temporary file's name says which process made it, so that a
    later run removes it if this one is killed (:func:`remove_stale_temporaries`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = written_beside(path, data)
    try:
        if check is not None:
            check()
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def written_beside(path: Path, data: bytes | Callable[[BinaryIO], None]) -> str:
    """The name of a new temporary file beside ``path`` holding ``data``, on disk (synced) with a
    new file's permissions, for the caller to move into place (``os.replace``) or remove; none is
    left behind when writing it fails."""
    handle, temporary = temporary_file(path)
    try:
        with os.fdopen(handle, "wb") as out:
            if isinstance(data, bytes):
                out.write(data)
            else:
                data(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, default_mode())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


@dataclass(frozen=True, slots=True)
class Staging:
    """A temporary folder of ours beside a target folder: ``new`` is where the new content is
    written (``inode`` tells it from anything put at its path later); ``holder`` holds it and the
    owner's marker, and ``old`` is where the target's previous content goes once exchanged."""

    holder: Path
    new: Path
    inode: int

    @property
    def old(self) -> Path:
        """Where the target's previous content is put once the new one is in place."""
        return self.holder / "old"


def make_staging(target: Path) -> Staging:
    """A fresh :class:`Staging` for ``target``, in the same folder (a rename never crosses file
    systems), hidden, private, and marked as this process's: the marker records the owner, the
    target's name and the new folder's inode, which tells our half-written folder from the
    target's previous content once they have been exchanged."""
    holder = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.dispatchdata-"))
    try:
        new = holder / "new"
        new.mkdir(mode=0o777)  # the umask applies: the export gets the permissions of a new folder
        owner, inode = this_process(), new.stat().st_ino
        marker = {
            "host": owner.host,
            "new": inode,
            "pid": owner.pid,
            "started": owner.started,
            "target": target.name,
            "tool": "dispatchdata",
        }
        (holder / OWNER_MARKER).write_text(json.dumps(marker, sort_keys=True), encoding="utf-8")
    except BaseException:
        shutil.rmtree(holder, ignore_errors=True)
        raise
    return Staging(holder, new, inode)


def _exchange_function() -> Callable[[Path, Path], bool] | None:
    """``renameat2(..., RENAME_EXCHANGE)`` from the C library (Linux, glibc 2.28 or later), as a
    function that swaps two paths and says whether the file system could; None where there is
    no such call."""
    # deferred: ctypes (and the C library's look-up), needed only when an export is swapped in
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return None
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2

    def exchange(a: Path, b: Path) -> bool:
        if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
            return True
        error = ctypes.get_errno()
        if error in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            return False  # a file system (or kernel) that cannot exchange
        raise OSError(error, os.strerror(error), str(b))

    return exchange


_EXCHANGE = _exchange_function()


def exchange(a: Path, b: Path) -> bool:
    """Swap the paths ``a`` and ``b`` (both existing) in one step, so that neither is ever
    missing; False (nothing done) where the platform or file system cannot."""
    return _EXCHANGE is not None and _EXCHANGE(a, b)


def replace_folder(staging: Staging, target: Path, verify: Verify) -> Path | None:
    """Put ``staging.new`` at ``target``, replacing the folder there, if any, whose files
    ``verify`` says are all ours; never delete a file we did not write.

    Where the platform allows, the two folders are exchanged in one step, so that ``target``
    always exists and a file created in it meanwhile is not lost: it is in the previous content,
    which is checked again once out of the way and deleted only if ``verify`` still accepts it;
    else it is moved beside ``target`` and its new place returned. Elsewhere the previous content
    is checked just before it is moved, and a change refuses the replacement (``verify``'s
    error); a kill between the two renames then leaves it in the staging folder, from where the
    next run puts it back (:func:`remove_stale_temporaries`)."""
    if not os.path.lexists(target):
        os.rename(staging.new, target)
        return None
    if exchange(staging.new, target):
        os.rename(staging.new, staging.old)
    else:
        verify(target)
        os.rename(target, staging.old)
        try:
            os.rename(staging.new, target)
        except BaseException:
            os.rename(staging.old, target)
            raise
    return _retire(staging.old, target, verify)


def _retire(old: Path, target: Path, verify: Verify) -> Path | None:
    """Delete ``old`` (a target's previous content) if it holds only files we wrote; else move
    it beside ``target`` (``<target>.previous``, ``-2``, …) and return where it went."""
    try:
        if _remove_files(old, verify(old)):
            return None
    except DispatchDataError:
        pass
    for n in range(1, 1000):
        kept = target.with_name(f"{target.name}.previous" + (f"-{n}" if n > 1 else ""))
        if not os.path.lexists(kept):
            os.rename(old, kept)
            return kept
    raise OSError(errno.EEXIST, "no free name to keep the previous content beside it", str(target))


def _remove_files(folder: Path, names: Sequence[str]) -> bool:
    """Remove the files ``names`` from ``folder`` and then the folder; False (the folder kept)
    when it then holds anything else (a file created since it was checked)."""
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
    try:
        folder.rmdir()
    except OSError as error:
        if error.errno in (errno.ENOTEMPTY, errno.EEXIST):
            return False
        raise
    return True


def discard_staging(staging: Staging) -> None:
    """Remove a staging folder after a failure: its new folder if it is still ours (not the
    target's previous content, which an exchange put at its path), and the folder itself once
    nothing else is in it. Otherwise the marker stays, and the next run sees to the rest."""
    with contextlib.suppress(OSError):
        if staging.new.stat(follow_symlinks=False).st_ino == staging.inode:
            shutil.rmtree(staging.new)
    with contextlib.suppress(OSError):
        if os.listdir(staging.holder) == [OWNER_MARKER]:
            (staging.holder / OWNER_MARKER).unlink()
            staging.holder.rmdir()


def finish_staging(staging: Staging) -> None:
    """Remove the staging folder once its content is in place and the previous one retired."""
    (staging.holder / OWNER_MARKER).unlink()
    staging.holder.rmdir()


def remove_stale_temporaries(folder: Path, verify: Verify | None = None) -> None:
    """Remove what killed runs of ours left in ``folder``: temporary files (named as ours) and
    staging folders (marked as ours) whose process is gone. A staging folder's half-written
    content is removed; a target's previous content found in it is put back where its target
    is missing, deleted if ``verify`` accepts it, and otherwise left where it is. Anything not
    certainly ours, or of a run still going, is left alone, but for an empty folder named as
    ours and older than this run (removing it loses nothing)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                found = _TEMPORARY_FILE.fullmatch(entry.name)
                if found and not Owner(found["host"], int(found["pid"]), int(found["started"])).alive():
                    os.unlink(entry.path)
            elif entry.is_dir(follow_symlinks=False) and _STAGING_FOLDER.fullmatch(entry.name):
                if not os.listdir(entry.path) and entry.stat().st_mtime < _RUN_STARTED:
                    os.rmdir(entry.path)  # a run killed as it removed its marker: nothing lost
                else:
                    _remove_stale_staging(Path(entry.path), verify)


def _read_owner_marker(holder: Path) -> dict[str, Any] | None:
    """The marker of a staging folder of ours, or None if it has none or not one of ours."""
    try:
        marker = json.loads((holder / OWNER_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    shape = {"host": str, "new": int, "pid": int, "started": int, "target": str, "tool": str}
    if not (
        isinstance(marker, dict)
        and set(marker) == set(shape)
        and all(type(marker[k]) is t for k, t in shape.items())
        and marker["tool"] == "dispatchdata"
    ):
        return None
    return marker


def _remove_stale_staging(holder: Path, verify: Verify | None) -> None:
    marker = _read_owner_marker(holder)
    if marker is None or Owner(marker["host"], marker["pid"], marker["started"]).alive():
        return
    names = {p.name for p in holder.iterdir()}
    if not names <= {OWNER_MARKER, "new", "old"}:
        return  # not as we leave it: not certainly ours
    # The target is the staging folder's own name's (".<target>.dispatchdata-XXXXXXXX"), a plain
    # name beside it: a marker naming another place ("../x", "/abs") is not one we wrote.
    named = _STAGING_FOLDER.fullmatch(holder.name)
    target_name = marker["target"]
    if (
        named is None
        or named.group("target") != target_name
        or not isinstance(target_name, str)
        or target_name in ("", ".", "..")
        or "/" in target_name
        or "\\" in target_name
        or "\0" in target_name
    ):
        return
    target = holder.parent / target_name
    for name in ("new", "old"):
        if name not in names:
            continue
        path = holder / name
        if path.is_symlink() or not path.is_dir():
            return
        if name == "new" and path.stat().st_ino == marker["new"]:
            shutil.rmtree(path)  # our half-written (or never placed) folder
        elif not os.path.lexists(target):
            os.rename(path, target)  # killed between two renames: the previous content goes back
        elif verify is None or not _removed(path, verify):
            return  # a previous content that holds files we did not write: left where it is
    (holder / OWNER_MARKER).unlink()
    holder.rmdir()


def _removed(folder: Path, verify: Verify) -> bool:
    try:
        return _remove_files(folder, verify(folder))
    except DispatchDataError:
        return False
