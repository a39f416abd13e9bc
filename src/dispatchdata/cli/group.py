"""The ``dispatchdata`` group: its options (``--version``) and its commands. Built when
:mod:`dispatchdata.cli` is imported, under its Ctrl-C handler (building the options is work too:
a path option's help text loads the locale)."""

from __future__ import annotations

import click

from ..version import read_version
from .editing import anchor_command, new_command, reanchor_command
from .fmt import fmt_command
from .releases import cite, diff, export_command, release
from .schema import schema_command
from .shell import EXIT_OK, Group
from .validation import rules, validate


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
