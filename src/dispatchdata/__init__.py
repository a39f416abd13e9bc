"""dispatchdata: a versioned, citable, anchored dataset of MEMRI Special Dispatch No. 10423.

>>> import dispatchdata
>>> ds = dispatchdata.load()
>>> ds.actor("dmitry-medvedev").name
'Dmitry Medvedev'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .citation import cite
from .compare import Change, Diff, diff
from .dataset import Dataset
from .errors import (
    DataNotFoundError,
    DispatchDataError,
    InvalidDatasetError,
    Problem,
    Report,
    Severity,
)
from .loader import load
from .release import releases
from .validation import validate

if TYPE_CHECKING:
    __version__: str

__all__ = [
    "Change",
    "DataNotFoundError",
    "Dataset",
    "Diff",
    "DispatchDataError",
    "InvalidDatasetError",
    "Problem",
    "Report",
    "Severity",
    "__version__",
    "cite",
    "diff",
    "load",
    "releases",
    "validate",
]


def __getattr__(name: str) -> str:
    # Computed on first use, so that importing the package reads no file.
    if name == "__version__":
        from .version import read_version

        return read_version()
    raise AttributeError(f"module 'dispatchdata' has no attribute {name!r}")
