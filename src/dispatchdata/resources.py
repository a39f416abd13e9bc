"""Where the packaged data and schema are.

In a wheel, ``dataset/``, ``schema/`` and ``sources/`` are shipped inside the package as
``dispatchdata/_data/`` (hatchling's force-include) and found beside this module. In a source checkout or an
editable install the package is imported from ``src/``, where ``_data`` does not exist; the folders
are then the checkout's own top-level ``dataset/``, ``schema/`` and ``sources/``, so edits show at
once.
"""

from __future__ import annotations

from pathlib import Path

from .errors import DataNotFoundError


def package_dir() -> Path:
    """The folder of the package's own modules."""
    # From __file__ rather than importlib.resources, which imports tempfile, zipfile and more on
    # every command's start-up (benchmarks/README.md, "Start-up imports"; tests/test_api.py keeps
    # it out). The one place that does so. Installs are real files, never a zip: the data is read
    # with open() and the schema handed to validators by path.
    return Path(__file__).parent


def _data_root() -> Path:
    package = package_dir()
    shipped = package / "_data"
    if shipped.is_dir():
        return shipped
    checkout = package.parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "dataset").is_dir():
        return checkout
    raise DataNotFoundError(
        "the packaged dataset is missing: reinstall dispatchdata (pip install --force-reinstall "
        "dispatchdata), or pass the path of a dataset folder"
    )


def dataset_dir() -> Path:
    """The folder of the installed dataset (``dataset/`` of the release that is installed)."""
    return _data_root() / "dataset"


def schema_dir() -> Path:
    """The folder of the installed JSON Schema files."""
    return _data_root() / "schema"


def sources_dir() -> Path:
    """The folder of the source texts shipped with the package (the texts the anchors count into)."""
    return _data_root() / "sources"
