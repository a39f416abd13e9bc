"""Every problem code dispatchdata reports, and what it means.

Codes are stable: a code is never reused for another meaning. ``DD1xx`` are about reading files,
``DD2xx`` about the schema, ``DD3xx`` about records and their references, ``DD4xx`` about anchors
into the source texts.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Severity


@dataclass(frozen=True, slots=True, kw_only=True)
class Code:
    """A problem code: its default severity and its meaning."""

    code: str
    severity: Severity
    title: str


_E, _W = Severity.ERROR, Severity.WARNING

CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code(code="DD100", severity=_E, title="a file or folder cannot be read"),
        Code(
            code="DD101",
            severity=_E,
            title="a file is not UTF-8 (UTF-16, a byte-order mark, Latin-1, ...)",
        ),
        Code(code="DD102", severity=_E, title="YAML syntax error"),
        Code(code="DD103", severity=_E, title="duplicate key in a mapping (the first value is kept)"),
        Code(
            code="DD104",
            severity=_E,
            title="unsupported or mismatched YAML tag (only JSON-like tags are allowed)",
        ),
        Code(
            code="DD105",
            severity=_E,
            title="alias refused: recursive, or expanding far beyond the file's size",
        ),
        Code(code="DD106", severity=_E, title="more than one YAML document in a file"),
        Code(
            code="DD107",
            severity=_E,
            title="NaN or infinity, or a number too large to read (1e400, thousands of digits)",
        ),
        Code(code="DD108", severity=_E, title="a mapping key that is not a string"),
        Code(
            code="DD110",
            severity=_E,
            title="a file or folder in the dataset folder that is not part of the layout (so not read)",
        ),
        Code(code="DD111", severity=_E, title="a required file or collection is missing"),
        Code(
            code="DD112",
            severity=_E,
            title="a file does not hold what its place in the layout requires",
        ),
        Code(
            code="DD113",
            severity=_E,
            title="an integer written as a float (177.0, 1.77e2, 1e2, -0.0)",
        ),
        Code(
            code="DD114",
            severity=_W,
            title="a plain scalar other YAML readers read as another type (no, on, 0750, 1:20, dates)",
        ),
        Code(code="DD115", severity=_E, title="a %YAML directive other than %YAML 1.2"),
        Code(
            code="DD116",
            severity=_E,
            title="a symbolic link refused (leading outside the dataset folder, to a folder, or as a release "
            "or its SHA256SUMS): nothing read from it",
        ),
        Code(
            code="DD117",
            severity=_E,
            title="an integer outside the signed 64-bit range (what every export, SQLite's included, stores)",
        ),
        Code(
            code="DD118",
            severity=_E,
            title="a data file larger than the size limit (--max-file-size, DISPATCHDATA_MAX_FILE_SIZE): "
            "not read",
        ),
        Code(
            code="DD119",
            severity=_W,
            title="references into a collection a file of which could not be read: not checked",
        ),
        Code(code="DD200", severity=_E, title="schema violation (other)"),
        Code(code="DD201", severity=_E, title="a required property is missing"),
        Code(code="DD202", severity=_E, title="a property the schema does not allow"),
        Code(code="DD203", severity=_E, title="a value of the wrong type"),
        Code(code="DD204", severity=_E, title="a value outside the allowed set (enum, const)"),
        Code(
            code="DD205",
            severity=_E,
            title="a value that does not match its pattern or format (ids, dates, hashes)",
        ),
        Code(
            code="DD206",
            severity=_E,
            title="a value out of bounds (length, count, range, uniqueness)",
        ),
        Code(
            code="DD301",
            severity=_E,
            title="duplicate id within a collection (across all its files)",
        ),
        Code(code="DD302", severity=_E, title="a reference to an id that does not exist"),
        Code(code="DD303", severity=_E, title="a footnote number the document does not have"),
        Code(code="DD304", severity=_E, title="a statement that responds to itself"),
        Code(code="DD305", severity=_E, title="a statement that responds to one dated later"),
        Code(code="DD306", severity=_E, title="a statement dated after the sources that report it"),
        Code(code="DD307", severity=_E, title="an anchor into another document than its record's"),
        Code(
            code="DD308",
            severity=_E,
            title="a reference to the wrong kind of actor (a person where an organisation is needed)",
        ),
        Code(code="DD309", severity=_E, title="organisations whose parents form a cycle"),
        Code(code="DD310", severity=_E, title="a footnote number used twice in a document"),
        Code(
            code="DD311",
            severity=_E,
            title="a footnote date whose ISO form does not match the printed date",
        ),
        Code(code="DD312", severity=_W, title="two actors share a name or alias"),
        Code(
            code="DD313",
            severity=_E,
            title="an id with look-alike, zero-width or bidi characters (perhaps a twin of another id)",
        ),
        Code(code="DD314", severity=_E, title="a release bundle's version differs from its metadata's"),
        Code(
            code="DD315",
            severity=_E,
            title="a release bundle's schema files do not hash to the schema sha256 it records",
        ),
        Code(
            code="DD316",
            severity=_E,
            title="a release bundle's schema cannot be used (missing, not a JSON Schema, a $ref to nothing)",
        ),
        Code(
            code="DD317",
            severity=_E,
            title="a control or invisible formatting character (NUL, ESC, U+202E, a zero-width space, ...) "
            "outside anchor text",
        ),
        Code(
            code="DD320",
            severity=_E,
            title="a release file changed since it was released (its SHA-256 is not its SHA256SUMS line's)",
        ),
        Code(
            code="DD321",
            severity=_E,
            title="a release file that releases/SHA256SUMS does not list (or there is none): unchecked",
        ),
        Code(
            code="DD322",
            severity=_E,
            title="a releases/SHA256SUMS that cannot be read, or a line of it not as sha256sum writes it",
        ),
        Code(
            code="DD323",
            severity=_W,
            title="a bundle, not a verified release, carries another schema: checked against the package's",
        ),
        Code(
            code="DD401",
            severity=_E,
            title="an anchor's exact text is not the document text at [start:end]",
        ),
        Code(code="DD402", severity=_E, title="an anchor's prefix is not the text just before it"),
        Code(code="DD403", severity=_E, title="an anchor's suffix is not the text just after it"),
        Code(
            code="DD404",
            severity=_E,
            title="an anchor's offsets are out of range (start >= end, or end past the text)",
        ),
        Code(
            code="DD405",
            severity=_W,
            title="a document's source text was not found: its anchor checks were skipped",
        ),
        Code(
            code="DD406",
            severity=_E,
            title="a document's recorded length differs from its source text",
        ),
        Code(
            code="DD407",
            severity=_W,
            title="a quote lies outside the passage its statement is anchored to",
        ),
        Code(
            code="DD408",
            severity=_E,
            title="a footnote's printed text differs from the text its anchor covers",
        ),
        Code(
            code="DD409",
            severity=_W,
            title="an alias that does not occur in any available source text",
        ),
        Code(
            code="DD410",
            severity=_W,
            title="a quote whose exact text starts or ends with white space",
        ),
        Code(
            code="DD411",
            severity=_E,
            title="a source text that must be found was not (--sources given, or a text the package ships)",
        ),
    )
}
