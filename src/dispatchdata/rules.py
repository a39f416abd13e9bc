"""Cross-record rules: what a schema cannot see. One generator per rule, each yielding problems.

Rules read the raw parsed data, so they must hold up on data the schema has already rejected:
they skip whatever is not of the expected shape (the schema reports it) rather than fail.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .codes import CODES
from .errors import Problem
from .layout import RawDataset, SourceFile
from .parse import escape
from .schema import schema_digest
from .suggest import did_you_mean


@dataclass(slots=True)
class Record:
    """One record of a collection, with the file and pointer it was read from."""

    collection: str
    file: SourceFile
    index: int
    data: dict[str, Any]

    @property
    def pointer(self) -> str:
        """JSON pointer of the record in its file."""
        return f"/{self.index}"

    @property
    def id(self) -> str | None:
        """The record's id, if it has a string one."""
        value = self.data.get("id")
        return value if isinstance(value, str) else None


@dataclass(slots=True)
class Context:
    """What every rule needs: the records, their ids, and the source texts found."""

    raw: RawDataset
    texts: dict[str, str]  # sha256 -> text
    records: dict[str, list[Record]] = field(default_factory=dict)
    ids: dict[str, dict[str, Record]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("documents", "actors", "proposals", "statements"):
            records = [
                Record(name, f, i, data)
                for f in self.raw.collection(name)
                for i, data in enumerate(f.records)
                if isinstance(data, dict)
            ]
            self.records[name] = records
            table: dict[str, Record] = {}
            for record in records:
                if record.id is not None:
                    table.setdefault(record.id, record)
            self.ids[name] = table

    def problem(
        self, code: str, message: str, record: Record, pointer: str = "", *, key: bool = False
    ) -> Problem:
        """A problem at ``pointer`` inside ``record`` (relative to the record)."""
        absolute = record.pointer + pointer
        line, column = record.file.position(absolute, key=key)
        return Problem(
            code=code,
            severity=CODES[code].severity,
            message=message,
            file=record.file.path,
            line=line,
            column=column,
            pointer=record.file.prefix + absolute,
        )

    def text_of(self, document_id: str) -> str | None:
        """The source text of a document, if it was found."""
        record = self.ids["documents"].get(document_id)
        digest = record.data.get("sha256") if record else None
        return self.texts.get(digest) if isinstance(digest, str) else None


Rule = Callable[[Context], Iterator[Problem]]

_SINGULAR = {
    "documents": "document",
    "actors": "actor",
    "proposals": "proposal",
    "statements": "statement",
}


def _where(record: Record) -> str:
    line, column = record.file.position(record.pointer)
    return f"{record.file.path}:{line}:{column}"


def iter_duplicate_ids(ctx: Context) -> Iterator[Problem]:
    """DD301: ids are unique within a collection, across all of its files."""
    for name, records in ctx.records.items():
        for record in records:
            first = ctx.ids[name].get(record.id) if record.id is not None else None
            if first is not None and first is not record:
                yield ctx.problem(
                    "DD301",
                    f"duplicate {_SINGULAR[name]} id {record.id!r} (first defined at {_where(first)})",
                    record,
                    "/id",
                )


# (collection of the referring record, JSON path inside the record with '*' for list items,
#  collection referred to)
_REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("documents", "publisher", "actors"),
    ("actors", "parent", "actors"),
    ("actors", "positions/*/organisation", "actors"),
    ("actors", "positions/*/represents", "actors"),
    ("proposals", "proposed_by/*", "actors"),
    ("statements", "document", "documents"),
    ("statements", "speaker", "actors"),
    ("statements", "stances/*/proposal", "proposals"),
    ("statements", "responds_to/*", "statements"),
    ("statements", "targets/*", "actors"),
)


def _values(data: Any, parts: list[str], pointer: str = "") -> Iterator[tuple[str, Any]]:
    """(pointer, value) for every value at a path with '*' wildcards; skips wrong shapes."""
    if not parts:
        yield pointer, data
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from _values(item, rest, f"{pointer}/{i}")
    elif isinstance(data, dict) and head in data:
        yield from _values(data[head], rest, f"{pointer}/{escape(head)}")


def iter_unresolved_references(ctx: Context) -> Iterator[Problem]:
    """DD302: every reference names an existing record of the right collection."""
    for source, path, target in _REFERENCES:
        table = ctx.ids[target]
        for record in ctx.records[source]:
            for pointer, value in _values(record.data, path.split("/")):
                if isinstance(value, str) and value not in table:
                    hint = did_you_mean(value, table)
                    yield ctx.problem(
                        "DD302", f"unknown {_SINGULAR[target]} {value!r}{hint}", record, pointer
                    )
    for records in ctx.records.values():
        for record in records:
            for pointer, anchor in _iter_anchors(record.data):
                document = anchor.get("document")
                if isinstance(document, str) and document not in ctx.ids["documents"]:
                    hint = did_you_mean(document, ctx.ids["documents"])
                    yield ctx.problem(
                        "DD302",
                        f"unknown document {document!r}{hint}",
                        record,
                        f"{pointer}/document",
                    )


_ORGANISATION_REFERENCES = ("parent", "positions/*/organisation", "positions/*/represents")


def iter_wrong_actor_kinds(ctx: Context) -> Iterator[Problem]:
    """DD308: parents, organisations of positions and represented places are organisations."""
    actors = ctx.ids["actors"]
    for record in ctx.records["actors"]:
        for path in _ORGANISATION_REFERENCES:
            for pointer, value in _values(record.data, path.split("/")):
                target = actors.get(value) if isinstance(value, str) else None
                if target is not None and target.data.get("type") == "person":
                    field_name = path.rsplit("/", 1)[-1]
                    yield ctx.problem(
                        "DD308",
                        f"{field_name} {value!r} is a person, not an organisation",
                        record,
                        pointer,
                    )


def iter_parent_cycles(ctx: Context) -> Iterator[Problem]:
    """DD309: following parents from any organisation never comes back to it."""
    actors = ctx.ids["actors"]
    reported: set[str] = set()
    for record in ctx.records["actors"]:
        start = record.id
        seen: list[str] = []
        current = start
        while isinstance(current, str) and current in actors and current not in seen:
            seen.append(current)
            current = actors[current].data.get("parent")
        if current == start and start is not None and start not in reported:
            reported.update(seen)
            cycle = " -> ".join([*seen, start])
            yield ctx.problem("DD309", f"parent cycle: {cycle}", record, "/parent")


def _footnotes_of(record: Record | None) -> dict[int, Any]:
    if record is None:
        return {}
    notes = record.data.get("footnotes")
    if not isinstance(notes, list):
        return {}
    return {n["number"]: n for n in notes if isinstance(n, dict) and isinstance(n.get("number"), int)}


def iter_footnote_problems(ctx: Context) -> Iterator[Problem]:
    """DD303, DD310, DD311: footnotes cited exist; numbers are unique; ISO dates match print."""
    for record in ctx.records["documents"]:
        notes = record.data.get("footnotes")
        if not isinstance(notes, list):
            continue
        seen: set[int] = set()
        for i, note in enumerate(notes):
            if not isinstance(note, dict):
                continue
            number = note.get("number")
            if isinstance(number, int):
                if number in seen:
                    yield ctx.problem(
                        "DD310",
                        f"footnote {number} is listed twice",
                        record,
                        f"/footnotes/{i}/number",
                    )
                seen.add(number)
            for pointer, date in _values(note, ["dates", "*"]):
                if isinstance(date, dict):
                    yield from _check_printed_date(ctx, record, f"/footnotes/{i}{pointer}", date)
    for record in ctx.records["statements"]:
        document_id = record.data.get("document")
        document = ctx.ids["documents"].get(document_id) if isinstance(document_id, str) else None
        if document is None:
            continue
        available = _footnotes_of(document)
        for pointer, number in _values(record.data, ["footnotes", "*"]):
            if isinstance(number, int) and number not in available:
                yield ctx.problem(
                    "DD303", f"document {document_id!r} has no footnote {number}", record, pointer
                )


_MONTHS = {
    name: i
    for i, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_PRINTED_DATE = re.compile(r"([A-Za-z]+)\.? (\d{1,2}), (\d{4})")


def _check_printed_date(
    ctx: Context, record: Record, pointer: str, date: dict[str, Any]
) -> Iterator[Problem]:
    printed, iso = date.get("printed"), date.get("date")
    if not (isinstance(printed, str) and isinstance(iso, str)):
        return
    match = _PRINTED_DATE.fullmatch(printed.strip())
    if match is None or match.group(1).lower() not in _MONTHS:
        return  # a format this rule does not read; nothing to compare
    month, day, year = _MONTHS[match.group(1).lower()], int(match.group(2)), int(match.group(3))
    expected = f"{year:04d}-{month:02d}-{day:02d}"
    if iso != expected:
        yield ctx.problem(
            "DD311",
            f"date {iso!r} does not match the printed {printed!r} ({expected})",
            record,
            f"{pointer}/date",
        )


def _date(value: Any) -> str | None:
    """The value if it is a real ISO calendar date (YYYY-MM-DD), else None."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return value


def _effective_date(date: Any) -> str | None:
    """A footnote date's corrected value where it has an erratum, else its printed value."""
    if not isinstance(date, dict):
        return None
    erratum = date.get("erratum")
    corrected = erratum.get("corrected") if isinstance(erratum, dict) else None
    return _date(corrected) or _date(date.get("date"))


def iter_statement_order(ctx: Context) -> Iterator[Problem]:
    """DD304, DD305, DD306: no statement answers itself or a later one, or postdates its sources."""
    statements = ctx.ids["statements"]
    for record in ctx.records["statements"]:
        own = _date(record.data.get("date"))
        for pointer, target in _values(record.data, ["responds_to", "*"]):
            if target == record.id:
                yield ctx.problem("DD304", "statement responds to itself", record, pointer)
                continue
            other = statements.get(target) if isinstance(target, str) else None
            theirs = _date(other.data.get("date")) if other else None
            if own is not None and theirs is not None and theirs > own:
                yield ctx.problem(
                    "DD305",
                    f"responds to {target!r}, dated {theirs}, after this statement ({own})",
                    record,
                    pointer,
                )
        if own is None:
            continue
        document_id = record.data.get("document")
        document = ctx.ids["documents"].get(document_id) if isinstance(document_id, str) else None
        published = _date(document.data.get("published")) if document else None
        if published is not None and own > published:
            yield ctx.problem(
                "DD306", f"dated {own}, after its document was published ({published})", record, "/date"
            )
        notes = _footnotes_of(document)
        for _, number in _values(record.data, ["footnotes", "*"]):
            for _, date in _values(notes.get(number), ["dates", "*"]):
                effective = _effective_date(date)
                if effective is not None and own > effective:
                    yield ctx.problem(
                        "DD306",
                        f"dated {own}, after footnote {number}'s source ({effective})",
                        record,
                        "/date",
                    )


def _iter_anchors(data: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every anchor inside a record: mappings under 'anchor', 'anchors' or 'quotes'."""
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{pointer}/{escape(key)}"
            if key == "anchor" and isinstance(value, dict):
                yield here, value
            elif key in ("anchors", "quotes") and isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        yield f"{here}/{i}", item
            else:
                yield from _iter_anchors(value, here)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _iter_anchors(item, f"{pointer}/{i}")


def iter_anchor_documents(ctx: Context) -> Iterator[Problem]:
    """DD307: a statement's anchors and quotes point into the statement's own document."""
    for record in ctx.records["statements"]:
        document = record.data.get("document")
        for pointer, anchor in _iter_anchors(record.data):
            other = anchor.get("document")
            if isinstance(other, str) and isinstance(document, str) and other != document:
                yield ctx.problem(
                    "DD307",
                    f"anchor is into {other!r}, but the statement is in {document!r}",
                    record,
                    f"{pointer}/document",
                )


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_anchor(
    ctx: Context, record: Record, pointer: str, anchor: dict[str, Any], text: str
) -> Iterator[Problem]:
    start, end, exact = _int(anchor.get("start")), _int(anchor.get("end")), anchor.get("exact")
    if start is None or end is None or not isinstance(exact, str):
        return
    if not 0 <= start < end <= len(text):
        yield ctx.problem(
            "DD404",
            f"offsets [{start}:{end}] are outside the text (0 to {len(text)}) or empty",
            record,
            f"{pointer}/start",
        )
        return
    if text[start:end] != exact:
        found = text.find(exact)
        hint = ""
        if found != -1 and text.find(exact, found + 1) == -1:
            hint = f"; the exact text is at [{found}:{found + len(exact)}]"
        yield ctx.problem(
            "DD401",
            f"exact text differs from the document text at [{start}:{end}] ({text[start:end][:40]!r}){hint}",
            record,
            f"{pointer}/exact",
        )
        return
    prefix, suffix = anchor.get("prefix"), anchor.get("suffix")
    if isinstance(prefix, str) and text[max(0, start - len(prefix)) : start] != prefix:
        yield ctx.problem(
            "DD402",
            f"prefix differs from the text before the anchor ({text[max(0, start - len(prefix)) : start]!r})",
            record,
            f"{pointer}/prefix",
        )
    if isinstance(suffix, str) and text[end : end + len(suffix)] != suffix:
        yield ctx.problem(
            "DD403",
            f"suffix differs from the text after the anchor ({text[end : end + len(suffix)]!r})",
            record,
            f"{pointer}/suffix",
        )


def iter_anchor_problems(ctx: Context) -> Iterator[Problem]:
    """DD401-DD408: anchors match the source texts found; a missing source is a warning."""
    skipped: dict[str, int] = defaultdict(int)
    for record in ctx.records["documents"]:
        digest, length = record.data.get("sha256"), _int(record.data.get("length"))
        text = ctx.texts.get(digest) if isinstance(digest, str) else None
        if text is not None and length is not None and length != len(text):
            yield ctx.problem(
                "DD406",
                f"length is {length}, but the source text has {len(text)} code points",
                record,
                "/length",
            )
    for name in ("documents", "actors", "proposals", "statements"):
        for record in ctx.records[name]:
            for pointer, anchor in _iter_anchors(record.data):
                document = anchor.get("document")
                if not isinstance(document, str) or document not in ctx.ids["documents"]:
                    continue
                text = ctx.text_of(document)
                if text is None:
                    skipped[document] += 1
                    continue
                yield from _check_anchor(ctx, record, pointer, anchor, text)
            if name == "documents":
                yield from _check_footnote_text(ctx, record)
            if name == "statements":
                yield from _check_quotes_inside(ctx, record)
    for document, count in sorted(skipped.items()):
        record = ctx.ids["documents"][document]
        digest = record.data.get("sha256")
        yield ctx.problem(
            "DD405",
            f"source text of {document!r} (sha256 {digest}) not found: {count} anchor check(s) skipped; "
            "pass the folder holding it with --sources",
            record,
            "/sha256",
        )


def _check_footnote_text(ctx: Context, record: Record) -> Iterator[Problem]:
    for pointer, note in _values(record.data, ["footnotes", "*"]):
        if not isinstance(note, dict) or not isinstance(note.get("anchor"), dict):
            continue
        printed, exact = note.get("printed"), note["anchor"].get("exact")
        if isinstance(printed, str) and isinstance(exact, str) and printed != exact:
            yield ctx.problem(
                "DD408",
                "printed differs from the text of the footnote's anchor",
                record,
                f"{pointer}/printed",
            )


def _span(anchor: dict[str, Any]) -> tuple[int, int] | None:
    start, end = _int(anchor.get("start")), _int(anchor.get("end"))
    return (start, end) if start is not None and end is not None else None


def _check_quotes_inside(ctx: Context, record: Record) -> Iterator[Problem]:
    passages = [
        s for _, a in _values(record.data, ["anchors", "*"]) if isinstance(a, dict) and (s := _span(a))
    ]
    for pointer, quote in _values(record.data, ["quotes", "*"]):
        span = _span(quote) if isinstance(quote, dict) else None
        if span and passages and not any(a <= span[0] and span[1] <= b for a, b in passages):
            yield ctx.problem("DD407", "quote lies outside the statement's anchored passage", record, pointer)


def iter_shared_names(ctx: Context) -> Iterator[Problem]:
    """DD312: two actors sharing a name or alias is worth a look (a duplicate actor?)."""
    owners: dict[str, Record] = {}
    for record in ctx.records["actors"]:
        names = [("/name", record.data.get("name"))]
        names += [
            (f"{p}/name", a.get("name"))
            for p, a in _values(record.data, ["aliases", "*"])
            if isinstance(a, dict)
        ]
        for pointer, name in names:
            if not isinstance(name, str):
                continue
            first = owners.setdefault(name.casefold(), record)
            if first is not record and first.id != record.id:
                yield ctx.problem(
                    "DD312", f"name {name!r} is also used by actor {first.id!r}", record, pointer
                )


def iter_aliases_in_text(ctx: Context) -> Iterator[Problem]:
    """DD409: every alias is printed in at least one source text (when any text is available)."""
    texts = list(ctx.texts.values())
    if not texts:
        return
    for record in ctx.records["actors"]:
        for pointer, alias in _values(record.data, ["aliases", "*"]):
            name = alias.get("name") if isinstance(alias, dict) else None
            if isinstance(name, str) and not any(name in text for text in texts):
                yield ctx.problem(
                    "DD409",
                    f"alias {name!r} does not occur in any source text found",
                    record,
                    f"{pointer}/name",
                )


# Letters from other scripts that look like the ASCII letters ids are made of.
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝαεορτυνκιχ‐‑‒–—―−",  # noqa: RUF001 - these look-alikes are the point
    "aeopcyxijsdhlqwaeoptuvkix-------",
)


def _skeleton(value: str) -> str:
    """What an id looks like: NFKC-normalised, format characters (zero-width, bidi) removed,
    look-alike letters and dashes mapped to ASCII, lowercased."""
    folded = unicodedata.normalize("NFKC", value)
    visible = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    return visible.translate(_LOOKALIKES).lower()


def _describe(value: str) -> str:
    odd = [c for c in value if not (c.isascii() and c.isprintable())]
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'UNNAMED')}" for c in dict.fromkeys(odd))


def iter_lookalike_ids(ctx: Context) -> Iterator[Problem]:
    """DD313: ids (and references) are plain ASCII; a look-alike of another id is named as such."""
    fields = [(name, "id", name) for name in ctx.records] + [(s, p, t) for s, p, t in _REFERENCES]
    # The plain spellings in use for each collection: its ids, and the references made to it.
    spellings: dict[str, set[str]] = {
        name: {i for i in table if i.isascii()} for name, table in ctx.ids.items()
    }
    for source, path, target in _REFERENCES:
        for record in ctx.records[source]:
            spellings[target].update(
                v for _, v in _values(record.data, path.split("/")) if isinstance(v, str) and v.isascii()
            )
    for source, path, target in fields:
        skeletons = {_skeleton(i): i for i in sorted(spellings[target])}
        for record in ctx.records[source]:
            for pointer, value in _values(record.data, path.split("/")):
                if not isinstance(value, str) or (value.isascii() and value.isprintable()):
                    continue
                twin = skeletons.get(_skeleton(value))
                message = f"{value!r} contains {_describe(value)}"
                if twin is not None and twin != value:
                    message += f": it differs from {twin!r} only by look-alike or invisible characters"
                yield ctx.problem("DD313", message, record, pointer)


def iter_bundle_problems(ctx: Context) -> Iterator[Problem]:
    """DD314, DD315: a release bundle agrees with itself (version, schema digest)."""
    bundle = ctx.raw.bundle
    data = bundle.data if bundle is not None else None
    if bundle is None or not isinstance(data, dict):
        return
    metadata = data.get("metadata")
    inner = metadata.get("version") if isinstance(metadata, dict) else None
    if isinstance(inner, str) and data.get("version") != inner:
        yield _bundle_problem(
            "DD314",
            f"bundle version {data.get('version')!r} but metadata version {inner!r}",
            bundle,
            "/version",
        )
    schema = data.get("schema")
    if (
        isinstance(schema, dict)
        and isinstance(schema.get("files"), dict)
        and isinstance(schema.get("sha256"), str)
    ):
        actual = schema_digest(schema["files"])
        if actual != schema["sha256"]:
            yield _bundle_problem(
                "DD315",
                f"schema sha256 is {schema['sha256']}, but its files hash to {actual}",
                bundle,
                "/schema/sha256",
            )


def _bundle_problem(code: str, message: str, file: SourceFile, pointer: str) -> Problem:
    line, column = file.position(pointer)
    return Problem(
        code=code,
        severity=CODES[code].severity,
        message=message,
        file=file.path,
        line=line,
        column=column,
        pointer=pointer,
    )


RULES: tuple[Rule, ...] = (
    iter_duplicate_ids,
    iter_unresolved_references,
    iter_wrong_actor_kinds,
    iter_parent_cycles,
    iter_footnote_problems,
    iter_statement_order,
    iter_anchor_documents,
    iter_anchor_problems,
    iter_shared_names,
    iter_aliases_in_text,
    iter_lookalike_ids,
    iter_bundle_problems,
)


def iter_rule_problems(raw: RawDataset, texts: dict[str, str]) -> Iterator[Problem]:
    """Every cross-record problem of a dataset."""
    ctx = Context(raw, texts)
    for rule in RULES:
        yield from rule(ctx)
