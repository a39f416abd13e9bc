"""Characters: what each text field may hold, quotes without stray white space, and names that
differ only by Unicode normalisation.

Anchor text (``exact``, ``prefix``, ``suffix``) and a footnote's ``printed`` text (checked
against its anchor) hold what the source holds, line breaks included. Every other text a person
reads — names, aliases, titles, descriptions, summaries, verbs, notes, errata, printed dates —
holds no control character (C0 including NUL and ESC, DEL, C1, line and paragraph separators)
and no invisible formatting character (Unicode category Cf: soft hyphen, zero-width characters,
bidi controls, word joiners, the byte-order mark, tags): they change what a reader sees, or what
a terminal, a spreadsheet or a database does, without showing. Ids are plain ASCII slugs (the
schema's pattern, and DD313), so they are not checked again here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from ...read.common import pointer_of
from .context import Anchors, Finding

#: The free-text fields of each collection (paths with '*' for list items), the only ones
#: checked for odd characters: a field added to the schema must be added here (or to
#: ``VERBATIM``), which ``tests/attacks/test_characters.py`` checks against the schema.
FREE_TEXT: dict[str, tuple[str, ...]] = {
    "documents": (
        "title",
        "series",
        "number",
        "language",
        "footnotes/*/dates/*/printed",
        "footnotes/*/dates/*/erratum/note",
    ),
    "actors": (
        "name",
        "description",
        "aliases/*/name",
        "aliases/*/corrected",
        "aliases/*/note",
        "positions/*/title",
    ),
    "proposals": ("title", "description", "status_note"),
    # The dataset's metadata (dataset.yaml, a bundle's "metadata"): what a citation prints.
    "dataset": (
        "title",
        "description",
        "keywords/*",
        "creators/*/name",
        "citation/title",
        "citation/note",
    ),
    "statements": (
        "summary",
        "verb",
        "note",
        "stances/*/note",
        "errata/*/printed",
        "errata/*/corrected",
        "errata/*/note",
    ),
}

#: Fields that hold the source's own text, whatever it holds (anchors are checked against it).
VERBATIM = ("exact", "prefix", "suffix", "footnotes/*/printed")

#: Names of the control characters, which Unicode gives only as aliases (NameAliases.txt).
_CONTROL_NAMES = dict(
    enumerate(
        (
            "NULL",
            "START OF HEADING",
            "START OF TEXT",
            "END OF TEXT",
            "END OF TRANSMISSION",
            "ENQUIRY",
            "ACKNOWLEDGE",
            "ALERT",
            "BACKSPACE",
            "CHARACTER TABULATION",
            "LINE FEED",
            "LINE TABULATION",
            "FORM FEED",
            "CARRIAGE RETURN",
            "SHIFT OUT",
            "SHIFT IN",
            "DATA LINK ESCAPE",
            "DEVICE CONTROL ONE",
            "DEVICE CONTROL TWO",
            "DEVICE CONTROL THREE",
            "DEVICE CONTROL FOUR",
            "NEGATIVE ACKNOWLEDGE",
            "SYNCHRONOUS IDLE",
            "END OF TRANSMISSION BLOCK",
            "CANCEL",
            "END OF MEDIUM",
            "SUBSTITUTE",
            "ESCAPE",
            "INFORMATION SEPARATOR FOUR",
            "INFORMATION SEPARATOR THREE",
            "INFORMATION SEPARATOR TWO",
            "INFORMATION SEPARATOR ONE",
        )
    )
)
_CONTROL_NAMES[0x7F] = "DELETE"
_CONTROL_NAMES[0x85] = "NEXT LINE"

#: Categories refused outside anchor text: controls, format characters, line/paragraph separators.
_REFUSED = frozenset({"Cc", "Cf", "Zl", "Zp"})
#: At most this many characters are named in one message (never echo a value at length).
_SHOWN = 3


def describe_character(char: str) -> str:
    """A character as ``U+202E RIGHT-TO-LEFT OVERRIDE`` (controls by their Unicode alias)."""
    point = ord(char)
    name = _CONTROL_NAMES.get(point) or unicodedata.name(char, "")
    if not name:
        name = "C1 CONTROL" if 0x80 <= point <= 0x9F else "UNNAMED"
    return f"U+{point:04X} {name}"


def odd_characters(value: str) -> list[tuple[int, str]]:
    """(1-based position, character) of each control or invisible formatting character in
    ``value``; none in the usual case, decided by one C call (``isprintable`` is true only where
    there are none of them, nor any other space than U+0020)."""
    if value.isprintable():
        return []
    return [(i, c) for i, c in enumerate(value, 1) if unicodedata.category(c) in _REFUSED]


def _message(field: str, odd: list[tuple[int, str]]) -> str:
    shown = [f"{describe_character(c)} at character {i}" for i, c in odd[:_SHOWN]]
    if len(odd) > _SHOWN:
        shown.append(f"{len(odd) - _SHOWN} more")
    what = (
        "a control or invisible formatting character"
        if len(odd) == 1
        else "control or invisible formatting characters"
    )
    return f"{field} holds {', '.join(shown)}: {what}, not allowed outside anchor text"


def _field(pointer: str) -> str:
    return next(p for p in reversed(pointer.split("/")) if not p.isdigit())


def _odd(out: list[Finding], index: int, value: str, pointer: str) -> None:
    odd = odd_characters(value)
    if odd:
        out.append(Finding(index, "DD317", _message(_field(pointer), odd), pointer, False))


def character_check(collection: str) -> Callable[[list[Finding], int, dict[str, Any], Anchors], None]:
    """DD317 for the records of ``collection``: their free-text fields (``FREE_TEXT``) hold no
    control or invisible formatting character; findings appended (this runs for every record:
    the fields are looked up directly, no generator, and a value is scanned only when
    ``isprintable`` says it holds something other than printable characters and spaces)."""
    paths = [p.split("/") for p in FREE_TEXT[collection]]
    top = tuple(p[0] for p in paths if len(p) == 1)
    subs: dict[str, list[str]] = {}  # "field/*/sub": the subs of each list field
    for p in paths:
        if len(p) == 3 and p[1] == "*":
            subs.setdefault(p[0], []).append(p[2])
    listed = tuple((head, tuple(names)) for head, names in subs.items())
    deeper = tuple((p[0], p) for p in paths if len(p) > 1 and not (len(p) == 3 and p[1] == "*"))

    def check(out: list[Finding], index: int, data: dict[str, Any], _anchors: Anchors) -> None:
        for key in top:
            value = data.get(key)
            if type(value) is str and not value.isprintable():
                _odd(out, index, value, f"/{key}")
        for head, names in listed:
            found = data.get(head)
            if found and type(found) is list:
                for item in found:
                    if type(item) is dict:
                        for sub in names:
                            value = item.get(sub)
                            if type(value) is str and not value.isprintable():
                                # (the position is looked for only here: this is rare)
                                i = next(i for i, x in enumerate(found) if x is item)
                                _odd(out, index, value, f"/{head}/{i}/{sub}")
        if deeper:
            for head, parts in deeper:
                if data.get(head):
                    _walk(out, index, data, parts, 0, [])

    return check


def _walk(
    out: list[Finding], index: int, data: Any, parts: list[str], depth: int, path: list[str | int]
) -> None:
    """DD317 for every value at the path ``parts[depth:]`` below ``data`` (``path``: the keys
    and indexes that lead to ``data``), the values :func:`~.context.values` gives, findings
    appended. No pointer is made for a value that holds nothing odd: the documents' footnote
    dates are several per record, and values' pointers and nested generators cost more than the
    check itself."""
    if depth == len(parts):
        if type(data) is str and not data.isprintable():
            _odd(out, index, data, pointer_of(path))
        return
    head = parts[depth]
    if head == "*":
        if isinstance(data, list):
            i = 0
            for item in data:
                path.append(i)
                _walk(out, index, item, parts, depth + 1, path)
                path.pop()
                i += 1  # noqa: SIM113 - counted by hand: enumerate's pairs cost more
    elif isinstance(data, dict) and head in data:
        path.append(head)
        _walk(out, index, data[head], parts, depth + 1, path)
        path.pop()


def quote_space_findings(out: list[Finding], index: int, data: dict[str, Any], _anchors: Anchors) -> None:
    """DD410: a quote covers exactly the quoted words: its exact text neither starts nor ends
    with white space."""
    quotes = data.get("quotes")
    if type(quotes) is not list:
        return
    for i, quote in enumerate(quotes):
        exact = quote.get("exact") if type(quote) is dict else None
        # strip() gives the string itself back when it has no white space at either end (as
        # isspace() defines it): one call decides the usual quote.
        if type(exact) is not str or not exact or exact.strip() == exact:
            continue
        first, last = exact[0].isspace(), exact[-1].isspace()
        if first or last:
            ends = [f"starts with {describe_character(exact[0])}"] if first else []
            ends += [f"ends with {describe_character(exact[-1])}"] if last else []
            message = f"quote {' and '.join(ends)}: a quote covers exactly the quoted words"
            out.append(Finding(index, "DD410", message, f"/quotes/{i}/exact", False))


def nfc(value: str) -> str:
    """``value`` in Unicode normalisation form C (ASCII is returned as it is, at no cost)."""
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def name_key(value: str) -> str:
    """What makes two names the same name (DD312): equal after compatibility normalisation
    (NFKC: a full-width D (U+FF24) is a D, a ligature its letters) and case folding. ASCII costs
    nothing more than the case folding."""
    if value.isascii():
        return value.casefold()
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())


def normalisation_note(here: str, there: str, names: tuple[str, str] = ("here", "there")) -> str:
    """When ``here`` and ``there`` differ but are equal after NFC normalisation, what tells them
    apart: ``"differ only by Unicode normalisation: U+00E9 here, U+0065 U+0301 there"`` (with
    ``names`` for "here" and "there"); else the empty string."""
    if here == there or nfc(here) != nfc(there):
        return ""
    start = 0
    while start < min(len(here), len(there)) and here[start] == there[start]:
        start += 1
    end = 0
    while end < min(len(here), len(there)) - start and here[-1 - end] == there[-1 - end]:
        end += 1
    # Widen to whole combining sequences, so that both sides show what composes.
    while start > 0 and any(start < len(s) and unicodedata.combining(s[start]) for s in (here, there)):
        start -= 1
    a, b = here[start : len(here) - end], there[start : len(there) - end]
    points = [" ".join(f"U+{ord(c):04X}" for c in part) or "nothing" for part in (a, b)]
    return f"differ only by Unicode normalisation: {points[0]} {names[0]}, {points[1]} {names[1]}"
