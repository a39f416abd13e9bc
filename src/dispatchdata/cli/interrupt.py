"""Ctrl-C, said in one line: what :mod:`dispatchdata.cli` needs before anything else loads, so
it imports nothing that takes time (a Ctrl-C while it loaded would be a traceback)."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

#: Ctrl-C (SIGINT), as shells report a command it ended: 128 + 2. Not 1, which means invalid data.
EXIT_INTERRUPTED = 130
INTERRUPTED = "dispatchdata: interrupted\n"


def interrupted() -> NoReturn:
    """Ctrl-C, wherever it came: one line on standard error and exit 130, never a traceback."""
    try:  # not contextlib.suppress: nothing here may take time to import
        sys.stderr.write(INTERRUPTED)
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed stream: the exit status says it
        pass
    raise SystemExit(EXIT_INTERRUPTED)
