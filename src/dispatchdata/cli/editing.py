"""The commands that help edit the data: ``anchor`` (a quote → a ready anchor) and
``reanchor`` (every anchor of a document moved into a new version of its text)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .shell import EXIT_FINDINGS, EXIT_OK, SOURCES_OPTION, check_argument, fail, interrupted

try:  # Ctrl-C while the command line loads
    import click

    from ..display import printable
    from ..errors import DispatchDataError
except KeyboardInterrupt:
    interrupted()

#: The occurrences of a quote listed at most (a common word may occur thousands of times).
LISTED = 20
#: Where an anchor printed by ``anchor`` starts: an item of a record's ``quotes:`` or
#: ``anchors:`` list, at column 2 as ``fmt`` writes the dataset, so that it is pasted as it is.
ITEM_INDENT = 2

DATASET_OPTION = click.option(
    "--dataset",
    type=click.Path(path_type=Path),
    default=None,
    help="The dataset folder (or release bundle) whose documents name the document "
    "[default: the installed dataset].",
)


def _quote(quote: str | None, from_file: Path | None) -> str:
    """The quote: the argument, or the text of ``--from-file`` (UTF-8, one final line break
    left out); exactly one of them (else exit 2)."""
    if (quote is None) == (from_file is None):
        fail("give the quote as QUOTE or with --from-file FILE (one of them)")
    if from_file is None:
        assert quote is not None
        return quote
    check_argument("--from-file", from_file)
    # deferred: the reader of data files, whose limit on size a quote's file has too
    from ..read.files import max_file_size, read_bytes

    try:
        raw = read_bytes(from_file, limit=max_file_size())
    except OSError as error:
        fail(f"--from-file {str(from_file)!r}: cannot read: {error.strerror or error}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        fail(f"--from-file {str(from_file)!r}: not UTF-8 (byte {error.start})")
    return text[:-2] if text.endswith("\r\n") else text.removesuffix("\n")


def _trimmed(quote: str) -> str:
    """The quote without a byte-order mark at its start or white space at either end (as the
    matching takes it), saying on stderr what was left out; an empty one is left to the
    matching to refuse."""
    # deferred: with the matching
    from ..anchoring import trim_quote

    trimmed, left_out = trim_quote(quote)
    if left_out:
        click.echo(f"dispatchdata: left out of the quote before matching: {', '.join(left_out)}", err=True)
    return trimmed or quote


@click.command(name="anchor", short_help="Find a quote in a document's text and print its anchor as YAML.")
@click.argument("document")
@click.argument("quote", required=False)
@click.option("--from-file", type=click.Path(path_type=Path), help="Read the quote from FILE (UTF-8).")
@click.option(
    "--after",
    metavar="TEXT",
    help="Take the first occurrence after the first occurrence of TEXT "
    "(with --occurrence N: the Nth after it).",
)
@click.option("--occurrence", type=click.IntRange(min=1), metavar="N", help="Take occurrence N (1-based).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (for editors and scripts).")
@SOURCES_OPTION
@DATASET_OPTION
def anchor_command(
    document: str,
    quote: str | None,
    from_file: Path | None,
    after: str | None,
    occurrence: int | None,
    as_json: bool,
    sources: tuple[Path, ...],
    dataset: Path | None,
) -> None:
    """Find QUOTE in the source text of DOCUMENT (a document id) and print its anchor as YAML,
    indented to be pasted as it is under a record's `quotes:` or `anchors:` (an item at
    column 2, as the dataset is laid out).

    The quote is matched exactly; failing that, with typography folded (straight and curly quotes
    and apostrophes, dashes and hyphens, no-break and plain spaces, runs of white space and line
    breaks, composed and decomposed characters): the anchor then holds the text as the source
    prints it, and what differed is said on stderr. The quote is matched without white space at
    either end or a byte-order mark at its start (stderr says when any was left out).

    Exit status: 0 found once (or chosen by --after / --occurrence); 1 not found (the closest
    passages are listed) or found more than once (each occurrence is listed); 2 usage or
    operational error (an unknown document, a folder that is not a dataset folder, a source text
    not found, an unreadable file, an empty quote or one of white space only).
    """
    # deferred: the matching and the dataset's reader, not needed for --help/--version
    from ..anchoring import AmbiguousQuoteError, QuoteNotFoundError, anchor
    from ..snippets import anchor_yaml

    check_argument("--dataset", dataset)
    text = _trimmed(_quote(quote, from_file))
    try:
        found = anchor(document, text, after=after, occurrence=occurrence, dataset=dataset, sources=sources)
        written = anchor_yaml(found.anchor, indent=ITEM_INDENT)
    except AmbiguousQuoteError as error:
        _places(error, error.occurrences, as_json, "occurrences")
    except QuoteNotFoundError as error:
        _places(error, error.closest, as_json, "closest")
    except (DispatchDataError, ValueError) as error:
        fail(str(error))
    if as_json:
        click.echo(json.dumps(found.as_dict(), ensure_ascii=True, indent=2, sort_keys=True))
        sys.exit(EXIT_OK)
    click.echo(written, nl=False)
    if found.differences:
        click.echo("dispatchdata: found with other typography; the anchor holds the source's text:", err=True)
        for line in found.differences:
            click.echo(f"  {printable(line)}", err=True)
    sys.exit(EXIT_OK)


def _places(error: Exception, places: Sequence[object], as_json: bool, kind: str) -> NoReturn:
    """Say why no one anchor was found, with the occurrences (or closest passages), and exit 1."""
    # deferred: with the matching
    from ..anchoring import Place

    listed = [p for p in places if isinstance(p, Place)]
    if as_json:
        values = [{k: getattr(p, k) for k in Place.__slots__} for p in listed]
        click.echo(
            json.dumps({"error": str(error), kind: values}, ensure_ascii=True, indent=2, sort_keys=True)
        )
        sys.exit(EXIT_FINDINGS)
    click.echo(f"dispatchdata: error: {printable(str(error))}", err=True)
    if kind == "closest" and getattr(error, "looked", True):
        click.echo("closest passages:" if listed else "no passage comes close", err=True)
    for number, p in enumerate(listed[:LISTED], 1):
        alike = f" ({round(p.similarity * 100)}% alike)" if kind == "closest" else ""
        click.echo(f"  {number}. line {p.line}, column {p.column}{alike}: {printable(p.context)}", err=True)
    if len(listed) > LISTED:
        click.echo(f"  ... and {len(listed) - LISTED} more (--json lists them all)", err=True)
    sys.exit(EXIT_FINDINGS)


@click.command(name="reanchor", short_help="Move every anchor of a document into a new version of its text.")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--source",
    "source",
    required=True,
    type=click.Path(path_type=Path),
    metavar="NEW_TEXT",
    help="The new version of the document's text (UTF-8).",
)
@click.option("--document", metavar="ID", help="The document whose anchors to move [default: the only one].")
@click.option("--dry-run", is_flag=True, help="Print the report only; change no file.")
def reanchor_command(path: Path | None, source: Path, document: str | None, dry_run: bool) -> None:
    """Move every anchor of a document of the dataset folder PATH (default: the installed
    dataset, when it is a checkout's) into NEW_TEXT, a new version of its text, and set the
    document's sha256 and length.

    An anchor is moved to the one occurrence of its exact text with its prefix before it and its
    suffix after it, or, where none has both, to the one with either (prefix and suffix then
    taken from the new text): a text that occurs once is moved only if at least one side of its
    context matches there. Any other is orphaned: reported, left as it is, never guessed (its one
    occurrence, or the closest passage, is shown as a suggestion only). An anchor whose place is
    the same but whose prefix or suffix changed is reported as "context updated". Files are
    edited in place, comments and layout kept, and written atomically.

    Exit status: 0 every anchor moved or unchanged; 1 some orphaned (the others are still moved);
    2 usage or operational error (a dataset, document or file not found or unreadable, a new
    text that is empty or only white space).
    """
    # deferred: the relocation and the dataset's reader, not needed for --help/--version
    from ..reanchor import reanchor

    check_argument("PATH", path)
    check_argument("--source", source)
    try:
        outcome = reanchor(source, path, document=document, write=not dry_run)
    except DispatchDataError as error:
        fail(str(error))
    for a in outcome.anchors:
        where = f"{printable(a.file)}:{a.line}"
        if a.status == "moved" and a.new is not None:
            click.echo(f"{where}: moved [{a.old[0]}:{a.old[1]}] -> [{a.new[0]}:{a.new[1]}]")
        elif a.status in ("context updated", "unchanged"):
            click.echo(f"{where}: {a.status} [{a.old[0]}:{a.old[1]}]")
        else:
            hint = ""
            if a.suggestion is not None:
                s = a.suggestion
                hint = (
                    f"; closest (a suggestion only): line {s.line}, column {s.column}: {printable(s.context)}"
                )
            click.echo(f"{where}: orphaned [{a.old[0]}:{a.old[1]}]: {a.why}{hint}")
    counts = ", ".join(
        f"{outcome.count(s)} {s}" for s in ("moved", "context updated", "unchanged", "orphaned")
    )
    files = ", ".join(printable(f) for f in outcome.changed) or "none"
    verb = "would change" if dry_run else "changed"
    click.echo(f"reanchor: {counts}; files {verb}: {files}; new sha256 {outcome.digest}", err=True)
    sys.exit(EXIT_FINDINGS if outcome.count("orphaned") else EXIT_OK)


@click.command(name="new", short_help="Print a new record's skeleton, anchored where a quote is.")
@click.argument("kind", type=click.Choice(["statement", "actor", "proposal"]))
@click.argument("text")
@click.option("--quote", required=True, help="The text to anchor the record at (found as anchor finds it).")
@click.option("--id", "identifier", metavar="ID", help="The record's id [default: made from TEXT].")
@click.option("--document", metavar="ID", help="The document quoted [default: the dataset's only one].")
@click.option("--after", metavar="TEXT", help="Take the first occurrence of the quote after TEXT.")
@click.option("--occurrence", type=click.IntRange(min=1), metavar="N", help="Take occurrence N of the quote.")
@SOURCES_OPTION
@DATASET_OPTION
def new_command(
    kind: str,
    text: str,
    quote: str,
    identifier: str | None,
    document: str | None,
    after: str | None,
    occurrence: int | None,
    sources: tuple[Path, ...],
    dataset: Path | None,
) -> None:
    """Print a new KIND record (statement, actor, proposal) whose summary, name or title is TEXT,
    ready to paste: the fields the schema requires, in its order; the id made from TEXT; the
    anchor of --quote; empty lists; and the fields to fill in left empty, each with a comment
    naming its choices, or where they are (an actor id from actors.yaml), or what goes there
    (validate names any left empty). An --id is checked against the schema's id pattern.

    Exit status: 0 printed; 1 the quote not found, or found more than once (as for anchor); 2
    usage or operational error (an unknown document, a source text not found, an empty quote).
    """
    # deferred: the schema, the matching and the dataset's reader, not needed for --help/--version
    from ..anchoring import AmbiguousQuoteError, QuoteNotFoundError
    from ..skeleton import skeleton

    check_argument("--dataset", dataset)
    try:
        written, _ = skeleton(
            kind,
            text,
            _trimmed(quote),
            document=document,
            identifier=identifier,
            after=after,
            occurrence=occurrence,
            dataset=dataset,
            sources=sources,
        )
    except AmbiguousQuoteError as error:
        _places(error, error.occurrences, False, "occurrences")
    except QuoteNotFoundError as error:
        _places(error, error.closest, False, "closest")
    except (DispatchDataError, ValueError) as error:
        fail(str(error))
    click.echo(written, nl=False)
    sys.exit(EXIT_OK)
