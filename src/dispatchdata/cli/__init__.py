"""The ``dispatchdata`` command line: the group :func:`main`, its commands, and :func:`run`.

Each command is options → one core call → a renderer → an exit code; :mod:`.shell` holds what
they share (exit codes, Ctrl-C, failures), :mod:`.validation`, :mod:`.releases` and :mod:`.schema`
the commands.

Each command imports the core it calls when it runs, not at the top: the core (the validator, the
parsers, the schema checkers, the release and diff machinery) would otherwise be imported by every
run, ``--version`` and ``--help`` included, each paying for all of it at start-up.
"""

from __future__ import annotations

import gc

from .shell import EXIT_INTERRUPTED, EXIT_OK, Group, interrupted

try:  # Ctrl-C while the command line loads (the console script imports this package first)
    from typing import NoReturn

    import click

    from ..version import read_version
    from .editing import anchor_command, new_command, reanchor_command
    from .fmt import fmt_command
    from .releases import cite, diff, export_command, release
    from .schema import schema_command
    from .validation import rules, validate
except KeyboardInterrupt:
    interrupted()


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    click.echo(f"dispatchdata {read_version()}")
    ctx.exit(EXIT_OK)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Print the version and exit.",
)
def main() -> None:
    """Validate, diff, release, export and cite the dispatchdata dataset (and others of its shape)."""


main.add_command(validate)
main.add_command(rules)
main.add_command(release)
main.add_command(diff)
main.add_command(cite)
main.add_command(export_command)
main.add_command(schema_command)
main.add_command(fmt_command)
main.add_command(anchor_command)
main.add_command(reanchor_command)
main.add_command(new_command)


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
