"""A cache of what checking each file gave, for re-validating a large dataset after a few files
changed.

An entry holds one file's results — its problems (with their positions) and the compact facts the
cross-record rules need — keyed by the SHA-256 of the file's bytes (and, for the checks against
the source texts, by a digest of the documents and texts those checks used). Entries live in a
folder named after the tool: its version, a digest of its own code and schemas, and the YAML
parser, so an entry is never used when any of them differs. The folder is safe to delete at any
time; an unreadable or corrupt entry is ignored (and rewritten).
"""

from __future__ import annotations

import hashlib
import marshal
import os
from functools import cache
from pathlib import Path
from typing import Any

from .errors import Problem, Severity
from .layout import read_bytes

#: Bump when the entry format changes.
CACHE_FORMAT = 4


def tool_key() -> str:
    """Names the tool that wrote an entry: version, format, parser, and a digest of the package's
    code and schemas (so an edited checkout never trusts entries an older one wrote)."""
    from .parse import HAVE_LIBYAML
    from .version import read_version

    parser = "libyaml" if HAVE_LIBYAML else "pure"
    return f"v{read_version()}-f{CACHE_FORMAT}-{parser}-{_code_digest()}"


@cache
def _code_digest() -> str:
    from .resources import schema_dir

    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for path in sorted(schema_dir().glob("*.schema.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def problem_rows(problems: list[Problem]) -> list[tuple[str, str, str, int, int, str]]:
    """Problems as plain tuples (without their file), for storing."""
    return [(p.code, p.severity.value, p.message, p.line, p.column, p.pointer) for p in problems]


def problems_from_rows(rows: list[Any], file: str) -> list[Problem]:
    """Problems back from :func:`problem_rows`, in ``file``."""
    return [
        Problem(code=c, severity=Severity(s), message=m, file=file, line=ln, column=col, pointer=p)
        for c, s, m, ln, col, p in rows
    ]


class ResultCache:
    """Results by key, in ``folder`` (created on first write)."""

    def __init__(self, folder: str | Path) -> None:
        self.root = Path(folder) / tool_key()

    @staticmethod
    def key(raw: bytes) -> str:
        """The key of a file's bytes."""
        return hashlib.sha256(raw).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.marshal"

    def has(self, key: str) -> bool:
        """Whether an entry is stored under ``key`` (it may still turn out unreadable)."""
        return self._path(key).is_file()

    def get(self, key: str) -> Any:
        """The entry stored under ``key``, or None."""
        try:
            return marshal.loads(read_bytes(self._path(key)))
        except (OSError, EOFError, ValueError, TypeError):
            return None

    def put(self, key: str, entry: Any) -> None:
        """Store an entry (plain data); any failure to write is ignored (a cache is never required)."""
        path = self._path(key)
        try:
            payload = marshal.dumps(entry)
            path.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # here: validating without a cache never writes one

            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            os.replace(temporary, path)
        except (OSError, ValueError):
            return
