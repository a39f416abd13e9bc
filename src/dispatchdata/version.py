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
