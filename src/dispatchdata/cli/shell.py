"""What every command shares: exit codes, Ctrl-C and failure handling, the group class, options.

Exit codes: 0 clean; 1 findings (invalid data); 2 usage or operational error (a path that does
not exist, an unreadable file); 130 interrupted (Ctrl-C). Bad input never shows a traceback.
"""

from __future__ import annotations

from .interrupt import interrupted as interrupted

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

try:  # Ctrl-C while a command's module loads (python -c, a test: the command line has its own)
    import os
    import sys
    from pathlib import Path
    from typing import Any, NoReturn

    import click

    from ..display import excerpt, printable
    from ..errors import InvalidDatasetError
    from ..read.folder import MAX_FILE_SIZE_VARIABLE, max_file_size
except KeyboardInterrupt:
    interrupted()


SOURCES_OPTION = click.option(
    "--sources",
    "sources",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Folder holding the source texts (found by SHA-256), to check the anchors; repeatable.",
)


def fail(message: str | Exception, code: int = EXIT_ERROR) -> NoReturn:
    """Say ``message`` on standard error as ``dispatchdata: error: ...`` and exit ``code``."""
    # Messages name paths and values from the data: escaped, so they cannot act on the terminal.
    # An invalid dataset's message is one line per problem, each escaped already where it is made.
    text = str(message) if isinstance(message, InvalidDatasetError) else printable(str(message))
    click.echo(f"dispatchdata: error: {text}", err=True)
    sys.exit(code)


def check_argument(name: str, value: str | Path | None) -> None:
    """Refuse (exit 2), naming the argument, a path the system cannot look up at all (a name too
    long, a folder on the way that cannot be searched): asked what it names, the core would
    raise; an empty one, which names nothing (the system would take it for the current folder,
    and a placeholder would be reported). One that does not exist is left to the command, which
    says so or reads it as a version."""
    if value is None:
        return
    if value == "":  # a Path cannot be empty: click has made '' the current folder already
        fail(f"{name} is empty: give a value ('.' for the current folder)")
    try:
        os.stat(value)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as error:
        fail(f"{name} {excerpt(str(value))!r}: {error.strerror or error}")
    except ValueError:  # a NUL byte
        fail(f"{name} {excerpt(str(value))!r} is not a path")


class Group(click.Group):
    """The command group: Ctrl-C as :func:`interrupted` says (click's own is ``Aborted!`` and
    exit 1, which means invalid data here), while parsing and while a command runs; running out of
    memory, or a worker process dying (killed, perhaps by the system for want of memory), is said
    in a line, exit 2, never as a traceback."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            interrupted()

    def invoke(self, ctx: click.Context) -> Any:
        try:
            _check_size_variable()
            return super().invoke(ctx)
        except KeyboardInterrupt:
            interrupted()
        except MemoryError:
            fail(
                "out of memory; a data file may be too large for this machine "
                f"(lower the limit on a file's size with {MAX_FILE_SIZE_VARIABLE})"
            )
        except RuntimeError as error:
            futures = sys.modules.get("concurrent.futures")  # imported only when workers ran
            if futures is None or not isinstance(error, futures.BrokenExecutor):
                raise
            fail("a worker process ended abruptly (out of memory, or killed); run again with -j 1")


def _check_size_variable() -> None:
    """Refuse a DISPATCHDATA_MAX_FILE_SIZE that is not a size, before any command reads a file."""
    try:
        max_file_size()
    except ValueError as error:
        fail(f"{MAX_FILE_SIZE_VARIABLE}: {error}")
