"""dispatchdata: a versioned, citable, anchored dataset of MEMRI Special Dispatch No. 10423.

>>> import dispatchdata
>>> ds = dispatchdata.load()
>>> ds.actor("dmitry-medvedev").name
'Dmitry Medvedev'
"""

from __future__ import annotations

import importlib

#: typing.TYPE_CHECKING without importing typing (8 ms): this module runs before the command
#: line's Ctrl-C handler is in place, so it imports nothing that takes time (tests/attacks/
#: test_interrupts.py). mypy reads the block below; Python skips it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .anchoring import AmbiguousQuoteError, Located, QuoteNotFoundError, anchor
    from .check.validation import validate
    from .citation import cite
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
    from .release.diff import Change, Diff, diff
    from .release.release import releases

    __version__: str

#: Where each public name lives: imported on first use, so that a command (or a program) that
#: needs one part of the package does not pay for importing all of it.
_PUBLIC = {
    "AmbiguousQuoteError": ".anchoring",
    "anchor": ".anchoring",
    "Located": ".anchoring",
    "QuoteNotFoundError": ".anchoring",
    "cite": ".citation",
    "Change": ".release.diff",
    "Diff": ".release.diff",
    "diff": ".release.diff",
    "Dataset": ".dataset",
    "DataNotFoundError": ".errors",
    "DispatchDataError": ".errors",
    "InvalidDatasetError": ".errors",
    "Problem": ".errors",
    "Report": ".errors",
    "Severity": ".errors",
    "load": ".loader",
    "releases": ".release.release",
    "validate": ".check.validation",
}

__all__ = [
    "AmbiguousQuoteError",
    "Change",
    "DataNotFoundError",
    "Dataset",
    "Diff",
    "DispatchDataError",
    "InvalidDatasetError",
    "Located",
    "Problem",
    "QuoteNotFoundError",
    "Report",
    "Severity",
    "__version__",
    "anchor",
    "cite",
    "diff",
    "load",
    "releases",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":  # read from dataset.yaml on first use
        from .version import read_version  # deferred: see TYPE_CHECKING above

        return read_version()
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'dispatchdata' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
