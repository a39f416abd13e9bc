"""The commands on releases: ``release``, ``diff``, ``cite`` and ``export``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

from .choices import CITATION_FORMATS, DIFF_FORMATS, EXPORT_FORMATS
from .progress import export_bar, validation_bar
from .shell import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, SOURCES_OPTION, check_argument, fail, interrupted

try:  # Ctrl-C while the command line loads
    import click

    from ..display import excerpt, printable
    from ..errors import DispatchDataError, InvalidDatasetError, Report
    from ..report import render_text
    from ..resources import dataset_dir
    from ..semver import shortfall
except KeyboardInterrupt:
    interrupted()

RELEASE_OPTION = click.option(
    "--release",
    "version",
    default=None,
    metavar="VERSION",
    help="A released version, or a dataset folder or release bundle file (default: the installed dataset).",
)


@click.command()
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
    # deferred: the release machinery and the validator, not needed for --help/--version
    from ..release.release import ReleaseError, make_release

    check_argument("--dataset", dataset)
    check_argument("--changelog", changelog)
    try:
        path = make_release(version, dataset, changelog, sources, jobs=None)
    except ReleaseError as error:
        if error.report is not None:
            click.echo(render_text(error.report, str(dataset), False)[0], nl=False, err=True)
        fail(error, EXIT_FINDINGS)
    except DispatchDataError as error:
        fail(error)
    click.echo(printable(f"released {version}: {path}"))


#: How many of an invalid side's errors ``diff`` shows (``validate`` shows them all).
SHOWN_ERRORS = 20


def _error_lines(report: Report, spec: str) -> str:
    """The errors of ``report`` (of the dataset ``spec`` names) as ``validate`` prints them, the
    first :data:`SHOWN_ERRORS` of them, then how many more there are."""
    path = Path(spec)
    root = str(path) if path.is_dir() else ("" if str(path.parent) == "." else path.parent.as_posix())
    lines = render_text(report, root, True)[0].splitlines(keepends=True)
    more = len(lines) - SHOWN_ERRORS
    return "".join(lines[:SHOWN_ERRORS]) + (f"... and {more} more\n" if more > 0 else "")


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(DIFF_FORMATS), default="text", show_default=True)
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
    # deferred: the diff, not needed for --help/--version
    from ..read.frozen import ReleaseIntegrityError  # deferred: with the reader that raises it
    from ..release.diff import diff_indexed
    from ..release.diff_report import DIFF_REPORTERS
    from ..release.release import open_indexed  # deferred: the release reader and the validator

    sides = []
    for side, spec in (("OLD", old), ("NEW", new)):
        check_argument(side, spec)
        try:
            sides.append(open_indexed(spec, sources, jobs=None))
        except ReleaseIntegrityError as error:  # a changed release: say so, not just "invalid"
            fail(f"{side}: {error}")
        except InvalidDatasetError as error:
            count = len(error.report.errors)
            click.echo(_error_lines(error.report, spec), nl=False, err=True)
            fail(f"{side} ({spec}) is invalid: {count} error(s); run dispatchdata validate {spec}")
        except DispatchDataError as error:
            fail(f"{side}: {error}{_v_stripped(spec)}")
    result = diff_indexed(sides[0][0], sides[1][0], sides[0][1], sides[1][1])
    click.echo(DIFF_REPORTERS[fmt](result, old, new), nl=False)
    short = shortfall(result.old_version or "", result.new_version or "", result.required)
    if check_version and short is not None:
        declared = f"a {short.step} step" if short.step else "not a step forward"
        click.echo(
            printable(
                f"dispatchdata: {excerpt(str(result.old_version))} -> {excerpt(str(result.new_version))} "
                f"is {declared}; "
                f"the changes require {short.required}"
            ),
            err=True,
        )
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_FINDINGS if exit_code and result.changes else EXIT_OK)


@click.command()
@RELEASE_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(CITATION_FORMATS),
    default="text",
    show_default=True,
)
@click.option("--record", default=None, metavar="ID", help="Cite one record (by id) within the release.")
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Where the release's site (export site) is served: print --record's permanent link in it.",
)
def cite(version: str | None, fmt: str, record: str | None, base_url: str | None) -> None:
    """Print the citation of a release, or of one record in it; with --base-url, the
    record's permanent link in the release's site instead."""
    from ..citation import cite as make_citation  # deferred: the citation model, for this command

    check_argument("--release", version)
    spec = version if version is not None else str(dataset_dir())
    if base_url is not None and record is None:
        fail("--base-url prints a record's permanent link: give the record with --record ID")
    if base_url is not None and fmt != "text":
        fail(f"--base-url prints a record's permanent link, not a citation: leave out --format {fmt}")
    try:
        if base_url is None:
            text = make_citation(spec, fmt, record)
        else:
            text = _permanent_link(spec, record, base_url)
        click.echo(text, nl=not text.endswith("\n"))  # the text citation has no line end
    except KeyError as error:
        fail(str(error.args[0]))
    except InvalidDatasetError as error:
        invalid(error, spec)
    except DispatchDataError as error:
        fail(f"{error}{_v_stripped(spec)}")


def _permanent_link(spec: str, record: str | None, base_url: str) -> str:
    """The permanent link of ``record`` in the site of the release ``spec`` served at ``base_url``."""
    # deferred: the release reader and the validator, as make_citation's
    from ..citation import cite as make_citation
    from ..export.site_paths import permanent_link
    from ..identity import identified, releases_of
    from ..release.release import open_bundle

    assert record is not None
    bundle = identified(open_bundle(spec, jobs=None, compact=True), releases_of(spec))
    try:
        return permanent_link(bundle, record, base_url)
    except KeyError:
        make_citation(spec, "text", record)  # raises the KeyError that names the closest id
        raise


def invalid(error: InvalidDatasetError, spec: str) -> NoReturn:
    """An invalid dataset (exit 2): how many errors, then the errors as ``validate`` and ``diff``
    print them (each file named from the folder ``spec`` as given, the installed one by its real
    path). A changed release is the one line its error says, naming the file, as ``diff`` says it."""
    # deferred: with the reader that raises it
    from ..read.frozen import ReleaseIntegrityError

    if isinstance(error, ReleaseIntegrityError):
        fail(error)
    click.echo(f"dispatchdata: error: invalid dataset: {len(error.report.errors)} error(s)", err=True)
    click.echo(_error_lines(error.report, spec), nl=False, err=True)
    sys.exit(EXIT_ERROR)


def _v_stripped(spec: str) -> str:
    """`` (did you mean 1.1.0?)`` for ``v1.1.0`` when 1.1.0 is released and no such path exists
    (a tag's name given for its version), else nothing."""
    # deferred: the release reader, with the commands that read releases
    from ..release.release import releases

    bare = spec[1:]
    if spec[:1] not in ("v", "V") or Path(spec).exists() or bare not in releases():
        return ""
    return f" (did you mean {bare}?)"


_EXPORT_HELP = f"""Export a release as FORMAT into the folder --output, with a SHA256SUMS file.

FORMAT is one of: {", ".join(EXPORT_FORMATS)}.

The export is atomic (the output always exists, the previous export or the new one) and
deterministic (the same release gives byte-identical files). --output must be new, empty, or an
unchanged previous export in the same format (it carries the .dispatchdata-export marker and
matches its SHA256SUMS): nothing else is replaced, and no file the export did not write is deleted.
"""


@click.command(name="export", help=_EXPORT_HELP)
@click.argument("fmt", metavar="FORMAT", type=click.Choice(EXPORT_FORMATS))
@RELEASE_OPTION
@click.option(
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder to write (new, empty, or an unchanged previous export in FORMAT).",
)
@click.option(
    "--sources",
    "sources",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="site: a folder holding the documents' texts (found by SHA-256) beside the package's; repeatable.",
)
@click.option(
    "--base-url", default=None, metavar="URL", help="site: where it will be served (its permanent links)."
)
def export_command(
    fmt: str, version: str | None, output: Path, sources: tuple[Path, ...], base_url: str | None
) -> None:
    # deferred: the exporters, the release reader and the validator, not needed for --help/--version
    from ..export import EXPORTERS, export
    from ..identity import identified, releases_of
    from ..release.release import open_bundle

    given = {"sources": sources, "base_url": base_url}
    used = {"sources": bool(sources), "base_url": base_url is not None}  # (an empty URL is given too)
    if any(used[name] for name in given if name not in EXPORTERS[fmt].options):
        takers = " and ".join(e.name for e in EXPORTERS.values() if set(given) <= set(e.options))
        fail(f"--sources and --base-url are options of the {takers} format, not of {fmt}")
    options = {name: value for name, value in given.items() if name in EXPORTERS[fmt].options}
    check_argument("--release", version)
    if (missing := EXPORTERS[fmt].missing()) is not None:
        fail(missing)  # before the data is read
    spec = version if version is not None else str(dataset_dir())
    try:
        # The release the data is, or unreleased data labelled so (see dispatchdata.identity).
        with validation_bar(Path(spec), machine_readable=False, quiet=False):  # reading a folder
            bundle = identified(open_bundle(spec, jobs=None, compact=True), releases_of(spec))
        # What was read, and the installed dataset: never exported over, or into.
        read = [Path(spec)] if Path(spec).exists() else []
        with export_bar(fmt, bundle):
            done = export(bundle, fmt, output, protected=[*read, dataset_dir()], options=options)
    except InvalidDatasetError as error:
        invalid(error, spec)
    except DispatchDataError as error:
        fail(f"{error}{_v_stripped(spec)}")
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")
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
            f"exported {bundle['metadata']['name']} {bundle.identity.label} as {fmt} to {output} "
            f"({len(done.files)} files)"
        )
    )
