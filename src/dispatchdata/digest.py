"""The SHA-256 of a file, the identity of exports, releases and their SHA256SUMS lines."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_file(path: Path) -> str:
    """A file's SHA-256 (hex), read a megabyte at a time (a release or an export's file may be
    larger than memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
