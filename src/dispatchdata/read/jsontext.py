"""JSON text exactly as the standard library writes it, made by orjson when that gives the same
text (the ``fast`` extra): the canonical text records are compared and held as, and the indented
text of a release bundle.

For what data is made of (mappings with string keys, lists, strings, integers, booleans, None)
orjson writes what :func:`json.dumps` writes, sorted keys and indent included. Not for floats:
orjson writes some in other forms (``1e-7`` for json's ``1e-07``, ``0.00006103515625`` for
``6.103515625e-05``), and NaN and the infinities as ``null``. So a text holding a float or a
``null`` token is made by json again (no float or null is valid data here), as is anything
orjson refuses: integers beyond 64 bits, lone surrogates, keys that are not strings, nesting
deeper than 254, subclasses of the plain types and dates (passed through on purpose: json's own
way with them, or its error, stays). A token, not text that looks like one: ``3.5`` or
``annulled`` in a string is prose (:func:`_has_float_or_null`). Enums and UUIDs, which no file's
data holds, orjson writes where json would refuse them. ``tests/test_jsontext.py`` compares the
two on arbitrary values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

try:
    import orjson
except ImportError:  # pragma: no cover - the fast extra is not installed
    orjson = None  # type: ignore[assignment]

# Each byte to what the float guard looks for, "0.0" (a digit or sign, then ".", "e" or "E",
# then a digit or sign): a translation, then a search for that literal, where a regular
# expression over the text itself took ten times as long as orjson. The literal is searched by
# an expression, not ``in``: the translation is mostly "0" and "." (every "e" of the prose), at
# which the substring search stops, and the expression's does not.
_FLOATISH = bytes(0x30 if chr(b) in "0123456789+-" else 0x2E if chr(b) in ".eE" else 0x20 for b in range(256))
_FLOAT_LIKE = re.compile(rb"0\.0").search
# A float or null token where orjson puts a value: at the start, after ":", "," or "[" (compact),
# or after ": " or a line's indentation (indented). In a string these are only prose that looks
# so (made by json again: the same text); outside one nothing else can come there.
_TOKEN = {
    False: re.compile(rb"(?:^|[:,\[])(?:n|-?[0-9]+[.eE])").search,
    True: re.compile(rb"(?:^|: |\n +)(?:n|-?[0-9]+[.eE])").search,
}
_INDENTED = json.JSONEncoder(indent=2, sort_keys=True, ensure_ascii=False)
if orjson is not None:
    _OPTIONS = (
        orjson.OPT_SORT_KEYS
        | orjson.OPT_PASSTHROUGH_SUBCLASS
        | orjson.OPT_PASSTHROUGH_DATETIME
        | orjson.OPT_PASSTHROUGH_DATACLASS
    )


def _has_float_or_null(text: bytes, indented: bool) -> bool:
    """Whether orjson's ``text`` (``indented`` or compact) may hold a float or a null token: the
    cheap textual guard first (any ``null``, any float-like run, in strings too), and only for a
    text it flags, the search for such a token where a value can start."""
    if b"null" not in text and _FLOAT_LIKE(text.translate(_FLOATISH)) is None:
        return False
    return _TOKEN[indented](text) is not None


def _by_orjson(value: Any, option: int) -> str | None:
    """orjson's text of ``value`` when it is exactly json's, else None."""
    try:
        text = orjson.dumps(value, option=option)
    except TypeError:  # orjson.JSONEncodeError is one
        return None
    if _has_float_or_null(text, bool(option & orjson.OPT_INDENT_2)):
        return None
    return text.decode("utf-8")


def canonical(value: Any) -> tuple[str, bool]:
    """:func:`canonical_json`, and whether orjson made it (orjson then reads it back exactly: it
    holds no integer beyond 64 bits; see :func:`load`)."""
    if orjson is not None:
        text = _by_orjson(value, _OPTIONS)
        if text is not None:
            return text, True
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")), False


def canonical_json(value: Any) -> str:
    """A value's canonical JSON: sorted keys, no spaces, UTF-8 text as it is. Equal exactly when
    the values are, types included (1, 1.0 and true differ)."""
    return canonical(value)[0]


def load(text: str, made_by_orjson: bool) -> Any:
    """The value of a text :func:`canonical` made (``made_by_orjson`` as it said)."""
    return orjson.loads(text) if made_by_orjson else json.loads(text)


def indented_json(value: Any) -> str:
    """``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)``."""
    if orjson is not None:
        text = _by_orjson(value, _OPTIONS | orjson.OPT_INDENT_2)
        if text is not None:
            return text
    return _INDENTED.encode(value)


def indented_items(texts: list[str], made_by_orjson: bool) -> str:
    """The items of ``json.dumps(values, indent=2, sort_keys=True, ensure_ascii=False)``, the
    text between its brackets (``"\\n  a,\\n  b"``), where ``values`` (at least one) are those
    of canonical ``texts`` (:func:`canonical`; ``made_by_orjson`` as it said of every one).

    Made by orjson for the texts all at once, when it made every one: then no value holds a float
    or null token (nor an integer beyond 64 bits), so neither does their indented text, which is
    json's without a guard (``tests/test_jsontext.py`` proves it)."""
    if made_by_orjson and orjson is not None:
        try:
            values = orjson.loads(f"[{','.join(texts)}]")
            return orjson.dumps(values, option=_OPTIONS | orjson.OPT_INDENT_2).decode("utf-8")[1:-2]
        except (TypeError, ValueError):  # a value nested 254 deep: one more in a list
            pass
    return indented_json([load(text, made_by_orjson) for text in texts])[1:-2]


class Canonical(NamedTuple):
    """Records as their canonical JSON, with their ids: how the records of a dataset being read
    are handed on (to be held for an export or a diff). Made where the records were read, so a
    worker process sends back strings, not the records: unpickling 20k statements took 0.11 s
    as records and 0.02 s as texts, and the texts are made in parallel."""

    ids: list[str | None]  # each record's id; None when it has none (or is not a mapping)
    texts: list[str]
    by_json: list[int]  # the positions of the texts json made (orjson reads the others back)

    @classmethod
    def of(cls, records: Iterable[Any]) -> Canonical:
        """The records' texts and ids."""
        ids: list[str | None] = []
        texts: list[str] = []
        by_json: list[int] = []
        for record in records:
            text, by_orjson = canonical(record)
            if not by_orjson:
                by_json.append(len(texts))
            texts.append(text)
            identifier = record.get("id") if type(record) is dict else None
            ids.append(identifier if type(identifier) is str else None)
        return cls(ids, texts, by_json)

    def records(self) -> list[Any]:
        """The records again."""
        slow = set(self.by_json)
        return [load(text, number not in slow) for number, text in enumerate(self.texts)]
