"""Progress bars on stderr for long work (validating a large folder, exporting many records):
shown only to a person watching — stderr a terminal, ``CI`` not set, text output, no ``-q`` —
and only when the work is large enough to take a while; never in logs or machine-readable output."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import click

from ..progress import reporting
from ..read.folder import scan_dataset
from ..resources import dataset_dir
from .choices import TABLE_FORMATS

#: Validating data files of this many bytes in all takes a few seconds: a bar from there on.
LONG_VALIDATION_BYTES = 8 << 20
#: Exporting this many records as tables takes a few seconds: a bar from there on.
LONG_EXPORT_RECORDS = 20_000


def watched(*, machine_readable: bool = False, quiet: bool = False) -> bool:
    """Whether a person is watching stderr: a terminal, not CI (``CI`` set), and output that is
    neither machine-readable (``--format json`` or ``github``) nor asked to be quiet (``-q``)."""
    if machine_readable or quiet or os.environ.get("CI"):
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # no stderr, or a closed one
        return False


@contextmanager
def progress_bar(total: int, label: str, *, show: bool) -> Iterator[None]:
    """click's progress bar on stderr for ``total`` steps of the work done in the block (as the
    library counts them, see :mod:`dispatchdata.progress`), when ``show``; else nothing."""
    if not show or total < 1:
        yield
        return
    # Drawn some two hundred times at most: drawing it for each of 100,000 records costs.
    every = max(1, total // 200)
    bar = click.progressbar(length=total, label=label, file=sys.stderr, update_min_steps=every)
    with bar, reporting(bar.update):
        yield


def validation_size(path: Path | None) -> tuple[int, int]:
    """The data files of the dataset folder ``path`` (the units validation checks) and their
    bytes in all; (0, 0) for anything but a folder (a bundle is read in pieces, not files)."""
    root = dataset_dir() if path is None else path
    if not root.is_dir():
        return 0, 0
    files = scan_dataset(root).files
    size = 0
    for _, file in files:
        with contextlib.suppress(OSError):  # reported when it is read
            size += file.stat().st_size
    return len(files), size


def validation_bar(path: Path | None, *, machine_readable: bool, quiet: bool) -> AbstractContextManager[None]:
    """The progress bar of validating ``path`` (see :func:`progress_bar`): shown when watched
    (:func:`watched`) and the folder's data files hold :data:`LONG_VALIDATION_BYTES` or more."""
    if not watched(machine_readable=machine_readable, quiet=quiet):
        return progress_bar(0, "", show=False)
    files, size = validation_size(path)
    return progress_bar(files, "validating", show=size >= LONG_VALIDATION_BYTES)


def export_bar(fmt: str, bundle: dict[str, Any]) -> AbstractContextManager[None]:
    """The progress bar of exporting ``bundle`` as ``fmt`` (see :func:`progress_bar`): shown
    when watched (:func:`watched`), for a table format and :data:`LONG_EXPORT_RECORDS` records or
    more (one step a record)."""
    records = sum(len(bundle["collections"][name]) for name in bundle["collections"])
    long = fmt in TABLE_FORMATS and records >= LONG_EXPORT_RECORDS
    return progress_bar(records, f"exporting {fmt}", show=long and watched())
