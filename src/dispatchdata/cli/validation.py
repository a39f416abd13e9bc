"""The ``validate`` and ``rules`` commands, and the checks of their options."""

from __future__ import annotations

import contextlib
import os
import posixpath
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

from .progress import validation_bar
from .shell import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    SOURCES_OPTION,
    check_argument,
    fail,
    interrupted,
)

try:  # Ctrl-C while the command line loads
    import click

    from ..display import excerpt, printable
    from ..errors import DispatchDataError, Report, sorted_problems
    from ..read.folder import MAX_FILE_SIZE_VARIABLE, parse_size
    from ..report import REPORTERS
    from ..resources import dataset_dir
except KeyboardInterrupt:
    interrupted()

#: Problems that are about the machine, not the data: they make the exit status 2.
OPERATIONAL_CODES = frozenset({"DD100"})


def _size(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A size option's value, checked: bytes, or with a unit (64M, 1G; 0: no limit)."""
    if value is not None:
        try:
            parse_size(value)
        except ValueError as error:
            raise click.BadParameter(str(error), param=param) from None
    return value


@click.command()
@click.argument("paths", metavar="[PATH]...", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
@SOURCES_OPTION
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Only report these codes or prefixes (DD3, DD401,DD402).",
)
@click.option("--ignore", multiple=True, metavar="CODES", help="Do not report these codes or prefixes.")
@click.option(
    "--cache",
    type=click.Path(file_okay=False),
    is_flag=False,
    flag_value="",  # --cache alone: the user's cache folder
    envvar="DISPATCHDATA_CACHE",
    default=None,
    metavar="[DIR]",
    help="Keep each file's results by content hash, for fast re-validation (safe to delete), in DIR "
    "or by default the user's cache folder (~/.cache/dispatchdata). Also DISPATCHDATA_CACHE.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes checking files [default: one per processor, for a large folder; 1 for none].",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Warnings are errors: exit 1 when there is any (a source text not found, say).",
)
@click.option(
    "--max-file-size",
    callback=_size,
    default=None,
    metavar="SIZE",
    help=f"Refuse a data file larger than SIZE (bytes, or 500M, 2G; 0: no limit) [default: 64M, or "
    f"{MAX_FILE_SIZE_VARIABLE}].",
)
@click.option("-q", "--quiet", is_flag=True, help="Errors only: no warnings, no summary.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also say which parser ran, which source texts were found, and how long each stage took "
    "(timings: parse, sources, schema, rules, anchors).",
)
def validate(
    paths: tuple[Path, ...],
    fmt: str,
    sources: tuple[Path, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    cache: str | None,
    jobs: int | None,
    strict: bool,
    max_file_size: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Check a dataset folder or release bundle file (default: the installed dataset) against
    the schema and every rule; or data files (dataset/actors.yaml ..., as pre-commit passes
    them), each as part of its dataset folder: every problem of those files is shown, and the
    errors of the folder's other files (the warnings there only counted).

    Exit status: 0 valid (warnings allowed, unless --strict), 1 invalid, 2 usage or operational
    error (a path that does not exist, a file that cannot be read, a file that is no dataset's).
    """
    # deferred: the validator (parsers, schema checkers, rules), not needed for --help/--version
    from ..check.validation import validate as run

    for given in paths:
        check_argument("PATH", given)
    _check_codes(select, ignore)
    if _data_files(paths):
        options = {"sources": sources, "select": _codes(select), "ignore": _codes(ignore), "strict": strict}
        _validate_files(paths, options, folder_of(cache), _available_jobs(jobs), max_file_size, (fmt, quiet))
    path = paths[0] if paths else None
    jobs = _available_jobs(jobs)
    folder = folder_of(cache)
    try:
        with (
            _environment(MAX_FILE_SIZE_VARIABLE, max_file_size),  # read by the worker processes too
            validation_bar(path, machine_readable=fmt != "text", quiet=quiet),
        ):
            report = run(
                path,
                sources=sources,
                select=_codes(select),
                ignore=_codes(ignore),
                cache=folder,
                jobs=jobs,
                strict=strict,
            )
    except DispatchDataError as error:
        fail(error)
    if verbose:
        for note in report.notes:
            click.echo(f"note: {printable(note)}", err=True)
    out, err = REPORTERS[fmt](report, _root(path), quiet)
    click.echo(out, nl=False)
    if err:
        click.echo(err, nl=False, err=True)
    if any(p.code in OPERATIONAL_CODES for p in report.problems):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK if report.valid else EXIT_FINDINGS)


def _data_files(paths: tuple[Path, ...]) -> bool:
    """Whether ``paths`` are data files, each to validate as part of its dataset folder, rather
    than one dataset folder or release bundle file (any other file: it is read as JSON): several
    paths, or one file named as a dataset's are (``actors.yaml``, ``statements/x.yaml``) that is
    in a dataset folder, or is not JSON (a collection file astray, refused: no bundle is YAML); or
    one file inside a dataset folder that is neither a data file nor JSON (``dataset/README.md``:
    refused as it is beside ``actors.yaml``, not read as a bundle; a ``.json`` file there, such as
    ``releases/1.1.0.json``, is a bundle)."""
    # deferred: with the validator
    from ..check.validation import dataset_of, in_a_dataset, is_data_file

    if len(paths) != 1:
        return len(paths) > 1
    path = paths[0]
    if not path.is_file():
        return False
    if not is_data_file(path):
        return path.suffix != ".json" and in_a_dataset(path)
    return path.suffix != ".json" or dataset_of(path) is not None


def folder_of(cache: str | None) -> Path | None:
    """The cache folder ``--cache`` names (the user's cache folder for ``--cache`` alone)."""
    if cache is None:
        return None
    # deferred: the cache (hashing, its key file), needed only with --cache
    from ..check.cache import default_cache_dir

    return Path(cache) if cache else default_cache_dir()


def _validate_files(
    paths: tuple[Path, ...],
    options: dict[str, Any],
    cache: Path | None,
    jobs: int | None,
    max_file_size: str | None,
    output: tuple[str, bool],
) -> NoReturn:
    """``validate FILE...``: each file as part of its dataset folder (see
    :func:`~dispatchdata.check.validation.validate_files`), one report for them all, and a
    line on stderr counting the warnings of the folders' other files, not shown."""
    # deferred: the validator, not needed for --help/--version
    from ..check.validation import validate_files

    fmt, quiet = output
    try:
        with _environment(MAX_FILE_SIZE_VARIABLE, max_file_size):
            done = validate_files(paths, cache=cache, jobs=jobs, **options)
    except DispatchDataError as error:
        fail(error)
    if len(done) == 1:  # named from the folder, as validating the folder names them
        shown, root = done[0].shown, str(done[0].folder)
    else:  # one report for several folders: each problem named by its folder
        problems = [
            replace(p, file=posixpath.join(d.folder.as_posix(), p.file))
            for d in done
            for p in d.shown.problems
        ]
        files, records = sum(d.report.files for d in done), sum(d.report.records for d in done)
        shown, root = Report(problems=sorted_problems(problems), files=files, records=records), ""
    out, err = REPORTERS[fmt](shown, root, quiet)
    click.echo(out, nl=False)
    if err:
        click.echo(err, nl=False, err=True)
    for part in done:
        if part.warnings_elsewhere and not quiet:
            click.echo(
                printable(
                    f"dispatchdata: {part.folder}: {part.warnings_elsewhere} warning(s) in other files, "
                    f"not shown (dispatchdata validate {part.folder} shows them)"
                ),
                err=True,
            )
    if any(p.code in OPERATIONAL_CODES for d in done for p in d.report.problems):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_OK if all(d.report.valid for d in done) else EXIT_FINDINGS)


def _codes(values: tuple[str, ...]) -> list[str] | None:
    """The codes and prefixes of ``--select`` or ``--ignore`` (each repeatable, comma-separated)."""
    codes = [c.strip().upper() for v in values for c in v.split(",") if c.strip()]
    return codes or None


def _check_codes(select: tuple[str, ...], ignore: tuple[str, ...]) -> None:
    """Refuse (a usage error) a code or prefix in --select or --ignore that names no code."""
    # deferred: the rule modules, which register their codes; not needed for --help/--version
    from ..check.rules.catalogue import catalogue

    known = [code.code for code in catalogue()]
    unknown = [
        c for c in (_codes(select) or []) + (_codes(ignore) or []) if not any(k.startswith(c) for k in known)
    ]
    if unknown:  # as given on the command line: excerpted and escaped, as every quoted value is
        said = printable(excerpt(", ".join(unknown)))
        raise click.UsageError(f"unknown problem code(s): {said} (see 'dispatchdata rules')")


def _available_jobs(jobs: int | None) -> int | None:
    """``-j``, lowered (with a note) to the processors this run may use: more processes than
    processors only share them, at a cost."""
    if jobs is None:
        return None
    # deferred: the worker machinery, needed only with -j
    from ..check.workers import default_jobs

    available = default_jobs()
    if jobs <= available:
        return jobs
    click.echo(
        f"dispatchdata: note: -j {jobs} is more than the {available} "
        f"processor{'' if available == 1 else 's'} this run may use; using {available}",
        err=True,
    )
    return available


def _root(path: Path | None) -> str:
    """What ``validate``'s problems are named relative to, for the dataset ``path`` names."""
    if path is None:
        return str(dataset_dir())
    if path.is_file():  # a release bundle: problems name the file itself
        return "" if str(path.parent) == "." else path.parent.as_posix()
    return str(path)


@contextlib.contextmanager
def _environment(name: str, value: str | None) -> Iterator[None]:
    """The environment variable ``name`` set to ``value`` (unless None) while in the block."""
    if value is None:
        yield
        return
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


@click.command()
def rules() -> None:
    """List every problem code, its severity and its meaning."""
    # deferred: the rule modules, which register their codes; not needed for --help/--version
    from ..check.rules.catalogue import catalogue

    for code in catalogue():
        click.echo(f"{code.code}  {code.severity.value:<7}  {code.title}")
