"""``json``: the release bundle itself, byte for byte as ``dispatchdata release`` writes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..release import dump_bundle
from . import safe_path


def file_name(bundle: dict[str, Any], suffix: str) -> str:
    """``<name>-<version><suffix>``, e.g. ``dispatchdata-1.0.0.json``."""
    return f"{bundle['metadata']['name']}-{bundle['version']}{suffix}"


def write(bundle: dict[str, Any], folder: Path) -> None:
    """Write the bundle as ``<name>-<version>.json``."""
    safe_path(folder, file_name(bundle, ".json")).write_bytes(dump_bundle(bundle))
