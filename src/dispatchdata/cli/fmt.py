"""The ``fmt`` command: dataset YAML files in one canonical layout, checked or rewritten."""

from __future__ import annotations

import difflib
import sys
from collections import Counter
from pathlib import Path

from .shell import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, check_argument, fail, interrupted

try:  # Ctrl-C while the command line loads
    import click

    from ..display import printable, printable_line
except KeyboardInterrupt:
    interrupted()

_HELP = """Lay out dataset YAML files one way: keys in the schema's order, one quoting style
(double quotes with escapes for a value with a line break or spaces at either end, never a
block scalar), records in their order, comments kept. PATH is a dataset folder (every YAML file
of it) or data files of one; default: dataset/ in the current folder.

Every value stays what it was: each file's new text is read back by the reader validate uses,
and refused (nothing written, exit 2) unless it reads as the same data with the same comments.
Files are rewritten atomically. Needs the 'edit' extra (pip install 'dispatchdata[edit]').

Exit codes: 0 formatted (or already so); 1 with --check or --diff, files that would change
(nothing is written), or a file the reader finds errors in (not formatted: the errors as
validate shows them); 2 usage or operational error (a path that is no dataset's, a file that
cannot be read or written, a text refused, the 'edit' extra not installed).
"""


@click.command(name="fmt", help=_HELP, short_help="Lay out dataset YAML files canonically (--check for CI).")
@click.argument("paths", metavar="[PATH]...", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="List the files that would change; write nothing.")
@click.option("--diff", is_flag=True, help="Print what would change as a unified diff; write nothing.")
def fmt_command(paths: tuple[Path, ...], check: bool, diff: bool) -> None:
    # deferred: the formatter (the reader, the schema, ruamel.yaml), not needed for --help
    from ..errors import DispatchDataError
    from ..fmt import format_paths, write

    for given in paths:
        check_argument("PATH", given)
    try:
        files = format_paths(paths or (Path("dataset"),))
    except DispatchDataError as error:
        fail(error)
    status, tally = EXIT_OK, Counter[str]()
    for file in files:
        for problem in file.problems:
            place = f":{problem.line}:{problem.column}" if problem.line else ""
            click.echo(
                printable_line(f"{printable(file.name)}{place}: {problem.code} {printable(problem.message)}")
            )
            status = max(status, EXIT_ERROR if problem.code == "DD100" else EXIT_FINDINGS)
        if file.after is None:
            tally[_NOT_READ if {p.code for p in file.problems} & {"DD100", "DD116"} else _ERRORS] += 1
            continue
        if not file.changed:
            tally["unchanged"] += 1
            continue
        if diff:
            lines = difflib.unified_diff(
                file.before.splitlines(True), file.after.splitlines(True), f"a/{file.name}", f"b/{file.name}"
            )
            click.echo("".join(printable_line(line.rstrip("\n")) + "\n" for line in lines), nl=False)
        if check:
            click.echo(f"would reformat {printable(file.name)}")
        if check or diff:
            status = max(status, EXIT_FINDINGS)
            tally["changed"] += 1
            continue
        failed = write(file)
        if failed is not None:
            click.echo(printable_line(f"{printable(file.name)}: {failed.code} {printable(failed.message)}"))
            status = EXIT_ERROR
            tally[_NOT_WRITTEN] += 1
        else:
            click.echo(f"reformatted {printable(file.name)}")
            tally["changed"] += 1
    _summary(tally, written=not (check or diff))
    sys.exit(status)


#: Why a file was not formatted, as the summary says it: the reader found errors in it; it could
#: not be read (or was refused unread, a link out of the folder); it could not be written.
_ERRORS, _NOT_READ, _NOT_WRITTEN = "with errors", "not read", "not written"


def _files(count: int) -> str:
    """``1 file``, ``2 files``."""
    return f"{count} file{'' if count == 1 else 's'}"


def _summary(tally: Counter[str], *, written: bool) -> None:
    """One line on standard error: how many files were reformatted (or would be), how many were
    already formatted, and, where any, how many were not formatted, and why."""
    verb = "reformatted" if written else "would be reformatted"
    line = f"dispatchdata: {_files(tally['changed'])} {verb}, {_files(tally['unchanged'])} already formatted"
    why = {reason: tally[reason] for reason in (_ERRORS, _NOT_READ, _NOT_WRITTEN) if tally[reason]}
    if why:
        reasons = ", ".join(f"{count} {reason}" for reason, count in why.items())
        line += f", {_files(sum(why.values()))} not formatted ({reasons})"
    click.echo(line, err=True)
