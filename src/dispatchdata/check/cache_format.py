"""The JSON a cache entry is stored as: :class:`Entry` encoded, and decoded with every value's type
checked (anything else is a :class:`BadEntryError`, and the cache a miss)."""

from __future__ import annotations

import json
import sys
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import chain
from typing import Any

from ..errors import Problem, Severity
from .rules.context import REFERENCE_SLOTS
from .rules.dates import DocumentFacts
from .rules.facts import ActorFacts, FileFacts


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """What the cache keeps of one file: its facts (None for an entry of the checks against the
    texts alone), its own problems, its problems against the texts, and the anchors not checked
    for want of a text, by document."""

    facts: FileFacts | None
    problems: list[Problem]
    anchored: list[Problem]
    skipped: dict[str, int]


class BadEntryError(ValueError):
    """An entry that is not of the shape this version writes."""


# Encoding. The facts of a file are kept by column: the columns of numbers (record indexes,
# reference slots and positions, and the strings' numbers) as little-endian machine integers in
# hexadecimal, which decode at C speed into integers and nothing else (base64 decodes several
# times slower), so that reading a warm corpus (mostly statements and their references) costs
# little more than unmarshalling did; each string is stored once, in a table, and a column of
# strings holds their numbers in it.


def encode_entry(entry: Entry) -> bytes:
    """An entry as the JSON the cache stores."""
    facts = entry.facts
    return json.dumps(
        {
            "facts": None if facts is None else _encode_facts(facts),
            "problems": _rows(entry.problems),
            "anchored": _rows(entry.anchored),
            "skipped": entry.skipped,
        },
        separators=(",", ":"),
        allow_nan=False,
    ).encode("ascii")


def _rows(problems: list[Problem]) -> list[list[Any]]:
    return [[p.code, p.severity.value, p.message, p.line, p.column, p.pointer] for p in problems]


# Numbers: record indexes and string numbers unsigned, reference positions signed (-1: not in a
# list), slots one byte each.
_UNSIGNED, _SIGNED = "I", "i"


def _pack(numbers: list[int], code: str) -> str:
    column = array(code, numbers)
    if sys.byteorder == "big":
        column.byteswap()
    return column.tobytes().hex()


def _unpack(text: Any, code: str) -> list[int]:
    _check(type(text) is str)
    column = array(code)
    column.frombytes(bytes.fromhex(text))  # (a ValueError unless whole numbers)
    if sys.byteorder == "big":
        column.byteswap()
    return column.tolist()


def _encode_facts(facts: FileFacts) -> dict[str, Any]:
    records, collection = facts.records, facts.collection
    # Strings by number: ids, dates and documents from 1 (0 is None), references' values from 0.
    table: dict[str, int] = {}

    def number(text: str | None) -> int:
        return 0 if text is None else table.setdefault(text, len(table)) + 1

    extras = [extra for _, _, extra in records]
    extra: Any
    if collection == "statements":
        extra = {
            "date": _pack([number(date) for date, _, _ in extras], _UNSIGNED),
            "document": _pack([number(document) for _, document, _ in extras], _UNSIGNED),
            "cited": [[[p, n] for p, n in cited] for _, _, cited in extras],
        }
    elif collection == "documents":
        extra = [[sha, published, [[n, d] for n, d in notes.items()]] for sha, published, notes in extras]
    elif collection == "actors":
        extra = [[kind, parent, [[p, n] for p, n in names]] for kind, parent, names in extras]
    else:
        extra = None  # proposals have no facts but their ids
    refs = facts.refs
    return {
        "collection": collection,
        "size": facts.size,
        "index": _pack([index for index, _, _ in records], _UNSIGNED),
        "id": _pack([number(identifier) for _, identifier, _ in records], _UNSIGNED),
        "extra": extra,
        "refs": {
            "at": _pack([index for index, _, _, _ in refs], _UNSIGNED),
            "slot": bytes(slot for _, slot, _, _ in refs).hex(),
            "position": _pack([position for _, _, position, _ in refs], _SIGNED),
            "value": _pack([number(value) - 1 for _, _, _, value in refs], _UNSIGNED),
        },
        "strings": list(table),
    }


# Decoding: every value's type checked, every tuple rebuilt; anything else is a BadEntryError.

_INT, _STR, _LIST = frozenset({int}), frozenset({str}), frozenset({list})
_STR_OR_NONE: frozenset[type] = frozenset({str, type(None)})
_SEVERITIES = frozenset(s.value for s in Severity)
_SLOTS = bytes(range(len(REFERENCE_SLOTS)))  # the reference slots the rules know, a byte each


def _check(condition: bool) -> None:
    if not condition:
        raise BadEntryError


def _typed(value: Any, types: frozenset[type]) -> list[Any]:
    """``value``, a list whose items' types are all in ``types``."""
    _check(type(value) is list and set(map(type, value)) <= types)
    return value  # type: ignore[no-any-return]


def _fields(value: Any, names: tuple[str, ...]) -> list[Any]:
    """The values of an object that has exactly the fields ``names``."""
    _check(type(value) is dict and value.keys() == set(names))
    return [value[n] for n in names]


def decode_entry(payload: bytes, file: str, collection: str | None) -> Entry:
    """An entry from its JSON (see :func:`encode_entry`), its problems placed in ``file`` and its
    facts of ``collection`` (None: an entry without facts)."""
    facts, problems, anchored, skipped = _fields(
        _loads(payload), ("facts", "problems", "anchored", "skipped")
    )
    _check(type(skipped) is dict and set(map(type, skipped.values())) <= _INT)
    if collection is None:
        _check(facts is None)
    return Entry(
        facts=None if collection is None else _decode_facts(facts, collection),
        problems=_problems(problems, file),
        anchored=_problems(anchored, file),
        skipped=skipped,
    )


def _loads(payload: bytes) -> Any:
    """JSON bytes parsed, by orjson when it is installed (the ``fast`` extra: a warm run is mostly
    this), else by the standard library; what orjson refuses (a lone surrogate, which ``json``
    writes as an escape) is read by the standard library too, so both read the same entries."""
    fast = _orjson_loads()
    if fast is not None:
        try:
            return fast(payload)
        except ValueError:  # orjson.JSONDecodeError
            pass
    return json.loads(payload, parse_constant=_reject)


@cache
def _orjson_loads() -> Callable[[bytes], Any] | None:
    # deferred: orjson is imported on first use, so validating without a cache does not pay for it.
    try:
        import orjson
    except ImportError:  # pragma: no cover - the fast extra is not installed
        return None
    return orjson.loads


def _reject(constant: str) -> Any:
    raise BadEntryError(constant)  # NaN and infinities: never written (orjson refuses them too)


def _problems(rows: Any, file: str) -> list[Problem]:
    if rows == []:
        return []  # the usual case, without a call per check
    problems = []
    for row in _typed(rows, _LIST):
        _check(len(row) == 6)
        code, severity, message, line, column, pointer = row
        _check(
            type(code) is str
            and severity in _SEVERITIES
            and type(message) is str
            and type(line) is int
            and type(column) is int
            and type(pointer) is str
        )
        problems.append(
            Problem(
                code=code,
                severity=Severity(severity),
                message=message,
                file=file,
                line=line,
                column=column,
                pointer=pointer,
            )
        )
    return problems


def _decode_facts(value: Any, expected: str) -> FileFacts:
    collection, size, index, ids, extra, refs, strings = _fields(
        value, ("collection", "size", "index", "id", "extra", "refs", "strings")
    )
    _check(collection == expected and type(size) is int)
    strings = _typed(strings, _STR)
    table: list[str | None] = [None, *strings]
    indexes = _unpack(index, _UNSIGNED)
    extras = _EXTRAS[collection](extra, len(indexes), table)
    at, slot, position, values = _fields(refs, ("at", "slot", "position", "value"))
    at, positions = _unpack(at, _UNSIGNED), _unpack(position, _SIGNED)
    _check(type(slot) is str)
    slots = bytes.fromhex(slot)
    # References index the file's records and name a slot the rules know (they look both up).
    _check(not slots.translate(None, _SLOTS) and set(at) <= set(indexes))
    records = list(zip(indexes, _strings(ids, table), extras, strict=True))
    refs = list(zip(at, slots, positions, _strings(values, strings), strict=True))
    return FileFacts(collection, size, records, refs)


def _strings(numbers: Any, table: list[Any]) -> list[Any]:
    """The strings the column ``numbers`` holds the numbers of in ``table`` (an IndexError for a
    number beyond it: numbers are unsigned)."""
    return list(map(table.__getitem__, _unpack(numbers, _UNSIGNED)))


def _statement_extras(value: Any, count: int, table: list[str | None]) -> list[Any]:
    """(date, document, [[position, number], ...]) of each statement. The cited footnotes stay
    pairs in lists (the rules only unpack them): making a tuple of each would cost a call per
    statement."""
    dates, documents, cited = _fields(value, ("date", "document", "cited"))
    _check(set(map(type, _typed(cited, _LIST))) <= _LIST)
    pairs = list(chain.from_iterable(cited))
    _check(set(map(type, pairs)) <= _LIST and set(map(len, pairs)) <= {2})
    _check(set(map(type, chain.from_iterable(pairs))) <= _INT)
    _check(len(cited) == count)
    return list(zip(_strings(dates, table), _strings(documents, table), cited, strict=True))


def _document_extras(value: Any, count: int, _table: list[str | None]) -> list[Any]:
    """(sha256, published, {footnote number: [dates]}) of each document."""
    _check(len(_typed(value, _LIST)) == count)
    extras = []
    for item in value:
        _check(len(item) == 3)
        sha, published, notes = item
        _check(type(sha) in _STR_OR_NONE and type(published) in _STR_OR_NONE)
        footnotes: dict[int, list[str]] = {}
        for note in _typed(notes, _LIST):
            _check(len(note) == 2)
            number, dates = note
            _check(type(number) is int)
            footnotes[number] = _typed(dates, _STR)
        _check(len(footnotes) == len(notes))
        extras.append(DocumentFacts(sha, published, footnotes))
    return extras


def _actor_extras(value: Any, count: int, _table: list[str | None]) -> list[Any]:
    """(type, parent, [(pointer, name), ...]) of each actor."""
    _check(len(_typed(value, _LIST)) == count)
    extras = []
    for item in value:
        _check(len(item) == 3)
        kind, parent, names = item
        _check(type(kind) in _STR_OR_NONE and type(parent) in _STR_OR_NONE)
        pairs = _typed(names, _LIST)
        _check(set(map(len, pairs)) <= {2} and set(map(type, chain.from_iterable(pairs))) <= _STR)
        extras.append(ActorFacts(kind, parent, [(p, n) for p, n in pairs]))
    return extras


def _proposal_extras(value: Any, count: int, _table: list[str | None]) -> list[Any]:
    _check(value is None)
    return [None] * count


_EXTRAS = {
    "statements": _statement_extras,
    "documents": _document_extras,
    "actors": _actor_extras,
    "proposals": _proposal_extras,
}
