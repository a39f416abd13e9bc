"""JSON text → plain data, under the same rules as YAML: duplicate keys and NaN/Infinity are errors.

The data comes from orjson when it is installed (the ``fast`` extra) and can be trusted with the
file, else from the standard library's C parser; positions come from a small scanner that runs
only when they are needed (to locate a problem), so clean files are read at full speed.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from .errors import Problem
from .parse_common import Index, Parsed, Position, escape, problem

_CONSTANTS = {"NaN", "Infinity", "-Infinity"}
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?(?:Infinity|\d[\d.eE+-]*)|true|false|null|NaN")
_SPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _Flags:
    __slots__ = ("constants", "duplicates")

    def __init__(self) -> None:
        self.duplicates = False
        self.constants = False

    def pairs(self, items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                self.duplicates = True  # the first value is kept, as for YAML
                continue
            result[key] = value
        return result

    def constant(self, _name: str) -> None:
        self.constants = True


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

# Every decimal digit to "0", everything else to a space: a run of 19 zeros is a number too long
# to be sure orjson keeps it exact (it turns integers beyond 64 bits into floats).
_DIGITS = b" " * 48 + b"0" * 10 + b" " * 198  # a translation table: byte value -> byte
_LONG_NUMBER = b"0" * 19


def parse_json_fast(raw: bytes, file: str) -> Parsed | None:
    """Parse JSON bytes with orjson, when that gives exactly what :func:`parse_json` would: None
    whenever it cannot be sure (orjson is missing or refuses the file, a key may be duplicated, a
    number may be too long), and the caller takes the standard path, which explains problems.

    A duplicate key is caught without a hook: outside strings, JSON holds one colon per key, and
    orjson writes strings with their colons as they were (the file must hold no escaped colon,
    ``\u003a``), so the file and orjson's own serialisation of what it read hold the same
    number of colons exactly when no key was dropped.
    """
    if orjson is None or b"\\u003" in raw or _LONG_NUMBER in raw.translate(_DIGITS):
        return None
    try:
        data = orjson.loads(raw)
        written = orjson.dumps(data)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return None
    if raw.count(b":") != written.count(b":"):
        return None
    return Parsed(data, indexer=lambda: _scan(raw.decode("utf-8"), file)[0])


def parse_json(text: str, file: str) -> Parsed:
    """Parse JSON text into plain data; positions are computed on first use. Never raises."""
    flags = _Flags()
    try:
        data = json.loads(text, object_pairs_hook=flags.pairs, parse_constant=flags.constant)
    except json.JSONDecodeError as error:
        return Parsed(
            None,
            problems=[problem("DD102", f"JSON syntax error: {error.msg}", file, error.lineno, error.colno)],
        )
    except RecursionError:
        return Parsed(
            None, problems=[problem("DD102", "JSON syntax error: exceeded maximum nesting depth", file, 1, 1)]
        )
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(data):
        return Parsed(
            None,
            problems=[
                problem("DD102", "JSON holds an escaped lone surrogate, which is not text", file, 1, 1)
            ],
        )
    parsed = Parsed(data, indexer=lambda: _scan(text, file)[0])
    if flags.duplicates or flags.constants:
        parsed.problems.extend(_scan(text, file)[1])
    return parsed


class _Lines:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, index: int) -> Position:
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1


def _scan(text: str, file: str) -> tuple[Index, list[Problem]]:
    """Positions of every value and key of valid JSON text, and its duplicate keys and constants."""
    lines = _Lines(text)
    values: dict[str, Position] = {}
    keys: dict[str, Position] = {}
    problems: list[Problem] = []
    # Each frame: [pointer, is_object, next_index, pending_key, seen_keys, pending_is_duplicate,
    # dropped]. A duplicate key's value (and everything in it) is not in the data: not located.
    stack: list[list[Any]] = []
    i = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    n = len(text)

    def child_pointer() -> str:
        if not stack:
            return ""
        frame = stack[-1]
        if frame[1]:
            return f"{frame[0]}/{escape(frame[3])}"
        pointer = f"{frame[0]}/{frame[2]}"
        frame[2] += 1
        return pointer

    while i < n:
        char = text[i]
        if char in ",:":
            i += 1
        elif char in "]}":
            stack.pop()
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
                        f"duplicate key {key!r} (first at line {first[0]}); the first value is kept",
                        file,
                        *lines.at(i),
                        frame[0],
                    )
                )
                frame[3], frame[5] = key, True
            else:
                frame[4][key] = lines.at(i)
                if not frame[6]:
                    keys[pointer] = lines.at(i)
                frame[3], frame[5] = key, False
            i = match.end()
        else:
            pointer = child_pointer()
            dropped = bool(stack) and (stack[-1][6] or (stack[-1][1] and stack[-1][5]))
            if stack and stack[-1][1]:
                stack[-1][3] = None
            if not dropped:
                values.setdefault(pointer, lines.at(i))
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
                if match.group(0) in _CONSTANTS:
                    problems.append(
                        problem(
                            "DD107",
                            f"{match.group(0)} is not a finite number; JSON cannot hold it",
                            file,
                            *lines.at(i),
                            pointer,
                        )
                    )
                i = match.end()
        i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
    return (values, keys), problems
