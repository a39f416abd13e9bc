"""Progress of long work, for a caller that shows it: the library only counts its steps.

The core never prints. A caller that shows progress (the command line, on a terminal) wraps the
work in :func:`reporting` with a function taking a number of steps done; the work calls
:func:`stepper` once and, when it gets a function, calls it as it goes: a file validated, a
record exported. Without a caller, nothing is counted (one look-up per run of work).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: Takes how many steps were just done.
Step = Callable[[int], None]

_STEP: ContextVar[Step | None] = ContextVar("dispatchdata_progress", default=None)


@contextmanager
def reporting(step: Step) -> Iterator[None]:
    """While in the block, work that counts its steps hands them to ``step``."""
    token = _STEP.set(step)
    try:
        yield
    finally:
        _STEP.reset(token)


def stepper() -> Step | None:
    """The function to hand the steps of work to, or None when nobody is counting."""
    return _STEP.get()
