"""Finding the source texts that anchors count into, by SHA-256 (file names do not matter)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from .errors import DataNotFoundError
from .layout import read_bytes
from .resources import sources_dir

#: Files larger than this are not taken for source texts (they would be hashed for nothing).
MAX_SOURCE_BYTES = 64 * 1024 * 1024


def sha256_text(text: str) -> str:
    """The SHA-256 (hex) of a text's UTF-8 bytes: the identity of a document's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_sources(folders: Iterable[str | Path], wanted: Iterable[str] | None = None) -> dict[str, str]:
    """Texts found in ``folders`` (recursively) and among the texts shipped with the package,
    keyed by the SHA-256 of their bytes.

    Only UTF-8 files are kept. With ``wanted``, only those hashes are returned.
    """
    want = set(wanted) if wanted is not None else None
    found: dict[str, str] = {}
    for folder in [*folders, *_packaged()]:
        root = Path(folder)
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in paths:
            try:
                if path.stat().st_size > MAX_SOURCE_BYTES:
                    continue
                raw = read_bytes(path)
            except OSError:
                continue
            digest = hashlib.sha256(raw).hexdigest()
            if (want is None or digest in want) and digest not in found:
                try:
                    found[digest] = raw.decode("utf-8")
                except UnicodeDecodeError:
                    continue
    return found


def _packaged() -> list[Path]:
    """The package's own source folder, when there is one (a wheel, or a checkout)."""
    try:
        folder = sources_dir()
    except DataNotFoundError:
        return []
    return [folder] if folder.is_dir() else []
