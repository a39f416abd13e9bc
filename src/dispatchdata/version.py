"""The version: one number, written once, in ``dataset/dataset.yaml``.

The build reads it from there (hatchling's regex version source, same pattern), so the package's
metadata, ``dispatchdata.__version__`` and the data agree by construction.
"""

from __future__ import annotations

import re

from .resources import dataset_dir

#: Must match ``[tool.hatch.version] pattern`` in pyproject.toml.
VERSION_PATTERN = re.compile(r"(?m)^version: ['\"]?(?P<version>[^'\"\s]+)['\"]?\s*$")


def read_version() -> str:
    """The version of the installed dataset and package, read from its ``dataset.yaml``."""
    text = (dataset_dir() / "dataset.yaml").read_text(encoding="utf-8")
    match = VERSION_PATTERN.search(text)
    if match is None:  # pragma: no cover - the packaging test builds from this very file
        raise ValueError("dataset.yaml has no top-level 'version:' line")
    return match.group("version")


_SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
LEVELS = ("patch", "minor", "major")


def parse_semver(version: str) -> tuple[int, int, int] | None:
    """``(major, minor, patch)`` of a plain ``MAJOR.MINOR.PATCH`` version, or None."""
    match = _SEMVER.fullmatch(version)
    return (int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def bump_level(old: str, new: str) -> str | None:
    """How big a step ``old`` → ``new`` is: 'major', 'minor', 'patch', or None if not forward."""
    a, b = parse_semver(old), parse_semver(new)
    if a is None or b is None or b <= a:
        return None
    if b[0] != a[0]:
        return "major"
    return "minor" if b[1] != a[1] else "patch"
