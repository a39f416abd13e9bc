"""The ``dispatchdata`` command line: options → one core call → a renderer → an exit code.

Exit codes: 0 clean; 1 findings (invalid data); 2 usage or operational error (a path that does
not exist, an unreadable file); 130 interrupted (Ctrl-C). Bad input never shows a traceback.

Each command imports the core it calls when it runs, not at the top: the core (the validator, the
parsers, the schema checkers, the release and diff machinery) would otherwise be imported by every
run, ``--version`` and ``--help`` included, each paying for all of it at start-up.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: Ctrl-C (SIGINT), as shells report a command it ended: 128 + 2. Not 1, which means invalid data.
EXIT_INTERRUPTED = 130
INTERRUPTED = "dispatchdata: interrupted\n"


def _interrupted() -> NoReturn:
    """Ctrl-C, wherever it came: one line on standard error and exit 130, never a traceback."""
    with contextlib.suppress(OSError, ValueError):  # a closed stream: the exit status says it
        sys.stderr.write(INTERRUPTED)
        sys.stderr.flush()
    raise SystemExit(EXIT_INTERRUPTED)


try:  # Ctrl-C while the command line loads (the console script imports this module first)
    import click

    from .citation import CITERS
    from .codes import CODES
    from .diff_report import DIFF_REPORTERS
    from .display import excerpt, printable
    from .errors import DispatchDataError, InvalidDatasetError, Report
    from .export import FORMATS
    from .layout import MAX_FILE_SIZE_VARIABLE, max_file_size, parse_size
    from .report import REPORTERS
    from .rules.catalogue import catalogue
except KeyboardInterrupt:
    _interrupted()

#: Problems that are about the machine, not the data: they make the exit status 2.
OPERATIONAL_CODES = frozenset({"DD100"})


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from .version import read_version

    click.echo(f"dispatchdata {read_version()}")
    ctx.exit(EXIT_OK)


SOURCES_OPTION = click.option(
    "--sources",
    "sources",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Folder holding the source texts (found by SHA-256), to check the anchors; repeatable.",
)
RELEASE_OPTION = click.option(
    "--release",
    "version",
    default=None,
    metavar="VERSION",
    help="A released version, or a dataset folder or release bundle file (default: the installed dataset).",
)


def _fail(message: str | Exception, code: int = EXIT_ERROR) -> NoReturn:
    # Messages name paths and values from the data: escaped, so they cannot act on the terminal.
    # An invalid dataset's message is one line per problem, each escaped already where it is made.
    text = str(message) if isinstance(message, InvalidDatasetError) else printable(str(message))
    click.echo(f"dispatchdata: error: {text}", err=True)
    sys.exit(code)


def _check_argument(name: str, value: str | Path | None) -> None:
    """Refuse (exit 2), naming the argument, a path the system cannot look up at all (a name too
    long, a folder on the way that cannot be searched): asked what it names, the core would
    raise. One that does not exist is left to the command, which says so or reads it as a version."""
    if value is None:
        return
    try:
        os.stat(value)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as error:
        _fail(f"{name} {excerpt(str(value))!r}: {error.strerror or error}")
    except ValueError:  # a NUL byte
        _fail(f"{name} {excerpt(str(value))!r} is not a path")


def _codes(values: tuple[str, ...]) -> list[str] | None:
    codes = [c.strip().upper() for v in values for c in v.split(",") if c.strip()]
    return codes or None


class _Group(click.Group):
    """The command group: Ctrl-C as :func:`_interrupted` says (click's own is ``Aborted!`` and
    exit 1, which means invalid data here), while parsing and while a command runs; running out of
    memory, or a worker process dying (killed, perhaps by the system for want of memory), is said
    in a line, exit 2, never as a traceback."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            _interrupted()

    def invoke(self, ctx: click.Context) -> Any:
        try:
            _check_size_variable()
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _interrupted()
        except MemoryError:
            _fail(
                "out of memory; a data file may be too large for this machine "
                f"(lower the limit on a file's size with {MAX_FILE_SIZE_VARIABLE})"
            )
        except RuntimeError as error:
            futures = sys.modules.get("concurrent.futures")  # imported only when workers ran
            if futures is None or not isinstance(error, futures.BrokenExecutor):
                raise
            _fail("a worker process ended abruptly (out of memory, or killed); run again with -j 1")


def _check_size_variable() -> None:
    """Refuse a DISPATCHDATA_MAX_FILE_SIZE that is not a size, before any command reads a file."""
    try:
        max_file_size()
    except ValueError as error:
        _fail(f"{MAX_FILE_SIZE_VARIABLE}: {error}")


def _size(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A size option's value, checked: bytes, or with a unit (64M, 1G; 0: no limit)."""
    if value is not None:
        try:
            parse_size(value)
        except ValueError as error:
            raise click.BadParameter(str(error), param=param) from None
    return value


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
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
    help="Worker processes checking files [default: one per processor, for a large YAML folder; 1 for none].",
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
    "-v", "--verbose", is_flag=True, help="Also say which parser ran and which source texts were found."
)
def validate(
    path: Path | None,
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
    the schema and every rule.

    Exit status: 0 valid (warnings allowed, unless --strict), 1 invalid, 2 usage or operational
    error (a path that does not exist, a file that cannot be read).
    """
    from .validation import validate as run

    _check_argument("PATH", path)
    _check_codes(select, ignore)
    jobs = _available_jobs(jobs)
    folder: Path | None = None
    if cache is not None:
        from .cache import default_cache_dir

        folder = Path(cache) if cache else default_cache_dir()
    try:
        with _environment(MAX_FILE_SIZE_VARIABLE, max_file_size):  # read by the worker processes too
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
        _fail(error)
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


def _check_codes(select: tuple[str, ...], ignore: tuple[str, ...]) -> None:
    """Refuse (a usage error) a code or prefix in --select or --ignore that names no code."""
    unknown = [
        c for c in (_codes(select) or []) + (_codes(ignore) or []) if not any(k.startswith(c) for k in CODES)
    ]
    if unknown:
        raise click.UsageError(f"unknown problem code(s): {', '.join(unknown)} (see 'dispatchdata rules')")


def _available_jobs(jobs: int | None) -> int | None:
    """``-j``, lowered (with a note) to the processors this run may use: more processes than
    processors only share them, at a cost."""
    if jobs is None:
        return None
    from .workers import default_jobs

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
        return "<installed dataset>"
    if path.is_file():  # a release bundle: problems name the file itself
        return "" if str(path.parent) == "." else path.parent.as_posix()
    return str(path)


#: How many of an invalid side's errors ``diff`` shows (``validate`` shows them all).
SHOWN_ERRORS = 20


def _error_lines(report: Report, spec: str) -> str:
    """The errors of ``report`` (of the dataset ``spec`` names) as ``validate`` prints them, the
    first :data:`SHOWN_ERRORS` of them, then how many more there are."""
    from .report import render_text

    path = Path(spec)
    root = str(path) if path.is_dir() else ("" if str(path.parent) == "." else path.parent.as_posix())
    lines = render_text(report, root, True)[0].splitlines(keepends=True)
    more = len(lines) - SHOWN_ERRORS
    return "".join(lines[:SHOWN_ERRORS]) + (f"... and {more} more\n" if more > 0 else "")


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


@main.command()
def rules() -> None:
    """List every problem code, its severity and its meaning."""
    for code in catalogue():
        click.echo(f"{code.code}  {code.severity.value:<7}  {code.title}")


@main.command()
@click.argument("version")
@click.option(
    "--dataset",
    "dataset",
    default="dataset",
    show_default=True,
    type=click.Path(path_type=Path),
    help="The dataset folder to freeze.",
)
@click.option(
    "--changelog",
    default="CHANGELOG.md",
    show_default=True,
    type=click.Path(path_type=Path),
    help="The changelog that must describe VERSION.",
)
@SOURCES_OPTION
def release(version: str, dataset: Path, changelog: Path, sources: tuple[Path, ...]) -> None:
    """Freeze the dataset as DATASET/releases/VERSION.json.

    Refused (exit 1) when the data is invalid, when a document's source text is not found (a
    release requires every anchor checked), when the CHANGELOG has no '## [VERSION] - date'
    section, when dataset.yaml declares another version, when VERSION is not above the last
    release or is smaller a step than the changes since it require, when the last release is not
    as released, or when VERSION exists (or another run made it meanwhile). The release's SHA-256
    is added to DATASET/releases/SHA256SUMS. A CHANGELOG that does not exist, or a release that
    cannot be written (disk full, file too large, a read-only folder), is exit 2, and nothing is
    written.
    """
    from .release import ReleaseError, make_release

    _check_argument("--dataset", dataset)
    _check_argument("--changelog", changelog)
    try:
        path = make_release(version, dataset, changelog, sources, jobs=None)
    except ReleaseError as error:
        if error.report is not None:
            from .report import render_text

            click.echo(render_text(error.report, str(dataset), False)[0], nl=False, err=True)
        _fail(error, EXIT_FINDINGS)
    except DispatchDataError as error:
        _fail(error)
    click.echo(printable(f"released {version}: {path}"))


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(sorted(DIFF_REPORTERS)), default="text", show_default=True)
@click.option(
    "--exit-code", is_flag=True, help="Exit 1 when there are differences (like git diff --exit-code)."
)
@click.option(
    "--check-version",
    is_flag=True,
    help="Exit 1 when NEW's version is a smaller step than the changes require.",
)
@SOURCES_OPTION
def diff(
    old: str, new: str, fmt: str, exit_code: bool, check_version: bool, sources: tuple[Path, ...]
) -> None:
    """Show what changed from OLD to NEW, record by record, and the version bump it requires.

    OLD and NEW are each a released version (1.0.0), a dataset folder, or a release bundle file.
    Both are validated first; an invalid side is an error (exit 2).
    """
    from .compare import diff_indexed
    from .frozen import ReleaseIntegrityError
    from .release import open_indexed
    from .semver import shortfall

    sides = []
    for side, spec in (("OLD", old), ("NEW", new)):
        _check_argument(side, spec)
        try:
            sides.append(open_indexed(spec, sources, jobs=None))
        except ReleaseIntegrityError as error:  # a changed release: say so, not just "invalid"
            _fail(f"{side}: {error}")
        except InvalidDatasetError as error:
            count = len(error.report.errors)
            click.echo(_error_lines(error.report, spec), nl=False, err=True)
            _fail(f"{side} ({spec}) is invalid: {count} error(s); run dispatchdata validate {spec}")
        except DispatchDataError as error:
            _fail(f"{side}: {error}")
    result = diff_indexed(sides[0][0], sides[1][0], sides[0][1], sides[1][1])
    click.echo(DIFF_REPORTERS[fmt](result, old, new), nl=False)
    short = shortfall(result.old_version or "", result.new_version or "", result.required)
    if check_version and short is not None:
        declared = f"a {short.step} step" if short.step else "not a step forward"
        click.echo(
            printable(
                f"dispatchdata: {result.old_version} -> {result.new_version} is {declared}; "
                f"the changes require {short.required}"
            ),
            err=True,
        )
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_FINDINGS if exit_code and result.changes else EXIT_OK)


@main.command()
@RELEASE_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(CITERS)),
    default="text",
    show_default=True,
)
@click.option("--record", default=None, metavar="ID", help="Cite one record (by id) within the release.")
def cite(version: str | None, fmt: str, record: str | None) -> None:
    """Print the citation of a release, or of one record in it."""
    from .citation import cite as make

    _check_argument("--release", version)
    try:
        click.echo(make(version, fmt, record), nl=False)
    except KeyError as error:
        _fail(str(error.args[0]))
    except DispatchDataError as error:
        _fail(error)


_EXPORT_HELP = f"""Export a release as FORMAT into the folder --output, with a SHA256SUMS file.

FORMAT is one of: {", ".join(FORMATS)}.

The export is atomic (the output always exists, the previous export or the new one) and
deterministic (the same release gives byte-identical files). --output must be new, empty, or an
unchanged previous export in the same format (it carries the .dispatchdata-export marker and
matches its SHA256SUMS): nothing else is replaced, and no file the export did not write is deleted.
"""


@main.command(name="export", help=_EXPORT_HELP)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMATS))
@RELEASE_OPTION
@click.option(
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder to write (new, empty, or an unchanged previous export in FORMAT).",
)
def export_command(fmt: str, version: str | None, output: Path) -> None:
    from .export import export
    from .release import open_bundle
    from .resources import dataset_dir

    _check_argument("--release", version)
    try:
        spec = version if version is not None else dataset_dir()
        bundle = open_bundle(spec, jobs=None, compact=True)
        # What was read, and the installed dataset: never exported over, or into.
        read = [Path(spec)] if Path(spec).exists() else []
        done = export(bundle, fmt, output, protected=[*read, dataset_dir()])
    except DispatchDataError as error:
        _fail(error)
    except OSError as error:
        _fail(f"cannot write {output}: {error.strerror or error}")
    if done.kept is not None:
        click.echo(
            printable(
                f"dispatchdata: note: files were created in {output} during the export; "
                f"its previous content, with them, is kept in {done.kept}"
            ),
            err=True,
        )
    click.echo(
        printable(
            f"exported {bundle['metadata']['name']} {bundle['version']} as {fmt} to {output} "
            f"({len(done.files)} files)"
        )
    )


def run() -> NoReturn:
    """The ``dispatchdata`` console script and ``python -m dispatchdata``: :func:`main`, with a
    Ctrl-C that comes between click's handlers said as :func:`_interrupted` says."""
    try:
        try:
            main()
        except KeyboardInterrupt:  # between click's handlers (the group's catch every command's)
            _interrupted()
    except KeyboardInterrupt:  # a second Ctrl-C, while the first was being said
        raise SystemExit(EXIT_INTERRUPTED) from None
    finally:
        # Whatever is alive now lives until the process ends: the garbage collector's last pass
        # at exit, the bulk of the interpreter's teardown, need not look through it. The teardown
        # itself still runs (atexit, flushing, closing); benchmarks/README.md has what it saves.
        gc.freeze()
    raise SystemExit(EXIT_OK)  # pragma: no cover - click's main always ends in SystemExit
