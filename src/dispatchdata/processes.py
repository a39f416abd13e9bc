"""What a process this package starts (a worker, the identity's child) asks of the system."""

from __future__ import annotations

import contextlib
import sys

#: prctl's option: the signal this process gets when the thread that started it ends.
_PR_SET_PDEATHSIG = 1


def signalled_when_parent_ends(signal_number: int) -> None:
    """Ask Linux to send ``signal_number`` to this process when its parent ends (elsewhere, or
    where the call fails, nothing: the caller has its own way to notice)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # deferred: only in a process this package started

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal_number, 0, 0, 0)
