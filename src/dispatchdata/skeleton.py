"""A new record's skeleton (``dispatchdata new``): the fields its schema requires, in the
schema's order, with the id made from its name, title or summary, its anchor found from a quote
as :func:`~dispatchdata.anchoring.anchor` finds it, empty lists where a list is required, and
the fields only a person can fill in left empty (null), each with a comment saying what goes
there. The YAML is read back by the dataset's reader before it is shown."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .anchoring import Located, document_text, locate
from .check.schema import SCHEMA_FILES, schemas
from .display import excerpt
from .documents import only_document
from .errors import DispatchDataError
from .snippets import anchor_yaml, scalar

#: The records ``new`` makes: their collection, and the field their text goes into.
KINDS = {
    "statement": ("statements", "summary"),
    "actor": ("actors", "name"),
    "proposal": ("proposals", "title"),
}
#: The longest id made from a text (ids may be longer: 120 characters), cut at a word.
_ID_LENGTH = 60


def slug(text: str) -> str:
    """An id made from ``text``: its ASCII letters and digits (accents dropped), lower case,
    words joined by hyphens, at most ``_ID_LENGTH`` characters, cut at a word ("" when nothing is left)."""
    # Accents dropped and apostrophes left out ("Medvedev's": medvedevs); anything else that is
    # not an ASCII letter or digit (a dash, a space, a letter of another script) parts words.
    kept = "".join(
        "" if unicodedata.combining(c) or c in "'\u2019\u02bc" else c
        for c in unicodedata.normalize("NFKD", text)
    )
    words = re.findall(r"[a-z0-9]+", kept.lower())
    made = ""
    for word in words:
        longer = f"{made}-{word}" if made else word
        if len(longer) > _ID_LENGTH and made:
            break
        made = longer[:_ID_LENGTH]
    return made


def _required(collection: str) -> list[tuple[str, dict[str, Any]]]:
    """The fields a record of ``collection`` requires, in its schema's order, with their schema."""
    schema = schemas()[SCHEMA_FILES[collection]]
    record = next(iter(schema["$defs"].values()))
    return [(name, record["properties"][name]) for name in record["required"]]


def _hint(collection: str, name: str, field: dict[str, Any]) -> str:
    """What goes in a field, said in a comment: its choices, or where they are (the file of the
    collection a reference names), or else the start of its description."""
    # deferred: the table of references, with the schema, needed only by ``new``
    from .check.rules.context import REFERENCES

    if "enum" in field:
        return " | ".join(field["enum"])
    for source, path, target in REFERENCES:
        if (source, path) == (collection, name):
            return f"{_article(target[:-1])} {target[:-1]} id from {target}.yaml"
    return excerpt(str(field.get("description", "")).split(" (")[0].rstrip("."), width=70)


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _check_id(identifier: str) -> None:
    """:class:`ValueError` unless ``identifier`` is an id as the schema defines one (its pattern
    and length)."""
    schema = schemas()["defs.schema.json"]["$defs"]["id"]
    pattern, longest = schema["pattern"], schema["maxLength"]
    if re.fullmatch(pattern, identifier) is None or len(identifier) > longest:
        raise ValueError(
            f"--id {excerpt(identifier)!r} is not an id: it must match {pattern} "
            f"(lower-case ASCII letters and digits, words joined by hyphens), at most {longest} characters"
        )


def _is_list(field: dict[str, Any]) -> bool:
    return field.get("type") == "array" or str(field.get("$ref", "")).endswith(("/ids", "/anchors"))


def skeleton(
    kind: str,
    text: str,
    quote: str,
    *,
    document: str | None = None,
    identifier: str | None = None,
    after: str | None = None,
    occurrence: int | None = None,
    dataset: str | Path | None = None,
    sources: Iterable[str | Path] = (),
) -> tuple[str, Located]:
    """A ``kind`` record (statement, actor or proposal) whose name, title or summary is ``text``,
    anchored where ``quote`` is in ``document`` (the dataset's only one by default), as YAML (a
    list item) and the anchor found. Raises what :func:`~dispatchdata.anchoring.anchor` raises,
    and :class:`ValueError` for an unknown kind, a text that makes no id or an ``identifier``
    that is not an id (the schema's pattern)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {excerpt(kind)!r}: one of {', '.join(KINDS)}")
    if not quote:
        raise ValueError("the quote is empty")
    made = identifier if identifier is not None else slug(text)
    if not made:
        raise ValueError(f"no id can be made from {excerpt(text)!r}: give one with --id")
    if identifier is not None:
        _check_id(identifier)
    chosen = only_document(dataset, document)
    found = locate(
        document_text(chosen, dataset, sources), quote, document=chosen, after=after, occurrence=occurrence
    )
    collection, named = KINDS[kind]
    known: dict[str, Any] = {"id": made, "document": chosen, named: text}
    lines: list[str] = []
    expected: dict[str, Any] = {}
    for name, field in _required(collection):
        if name == "anchors":
            lines.append("  anchors:\n" + anchor_yaml(found.anchor, indent=2))
            expected[name] = [asdict(found.anchor)]
        elif name in known:
            lines.append(f"  {name}: {scalar(known[name])}\n")
            expected[name] = known[name]
        elif _is_list(field):
            lines.append(f"  {name}: []\n")
            expected[name] = []
        else:
            lines.append(f"  {name}:  # {_hint(collection, name, field)}\n")
            expected[name] = None
    written = "- " + "".join(lines)[2:]
    _check(written, expected)
    return written, found


def _check(written: str, expected: dict[str, Any]) -> None:
    """The dataset's reader reads ``written`` as ``[expected]``, or nothing is shown."""
    # deferred: the YAML reader, needed only by the editing commands
    from .read.parse import parse_text

    parsed = parse_text(written, "new.yaml")
    if parsed.data != [expected]:
        raise DispatchDataError("the record written as YAML does not read back as itself")
