"""``json``: the release bundle itself, byte for byte as ``dispatchdata release`` writes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..identity import IdentifiedBundle, identified, identity_of
from . import safe_path

#: What the bundle is written as until its identity, which names the file, is known.
_UNNAMED = "bundle.json.partial"


def file_name(bundle: dict[str, Any], suffix: str) -> str:
    """``<name>-<version label><suffix>``, e.g. ``dispatchdata-1.0.0.json`` (see
    :class:`~dispatchdata.identity.Identity`: ``1.1.0+unreleased.<hash>`` for unreleased data)."""
    return f"{bundle['metadata']['name']}-{identity_of(bundle).label}{suffix}"


def write(bundle: dict[str, Any], folder: Path) -> None:
    """Write the bundle as ``<name>-<version>.json``, piece by piece: its identity (which decides
    the name, and whether the release date is in it) is decided from the very bytes written
    (:meth:`~dispatchdata.identity.IdentifiedBundle.write`), so they are made once; the file is
    named when they are all written (``folder`` is the export's own, staged)."""
    if not isinstance(bundle, IdentifiedBundle):
        bundle = identified(bundle)
    unnamed = safe_path(folder, _UNNAMED)
    with unnamed.open("wb") as out:
        bundle.write(out)
    unnamed.rename(safe_path(folder, file_name(bundle, ".json")))
