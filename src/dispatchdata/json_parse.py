"""JSON text → plain data, under the same rules as YAML: duplicate keys, NaN/Infinity and integers
written as floats (``177.0``, ``1.77e2``: read as the integer, with DD113) are errors.

The data comes from orjson when it is installed (the ``fast`` extra) and can be trusted with the
file, else from the standard library's C parser; positions come from a small scanner that runs
only when they are needed (to locate a problem), so clean files are read at full speed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .display import excerpt
from .errors import Problem
from .parse_common import (
    INTEGER_MAX,
    INTEGER_MIN,
    Index,
    NumberProblem,
    Parsed,
    Position,
    escape,
    float_problem,
    integer_range_problem,
    long_integer_problem,
    problem,
)

_CONSTANTS = {"NaN", "Infinity", "-Infinity"}
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?(?:Infinity|\d[\d.eE+-]*)|true|false|null|NaN")
_SPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
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


def _integer_problem(token: str) -> NumberProblem | None:
    """The problem with an integer token: too long to read (DD107), or out of range (DD117)."""
    return long_integer_problem(token) or integer_range_problem(token, int(token))


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
_FLOATISH = b"0.0"


def _holds_float(written: bytes) -> bool:
    """Whether orjson's compact text of some data holds a float, outside its strings (which the
    screen above does not tell apart: a SHA-256 in hex, "2.5 percent"). Escaped backslashes and
    quotes are blanked first (pairs from the left, as JSON reads them), so that every quote left
    starts or ends a string, and every other piece between quotes is outside one."""
    blanked = written.replace(b"\\\\", b"__").replace(b'\\"', b"__")
    outside = b"".join(blanked.split(b'"')[0::2])
    return _FLOATISH in outside.translate(_NUMBERISH)


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
    if _FLOATISH in numberish and _holds_float(written):  # 177.0 may be an integer: DD113
        return None
    scanner = _Scanner(lambda: raw.decode("utf-8"), file)
    return Parsed(data, indexer=scanner.index, seek=scanner.seek)


def positions_in(raw: bytes, text: str, file: str) -> Parsed:
    """The positions in JSON text, without its data (see :func:`dispatchdata.parse.positions_of`).
    The scanner reads valid JSON only: orjson says whether it is, at C speed, and anything else
    (a file edited since it was read, or orjson missing) is read as :func:`parse_json` reads it,
    which never raises."""
    if orjson is not None:
        try:
            orjson.loads(raw)
        except orjson.JSONDecodeError:
            return parse_json(text, file)
        scanner = _Scanner(lambda: text, file)
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
        return Parsed(None, problems=[problem("DD102", message, file, *_Lines(text).at(_too_deep(text)))])
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(data):
        index, escape_text = _lone_surrogate(text)
        message = f"JSON holds an escaped lone surrogate, {escape_text}, which is not text"
        return Parsed(None, problems=[problem("DD102", message, file, *_Lines(text).at(index))])
    if flags.constants or flags.numbers:
        data = _without_dropped(data)
    scanner = _Scanner(lambda: text, file)
    parsed = Parsed(data, indexer=scanner.index, seek=scanner.seek)
    if flags.duplicates or flags.constants or flags.numbers:
        scanner.index()
        parsed.problems.extend(scanner.problems)
    return parsed


_BRACKET_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)
#: An escape in a JSON string: a surrogate pair, a lone high or low surrogate, or any other one.
_ESCAPE = re.compile(
    r"(?P<high>\\u[dD][89abAB][0-9a-fA-F]{2})(?P<low>\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
    r"|(?P<lone>\\u[dD][c-fC-F][0-9a-fA-F]{2})|\\."
)


def _too_deep(text: str) -> int:
    """Where JSON text the reader found nested too deeply first nests deeper than
    :data:`~dispatchdata.yaml_parse.MAX_DEPTH` (YAML's limit), or else (the reader's stack gave
    out first) first reaches its deepest: the index of that bracket (0 if there is none)."""
    from .yaml_parse import MAX_DEPTH

    depth, deepest, at = 0, 0, 0
    for match in _BRACKET_OR_STRING.finditer(text):
        char = match.group(0)
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest, at = depth, match.start()
                if depth > MAX_DEPTH:
                    break
        elif char in "]}":
            depth -= 1
    return at


def _lone_surrogate(text: str) -> tuple[int, str]:
    """The index and text of the first escaped lone surrogate in JSON text that holds one (strings
    are matched from the start: outside them, valid JSON holds no quotes)."""
    for string in _STRING.finditer(text):
        if not _SURROGATE_ESCAPE.search(string.group(0)):
            continue
        for found in _ESCAPE.finditer(string.group(0)):
            if found["lone"] is not None or (found["high"] is not None and found["low"] is None):
                return string.start() + found.start(), found.group(0)[:6]
    return 0, "\\u"  # pragma: no cover - only called when the data holds one


class _Lines:
    """Line and column of string indexes asked for in increasing order (as a scan goes), counting
    newlines only between one index and the next."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset, self.line, self.start = 0, 1, 0  # last index asked for; its line; that line's start

    def at(self, index: int) -> Position:
        if index < self.offset:  # not in increasing order: count from the start
            self.offset, self.line, self.start = 0, 1, 0
        newlines = self.text.count("\n", self.offset, index)
        if newlines:
            self.line += newlines
            self.start = self.text.rfind("\n", self.offset, index) + 1
        self.offset = index
        return self.line, index - self.start + 1


class _Scanner:
    """Positions of the values and keys of valid JSON text, found in reading order, with its
    duplicate keys and constants as problems: all of them (:meth:`index`), or only as far as one
    pointer needs (:meth:`seek`), so that placing a problem near the start of a large file does
    not read all of it. A duplicate key's value (and everything in it) is not in the data: not
    located."""

    def __init__(self, text: Callable[[], str], file: str) -> None:
        self.text_of, self.file = text, file  # the text is made when first needed
        self.text = ""
        self.lines = _Lines("")
        self.values: dict[str, Position] = {}
        self.keys: dict[str, Position] = {}
        self.problems: list[Problem] = []
        # Each frame: [pointer, is_object, next_index, pending_key, seen_keys, pending_is_duplicate,
        # dropped].
        self.stack: list[list[Any]] = []
        self.i = -1  # not started

    def index(self) -> Index:
        """Every position."""
        self._scan(None)
        return self.values, self.keys

    def seek(self, pointer: str) -> Index:
        """The positions read so far, read on until ``pointer``'s value is among them or the
        container it would be in has ended (it is not in the text)."""
        if pointer not in self.values:
            self._scan(pointer)
        return self.values, self.keys

    def _scan(self, wanted: str | None) -> None:
        if self.i < 0:
            self.text = self.text_of()
            self.lines = _Lines(self.text)
            self.i = _SPACE.match(self.text, 0).end()  # type: ignore[union-attr]
        text, file, lines, stack = self.text, self.file, self.lines, self.stack
        values, keys, problems = self.values, self.keys, self.problems
        i, n = self.i, len(text)

        def child_pointer() -> str:
            if not stack:
                return ""
            frame = stack[-1]
            if frame[1]:
                return f"{frame[0]}/{escape(frame[3])}"
            pointer = f"{frame[0]}/{frame[2]}"
            frame[2] += 1
            return pointer

        done = False
        while i < n and not done:
            char = text[i]
            if char in ",:":
                i += 1
            elif char in "]}":
                ended = stack.pop()[0]
                # Everything in a container comes before its end: what is wanted is not there.
                done = wanted is not None and wanted.startswith(ended + "/")
                i += 1
            elif stack and stack[-1][1] and stack[-1][3] is None:  # a key
                match = _STRING.match(text, i)
                assert match is not None
                key = json.loads(match.group(0))
                frame = stack[-1]
                pointer = f"{frame[0]}/{escape(key)}"
                if key in frame[4]:
                    first = frame[4][key]
                    problems.append(
                        problem(
                            "DD103",
                            f"duplicate key {excerpt(key)!r} (first at line {first[0]}); "
                            "the first value is kept",
                            file,
                            *lines.at(i),
                            frame[0],
                        )
                    )
                    frame[3], frame[5] = key, True
                else:
                    frame[4][key] = lines.at(i)
                    if not frame[6]:
                        keys[pointer] = frame[4][key]
                    frame[3], frame[5] = key, False
                i = match.end()
            else:
                pointer = child_pointer()
                dropped = bool(stack) and (stack[-1][6] or (stack[-1][1] and stack[-1][5]))
                if stack and stack[-1][1]:
                    stack[-1][3] = None
                if not dropped:
                    values.setdefault(pointer, lines.at(i))
                    done = pointer == wanted
                if char in "[{":
                    stack.append([pointer, char == "{", 0, None, {}, False, dropped])
                    i += 1
                elif char == '"':
                    match = _STRING.match(text, i)
                    assert match is not None
                    i = match.end()
                else:
                    match = _SCALAR.match(text, i)
                    assert match is not None
                    token = match.group(0)
                    dropped_here = False
                    if token in _CONSTANTS:
                        problems.append(
                            problem(
                                "DD107",
                                f"{token} is not a finite number; JSON cannot hold it",
                                file,
                                *lines.at(i),
                                pointer,
                            )
                        )
                        dropped_here = True
                    elif token[0] in "-0123456789":
                        is_float = "." in token or "e" in token or "E" in token
                        found = float_problem(token, float(token)) if is_float else _integer_problem(token)
                        if found is not None:
                            problems.append(problem(found.code, found.message, file, *lines.at(i), pointer))
                            dropped_here = found.value is None
                    if dropped_here and stack and not stack[-1][1] and not dropped:
                        # Left out of its list, as in the data: the next item takes its index.
                        stack[-1][2] -= 1
                        values.pop(pointer, None)
                    i = match.end()
            i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
        self.i = i
