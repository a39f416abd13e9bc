"""The ``dispatchdata`` command line: the group :func:`main`, its commands, and :func:`run`.

Each command is options → one core call → a renderer → an exit code; :mod:`.shell` holds what
they share (exit codes, Ctrl-C, failures), :mod:`.validation`, :mod:`.releases` and :mod:`.schema`
the commands.

Each command imports the core it calls when it runs, not at the top: the core (the validator, the
parsers, the schema checkers, the release and diff machinery) would otherwise be imported by every
run, ``--version`` and ``--help`` included, each paying for all of it at start-up.
"""

from __future__ import annotations

from .interrupt import EXIT_INTERRUPTED, interrupted

try:  # Ctrl-C while the command line loads, all of it (the console script imports this package
    # first): the modules, the group and its commands built (.group), click's options included.
    import gc
    from typing import NoReturn

    from .group import main
    from .shell import EXIT_OK
except KeyboardInterrupt:
    interrupted()

__all__ = ["main", "run"]


def run() -> NoReturn:
    """The ``dispatchdata`` console script and ``python -m dispatchdata``: :func:`main`, with a
    Ctrl-C that comes between click's handlers said as :func:`.shell.interrupted` says."""
    try:
        try:
            main()
        except KeyboardInterrupt:  # between click's handlers (the group's catch every command's)
            interrupted()
    except KeyboardInterrupt:  # a second Ctrl-C, while the first was being said
        raise SystemExit(EXIT_INTERRUPTED) from None
    finally:
        # Whatever is alive now lives until the process ends: the garbage collector's last pass
        # at exit, the bulk of the interpreter's teardown, need not look through it. The teardown
        # itself still runs (atexit, flushing, closing); benchmarks/README.md has what it saves.
        gc.freeze()
    raise SystemExit(EXIT_OK)  # pragma: no cover - click's main always ends in SystemExit
