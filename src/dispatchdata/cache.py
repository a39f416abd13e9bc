"""A cache of parsed files, for re-validating a large dataset after a few files changed.

Each entry holds what parsing one file gave (its data and its parse problems), keyed by the SHA-256
of the file's bytes; entries live in a folder named after the tool's version and parser, so an entry
is never used when either differs. Positions are not cached: they are recomputed from the file,
only when a message needs one. The folder is safe to delete at any time; an unreadable or corrupt
entry is ignored (and rewritten).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import Problem, Severity

#: Bump when the entry format or the parser's meaning changes.
CACHE_FORMAT = 1


def _version() -> str:
    from .parse import HAVE_LIBYAML
    from .version import read_version

    return f"v{read_version()}-f{CACHE_FORMAT}-{'libyaml' if HAVE_LIBYAML else 'pure'}"


class ParseCache:
    """Parsed files by content hash, in ``folder`` (created on first write)."""

    def __init__(self, folder: str | Path) -> None:
        self.root = Path(folder) / _version()

    @staticmethod
    def key(raw: bytes) -> str:
        """The key of a file's bytes."""
        return hashlib.sha256(raw).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.marshal"

    def get(self, key: str, file: str) -> tuple[Any, list[Problem]] | None:
        """The cached data and problems of the file with this key (problems re-labelled with
        ``file``), or None."""
        try:
            data, problems = marshal.loads(self._path(key).read_bytes())
            return data, [
                Problem(code=c, severity=Severity(s), message=m, file=file, line=ln, column=col, pointer=p)
                for c, s, m, ln, col, p in problems
            ]
        except (OSError, EOFError, ValueError, TypeError):
            return None

    def put(self, key: str, data: Any, problems: list[Problem]) -> None:
        """Store a parse result; any failure to write is ignored (a cache is never required)."""
        rows = [(p.code, p.severity.value, p.message, p.line, p.column, p.pointer) for p in problems]
        path = self._path(key)
        try:
            payload = marshal.dumps((data, rows))
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            os.replace(temporary, path)
        except (OSError, ValueError):
            return
