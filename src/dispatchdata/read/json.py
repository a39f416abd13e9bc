"""JSON text → plain data, under the same rules as YAML: duplicate keys, NaN/Infinity and integers
written as floats (``177.0``, ``1.77e2``: read as the integer, with DD113) are errors.

The data comes from orjson when it is installed (the ``fast`` extra) and can be trusted with the
file, else from the standard library's C parser; positions come from the scanner of
:mod:`dispatchdata.read.json_scan`, which runs only when they are needed (to locate a problem), so clean
files are read at full speed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .common import INTEGER_MAX, INTEGER_MIN, Parsed, float_problem, problem
from .json_scan import SURROGATE_ESCAPE, Lines, Scanner, lone_surrogate, too_deep

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


#: What is read in place of a value that is dropped (after the scanner reports it): as the YAML
#: reader does, a member or item whose value cannot be read is left out, not read as null.
_DROPPED: Any = object()


class _Flags:
    __slots__ = ("constants", "duplicates", "numbers")

    def __init__(self) -> None:
        self.duplicates = False
        self.constants = False
        self.numbers = False

    def pairs(self, items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                self.duplicates = True  # the first value is kept, as for YAML
                continue
            result[key] = value
        if self.constants or self.numbers:  # (rare) a value of this object may have been dropped
            return {k: v for k, v in result.items() if v is not _DROPPED}
        return result

    def constant(self, _name: str) -> Any:
        self.constants = True
        return _DROPPED

    def integer(self, text: str) -> Any:
        """An integer; dropped when too long to read (the scanner then says so), and one outside
        the signed 64-bit range read as itself (the scanner says so: DD117)."""
        try:
            value = int(text)
        except ValueError:
            self.numbers = True
            return _DROPPED
        if not INTEGER_MIN <= value <= INTEGER_MAX:
            self.numbers = True
        return value

    def number(self, text: str) -> Any:
        """A number with a fraction or an exponent: a float, or what is read in its place when it
        is an integer written as a float or too large (the scanner then says so)."""
        number = float(text)
        found = float_problem(text, number)
        if found is None:
            return number
        self.numbers = True
        return _DROPPED if found.value is None else found.value


def _without_dropped(value: Any) -> Any:
    """``value`` with the dropped items of its lists left out (members are left out as they are
    read); None for a dropped value at the top."""
    if value is _DROPPED:
        return None
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            if any(v is _DROPPED for v in item):
                item[:] = [v for v in item if v is not _DROPPED]
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return value


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _LONE_SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


try:
    import orjson
except ImportError:  # pragma: no cover - the fast extra is not installed
    orjson = None  # type: ignore[assignment]

# Each byte to what the screens below look for: a decimal digit or a sign to "0", ".", "e" and
# "E" to ".", anything else to a space (a translation table: byte value -> byte). A run of 19
# zeros may be a number too long to be sure orjson keeps it exact (it turns integers beyond 64
# bits into floats); every float has a digit, then "." or an exponent, then a digit or a sign
# ("0.0"), and a text without one holds no float.
_NUMBERISH = bytes(
    0x30 if 0x30 <= b <= 0x39 or b in b"+-" else 0x2E if b in b".eE" else 0x20 for b in range(256)
)
_LONG_NUMBER = b"0" * 19
#: Finds "0.0" in such a translation. A regular expression, not ``in``: with a digit or a sign at
#: every digit and a "." at every "e" of the prose, the substring search stops at most bytes,
#: where the expression's search for a literal does not (the two always agree: the same literal).
_FLOATISH = re.compile(rb"0\.0").search


def _holds_float(written: bytes) -> bool:
    """Whether orjson's compact text of some data holds a float, outside its strings (which the
    screen above does not tell apart: a SHA-256 in hex, "2.5 percent"). Escaped backslashes and
    quotes are blanked first (pairs from the left, as JSON reads them), so that every quote left
    starts or ends a string, and every other piece between quotes is outside one."""
    blanked = written.replace(b"\\\\", b"__").replace(b'\\"', b"__")
    outside = b"".join(blanked.split(b'"')[0::2])
    return _FLOATISH(outside.translate(_NUMBERISH)) is not None


def _may_hold_long_number(text: str) -> bool:
    """Whether ``text`` holds 19 digits (or signs) in a row: an integer that may be outside the
    signed 64-bit range, or a string's digits. The screen of :func:`parse_json_fast`, on the
    text's bytes (a bytes translation is C speed; a regular expression here cost more than the
    parse)."""
    return _LONG_NUMBER in text.encode("utf-8", "surrogatepass").translate(_NUMBERISH)


def parse_json_fast(raw: bytes, file: str) -> Parsed | None:
    """Parse JSON bytes with orjson, when that gives exactly what :func:`parse_json` would: None
    whenever it cannot be sure (orjson is missing or refuses the file, a key may be duplicated, a
    number may be too long, or a float may be an integer written as one), and the caller takes
    the standard path, which explains problems.

    A duplicate key is caught without a hook: outside strings, JSON holds one colon per key, and
    orjson writes strings with their colons as they were (the file must hold no escaped colon,
    ``\u003a``), so the file and orjson's own serialisation of what it read hold the same
    number of colons exactly when no key was dropped.
    """
    if orjson is None or b"\\u003" in raw:
        return None
    numberish = raw.translate(_NUMBERISH)
    if _LONG_NUMBER in numberish:
        return None
    try:
        data = orjson.loads(raw)
        written = orjson.dumps(data)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return None
    if raw.count(b":") != written.count(b":"):
        return None
    if _FLOATISH(numberish) is not None and _holds_float(written):  # 177.0 may be an integer: DD113
        return None
    scanner = Scanner(lambda: raw.decode("utf-8"), file)
    return Parsed(data, indexer=scanner.index, seek=scanner.seek)


def positions_in(raw: bytes, text: str, file: str) -> Parsed:
    """The positions in JSON text, without its data (see :func:`dispatchdata.read.parse.positions_of`).
    The scanner reads valid JSON only: orjson says whether it is, at C speed, and anything else
    (a file edited since it was read, or orjson missing) is read as :func:`parse_json` reads it,
    which never raises."""
    if orjson is not None:
        try:
            orjson.loads(raw)
        except orjson.JSONDecodeError:
            return parse_json(text, file)
        scanner = Scanner(lambda: text, file)
        return Parsed(None, indexer=scanner.index, seek=scanner.seek)
    return parse_json(text, file)


def parse_json(text: str, file: str) -> Parsed:
    """Parse JSON text into plain data; positions are computed on first use. Never raises."""
    flags = _Flags()
    hooks: dict[str, Any] = {
        "object_pairs_hook": flags.pairs,
        "parse_constant": flags.constant,
        "parse_float": flags.number,
    }
    try:
        if _may_hold_long_number(text):  # out of range (DD117) or too long to read: checked one by one
            data = json.loads(text, parse_int=flags.integer, **hooks)
        else:
            data = json.loads(text, **hooks)
    except json.JSONDecodeError as error:
        return Parsed(
            None,
            problems=[problem("DD102", f"JSON syntax error: {error.msg}", file, error.lineno, error.colno)],
        )
    except RecursionError:
        message = "JSON syntax error: exceeded maximum nesting depth"
        return Parsed(None, problems=[problem("DD102", message, file, *Lines(text).at(too_deep(text)))])
    if SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(data):
        index, escape_text = lone_surrogate(text)
        message = f"JSON holds an escaped lone surrogate, {escape_text}, which is not text"
        return Parsed(None, problems=[problem("DD102", message, file, *Lines(text).at(index))])
    if flags.constants or flags.numbers:
        data = _without_dropped(data)
    scanner = Scanner(lambda: text, file)
    parsed = Parsed(data, indexer=scanner.index, seek=scanner.seek)
    if flags.duplicates or flags.constants or flags.numbers:
        scanner.index()
        parsed.problems.extend(scanner.problems)
    return parsed
