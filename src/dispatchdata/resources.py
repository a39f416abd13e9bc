"""Where the packaged data and schema are.

In a wheel, ``dataset/`` and ``schema/`` are shipped inside the package as ``dispatchdata/_data/``
(hatchling's force-include) and read through :mod:`importlib.resources`. In a source checkout or an
editable install the package is imported from ``src/``, where ``_data`` does not exist; the folders
are then the checkout's own top-level ``dataset/`` and ``schema/``, so edits show at once.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from .errors import DataNotFoundError

_PACKAGE = "dispatchdata"


def _data_root() -> Path:
    package = files(_PACKAGE)
    shipped = package / "_data"
    if shipped.is_dir():
        # Wheels are installed as real files, so the traversable is a filesystem path.
        return Path(str(shipped))
    checkout = Path(str(package)).parent.parent
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
