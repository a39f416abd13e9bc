"""The JSON Schema: loaded once, compiled once, errors turned into located problems."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from ..codes import problem
from ..display import excerpt
from ..errors import Problem
from ..read.parse import escape, pointer_of
from ..resources import schema_dir

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator
    from referencing import Registry

    from ..read.folder import SourceFile

#: Schema file of each collection (and of the metadata), in ``schema/``.
SCHEMA_FILES = {
    "dataset": "dataset.schema.json",
    "documents": "documents.schema.json",
    "actors": "actors.schema.json",
    "proposals": "proposals.schema.json",
    "statements": "statements.schema.json",
    "release": "release.schema.json",
}

_CODE_BY_KEYWORD = {
    "required": "DD201",
    "additionalProperties": "DD202",
    "unevaluatedProperties": "DD202",
    "False": "DD202",
    "type": "DD203",
    "enum": "DD204",
    "const": "DD204",
    "pattern": "DD205",
    "format": "DD205",
    "minItems": "DD206",
    "maxItems": "DD206",
    "minLength": "DD206",
    "maxLength": "DD206",
    "minimum": "DD206",
    "maximum": "DD206",
    "uniqueItems": "DD206",
}


@cache
def schemas() -> dict[str, dict[str, Any]]:
    """Every schema document shipped with the package, by file name."""
    folder = schema_dir()
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.schema.json"))}


@cache
def package_digest() -> str:
    """The :func:`schema_digest` of the package's own schema."""
    return schema_digest(schemas())


def schema_digest(files: dict[str, Any]) -> str:
    """SHA-256 identifying a set of schema files: each file's canonical JSON (sorted keys, no
    spaces) after its name, in name order. Formatting changes do not change it."""
    digest = hashlib.sha256()
    for name in sorted(files):
        canonical = json.dumps(files[name], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest.update(f"{name}\n{canonical}\n".encode())
    return digest.hexdigest()


#: What a collection's schema may say of the list itself, so that its records can be checked
#: apart (a folder's files, a bundle's pieces): that it is a list, and of what.
_LIST_KEYWORDS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description", "type", "items"})


def per_record(collection: str, files: dict[str, Any] | None = None) -> bool:
    """Whether the schema of ``collection`` (the package's, or ``files``) checks each record on
    its own: a list whose every item is checked alike, and nothing said of the list as a whole
    (a length, unique items), so that checking it in parts finds exactly what checking it whole
    does."""
    document = (schemas() if files is None else files).get(SCHEMA_FILES[collection])
    return (
        isinstance(document, dict) and document.get("type") == "array" and _LIST_KEYWORDS.issuperset(document)
    )


_COMPILED: dict[tuple[str, str], Validator] = {}


def validator(collection: str, files: dict[str, Any] | None = None) -> Validator:
    """The compiled validator for one collection (``dataset`` for the metadata, ``release`` for a
    bundle's frame), from the package's schema or from ``files`` (a release's own schema).
    Compiled once per schema digest and collection."""
    docs = schemas() if files is None else files
    key = (schema_digest(docs) if files is not None else "", collection)
    if key not in _COMPILED:
        # deferred: jsonschema, needed only for a file jsonschema-rs finds invalid (or without it)
        from jsonschema import Draft202012Validator

        cls: Any = Draft202012Validator
        _COMPILED[key] = cls(
            docs[SCHEMA_FILES[collection]], registry=_registry(docs), format_checker=cls.FORMAT_CHECKER
        )
    return _COMPILED[key]


def _registry(docs: dict[str, Any]) -> Registry[Any]:
    """The schema documents by ``$id``, for jsonschema to resolve ``$ref`` s across files."""
    # deferred: referencing, with jsonschema
    from referencing import Registry, Resource

    return Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc))
        for doc in docs.values()
        if isinstance(doc, dict) and "$id" in doc
    )


_FAST: dict[tuple[str, str], Callable[[Any], bool] | None] = {}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(value: object) -> bool:
    """jsonschema's ``date`` format, exactly (its ``is_date``): four, two and two ASCII digits
    that name a day of the proleptic Gregorian calendar from year 1 (``0000-01-01`` is not one)."""
    if not isinstance(value, str):
        return True
    try:
        return bool(_ISO_DATE.fullmatch(value) and datetime.date.fromisoformat(value))
    except ValueError:
        return False


#: The formats the package's schemas use, checked by jsonschema-rs with jsonschema's meaning (its
#: own ``date`` takes year 0000, which jsonschema refuses: valid with the fast extra, invalid
#: without it). tests/test_schema_fast.py fails for a format used and not listed here.
FAST_FORMATS: dict[str, Callable[[object], bool]] = {"date": _is_date}


def fast_check(collection: str, files: dict[str, Any] | None = None) -> Callable[[Any], bool] | None:
    """A yes/no check of the same schema by jsonschema-rs (formats checked), when it is installed.

    It answers "valid?" about 200 times faster than jsonschema; jsonschema still produces every
    message, for the files it says no to. tests/test_schema_fast.py proves the two agree.
    """
    docs = schemas() if files is None else files
    key = (schema_digest(docs) if files is not None else "", collection)
    if key not in _FAST:
        try:
            # deferred: jsonschema-rs (the optional `fast` extra), loaded when a file is checked.
            # jsonschema-rs imports decimal itself, lazily, from Rust, where a Ctrl-C during that
            # import is a panic (a traceback, exit 1): imported here first, an interrupt is ours.
            import decimal  # noqa: F401

            import jsonschema_rs
        except ImportError:
            _FAST[key] = None
        else:
            try:
                registry = jsonschema_rs.Registry(
                    [(doc["$id"], doc) for doc in docs.values() if isinstance(doc, dict) and "$id" in doc]
                )
                compiled = jsonschema_rs.validator_for(
                    docs[SCHEMA_FILES[collection]],
                    registry=registry,
                    validate_formats=True,
                    formats=FAST_FORMATS,
                    offline=True,
                )
            except ValueError:  # a schema it cannot compile (a bundle's): jsonschema checks alone
                _FAST[key] = None
            else:
                _FAST[key] = compiled.is_valid
    return _FAST[key]


def schema_error(files: dict[str, Any]) -> str | None:
    """Why the schema files ``files`` (a release bundle's) cannot check a dataset, or None:
    a collection's schema is missing or not a JSON Schema, or a ``$ref`` in it leads nowhere
    (jsonschema would only find that out in the middle of checking, and stop)."""
    # deferred: jsonschema and referencing, needed only for a release carrying its own schema
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError
    from referencing.exceptions import CannotDetermineSpecification, Unresolvable
    from referencing.jsonschema import UnknownDialect

    for name in SCHEMA_FILES.values():
        if not isinstance(files.get(name), dict):
            return f"{name} is missing"
    for name, document in sorted(files.items()):  # the shared definitions too
        try:
            Draft202012Validator.check_schema(document)
        except SchemaError as error:
            return f"{name} is not a JSON Schema: {error.message}"
    try:
        registry = _registry(files)
    except (CannotDetermineSpecification, UnknownDialect) as error:
        return f"a file's $schema is not a JSON Schema dialect jsonschema knows ({error})"
    for name, document in files.items():
        resolver = registry.resolver(base_uri=document.get("$id", "") if isinstance(document, dict) else "")
        stack = [document]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                reference = item.get("$ref")
                if isinstance(reference, str):
                    try:
                        resolver.lookup(reference)
                    except Unresolvable:
                        return f"{name}: $ref {reference!r} leads nowhere"
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return None


def iter_schema_problems(file: SourceFile, files: dict[str, Any] | None = None) -> Iterator[Problem]:
    """Check one collection (a file, or a part of a bundle) against its schema: the package's, or
    ``files`` (the schema a release bundle carries). Valid files are confirmed by the fast check
    when it is available; every message comes from jsonschema."""
    fast = fast_check(file.collection, files)
    if fast is not None and fast(file.data):
        return
    dropped = {p.pointer for p in file.parsed.problems if p.code in _DROPPING}
    outside = {p.pointer for p in file.parsed.problems if p.code == _OUTSIDE}
    for error in validator(file.collection, files).iter_errors(file.data):
        if dropped and _follows_from_dropped(error, file, dropped):
            continue
        if outside and file.pointer(pointer_of(list(error.absolute_path))) in outside:
            continue  # the value is read, but outside what may be stored: said once, by DD117
        yield _problem(error, file)


#: Reading problems after which the value is left out of the data (as both readers do): a tag
#: that is not allowed (DD104), NaN, infinity or a number too large to read (DD107).
_DROPPING = frozenset({"DD104", "DD107"})
#: The reading problem of an integer outside the 64-bit range: kept in the data, but nothing more
#: is said of it (see :func:`dispatchdata.check.file.rule_records`).
_OUTSIDE = "DD117"


def _follows_from_dropped(error: ValidationError, file: SourceFile, dropped: set[str]) -> bool:
    """Whether a schema error only says that a value the reader left out is missing (a required
    property, too few items): not so, the value is there but cannot be read, and the reading
    problem at its place says so."""
    keyword = str(error.validator)
    pointer = file.pointer(pointer_of(list(error.absolute_path)))
    if keyword == "required" and isinstance(error.instance, dict) and isinstance(error.validator_value, list):
        missing = [n for n in error.validator_value if isinstance(n, str) and n not in error.instance]
        name = next((n for n in missing if error.message.startswith(f"{n!r} ")), None)
        return name is not None and f"{pointer}/{escape(name)}" in dropped
    if keyword in ("minItems", "minProperties"):
        return any(d.startswith(pointer + "/") for d in dropped)
    return False


def _problem(error: ValidationError, file: SourceFile) -> Problem:
    from jsonschema.exceptions import best_match  # deferred: jsonschema, as above

    shown = error
    extra = ""
    if error.context:
        # Descend as jsonschema intends: from the anyOf/oneOf error into the branch that fits
        # the value best ('does not match the id pattern' rather than 'is not an integer').
        shown = best_match([error]) or error
        others = len(error.context) - 1
        extra = f" ({others} other candidate error{'s' if others != 1 else ''})" if others else ""
    keyword = str(shown.validator)
    if keyword == "not" and shown.validator_value == {}:
        keyword = "False"  # {"not": {}} is the schema's spelling of "this property is not allowed"
    path = list(shown.absolute_path)
    pointer = pointer_of(path)
    position = file.position(pointer)
    message = _shown_message(shown)
    if shown.instance is None or type(shown.instance) is bool:
        message = _json_spelling(message, shown.instance, path, isinstance(file.data, list))
    if keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(shown.instance, dict):
        allowed = set(shown.schema.get("properties", {})) if isinstance(shown.schema, dict) else set()
        unexpected = sorted(k for k in shown.instance if k not in allowed)
        if unexpected:
            pointer = f"{pointer}/{escape(unexpected[0])}"
            position = file.position(pointer, key=True)
            names = ", ".join(repr(excerpt(k)) for k in unexpected)
            message = f"unexpected propert{'y' if len(unexpected) == 1 else 'ies'} {names}"
    elif keyword in ("False", "None"):
        # jsonschema loses the path of a bare `false` subschema, hence {"not": {}} in our schemas.
        keyword = "False"
        position = file.position(pointer, key=True)
        name = excerpt(path[-1]) if path and isinstance(path[-1], str) else path[-1] if path else None
        message = f"property {name!r} is not allowed here" if path else "value is not allowed here"
    return problem(
        _CODE_BY_KEYWORD.get(keyword, "DD200"),
        f"{message}{extra}",
        file=file.path,
        line=position[0],
        column=position[1],
        pointer=file.pointer(pointer),
    )


def _json_spelling(message: str, instance: bool | None, path: list[Any], records: bool) -> str:
    """A message about ``null``, ``true`` or ``false`` as the files spell them, not as Python
    does (``None is not of type 'string'``), after the field it is the value of (its path in its
    record, when the file holds ``records``): ``summary: null is not of type 'string'``."""
    spoken = repr(instance)
    if message.startswith(spoken + " "):
        message = json.dumps(instance) + message[len(spoken) :]
    fields = path[1:] if records and path and isinstance(path[0], int) else path
    if not fields:
        return message
    return "/".join(excerpt(str(f)) for f in fields) + ": " + message


def _shown_message(error: ValidationError) -> str:
    """jsonschema's message, with the value it quotes (the whole instance, as ``repr``) cut to an
    excerpt of its start: a megabyte id must not make a megabyte message."""
    message = error.message
    if len(message) <= 200:  # nothing long quoted: the usual case costs no repr
        return message
    instance = error.instance
    quoted = repr(instance)
    shown = repr(excerpt(instance)) if isinstance(instance, str) else excerpt(quoted)
    return message.replace(quoted, shown)
