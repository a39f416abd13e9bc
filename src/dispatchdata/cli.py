"""The ``dispatchdata`` command line: options → one core call → a renderer → an exit code.

Exit codes: 0 clean; 1 findings (invalid data); 2 usage or operational error (a path that does
not exist, an unreadable file). Bad input never shows a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .codes import CODES
from .errors import DispatchDataError
from .report import REPORTERS

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: Problems that are about the machine, not the data: they make the exit status 2.
OPERATIONAL_CODES = frozenset({"DD100"})


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from .version import read_version

    click.echo(f"dispatchdata {read_version()}")
    ctx.exit(EXIT_OK)


def _codes(values: tuple[str, ...]) -> list[str] | None:
    codes = [c.strip().upper() for v in values for c in v.split(",") if c.strip()]
    return codes or None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Print the version and exit.",
)
def main() -> None:
    """Validate, load and cite the dispatchdata dataset."""


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--sources",
    "sources",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Folder holding the source texts (found by SHA-256); repeatable.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Only report these codes or prefixes (DD3, DD401,DD402).",
)
@click.option("--ignore", multiple=True, metavar="CODES", help="Do not report these codes or prefixes.")
@click.option("-q", "--quiet", is_flag=True, help="Errors only: no warnings, no summary.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Also say which parser ran and which source texts were found."
)
def validate(
    path: Path | None,
    fmt: str,
    sources: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    quiet: bool,
    verbose: bool,
) -> None:
    """Check a dataset folder (default: the installed dataset) against the schema and every rule.

    Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage or operational error (a path that
    does not exist, a file that cannot be read).
    """
    from .validation import validate as run

    unknown = [
        c for c in (_codes(select) or []) + (_codes(ignore) or []) if not any(k.startswith(c) for k in CODES)
    ]
    if unknown:
        raise click.UsageError(f"unknown problem code(s): {', '.join(unknown)} (see 'dispatchdata rules')")
    try:
        report = run(path, sources=sources, select=_codes(select), ignore=_codes(ignore))
    except DispatchDataError as error:
        click.echo(f"dispatchdata: error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    if verbose:
        for note in report.notes:
            click.echo(f"note: {note}", err=True)
    out, err = REPORTERS[fmt](report, str(path) if path is not None else "<installed dataset>", quiet)
    click.echo(out, nl=False)
    if err:
        click.echo(err, nl=False, err=True)
    if any(p.code in OPERATIONAL_CODES for p in report.problems):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK if report.valid else EXIT_FINDINGS)


@main.command()
def rules() -> None:
    """List every problem code, its severity and its meaning."""
    for code in CODES.values():
        click.echo(f"{code.code}  {code.severity.value:<7}  {code.title}")
