"""``json``: the release bundle itself, byte for byte as ``dispatchdata release`` writes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..identity import identity_of
from ..release.release import write_bundle
from . import safe_path


def file_name(bundle: dict[str, Any], suffix: str) -> str:
    """``<name>-<version label><suffix>``, e.g. ``dispatchdata-1.0.0.json`` (see
    :class:`~dispatchdata.identity.Identity`: ``1.1.0+unreleased.<hash>`` for unreleased data)."""
    return f"{bundle['metadata']['name']}-{identity_of(bundle).label}{suffix}"


def write(bundle: dict[str, Any], folder: Path) -> None:
    """Write the bundle as ``<name>-<version>.json``, piece by piece."""
    with safe_path(folder, file_name(bundle, ".json")).open("w", encoding="utf-8", newline="") as out:
        write_bundle(bundle, out)
