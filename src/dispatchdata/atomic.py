"""Writing a file so that a failure leaves the previous one intact: through a temporary file in
the same folder, synced, given the permissions a new file would have, and renamed into place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def default_mode(base: int = 0o666) -> int:
    """The permissions a new file (``0o666``) or folder (``0o777``) gets under the current umask;
    temporary files are created private, and must be given these before they are moved into place."""
    umask = os.umask(0)
    os.umask(umask)
    return base & ~umask


def write_atomically(path: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write ``data`` (bytes, or what a function writes to the open file) to ``path`` through a
    temporary file in the same folder and a rename, so the file is either the old one or the
    complete new one, never a partial one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            if isinstance(data, bytes):
                out.write(data)
            else:
                data(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, default_mode())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
